// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { cleanup, fireEvent, render, waitFor } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Me, VersionRollout } from '@/server/contract'
import { authQueries } from '../../../../components/auth/queries'
import type { LiveFeed } from '../../../../components/live/live-feed'
import { LiveFeedContext } from '../../../../components/live/use-live-event'
import { Toaster } from '../../../../components/ui/toaster'
import { RolloutPanel } from '../../../../components/versions/rollout-panel'
import { versionSummary } from './fixtures'

const CDS = 'type.googleapis.com/envoy.config.cluster.v3.Cluster'
const AT = '2026-01-01T00:00:00.000Z'

const base: VersionRollout = {
  fleet: 'demo',
  version: 3,
  active: true,
  committedAt: AT,
  state: 'converging',
  stallAfterMs: 60_000,
  convergence: { version: 3, proxies: 2, onVersion: 1, rejected: 0, convergenceMs: null, p50Ms: 80, p90Ms: 80, maxMs: 80 },
  rejections: [],
  missing: [{ nodeId: 'b', reason: 'pending', state: 'STALE', since: AT }],
  missingCount: 1,
  listLimit: 100,
}

let rollout: VersionRollout
let serving: unknown
let fetched: string[]

beforeEach(() => {
  rollout = base
  serving = { servingVersion: 3, servingSince: AT, rejected: null }
  fetched = []
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      fetched.push(url)
      const json = (body: unknown) => new Response(JSON.stringify(body))
      if (url === '/api/v1/fleets/demo/versions/3/rollout') return json(rollout)
      if (url === '/api/v1/fleets/demo') return json({ name: 'demo', description: '', selector: null, draftRevision: 4, activeVersion: { number: 5 }, pendingChanges: 0, createdAt: AT, updatedAt: AT, serving })
      if (url === '/api/v1/fleets/demo/versions/2') return json({ ...versionSummary(2), resources: [], xdsTypeVersions: null })
      if (url.startsWith('/api/v1/fleets/demo/versions?')) return json({ versions: [{ ...versionSummary(3, { active: true }), convergence: null }, { ...versionSummary(2), convergence: null }] })
      if (url === '/api/v1/fleets/demo/draft/diff') return json({ fleet: 'demo', draftRevision: 4, activeVersion: 3, changes: [], counts: { added: 0, removed: 0, modified: 0 }, issues: [] })
      if (url.includes('/diff/')) return json({ fleet: 'demo', from: 3, to: 2, counts: { added: 0, removed: 0, modified: 1 }, changes: [] })
      return new Response(JSON.stringify({ error: { code: 'TEST', message: `unexpected ${url}`, issues: [] } }), { status: 500 })
    }),
  )
})

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
})

/** A feed that delivers nothing: the panel only subscribes. */
const quietFeed: LiveFeed = { start: () => () => undefined, subscribe: () => () => undefined }

function renderPanel(options: { role?: 'editor' | 'viewer'; onFollow?: (n: number) => void } = {}) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } })
  const me: Me = { principal: { kind: 'user', name: 'op', grants: [{ role: options.role ?? 'editor', fleets: '*' }] }, setupRequired: false, sso: { enabled: false, label: '' } }
  client.setQueryData(authQueries.me().queryKey, me)
  return render(
    <QueryClientProvider client={client}>
      <LiveFeedContext value={quietFeed}>
        <Toaster>
          <RolloutPanel fleet="demo" version={3} summary={{ origin: 'ROLLBACK', rollbackOf: 1, parent: 2 }} onDismiss={() => undefined} {...(options.onFollow ? { onFollow: options.onFollow } : {})} />
        </Toaster>
      </LiveFeedContext>
    </QueryClientProvider>,
  )
}

