import type protobuf from 'protobufjs'
import type { ImportMode, ImportResult } from '../contract'
import { convertEnvoyConfig, type ImportDocument, type ImportFormat, type ImportOptions } from '../config/import'
import type { ValueCipher } from '../config/sealed-values'
import { validateResource } from '../config/validate'
import { LegationError, type IssueView } from '../errors'
import type { Db } from '../store/db'
import { checkBundleDocuments, writeDraft, type CheckedResource } from './draft-bundle'

/** A field path of a resource under the place the resource has in the imported text. */
const under = (source: string, path: string) => (path === '' ? source : path.startsWith('[') ? `${source}${path}` : source === '' ? path : `${source}.${path}`)

/**
 * Imports an Envoy config into a fleet's draft (issue #14 item 1): convert (server/config/import:
 * a static bootstrap or an admin config dump, with findings for every part not taken over as it
 * is; a bundle as the bulk PUT reads it) → check every resource against its Envoy proto (any
 * problem refuses the whole import, naming the resource, the field and its line) → writeDraft,
 * the bulk write's one transaction, replacing the draft or merging into it. `dryRun` only answers
 * what it would add, change and remove, with the findings.
 */
export async function importIntoDraft(options: {
  db: Db
  root: protobuf.Root
  cipher: ValueCipher
  fleet: string
  documents: readonly ImportDocument[]
  format?: ImportFormat
  options?: ImportOptions & { mode?: ImportMode }
  actor: string
  ifMatch?: number
  dryRun?: boolean
}): Promise<ImportResult> {
  const { root, documents } = options
  const mode = options.options?.mode ?? 'replace'
  const conversion = convertEnvoyConfig({ root, documents, ...(options.format ? { format: options.format } : {}), ...(options.options ? { options: options.options } : {}) })
  if (!conversion.ok) throw new LegationError('REQUEST.INVALID', conversion.message, [{ path: conversion.path, message: conversion.message }])
  let resources: CheckedResource[]
  if (conversion.format === 'bundle') {
    // One JSON array (or YAML list) of documents is the same bundle as a stream of them.
    const only = documents.length === 1 && Array.isArray(documents[0]!.value) ? documents[0]! : null
    const docs = only ? (only.value as unknown[]).map((value, index) => ({ index, line: only.lineOf?.([index]) ?? null, value, lineOf: (path: ReadonlyArray<string | number>) => only.lineOf?.([index, ...path]) ?? null })) : documents
    resources = checkBundleDocuments(root, docs)
  } else {
    const problems: IssueView[] = []
    resources = []
    for (const r of conversion.resources) {
      const v = validateResource(root, r.type, r.name, r.resource)
      if (!v.resource) {
        for (const i of v.issues) {
          const path = under(r.source, i.path)
          const line = conversion.lineOf(path)
          problems.push({ path, message: line === null ? i.message : `${i.message} (line ${line})`, code: i.code, resource: { type: r.type, name: r.name } })
        }
        continue
      }
      resources.push({ type: r.type, name: r.name, resource: v.resource, at: (path) => under(r.source, path) })
    }
    if (problems.length > 0) {
      const first = problems[0]!
      const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : ''
      throw new LegationError('CONFIG.INVALID', `${first.resource!.type} '${first.resource!.name}': ${first.path}: ${first.message}${more}; nothing was written`, problems, { findings: conversion.findings })
    }
  }
  if (resources.length === 0) {
    throw new LegationError('REQUEST.INVALID', 'the content holds no listener, cluster, route configuration, endpoints or secret to import; nothing was written', [{ path: 'content', message: 'no resources' }])
  }
  const replaced = await writeDraft({ ...options, resources, mode, audit: 'draft.import', auditDetail: { format: conversion.format, mode } })
  return { ...replaced, format: conversion.format, mode, resources: resources.length, findings: conversion.format === 'bundle' ? [] : conversion.findings }
}
