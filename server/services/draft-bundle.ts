import type protobuf from 'protobufjs'
import { BundleDocumentSchema, type DraftReplaced } from '../contract'
import { renderBundle } from '../config/bundle'
import { buildStaticBootstrap, renderStaticBootstrap } from '../config/static-bootstrap'
import { countChanges, diffResources, type StoredResource } from '../config/diff'
import { serializeResource, sha256Hex } from '../config/hash'
import { compareResources, resourceKey, type ResourceJson, type ResourceType } from '../config/resource-types'
import { restoreSealed, sealResource, type ValueCipher } from '../config/sealed-values'
import { validateResource } from '../config/validate'
import { LegationError, type IssueView } from '../errors'
import type { Db } from '../store/db'
import { bumpDraftRevision, fleetIdOrThrow, redactAll, replaceDraftTx } from '../store/drafts'
import { readDraftResources, readSealedBodies, readVersionResources, toConfigResources } from '../store/resources'
import { inTransaction, lockFleetOrThrow, notifyEvent, recordAudit } from '../store/tx'
import { fleetOrThrow, versionRowOrThrow } from '../store/versions'

/** One document of a bundle as read from the request: its 0-based index, the line it starts on and the line of a field in it (YAML). */
export type BundleInputDocument = Readonly<{ index: number; line: number | null; value: unknown; lineOf?: (path: ReadonlyArray<string | number>) => number | null }>

/** What the export reads: a version's number, the draft, or (undefined) the active version. */
export type ExportSource = number | 'draft' | undefined

export type ExportedBundle = Readonly<{ text: string; version: number | null; draftRevision: number | null }>

/**
 * A version (or the draft) of a fleet as a bundle: one YAML document per resource in (type, name)
 * order, sealed values as `<set:fingerprint>` markers (never the key material). With format
 * `bootstrap`: the same resources as an Envoy static bootstrap (server/config/static-bootstrap.ts).
 */
export async function exportBundle(options: { db: Db; fleet: string; source: ExportSource; format?: 'bundle' | 'bootstrap' }): Promise<ExportedBundle> {
  const { db, fleet, source } = options
  const f = await fleetIdOrThrow(db, fleet)
  let stored: StoredResource[]
  let version: number | null = null
  if (source === 'draft') stored = await readDraftResources(db, f.id)
  else {
    const number = source ?? f.activeVersionNumber
    if (number === null) throw new LegationError('VERSION.NOT_FOUND', `fleet '${fleet}' has no committed version yet; export its draft with ?version=draft`, [{ path: 'version', message: 'no active version' }])
    const row = await versionRowOrThrow(db, await fleetOrThrow(db, fleet), fleet, number)
    stored = await readVersionResources(db, row.id)
    version = number
  }
  const redacted = redactAll(stored)
  const text = options.format === 'bootstrap' ? renderStaticBootstrap(buildStaticBootstrap({ fleet, resources: toConfigResources(redacted) })) : renderBundle(redacted)
  return { text, version, draftRevision: source === 'draft' ? f.draftRevision : null }
}

/** `a.b[0].c` (server/config's joinPath) → ['a', 'b', 0, 'c']. */
function pathSegments(path: string): Array<string | number> {
  return [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]!))
}

const where = (doc: BundleInputDocument) => `document ${doc.index}${doc.line === null ? '' : ` (line ${doc.line})`}`
const prefixed = (index: number, path: string) => (path === '' ? `[${index}]` : `[${index}].${path}`)

/** A resource read and checked against its Envoy proto; `at(path)` names a field of it where the request has it. */
export type CheckedResource = Readonly<{ type: ResourceType; name: string; resource: ResourceJson; at: (path: string) => string }>
type Checked = CheckedResource & Readonly<{ doc: BundleInputDocument }>

/** Each document's shape and Envoy proto, every problem named by document and field; no I/O. */
function checkDocuments(root: protobuf.Root, docs: readonly BundleInputDocument[]): Checked[] {
  const problems: Array<{ doc: BundleInputDocument; issue: IssueView }> = []
  const checked: Checked[] = []
  const seen = new Map<string, BundleInputDocument>()
  for (const doc of docs) {
    const shape = BundleDocumentSchema.safeParse(doc.value)
    if (!shape.success) {
      for (const i of shape.error.issues) {
        const line = doc.lineOf?.(i.path.map((p) => (typeof p === 'number' ? p : String(p)))) ?? null
        problems.push({ doc, issue: { path: prefixed(doc.index, i.path.map(String).join('.')), message: line === null ? i.message : `${i.message} (line ${line})`, code: 'BUNDLE.BAD_DOCUMENT' } })
      }
      continue
    }
    const { type, name, resource } = shape.data
    const key = resourceKey({ type, name })
    const earlier = seen.get(key)
    if (earlier) {
      problems.push({ doc, issue: { path: prefixed(doc.index, 'name'), message: `${type} '${name}' is also ${where(earlier)}`, code: 'BUNDLE.DUPLICATE', resource: { type, name } } })
      continue
    }
    seen.set(key, doc)
    const v = validateResource(root, type, name, resource, { placeholders: true })
    if (!v.resource) {
      for (const i of v.issues) {
        const line = doc.lineOf?.(['resource', ...pathSegments(i.path)]) ?? null
        problems.push({ doc, issue: { path: prefixed(doc.index, i.path === '' ? 'resource' : `resource.${i.path}`), message: line === null ? i.message : `${i.message} (line ${line})`, code: i.code, resource: { type, name } } })
      }
      continue
    }
    checked.push({ doc, type, name, resource: v.resource, at: (path) => prefixed(doc.index, path === '' ? 'resource' : `resource.${path}`) })
  }
  if (problems.length > 0) {
    const first = problems[0]!
    const what = first.issue.resource ? `${first.issue.resource.type} '${first.issue.resource.name}'` : 'the document'
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : ''
    const code = problems.every((p) => p.issue.code === 'BUNDLE.BAD_DOCUMENT' || p.issue.code === 'BUNDLE.DUPLICATE') ? 'REQUEST.INVALID' : 'CONFIG.INVALID'
    throw new LegationError(code, `the bundle's ${where(first.doc)}, ${what}: ${first.issue.path}: ${first.issue.message}${more}; nothing was written`, problems.map((p) => p.issue), {
      documents: [...new Set(problems.map((p) => p.doc.index))],
    })
  }
  return checked
}

