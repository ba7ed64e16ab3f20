import { compareResources, type ResourceType } from '../config/resource-types'
import type { StoredConfig } from '../config/render'
import type { StoredResource } from '../config/diff'
import { OPEN_ROLLOUT_STATES } from '../config/rollout-plan'
import { templateRefText, toVariableSet, versionParts, type TemplateRef } from './variables'
import type { LockedFleet, Tx } from './tx'
import type { VersionParent } from './versions'

/** Everything a commit reads about a locked fleet besides the lock itself. */
export type CommitContext = Readonly<{
  /** The draft's config, as readDraftConfig gives it. */
  draft: StoredConfig & { templateRef: TemplateRef | null }
  /** The active version, which the new one is compared with and numbered after. */
  parent: VersionParent
  activeContentHash: string | null
  /** A staged rollout is open (refuseDuringRolloutTx says which). */
  openRollout: boolean
}>

type ContextRow = {
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
 * One statement for what a commit reads after taking the fleet lock (#13 item 1: these were eight
 * queries): the draft's resources and variables, its template, and the active version's content
 * hash, variables and resource hashes, the latest version number and whether a rollout is open. Run
 * after lockFleetOrThrow, never folded into it: a statement that waits for the lock would read with
 * the snapshot it took before waiting, and miss the draft edit it waited for.
 */
export async function readCommitContextTx(tx: Tx, fleet: LockedFleet): Promise<CommitContext> {
  const rows = await tx.$queryRawUnsafe<ContextRow[]>(
    `SELECT
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
     WHERE f.id = $1::uuid`,
    fleet.id,
    [...OPEN_ROLLOUT_STATES],
  )
  const row = rows[0]
  if (!row) throw new Error(`bug: fleet ${fleet.id} is locked but cannot be read`)
  const resources: StoredResource[] = row.draft_resources.map(([type, name, body, hash]) => ({ type, name, body, hash })).sort(compareResources)
  const templateRef: TemplateRef | null = row.template_fleet_id ? { fleet: row.template_name!, fleetId: row.template_fleet_id, versionId: row.template_version_id, number: row.template_number } : null
  const template = templateRef ? { ref: templateRefText(templateRef), ...(templateRef.versionId ? await versionParts(tx, templateRef.versionId) : { resources: [], variables: {} }) } : null
  return {
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
