import type { EventBus } from './events/bus'
import type { Services } from './services'
import type { SnapshotStatus } from './contract'
import { LegationError } from './errors'

/**
 * The bridge from Next's route handlers to the backend. Next bundles route files into its own module
 * graph, so module-level singletons would exist twice; main.ts registers the one live runtime on
 * globalThis and the handlers look it up here. Only types cross this file, never implementations.
 */
export type Runtime = Readonly<{
  services: Services
  bus: EventBus
  /** This replica's xDS side: what it serves per fleet. */
  xds: { snapshotStatus: (fleet: string) => SnapshotStatus; streams: () => number }
  maxBodyBytes: number
  /** How often an open event stream sends a heartbeat and checks its caller again (LEGATION_EVENTS_HEARTBEAT_MS). */
  eventsHeartbeatMs: number
  log: { error: (obj: object, msg: string) => void }
}>

const RUNTIME_KEY = Symbol.for('legation.runtime')
type Holder = { [RUNTIME_KEY]?: Runtime }

export function setRuntime(runtime: Runtime | undefined): void {
  ;(globalThis as Holder)[RUNTIME_KEY] = runtime
}

export function getRuntime(): Runtime {
  const runtime = (globalThis as Holder)[RUNTIME_KEY]
  if (!runtime) throw new LegationError('SERVICE.UNAVAILABLE', 'Legation is starting or stopping; try again shortly')
  return runtime
}