/**
 * Replaces a fleet's whole draft with a bundle, in one transaction: check every document (shape,
 * Envoy proto, duplicates), then writeDraft. Any problem refuses the whole bundle. Answers with the
 * change of every resource against the previous draft; `dryRun` writes nothing.
 */
export async function replaceDraftWithBundle(options: {
  db: Db
  root: protobuf.Root
  cipher: ValueCipher
  fleet: string
  documents: readonly BundleInputDocument[]
  actor: string
  ifMatch?: number
  dryRun?: boolean
}): Promise<DraftReplaced> {
  const checked = checkDocuments(options.root, options.documents)
  return writeDraft({ ...options, resources: checked, mode: 'replace', audit: 'draft.replace' })
}

export { checkDocuments as checkBundleDocuments }

/**
 * The one way a whole set of resources reaches a draft (the bulk PUT and the import), in one
 * transaction: lock the fleet → If-Match of the draft revision → put back the stored values of
 * `<set:…>` markers, seal new ones → `replace` the draft with the resources, or `merge` them into
 * it (a resource of the same type and name is replaced, the others stay) → write only what differs
 * (untouched resources keep their revision) → audit → notify. The resources are already checked
 * against their protos. Answers with the change of every resource; `dryRun` writes nothing.
 */
export async function writeDraft(options: {
  db: Db
  cipher: ValueCipher
  fleet: string
  resources: readonly CheckedResource[]
  mode: 'replace' | 'merge'
  actor: string
  ifMatch?: number
  dryRun?: boolean
  audit: 'draft.replace' | 'draft.import'
  auditDetail?: Record<string, string | number>
}): Promise<DraftReplaced> {
  const { db, cipher, fleet, actor, ifMatch, dryRun = false, resources } = options
  const hasMarkers = resources.some((c) => JSON.stringify(c.resource).includes('<set:'))
  return inTransaction(db, async (tx) => {
    const locked = await lockFleetOrThrow(tx, fleet)
    if (ifMatch !== undefined && ifMatch !== locked.draft_revision) {
      throw new LegationError('DRAFT.CONFLICT', `the draft of fleet '${fleet}' changed since revision ${ifMatch} (it is at ${locked.draft_revision}); read it again and re-apply`, [], { currentRevision: locked.draft_revision })
    }
    const current = await readDraftResources(tx, locked.id)
    // Stored values the markers may name: this fleet's draft and versions (fingerprints are keyed hashes of the value).
    const sealedStore = hasMarkers ? ({ stored: await readSealedBodies(tx, locked.id) } as unknown as ResourceJson) : null
    const unknown: IssueView[] = []
    const written: StoredResource[] = resources.map((c) => {
      const restored = sealedStore && JSON.stringify(c.resource).includes('<set:') ? restoreSealed(c.resource, sealedStore) : { value: c.resource, unknown: [] }
      for (const path of restored.unknown) {
        unknown.push({ path: c.at(path), message: 'this <set:…> marker matches no value stored in this fleet; send the value itself', code: 'PROTO.BAD_VALUE', resource: { type: c.type, name: c.name } })
      }
      const body = serializeResource(sealResource(restored.value as ResourceJson, cipher))
      return { type: c.type, name: c.name, body, hash: sha256Hex(body) }
    })
    if (unknown.length > 0) throw new LegationError('CONFIG.INVALID', `secret values that are not stored in fleet '${fleet}' are referred to (${unknown[0]!.path}); nothing was written`, unknown)
    const incoming = new Set(written.map(resourceKey))
    const target = options.mode === 'merge' ? [...current.filter((r) => !incoming.has(resourceKey(r))), ...written] : written
    target.sort(compareResources)
    const changes = diffResources(redactAll(current), redactAll(target))
    const counts = countChanges(changes)
    const result = { fleet, previousDraftRevision: locked.draft_revision, dryRun, changes, counts: { ...counts, unchanged: target.length - counts.added - counts.modified } }
    if (dryRun || changes.length === 0) return { ...result, draftRevision: locked.draft_revision }
    await replaceDraftTx(tx, locked.id, target, actor)
    const draftRevision = await bumpDraftRevision(tx, locked.id)
    await recordAudit(tx, { actor, action: options.audit, fleetName: fleet, target: `fleet/${fleet}`, detail: { ...result.counts, resources: target.length, ...options.auditDetail } })
    await notifyEvent(tx, { kind: 'draft.changed', fleet, draftRevision, change: 'reset', actor, at: new Date().toISOString() })
    return { ...result, draftRevision }
  })
}