describe('RolloutPanel', () => {
  it('reads the rollout of its own version, and shows n/N and who is still on the way', async () => {
    const { getByTestId, getAllByTestId } = renderPanel()
    await waitFor(() => expect(getByTestId('rollout-panel').dataset.state).toBe('converging'))
    expect(fetched).toContain('/api/v1/fleets/demo/versions/3/rollout')
    expect(getByTestId('rollout-count').textContent).toBe('1/2 proxies on v3')
    expect(getByTestId('rollout-headline').textContent).toBe('Rolling out v3')
    expect(getByTestId('rollout-panel').textContent).toContain('Rollback to the content of v1 · replaces v2')
    const [missing] = getAllByTestId('rollout-missing-proxy')
    expect(missing!.dataset).toMatchObject({ node: 'b', reason: 'pending', state: 'STALE' })
    expect(missing!.textContent).toContain('connected, has not acknowledged it')
  })

  it('ends converged with n/N and p50/p90/max', async () => {
    rollout = { ...base, state: 'converged', convergence: { version: 3, proxies: 2, onVersion: 2, rejected: 0, convergenceMs: 1300, p50Ms: 80, p90Ms: 1300, maxMs: 1300 }, missing: [], missingCount: 0 }
    const { getByTestId, queryByTestId } = renderPanel()
    await waitFor(() => expect(getByTestId('rollout-panel').dataset.state).toBe('converged'))
    expect(getByTestId('rollout-headline').textContent).toBe('v3 reached every proxy')
    expect(getByTestId('rollout-count').textContent).toBe('2/2 proxies on v3')
    expect(getByTestId('rollout-times').textContent).toBe('p50 80 ms · p90 1.3 s · max 1.3 s')
    expect(getByTestId('rollout-panel').textContent).toContain('converged in 1.3 s')
    expect(queryByTestId('rollout-missing')).toBeNull()
  })

  it('ends rejected: who, which resource (linked to the resources view), the client’s text, and a rollback to the version they accepted last', async () => {
    const rejection = { typeUrl: CDS, message: 'LB policy MAGLEV is not supported', at: AT, resources: [{ type: 'Cluster' as const, name: 'echo-backend' }], lastAcceptedVersion: 2 }
    rollout = {
      ...base,
      state: 'rejected',
      convergence: { ...base.convergence, onVersion: 0, rejected: 2 },
      rejections: [
        { nodeId: 'a', ...rejection },
        { nodeId: 'b', ...rejection },
      ],
      missing: [],
      missingCount: 0,
    }
    const { getByTestId, getAllByTestId, findByTestId } = renderPanel()
    await waitFor(() => expect(getByTestId('rollout-panel').dataset.state).toBe('rejected'))
    expect(getByTestId('rollout-headline').textContent).toBe('v3 was rejected by 2 proxies')
    // The same rejection by two proxies is one entry naming both.
    const [entry, ...others] = getAllByTestId('rollout-rejection')
    expect(others).toEqual([])
    expect(entry!.dataset.nodes).toBe('a b')
    const resource = getByTestId('rollout-rejection-resource')
    expect(resource.textContent).toBe('Cluster/echo-backend')
    expect(resource.getAttribute('href')).toBe('/fleets/demo/resources/clusters/echo-backend')
    expect(getByTestId('rollout-rejection-message').textContent).toBe('LB policy MAGLEV is not supported')
    expect(getByTestId('rollout-rejection-diff').getAttribute('href')).toBe('/fleets/demo/versions/diff?from=2&to=3')
    const rollback = getByTestId('rollout-rollback')
    expect(rollback.textContent).toBe('Roll back to v2')

    // The button opens the console's rollback dialog for that version.
    fireEvent.click(rollback)
    const dialog = await findByTestId('rollback-dialog')
    expect(dialog.textContent).toContain('Roll back demo to v2?')
    expect(dialog.textContent).toContain('This creates v4 with the content of v2')
  })

  it('offers no rollback to a viewer', async () => {
    rollout = { ...base, state: 'rejected', convergence: { ...base.convergence, rejected: 1 }, rejections: [{ nodeId: 'a', typeUrl: CDS, message: 'no', at: AT, resources: [], lastAcceptedVersion: 2 }] }
    const { getByTestId, queryByTestId } = renderPanel({ role: 'viewer' })
    await waitFor(() => expect(getByTestId('rollout-panel').dataset.state).toBe('rejected'))
    expect(getByTestId('rollout-rejection').textContent).toContain('rejected the Cluster update')
    expect(getByTestId('rollout-rejection').textContent).toContain('It keeps running v2, the last version it accepted')
    expect(queryByTestId('rollout-rollback')).toBeNull()
  })

  it('ends stalled: which proxies have not acknowledged it, their state, why and since when', async () => {
    rollout = {
      ...base,
      state: 'stalled',
      missing: [
        { nodeId: 'silent', reason: 'pending', state: 'STALE', since: AT },
        { nodeId: 'gone', reason: 'disconnected', state: 'DISCONNECTED', since: AT },
      ],
      missingCount: 2,
    }
    const { getByTestId, getAllByTestId } = renderPanel()
    await waitFor(() => expect(getByTestId('rollout-panel').dataset.state).toBe('stalled'))
    expect(getByTestId('rollout-headline').textContent).toBe('v3 stalled: 2 proxies have not acknowledged it')
    expect(getByTestId('rollout-missing').parentElement!.textContent).toContain('still missing 1 min after the commit')
    expect(getAllByTestId('rollout-missing-proxy').map((el) => [el.dataset.node, el.dataset.reason, el.dataset.state])).toEqual([
      ['silent', 'pending', 'STALE'],
      ['gone', 'disconnected', 'DISCONNECTED'],
    ])
    expect(getByTestId('rollout-missing').textContent).toContain('disconnected before reaching it')
  })

  it('says when the version was superseded, and follows the active one on request', async () => {
    rollout = {
      ...base,
      state: 'superseded',
      active: false,
      convergence: { ...base.convergence, rejected: 1 },
      rejections: [{ nodeId: 'a', typeUrl: CDS, message: 'no', at: AT, resources: [], lastAcceptedVersion: 2 }],
      missing: [],
      missingCount: 0,
    }
    const onFollow = vi.fn()
    const { getByTestId, queryByTestId } = renderPanel({ onFollow })
    await waitFor(() => expect(getByTestId('rollout-panel').dataset.state).toBe('superseded'))
    expect(getByTestId('rollout-superseded').textContent).toContain('v5 is the active version of demo now')
    expect(queryByTestId('rollout-rollback')).toBeNull()
    // Its NACKs are history: no rollback offered, and said in the past.
    expect(getByTestId('rollout-rejection').textContent).toContain('The last version it had accepted was v2')
    fireEvent.click(getByTestId('rollout-follow-active'))
    expect(onFollow).toHaveBeenCalledWith(5)
  })

  it('says so when the control plane refused to serve the version', async () => {
    serving = { servingVersion: 2, servingSince: AT, rejected: { version: 3, issues: [{ path: 'Cluster/service', message: 'no endpoints' }], at: AT } }
    const { getByTestId } = renderPanel()
    await waitFor(() => expect(getByTestId('rollout-panel').dataset.state).toBe('refused'))
    expect(getByTestId('rollout-refused').textContent).toContain('keeps serving v2')
    expect(getByTestId('rollout-refused').textContent).toContain('Cluster/service: no endpoints')
  })
})
