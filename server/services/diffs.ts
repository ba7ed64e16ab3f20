import type protobuf from 'protobufjs'
import type { DraftDiff, VersionDiff } from '../contract'
import { countChanges, diffResources } from '../config/diff'
import type { ControlPlanePort } from '../config/analysis'
import { renderForDisplay } from '../config/render'
import type { ValueCipher } from '../config/sealed-values'
import { diffVariables } from '../config/variables'
import type { Db } from '../store/db'
import { fleetIdOrThrow } from '../store/drafts'
import { readDraftConfig, readVersionConfig } from '../store/variables'
import { fleetOrThrow, versionRowOrThrow } from '../store/versions'
import { checkStoredConfig } from './check-draft'

/** The draft against the active version, per resource, with what a commit would be refused for and the analysis' findings. */
export async function diffDraft(options: { db: Db; root: protobuf.Root; cipher: ValueCipher; fleet: string; controlPlanePorts: readonly ControlPlanePort[] }): Promise<DraftDiff> {
  const { db, root, cipher, fleet, controlPlanePorts } = options
  const f = await fleetIdOrThrow(db, fleet)
  const [draft, active] = await Promise.all([readDraftConfig(db, f.id), readVersionConfig(db, f.activeVersionId)])
  const changes = diffResources(renderForDisplay(root, active), renderForDisplay(root, draft))
  const variables = diffVariables(active.variables, draft.variables)
  const { issues, findings } = checkStoredConfig(root, cipher, draft, controlPlanePorts)
  const template = active.template || draft.template ? { before: active.template?.ref ?? null, after: draft.template?.ref ?? null } : null
  const counts = countChanges([...changes, ...variables])
  return { fleet, draftRevision: f.draftRevision, activeVersion: f.activeVersionNumber, changes, counts, issues, findings, variables, template }
}

/** Version `from` against version `to`, per resource (sealed values shown as `<set:…>`). */
export async function diffVersions(options: { db: Db; root: protobuf.Root; fleet: string; from: number; to: number }): Promise<VersionDiff> {
  const { db, root } = options
  const fleet = await fleetOrThrow(db, options.fleet)
  const [a, b] = await Promise.all([versionRowOrThrow(db, fleet, options.fleet, options.from), versionRowOrThrow(db, fleet, options.fleet, options.to)])
  const [before, after] = await Promise.all([readVersionConfig(db, a.id), readVersionConfig(db, b.id)])
  const changes = diffResources(renderForDisplay(root, before), renderForDisplay(root, after))
  const variables = diffVariables(before.variables, after.variables)
  const template = before.template || after.template ? { before: before.template?.ref ?? null, after: after.template?.ref ?? null } : null
  return { fleet: options.fleet, from: options.from, to: options.to, changes, counts: countChanges([...changes, ...variables]), variables, template }
}
