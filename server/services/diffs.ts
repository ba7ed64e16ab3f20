import type protobuf from 'protobufjs'
import type { DraftDiff, VersionDiff } from '../contract'
import { countChanges, diffResources } from '../config/diff'
import type { ControlPlanePort } from '../config/analysis'
import type { Db } from '../store/db'
import { fleetIdOrThrow, redactAll } from '../store/drafts'
import { readDraftResources, readVersionResources, toConfigResources } from '../store/resources'
import { fleetOrThrow, versionRowOrThrow } from '../store/versions'
import { checkResources } from './check-draft'

/** The draft against the active version, per resource, with what a commit would be refused for and the analysis' findings. */
export async function diffDraft(options: { db: Db; root: protobuf.Root; fleet: string; controlPlanePorts: readonly ControlPlanePort[] }): Promise<DraftDiff> {
  const { db, root, fleet, controlPlanePorts } = options
  const f = await fleetIdOrThrow(db, fleet)
  const [draft, active] = await Promise.all([readDraftResources(db, f.id), readVersionResources(db, f.activeVersionId)])
  const changes = diffResources(redactAll(active), redactAll(draft))
  const { issues, findings } = checkResources(root, toConfigResources(draft), controlPlanePorts)
  return { fleet, draftRevision: f.draftRevision, activeVersion: f.activeVersionNumber, changes, counts: countChanges(changes), issues, findings }
}

/** Version `from` against version `to`, per resource (sealed values shown as `<set:…>`). */
export async function diffVersions(options: { db: Db; fleet: string; from: number; to: number }): Promise<VersionDiff> {
  const fleet = await fleetOrThrow(options.db, options.fleet)
  const [a, b] = await Promise.all([versionRowOrThrow(options.db, fleet, options.fleet, options.from), versionRowOrThrow(options.db, fleet, options.fleet, options.to)])
  const [before, after] = await Promise.all([readVersionResources(options.db, a.id), readVersionResources(options.db, b.id)])
  const changes = diffResources(redactAll(before), redactAll(after))
  return { fleet: options.fleet, from: options.from, to: options.to, changes, counts: countChanges(changes) }
}
