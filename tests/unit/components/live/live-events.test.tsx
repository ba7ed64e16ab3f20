// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { act, cleanup, render } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { LiveEvents } from '../../../../components/live/live-events'
import { LIVE_BATCH_INTERVAL_MS } from '../../../../components/live/live-feed'
import { LiveStatusBadge } from '../../../../components/live/live-status-badge'
import { useLiveEvent } from '../../../../components/live/use-live-event'
import { events, stubEventSource, type FakeEventSource } from './fake-event-source'

let sources: FakeEventSource[]

beforeEach(() => {
  vi.useFakeTimers()
  sources = stubEventSource()
  vi.stubGlobal('fetch', vi.fn(async () => new Response('{}')))
})

afterEach(() => {
  cleanup()
  vi.useRealTimers()
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

function Follower({ label, seen }: { label: string; seen: string[] }) {
  useLiveEvent('draft.changed', (event) => seen.push(`${label}:${event.fleet}:r${event.draftRevision}`))
  return null
}

describe('LiveEvents', () => {
  it('opens one feed for the tab however many components follow it, and closes it on unmount', async () => {
    const seen: string[] = []
    const view = render(
      <QueryClientProvider client={new QueryClient()}>
        <LiveEvents>
          <LiveStatusBadge />
          <Follower label="a" seen={seen} />
          <Follower label="b" seen={seen} />
        </LiveEvents>
      </QueryClientProvider>,
    )
    expect(sources).toHaveLength(1)
    expect(view.getByTestId('live-status').dataset.state).toBe('connecting')
    await act(() => sources[0]!.open())
    expect(view.getByTestId('live-status').dataset.state).toBe('live')

    await act(() => sources[0]!.emit(events.draftChanged('edge', 5)))
    await act(() => vi.advanceTimersByTimeAsync(LIVE_BATCH_INTERVAL_MS))
    expect(seen).toEqual(['a:edge:r5', 'b:edge:r5'])

    view.unmount()
    expect(sources).toHaveLength(1)
    expect(sources[0]!.closed).toBe(true)
  })

  it('refuses a follower outside the feed, rather than leaving it silently deaf', () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined) // React reports the render error too
    expect(() => render(<Follower label="lost" seen={[]} />)).toThrow(/inside <LiveEvents>/)
  })
})
