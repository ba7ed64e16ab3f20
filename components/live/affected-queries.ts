import type { QueryKey } from '@tanstack/react-query'
import type { LegationEvent, LegationEventKind } from '@/server/events/types'
import { fleetQueries } from '../fleets/queries'
import { versionQueries } from '../versions/queries'

// A record, not an array, so that a new kind in server/events/types.ts fails the type check here.
const KINDS: Record<LegationEventKind, true> = {
  'fleet.created': true,
  'fleet.updated': true,
  'fleet.deleted': true,
  'draft.changed': true,
  'version.created': true,
  'proxy.changed': true,
  'snapshot.published': true,
  'snapshot.rejected': true,
}

/** Every kind the feed sends as `event: <kind>`; EventSource only delivers the kinds it listens for. */
export const LIVE_EVENT_KINDS = Object.keys(KINDS) as LegationEventKind[]

/** The queries an event makes stale. The event only notifies; the queries refetch what changed. */
export function affectedQueries(event: LegationEvent): QueryKey[] {
  switch (event.kind) {
    case 'fleet.created':
    case 'fleet.updated':
      return [fleetQueries.all()]
    case 'fleet.deleted':
      return [fleetQueries.all(), versionQueries.fleet(event.fleet)]
    case 'draft.changed':
      // Pending changes and the draft revision are part of the fleet summary.
      return [fleetQueries.all()]
    case 'version.created':
      // Diffs between existing versions cannot change, so only the list is refreshed.
      return [fleetQueries.all(), versionQueries.list(event.fleet).queryKey]
    case 'proxy.changed':
    case 'snapshot.published':
    case 'snapshot.rejected':
      // Nothing on the console shows proxies or snapshots yet.
      return []
  }
}

/** After a gap in the feed any event may have been missed: refresh everything live. */
export const EVERYTHING_LIVE: readonly QueryKey[] = [fleetQueries.all(), versionQueries.all()]
