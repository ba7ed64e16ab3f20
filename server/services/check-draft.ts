import type protobuf from 'protobufjs'
import type { DraftCheckInput, DraftCheckResult } from '../contract'
import { analyzeConfig, countFindings, type ControlPlanePort, type Finding } from '../config/analysis'
import type { ConfigIssue } from '../config/issues'
import { compareResources, resourceKey, RESOURCE_TYPE_INFO } from '../config/resource-types'
import { validateStoredConfig } from '../config/validate-stored'
import { validateResource } from '../config/validate'
import { LegationError, type IssueView } from '../errors'
import type { Db } from '../store/db'
import { fleetIdOrThrow } from '../store/drafts'
import { readDraftConfig } from '../store/variables'
import { serializeResource, sha256Hex } from '../config/hash'
import { renderStored, type StoredConfig } from '../config/render'
import { mayHoldClearSecret, type ValueCipher } from '../config/sealed-values'

/** Findings as the API's error `issues` (422 and 409 answers of a commit). */
export function findingIssues(findings: readonly Finding[]): IssueView[] {
  return findings.map((f) => ({ path: f.path, message: f.message, code: f.code, resource: f.resource }))
}

/** A secret variable's clear value is used to check the config, and never appears in what the check says. */
function scrubSecrets<T extends { message: string }>(items: readonly T[], secrets: ReadonlyMap<string, string>): T[] {
  if (secrets.size === 0) return [...items]
  return items.map((item) => {
    let message = item.message
    for (const [name, value] of secrets) if (value.length >= 3) message = message.split(value).join(`<secret \${${name}}>`)
    return message === item.message ? item : { ...item, message }
  })
}

/**
 * What a commit of a stored config (own and template resources, variables) would meet: every
 * placeholder substituted (an unknown variable is an issue at its field), then the commit's validation
 * (each resource's own checks remembered by content: validateStoredConfig) and the analysis.
 */
export function checkStoredConfig(root: protobuf.Root, cipher: ValueCipher, config: StoredConfig, controlPlanePorts: readonly ControlPlanePort[]): { issues: ConfigIssue[]; findings: Finding[] } {
  const secrets = new Map<string, string>()
  const rendered = renderStored(root, config, {
    reveal: (v) => (v.secret ? cipher.unseal(v.value) : v.value),
  })
  for (const [name, v] of Object.entries(rendered.variables)) if (v.secret) secrets.set(name, cipher.unseal(v.value))
  // A resource rendered with a secret variable's clear value, or holding key material not sealed (a
  // body checked before it is saved), is checked without being remembered.
  const usingSecrets = new Set([...rendered.used].flatMap(([key, names]) => ([...names].some((n) => secrets.has(n)) ? [key] : [])))
  const validated = validateStoredConfig(root, rendered.resources, (r) => !usingSecrets.has(resourceKey(r)) && !mayHoldClearSecret(r.body))
  const findings = analyzeConfig({ resources: validated.resources, controlPlanePorts })
  return { issues: scrubSecrets([...rendered.issues, ...validated.issues], secrets), findings: scrubSecrets(findings, secrets) }
}

function result(fleet: string, draftRevision: number, checked: DraftCheckResult['checked'], issues: readonly ConfigIssue[], findings: readonly Finding[]): DraftCheckResult {
  const { errors, warnings } = countFindings(findings)
  return { fleet, draftRevision, checked, issues: [...issues], findings: [...findings], counts: { issues: issues.length, errors, warnings }, committable: issues.length === 0 && errors === 0 }
}

/**
 * POST /draft/check: the commit's checks as a dry run, over the draft or over the draft with one
 * resource replaced by a body not saved yet. Reads only; a body that does not read as its Envoy
 * proto is answered with its problems (the check's result), not refused.
 */
export async function checkDraft(options: { db: Db; root: protobuf.Root; cipher: ValueCipher; fleet: string; input: DraftCheckInput; controlPlanePorts: readonly ControlPlanePort[] }): Promise<DraftCheckResult> {
  const { db, root, cipher, fleet, input, controlPlanePorts } = options
  const f = await fleetIdOrThrow(db, fleet)
  const draft = await readDraftConfig(db, f.id)
  if (input.type === undefined) {
    const { issues, findings } = checkStoredConfig(root, cipher, draft, controlPlanePorts)
    return result(fleet, f.draftRevision, null, issues, findings)
  }
  const type = input.type
  const nameField = RESOURCE_TYPE_INFO[type].nameField
  const body = input.resource
  const own = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>)[nameField] : undefined
  const name = input.name ?? (typeof own === 'string' && own !== '' ? own : undefined)
  if (name === undefined) throw new LegationError('REQUEST.INVALID', `checking a ${type} needs its name: give "name", or the resource's ${nameField}`, [{ path: 'name', message: 'required' }])
  const read = validateResource(root, type, name, body, { placeholders: true })
  if (!read.resource) return result(fleet, f.draftRevision, { type, name }, read.issues, [])
  const checkedBody = serializeResource(read.resource)
  const resources = [...draft.resources.filter((r) => !(r.type === type && r.name === name)), { type, name, body: checkedBody, hash: sha256Hex(checkedBody) }].sort(compareResources)
  const { issues, findings } = checkStoredConfig(root, cipher, { ...draft, resources }, controlPlanePorts)
  return result(fleet, f.draftRevision, { type, name }, issues, findings)
}
