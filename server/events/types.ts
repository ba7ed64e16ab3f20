export type { LegationEvent, LegationEventKind } from '../contract/events'

/** The Postgres NOTIFY channel that carries every LegationEvent to every replica. */
export const EVENT_CHANNEL = 'legation_events'
