import type protobuf from 'protobufjs'
import type { DraftCheckInput, DraftCheckResult } from '../contract'
import { analyzeConfig, countFindings, type ControlPlanePort, type Finding } from '../config/analysis'
import type { ConfigIssue } from '../config/issues'
import { RESOURCE_TYPE_INFO, type ConfigResource } from '../config/resource-types'
import { validateConfig, validateResource } from '../config/validate'
import { LegationError, type IssueView } from '../errors'
import type { Db } from '../store/db'
import { fleetIdOrThrow } from '../store/drafts'
import { readDraftResources, toConfigResources } from '../store/resources'

/** Findings as the API's error `issues` (422 and 409 answers of a commit). */
export function findingIssues(findings: readonly Finding[]): IssueView[] {
  return findings.map((f) => ({ path: f.path, message: f.message, code: f.code, resource: f.resource }))
}

/** What a commit of `resources` would meet: the commit's validation, then the analysis. */
export function checkResources(root: protobuf.Root, resources: readonly ConfigResource[], controlPlanePorts: readonly ControlPlanePort[]): { issues: ConfigIssue[]; findings: Finding[] } {
  return { issues: validateConfig(root, resources), findings: analyzeConfig({ resources, controlPlanePorts }) }
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
export async function checkDraft(options: { db: Db; root: protobuf.Root; fleet: string; input: DraftCheckInput; controlPlanePorts: readonly ControlPlanePort[] }): Promise<DraftCheckResult> {
  const { db, root, fleet, input, controlPlanePorts } = options
  const f = await fleetIdOrThrow(db, fleet)
  const draft = toConfigResources(await readDraftResources(db, f.id))
  if (input.type === undefined) {
    const { issues, findings } = checkResources(root, draft, controlPlanePorts)
    return result(fleet, f.draftRevision, null, issues, findings)
  }
  const type = input.type
  const nameField = RESOURCE_TYPE_INFO[type].nameField
  const body = input.resource
  const own = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>)[nameField] : undefined
  const name = input.name ?? (typeof own === 'string' && own !== '' ? own : undefined)
  if (name === undefined) throw new LegationError('REQUEST.INVALID', `checking a ${type} needs its name: give "name", or the resource's ${nameField}`, [{ path: 'name', message: 'required' }])
  const read = validateResource(root, type, name, body)
  if (!read.resource) return result(fleet, f.draftRevision, { type, name }, read.issues, [])
  const resources = [...draft.filter((r) => !(r.type === type && r.name === name)), { type, name, resource: read.resource }]
  const { issues, findings } = checkResources(root, resources, controlPlanePorts)
  return result(fleet, f.draftRevision, { type, name }, issues, findings)
}
