// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { act, cleanup, render } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { FleetStatus, VersionListItem, VersionRollout } from '@/server/contract'
import { LiveEvents } from '../../../../components/live/live-events'
import { LATE_REFRESH_MS, LIVE_BATCH_INTERVAL_MS } from '../../../../components/live/live-feed'
import { VersionsPage } from '../../../../components/versions/versions-page'
import { events, stubEventSource, type FakeEventSource } from '../live/fake-event-source'
import { versionSummary } from './fixtures'

/**
 * The versions page on the tab's one event feed: it opens no feed of its own, follows a new version
 * of its fleet from the shared feed (or `?follow=`), and its rollout panel reads GET …/rollout, which
 * the shared feed refreshes on `proxy.changed`, and once more when the recorder's rows are in.
 */

const AT = '2026-01-01T00:00:00.000Z'

const rolloutOf = (version: number, state: VersionRollout['state'], onVersion: number): VersionRollout => ({
  fleet: 'demo',
  version,
  active: true,
  committedAt: AT,
  state,
  stallAfterMs: 60_000,
  convergence: { version, proxies: 1, onVersion, rejected: 0, convergenceMs: null, p50Ms: null, p90Ms: null, maxMs: null },
  rejections: [],
  missing: [],
  missingCount: 0,
  listLimit: 100,
})
const version = (number: number, active: boolean): VersionListItem => ({ ...versionSummary(number, { active, createdAt: AT }), convergence: null })
const status = (active: number): FleetStatus => ({
  name: 'demo',
  description: '',
  selector: null,
  template: null,
  draftRevision: 1,
  activeVersion: { number: active, createdAt: AT } as FleetStatus['activeVersion'],
  pendingChanges: 0,
  createdAt: AT,
  updatedAt: AT,
  serving: { servingVersion: active, servingSince: AT, rejected: null },
})

/** What the server answers now; a test changes it, then sends the event that says so. */
let server: { active: number; rollouts: Map<number, VersionRollout> }
let fetched: string[]
let sources: FakeEventSource[]

beforeEach(() => {
  vi.useFakeTimers()
  server = { active: 1, rollouts: new Map([[1, rolloutOf(1, 'converged', 1)]]) }
  fetched = []
  sources = stubEventSource()
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      fetched.push(url)
      const json = (body: unknown) => new Response(JSON.stringify(body))
      if (url === '/api/v1/fleets/demo') return json(status(server.active))
      if (url.startsWith('/api/v1/fleets/demo/versions?')) return json({ versions: Array.from({ length: server.active }, (_, i) => version(server.active - i, i === 0)) })
      const rollout = /^\/api\/v1\/fleets\/demo\/versions\/(\d+)\/rollout$/.exec(url)
      if (rollout) return json(server.rollouts.get(Number(rollout[1])))
      if (url.startsWith('/api/v1/auth/me')) return json({ principal: null, setupRequired: false, sso: { enabled: false, label: '' } })
      if (url.startsWith('/api/v1/fleets/demo/versions/') && url.includes('/diff/'))
        return json({ fleet: 'demo', from: 1, to: 2, counts: { added: 0, removed: 0, modified: 1 }, changes: [{ type: 'Cluster', name: 'service', change: 'modified', patch: '' }] })
      return new Response(JSON.stringify({ error: { code: 'TEST', message: `unexpected ${url}`, issues: [] } }), { status: 500 })
    }),
  )
})

afterEach(() => {
  cleanup()
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

/** Lets timers up to `ms` from now fire and the fetches they start settle, inside act(). */
const pass = (ms = 0) => act(() => vi.advanceTimersByTimeAsync(ms))

function renderPage(follow?: number) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } })
  const view = render(
    <QueryClientProvider client={queryClient}>
      <LiveEvents>
        <VersionsPage fleet="demo" {...(follow === undefined ? {} : { follow })} />
      </LiveEvents>
    </QueryClientProvider>,
  )
  return { ...view, queryClient, page: () => view.getByTestId('versions-page'), panel: () => view.queryByTestId('rollout-panel') }
}

