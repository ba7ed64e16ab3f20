import { vi } from 'vitest'
import type { LegationEvent } from '@/server/contract'
import type { FeedSource } from '../../../../components/live/live-feed'

/**
 * Stands in for the browser's EventSource: the test opens it, fails it and sends events. Like the
 * real one, it delivers a message only to the listeners of its `event:` kind.
 */
export class FakeEventSource implements FeedSource {
  static readonly CONNECTING = 0
  static readonly OPEN = 1
  static readonly CLOSED = 2

  readyState = FakeEventSource.CONNECTING
  onopen: ((event: Event) => void) | null = null
  onerror: ((event: Event) => void) | null = null
  readonly listeners = new Map<string, Array<(message: MessageEvent<string>) => void>>()

  constructor(readonly url: string) {}

  addEventListener(kind: string, listener: (message: MessageEvent<string>) => void): void {
    this.listeners.set(kind, [...(this.listeners.get(kind) ?? []), listener])
  }

  close(): void {
    this.readyState = FakeEventSource.CLOSED
  }

  get closed(): boolean {
    return this.readyState === FakeEventSource.CLOSED
  }

  open(): void {
    this.readyState = FakeEventSource.OPEN
    this.onopen?.(new Event('open'))
  }

  /** The connection dropped: `gaveUp` as the browser does on a 503 (CLOSED), else it retries itself (CONNECTING). */
  fail(gaveUp: boolean): void {
    this.readyState = gaveUp ? FakeEventSource.CLOSED : FakeEventSource.CONNECTING
    this.onerror?.(new Event('error'))
  }

  send(kind: string, data: string): void {
    for (const listener of this.listeners.get(kind) ?? []) listener(new MessageEvent('message', { data }))
  }

  emit(event: LegationEvent): void {
    this.send(event.kind, JSON.stringify(event))
  }
}

/** Puts FakeEventSource in place of the browser's EventSource; every one the code opens is added to the list returned. */
export function stubEventSource(): FakeEventSource[] {
  const sources: FakeEventSource[] = []
  vi.stubGlobal(
    'EventSource',
    class extends FakeEventSource {
      constructor(url: string) {
        super(url)
        sources.push(this)
      }
    },
  )
  return sources
}

const AT = '2026-11-24T00:00:00.000Z'

export const events = {
  proxyChanged: (fleet: string | null, nodeIds: string[]): LegationEvent => ({ kind: 'proxy.changed', fleet, nodeIds, at: AT }),
  versionCreated: (fleet: string, version: number): LegationEvent => ({ kind: 'version.created', fleet, version, origin: 'COMMIT', actor: 'ops', at: AT }),
  draftChanged: (fleet: string, draftRevision: number): LegationEvent => ({ kind: 'draft.changed', fleet, draftRevision, change: 'put', actor: 'ops', at: AT }),
}
