import type protobuf from 'protobufjs'
import { renderForDisplay } from '../config/render'
import { readVersionConfig } from '../store/variables'
import { resourcesMentioned } from '../config/nack-resources'
import type { StoredResource } from '../config/diff'
import type { ProxyDrift, ProxySummary, RolloutState, VersionRollout } from '../contract'
import { runsActive, typeDrift } from '../status/drift'
import { readActiveVersion } from '../store/snapshots'
import type { Db } from '../store/db'
import { readVersionResourceHashes } from '../store/resources'
import { liveStatesOf, readVersionRollout, versionIdOf } from '../store/rollout'
import { isStagedVersion } from '../store/staged-rollouts'

/** How many rejections and missing proxies one answer lists (the counts are complete). */
export const ROLLOUT_LIST_LIMIT = 100

function rolloutState(r: { active: boolean; staged: boolean; committedAt: Date; proxies: number; onVersion: number; rejected: number; missing: number }, stallAfterMs: number, now: number): RolloutState {
  if (!r.active) return r.staged ? 'staged' : 'superseded'
  if (r.rejected > 0) return 'rejected'
  if (r.proxies === 0 && r.missing === 0) return 'no-proxies'
  // The counts and the missing list are two reads: a proxy that connected between them is missing, never converged.
  if (r.onVersion === r.proxies && r.missing === 0) return 'converged'
  return now - r.committedAt.getTime() > stallAfterMs ? 'stalled' : 'converging'
}

/** Where the rollout of one version stands, from the recorded rows (server/store/rollout.ts). */
export async function versionRollout(options: { db: Db; fleet: string; number: number; stallAfterMs: number; now?: number }): Promise<VersionRollout> {
  const { db, fleet, number, stallAfterMs } = options
  const r = await readVersionRollout({ db, fleet, number, listLimit: ROLLOUT_LIST_LIMIT })
  const keys = r.rejections.length > 0 ? await readVersionResourceHashes(db, r.versionId) : []
  // What each rejecting proxy ran before, to find what the rejected version changed (read once per version).
  const accepted = new Map<number, Awaited<ReturnType<typeof readVersionResourceHashes>>>()
  for (const n of new Set(r.rejections.flatMap((x) => (x.lastAcceptedVersion === null ? [] : [x.lastAcceptedVersion])))) {
    accepted.set(n, await readVersionResourceHashes(db, await versionIdOf(db, fleet, n)))
  }
  // The state column of a missing proxy: what the proxies list says of it now.
  const states = await liveStatesOf({ db, nodeIds: r.missing.map((m) => m.nodeId) })
  // Not active, and not superseded either: the version of an open staged rollout.
  const staged = !r.active && (await isStagedVersion(db, r.versionId))
  return {
    fleet,
    version: number,
    active: r.active,
    committedAt: r.committedAt.toISOString(),
    state: rolloutState({ active: r.active, staged, committedAt: r.committedAt, ...r.convergence, missing: r.missingCount }, stallAfterMs, options.now ?? Date.now()),
    stallAfterMs,
    convergence: r.convergence,
    rejections: r.rejections.map((x) => ({ ...x, resources: resourcesMentioned(x.message, keys, x.typeUrl, x.lastAcceptedVersion === null ? null : (accepted.get(x.lastAcceptedVersion) ?? null)) })),
    missing: r.missing.map((m) => ({ ...m, state: states.get(m.nodeId) ?? 'DISCONNECTED' })),
    missingCount: r.missingCount,
    listLimit: ROLLOUT_LIST_LIMIT,
  }
}

/** Desired (the fleet's active version) against actual (what the proxy ACKed), per type. */
export async function proxyDrift(options: { db: Db; root: protobuf.Root; proxy: ProxySummary }): Promise<ProxyDrift> {
  const { db, root, proxy } = options
  const active = proxy.fleet ? await readActiveVersion({ db, fleet: proxy.fleet }) : null
  // Compared as served: with a template or variables, the rendered config (secrets as <set:…>).
  const servedOf = async (versionId: string | null) => renderForDisplay(root, await readVersionConfig(db, versionId))
  const versions = new Map<number, StoredResource[]>()
  if (proxy.fleet) {
    for (const n of new Set(Object.values(proxy.types).flatMap((t) => (t.ackedFromVersion === undefined ? [] : [t.ackedFromVersion])))) {
      versions.set(n, await servedOf(await versionIdOf(db, proxy.fleet, n)))
    }
  }
  const activeResources = await servedOf(active?.versionId ?? null)
  const types = Object.values(proxy.types)
    .flatMap((t) => typeDrift(t, activeResources, versions) ?? [])
    .sort((a, b) => (a.typeUrl < b.typeUrl ? -1 : 1))
  return { nodeId: proxy.nodeId, fleet: proxy.fleet, activeVersion: active?.number ?? null, runsActive: proxy.state !== 'DISCONNECTED' && runsActive(types), types }
}
