import type { QueryKey } from '@tanstack/react-query'
import type { LegationEvent, LegationEventKind } from '@/server/contract'
import { auditQueries } from '../audit/queries'
import { fleetQueries } from '../fleets/queries'
import { activityQueries } from '../overview/queries'
import { proxyQueries } from '../proxies/queries'
import { versionQueries } from '../versions/queries'
import { draftQueries } from '../resources/queries'
import { stagedRolloutQueries } from '../rollouts/queries'

// A record, not an array, so that a new kind in the contract (LegationEventSchema) fails the type check here.
const KINDS: Record<LegationEventKind, true> = {
  'fleet.created': true,
  'fleet.updated': true,
  'fleet.deleted': true,
  'draft.changed': true,
  'version.created': true,
  'proxy.changed': true,
  'rollout.changed': true,
  'snapshot.published': true,
  'snapshot.rejected': true,
}

/** Every kind the feed sends as `event: <kind>`; EventSource only delivers the kinds it listens for. */
export const LIVE_EVENT_KINDS = Object.keys(KINDS) as LegationEventKind[]

/** server/store/proxies.ts names at most this many nodes per event; a full list may have been cut short. */
const MAX_NODE_IDS_PER_EVENT = 20

/**
 * The queries an event makes stale. The event only notifies; the queries refetch what changed. Every
 * change to a fleet, its draft or its versions is audited, so the audit log is stale too (sign-ins,
 * users and tokens send no event: the audit page has a Reload button for those).
 */
export function affectedQueries(event: LegationEvent): QueryKey[] {
  switch (event.kind) {
    case 'fleet.created':
    case 'fleet.updated':
      return [fleetQueries.all(), activityQueries.all(), auditQueries.all()]
    case 'fleet.deleted':
      return [fleetQueries.all(), versionQueries.fleet(event.fleet), proxyQueries.all(), activityQueries.all(), auditQueries.all()]
    case 'draft.changed':
      // Pending changes and the draft revision are part of the fleet summary. The Changes page's diff
      // is deliberately not refreshed: it shows the revision being reviewed (changes-page.tsx).
      return [fleetQueries.all(), draftQueries.lists(event.fleet), activityQueries.all(), auditQueries.all()]
    case 'version.created':
      // Diffs between existing versions cannot change, so only the list is refreshed.
      // A rollback also resets the draft. The fleet's proxies should run the new version now: what
      // each runs against it, and who is not on it, change with it.
      return [
        fleetQueries.all(),
        versionQueries.list(event.fleet).queryKey,
        draftQueries.lists(event.fleet),
        proxyQueries.drifts(event.fleet),
        proxyQueries.onActiveLists(),
        activityQueries.all(),
        auditQueries.all(),
      ]
    case 'proxy.changed': {
      const many = event.nodeIds.length >= MAX_NODE_IDS_PER_EVENT
      const nodes = many ? [proxyQueries.nodes()] : event.nodeIds.map((id) => proxyQueries.node(id))
      // A drift is keyed by the proxy's fleet, which the event names (queries.ts).
      const drifts = many ? [proxyQueries.drifts(event.fleet)] : event.nodeIds.map((id) => proxyQueries.drift(id, event.fleet).queryKey)
      return [
        proxyQueries.lists(),
        proxyQueries.summary().queryKey,
        ...nodes,
        ...drifts,
        activityQueries.all(),
        // Each version lists how many proxies run it.
        ...(event.fleet ? [versionQueries.list(event.fleet).queryKey] : []),
      ]
    }
    case 'rollout.changed':
      // A stage moved (more proxies get the version), a rollout halted or completed (the version became active).
      return [
        fleetQueries.all(),
        stagedRolloutQueries.fleet(event.fleet),
        versionQueries.list(event.fleet).queryKey,
        versionQueries.fleetStatus(event.fleet).queryKey,
        proxyQueries.drifts(event.fleet),
        proxyQueries.onActiveLists(),
        activityQueries.all(),
        auditQueries.all(),
      ]
    case 'snapshot.published':
    case 'snapshot.rejected':
      // What xDS serves, and a version it refused to serve, are part of the fleet's status.
      return [versionQueries.fleetStatus(event.fleet).queryKey]
  }
}

/**
 * The queries to read once more a moment after the event (live-feed.ts, LATE_REFRESH_MS). A version's
 * convergence (n/N, NACKs, times: the versions list and GET …/versions/{n}/rollout), and who is not on
 * the active version (GET /proxies?onActive=), come from rows the
 * rollout recorder writes every 200 ms, behind the proxy status rows whose write sends proxy.changed,
 * and nothing announces them (server/status/rollout-recorder.ts): the refetch the event starts can
 * come too early for the ACK or NACK it is about, and without another event it would stay behind.
 */
export function lateAffectedQueries(event: LegationEvent): QueryKey[] {
  // The proxies lists filtered by onActive read the same rows ("not running the active version");
  // a proxy of no fleet has none.
  return event.kind === 'proxy.changed' && event.fleet ? [versionQueries.list(event.fleet).queryKey, proxyQueries.onActiveLists()] : []
}

/** Each key once; a prefix already covers the longer keys under it. */
function uniqueKeys(keys: Iterable<QueryKey>): QueryKey[] {
  const byJson = new Map<string, QueryKey>()
  for (const key of keys) byJson.set(JSON.stringify(key), key)
  const all = [...byJson.values()]
  return all.filter((key) => !all.some((other) => other !== key && other.length < key.length && other.every((part, i) => JSON.stringify(part) === JSON.stringify(key[i]))))
}

/** The union of what a batch of events makes stale, each key once. */
export function affectedByBatch(events: readonly LegationEvent[]): QueryKey[] {
  return uniqueKeys(events.flatMap(affectedQueries))
}

/** The union of what a batch of events makes stale a moment later (lateAffectedQueries), each key once. */
export function lateAffectedByBatch(events: readonly LegationEvent[]): QueryKey[] {
  return uniqueKeys(events.flatMap(lateAffectedQueries))
}

/** After a gap in the feed any event may have been missed: refresh everything live. */
export const EVERYTHING_LIVE: readonly QueryKey[] = [fleetQueries.all(), versionQueries.all(), proxyQueries.all(), activityQueries.all(), auditQueries.all()]
