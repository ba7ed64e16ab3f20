import { compareResources, type ResourceType } from '../config/resource-types'
import type { StoredConfig } from '../config/render'
import type { StoredResource } from '../config/diff'
import { OPEN_ROLLOUT_STATES } from '../config/rollout-plan'
import { templateRefText, toVariableSet, versionParts, type TemplateRef } from './variables'
import type { Db } from './db'
import type { LockedFleet, Tx } from './tx'
import type { VersionParent } from './versions'

/** Everything a commit reads about a fleet. */
export type CommitContext = Readonly<{
  fleet: LockedFleet
  templateFleetId: string | null
  /** The draft's config, as readDraftConfig gives it. */
  draft: StoredConfig & { templateRef: TemplateRef | null }
  /** The active version, which the new one is compared with and numbered after. */
  parent: VersionParent
  activeContentHash: string | null
  /** A staged rollout is open (refuseDuringRolloutTx says which). */
  openRollout: boolean
}>

type ContextRow = {
  id: string
  name: string
  draft_revision: number
  active_version_id: string | null
  draft_resources: Array<[ResourceType, string, string, string]>
  draft_variables: unknown
  template_fleet_id: string | null
  template_name: string | null
  template_version_id: string | null
  template_number: number | null
  active_content_hash: string | null
  active_variables: unknown
  active_resources: Array<[ResourceType, string, string]>
  latest_number: number | null
  open_rollout: boolean
}

/**
 * One statement for what a commit reads (#13 item 1: these were eight queries): the fleet row, the
 * draft's resources and variables, its template, and the active version's content hash, variables
 * and resource hashes, the latest version number and whether a rollout is open; one snapshot, so
 * they agree with each other. Null: no such fleet. Under the fleet lock it runs after
 * lockFleetOrThrow, never folded into it: a statement that waits for the lock would read with the
 * snapshot it took before waiting, and miss the draft edit it waited for. Without the lock (an
 * optimistic commit) the write checks that the fleet is still as read (writeVersionIfUnchanged).
 */
export async function readCommitContext(db: Db | Tx, fleet: { id: string } | { name: string }): Promise<CommitContext | null> {
  const rows = await db.$queryRawUnsafe<ContextRow[]>(
    `SELECT f.id, f.name, f.draft_revision, f.active_version_id,
       (SELECT coalesce(json_agg(json_build_array(d.type, d.name, d.body, d.hash)), '[]'::json) FROM draft_resource d WHERE d.fleet_id = f.id) AS draft_resources,
       f.draft_variables, f.template_fleet_id, t.name AS template_name, tv.id AS template_version_id, tv.number AS template_number,
       av.content_hash AS active_content_hash, av.variables AS active_variables,
       (SELECT coalesce(json_agg(json_build_array(vr.type, vr.name, vr.blob_hash)), '[]'::json) FROM version_resource vr WHERE vr.version_id = f.active_version_id) AS active_resources,
       (SELECT max(number) FROM version WHERE fleet_id = f.id) AS latest_number,
       EXISTS (SELECT 1 FROM rollout r WHERE r.fleet_id = f.id AND r.state = ANY($2::text[])) AS open_rollout
     FROM fleet f
     LEFT JOIN version av ON av.id = f.active_version_id
     LEFT JOIN fleet t ON t.id = f.template_fleet_id
     LEFT JOIN version tv ON tv.id = t.active_version_id
     WHERE ${'id' in fleet ? 'f.id = $1::uuid' : 'f.name = $1'}`,
    'id' in fleet ? fleet.id : fleet.name,
    [...OPEN_ROLLOUT_STATES],
  )
  const row = rows[0]
  if (!row) return null

  const resources: StoredResource[] = row.draft_resources.map(([type, name, body, hash]) => ({ type, name, body, hash })).sort(compareResources)
  const templateRef: TemplateRef | null = row.template_fleet_id ? { fleet: row.template_name!, fleetId: row.template_fleet_id, versionId: row.template_version_id, number: row.template_number } : null
  const template = templateRef ? { ref: templateRefText(templateRef), ...(templateRef.versionId ? await versionParts(db, templateRef.versionId) : { resources: [], variables: {} }) } : null
  return {
    fleet: { id: row.id, name: row.name, draft_revision: row.draft_revision, active_version_id: row.active_version_id },
    templateFleetId: row.template_fleet_id,
    draft: { resources, variables: toVariableSet(row.draft_variables), template, templateRef },
    parent: {
      hashes: row.active_resources.map(([type, name, hash]) => ({ type, name, body: '', hash })).sort(compareResources),
      variables: toVariableSet(row.active_variables),
      latestNumber: row.latest_number ?? 0,
    },
    activeContentHash: row.active_content_hash,
    openRollout: row.open_rollout,
  }
}
