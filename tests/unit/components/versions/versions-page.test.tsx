// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { act, cleanup, render } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { FleetStatus, TypeStatus, VersionListItem } from '@/server/contract'
import { LiveEvents } from '../../../../components/live/live-events'
import { LIVE_BATCH_INTERVAL_MS } from '../../../../components/live/live-feed'
import { VersionsPage } from '../../../../components/versions/versions-page'
import { events, stubEventSource, type FakeEventSource } from '../live/fake-event-source'
import { versionSummary } from './fixtures'

/**
 * The versions page on the tab's one event feed: it opens no feed of its own, follows a new version
 * of its fleet from the shared feed, and its rollout panel reads the proxies through the proxies
 * page's query, which the shared feed refreshes on `proxy.changed`.
 */

const CDS = 'type.googleapis.com/envoy.config.cluster.v3.Cluster'
const AT = '2026-01-01T00:00:00.000Z'

const acked = (from: number): TypeStatus => ({ typeUrl: CDS, names: [], wildcard: true, resourceNames: [], nonceSent: `n${from}`, sentFromVersion: from, nonceAcked: `n${from}`, ackedFromVersion: from, ackedAt: AT })
const proxyOn = (nodeId: string, version: number) => ({ nodeId, state: 'SYNCED', disconnectedAt: null, types: { [CDS]: acked(version) } })
const version = (number: number, active: boolean): VersionListItem => ({ ...versionSummary(number, { active, createdAt: AT }), convergence: null })
const status = (active: number): FleetStatus => ({
  name: 'demo',
  description: '',
  selector: null,
  draftRevision: 1,
  activeVersion: { number: active, createdAt: AT } as FleetStatus['activeVersion'],
  pendingChanges: 0,
  createdAt: AT,
  updatedAt: AT,
  serving: { servingVersion: active, servingSince: AT, rejected: null },
})

/** What the server answers now; a test changes it, then sends the event that says so. */
let server: { active: number; proxies: unknown[] }
let fetched: string[]
let sources: FakeEventSource[]

beforeEach(() => {
  vi.useFakeTimers()
  server = { active: 1, proxies: [proxyOn('a', 1)] }
  fetched = []
  sources = stubEventSource()
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      fetched.push(url)
      const json = (body: unknown) => new Response(JSON.stringify(body))
      if (url === '/api/v1/fleets/demo') return json(status(server.active))
      if (url.startsWith('/api/v1/fleets/demo/versions?')) return json({ versions: Array.from({ length: server.active }, (_, i) => version(server.active - i, i === 0)) })
      if (url === '/api/v1/proxies?fleet=demo') return json({ proxies: server.proxies })
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

function renderPage() {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } })
  const view = render(
    <QueryClientProvider client={queryClient}>
      <LiveEvents>
        <VersionsPage fleet="demo" />
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

  it('follows a new version of its fleet from the shared feed, and its rollout from the shared proxies query', async () => {
    const { panel, queryClient } = renderPage()
    await pass()
    await act(() => sources[0]!.open())
    await pass()
    expect(panel()).toBeNull()

    // Another fleet's version is not followed here.
    await act(() => sources[0]!.emit(events.versionCreated('edge', 9)))
    await pass(LIVE_BATCH_INTERVAL_MS)
    expect(panel()).toBeNull()

    server.active = 2
    await act(() => sources[0]!.emit(events.versionCreated('demo', 2)))
    await pass(LIVE_BATCH_INTERVAL_MS)
    expect(panel()?.dataset.version).toBe('2')
    expect(panel()?.dataset.outcome).toBe('in-progress')
    expect(panel()?.dataset.onTarget).toBe('0')

    // The proxy picks v2 up; the feed's proxy.changed refreshes the list the panel reads.
    server.proxies = [proxyOn('a', 2)]
    const proxyFetches = fetched.filter((u) => u.startsWith('/api/v1/proxies')).length
    await act(() => sources[0]!.emit(events.proxyChanged('demo', ['a'])))
    await pass(LIVE_BATCH_INTERVAL_MS)
    expect(fetched.filter((u) => u.startsWith('/api/v1/proxies')).length).toBe(proxyFetches + 1)
    expect(panel()?.dataset.outcome).toBe('converged')
    expect(panel()?.dataset.onTarget).toBe('1')

    // One proxies query, the proxies page's own (components/proxies/queries.ts), and one feed.
    const proxyKeys = queryClient
      .getQueryCache()
      .getAll()
      .map((q) => q.queryKey)
      .filter((key) => JSON.stringify(key).includes('proxies'))
    expect(proxyKeys).toEqual([['proxies', 'list', { fleet: 'demo', state: null }]])
    expect(sources).toHaveLength(1)
  })
})