describe('VersionsPage on the shared event feed', () => {
  it('opens no feed of its own and shows the tab’s feed status', async () => {
    const { page } = renderPage()
    await pass()
    expect(sources.map((s) => s.url)).toEqual(['/api/v1/events'])
    expect(page().dataset.feed).toBe('connecting')
    await act(() => sources[0]!.open())
    expect(page().dataset.feed).toBe('live')
    await act(() => sources[0]!.fail(false))
    expect(page().dataset.feed).toBe('reconnecting')
    expect(sources).toHaveLength(1)
  })

  it('follows a new version of its fleet from the shared feed, and its rollout through the feed’s refetches', async () => {
    const { panel } = renderPage()
    await pass()
    await act(() => sources[0]!.open())
    await pass()
    expect(panel()).toBeNull()

    // Another fleet's version is not followed here.
    await act(() => sources[0]!.emit(events.versionCreated('edge', 9)))
    await pass(LIVE_BATCH_INTERVAL_MS)
    expect(panel()).toBeNull()

    server.active = 2
    server.rollouts.set(2, rolloutOf(2, 'converging', 0))
    await act(() => sources[0]!.emit(events.versionCreated('demo', 2)))
    await pass(LIVE_BATCH_INTERVAL_MS)
    expect(panel()?.dataset.version).toBe('2')
    expect(panel()?.dataset.state).toBe('converging')
    expect(panel()?.dataset.onTarget).toBe('0')

    // The proxy ACKs v2: the feed's proxy.changed refetches the rollout at once, before the
    // recorder has written its row (it writes behind, and sends no event of its own)…
    const reads = () => fetched.filter((u) => u === '/api/v1/fleets/demo/versions/2/rollout').length
    const before = reads()
    await act(() => sources[0]!.emit(events.proxyChanged('demo', ['a'])))
    await pass(0)
    expect(reads()).toBe(before + 1)
    expect(panel()?.dataset.state).toBe('converging')
    // …and once more when the fleet's events have been quiet for a moment, which sees the row.
    server.rollouts.set(2, rolloutOf(2, 'converged', 1))
    await pass(LATE_REFRESH_MS - 1)
    expect(reads()).toBe(before + 1)
    await pass(LIVE_BATCH_INTERVAL_MS)
    expect(reads()).toBe(before + 2)
    expect(panel()?.dataset.state).toBe('converged')
    expect(panel()?.dataset.onTarget).toBe('1')

    // Another fleet's proxies do not make it read again.
    await act(() => sources[0]!.emit(events.proxyChanged('edge', ['x'])))
    await pass(LATE_REFRESH_MS + LIVE_BATCH_INTERVAL_MS)
    expect(reads()).toBe(before + 2)
    // The panel reads the rollout, not the proxies, on one feed.
    expect(fetched.filter((u) => u.startsWith('/api/v1/proxies'))).toEqual([])
    expect(sources).toHaveLength(1)
  })

  it('catches a NACK that came in the same batch as the version it rejects (the panel was not there yet)', async () => {
    const { panel } = renderPage()
    await pass()
    await act(() => sources[0]!.open())
    await pass()
    server.active = 2
    server.rollouts.set(2, rolloutOf(2, 'converging', 0))
    // Both events in one batch: the panel mounts after the proxy.changed was handed over, and its
    // first read comes before the recorder wrote the rejection.
    await act(() => {
      sources[0]!.emit(events.versionCreated('demo', 2))
      sources[0]!.emit(events.proxyChanged('demo', ['a']))
    })
    await pass(LIVE_BATCH_INTERVAL_MS)
    expect(panel()?.dataset.state).toBe('converging')
    server.rollouts.set(2, { ...rolloutOf(2, 'rejected', 0), convergence: { ...rolloutOf(2, 'rejected', 0).convergence, rejected: 1 } })
    await pass(LATE_REFRESH_MS)
    expect(panel()?.dataset.state).toBe('rejected')
    expect(panel()?.dataset.rejected).toBe('1')
  })

  it('opens on the rollout of ?follow=<n>', async () => {
    const { panel } = renderPage(1)
    await pass()
    expect(panel()?.dataset.version).toBe('1')
    expect(panel()?.dataset.state).toBe('converged')
  })
})
