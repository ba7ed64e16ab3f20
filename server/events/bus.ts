import type { LegationEvent } from './types'

export type EventListener = (event: LegationEvent) => void

/**
 * In-process fan-out of events to subscribers (SSE connections, later the snapshot engine).
 * publish() never blocks and never throws: a failing subscriber is isolated and reported.
 */
export type EventBus = Readonly<{
  publish: (event: LegationEvent) => void
  subscribe: (listener: EventListener) => () => void
  size: () => number
}>

export function createEventBus(onListenerError: (err: unknown) => void = () => undefined): EventBus {
  const listeners = new Set<EventListener>()
  return {
    publish(event) {
      for (const listener of [...listeners]) {
        try {
          listener(event)
        } catch (err) {
          onListenerError(err)
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    size: () => listeners.size,
  }
}
