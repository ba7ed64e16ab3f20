// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { cleanup, render, waitFor } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { RolloutPanel, type TrackedRollout } from '../../../../components/versions/rollout-panel'
import type { TypeStatus } from '../../../../server/contract/proxy-state'

const CDS = 'type.googleapis.com/envoy.config.cluster.v3.Cluster'
const LDS = 'type.googleapis.com/envoy.config.listener.v3.Listener'
const AT = '2026-01-01T00:00:01.000Z'

const acked = (typeUrl: string, from: number): TypeStatus => ({ typeUrl, names: [], wildcard: true, resourceNames: [], nonceSent: `n${from}`, sentFromVersion: from, nonceAcked: `n${from}`, ackedFromVersion: from, ackedAt: AT })
const nacked = (typeUrl: string, from: number, ackedFrom: number, message: string): TypeStatus => ({
  ...acked(typeUrl, ackedFrom),
  nonceSent: `n${from}`,
  sentFromVersion: from,
  lastNack: { message, code: 3, version: 'x', nonce: `n${from}`, at: AT },
})
const proxy = (nodeId: string, state: string, ...types: TypeStatus[]) => ({ nodeId, state, disconnectedAt: null, types: Object.fromEntries(types.map((t) => [t.typeUrl, t])) })

let proxies: unknown[]
let serving: unknown

beforeEach(() => {
  serving = { servingVersion: 3, servingSince: AT, rejected: null }
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      if (url.startsWith('/api/v1/proxies?')) return new Response(JSON.stringify({ proxies }))
      if (url.includes('/diff/')) return new Response(JSON.stringify({ changes: [{ type: 'Cluster', name: 'service', change: 'modified', patch: '' }], counts: { added: 0, removed: 0, modified: 1 } }))
      if (url === '/api/v1/fleets/demo') return new Response(JSON.stringify({ name: 'demo', serving }))
      return new Response('{}', { status: 500 })
    }),
  )
})

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
})

const ROLLOUT: TrackedRollout = { version: 3, origin: 'ROLLBACK', rollbackOf: 1, parent: 2, createdAt: '2026-01-01T00:00:00.000Z' }

function renderPanel() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } })
  return render(
    <QueryClientProvider client={client}>
      <RolloutPanel fleet="demo" rollout={ROLLOUT} onDismiss={() => undefined} />
    </QueryClientProvider>,
  )
}

describe('RolloutPanel', () => {
  it('shows k/N and who is still on the way', async () => {
    proxies = [proxy('a', 'SYNCED', acked(LDS, 1), acked(CDS, 3)), proxy('b', 'SYNCED', acked(LDS, 1), acked(CDS, 2))]
    const { getByTestId } = renderPanel()
    await waitFor(() => expect(getByTestId('rollout-panel').dataset.outcome).toBe('in-progress'))
    expect(getByTestId('rollout-count').textContent).toBe('1/2 proxies on v3')
    expect(getByTestId('rollout-headline').textContent).toBe('Rolling out v3')
    expect(getByTestId('rollout-pending').textContent).toContain('b (on an older version)')
  })

  it('lists each NACK with the proxy’s own message', async () => {
    proxies = [proxy('a', 'NACKED', acked(LDS, 1), nacked(CDS, 3, 2, 'LB policy MAGLEV is not supported'))]
    const { getByTestId, getAllByTestId } = renderPanel()
    await waitFor(() => expect(getByTestId('rollout-panel').dataset.outcome).toBe('nacked'))
    expect(getByTestId('rollout-headline').textContent).toBe('v3 was rejected by a proxy')
    const [nack] = getAllByTestId('rollout-nack')
    expect(nack!.dataset.node).toBe('a')
    expect(nack!.textContent).toContain('Cluster')
    expect(nack!.textContent).toContain('from v3')
    expect(nack!.textContent).toContain('LB policy MAGLEV is not supported')
  })

  it('is done when every proxy runs the version, with the time it took', async () => {
    proxies = [proxy('a', 'SYNCED', acked(LDS, 1), acked(CDS, 3))]
    const { getByTestId } = renderPanel()
    await waitFor(() => expect(getByTestId('rollout-panel').dataset.outcome).toBe('converged'))
    expect(getByTestId('rollout-headline').textContent).toBe('v3 reached every proxy')
    expect(getByTestId('rollout-panel').textContent).toContain('converged in 1.0 s')
  })

  it('says so when the control plane refused to serve the version', async () => {
    proxies = [proxy('a', 'SYNCED', acked(LDS, 1), acked(CDS, 2))]
    serving = { servingVersion: 2, servingSince: AT, rejected: { version: 3, issues: [{ path: 'Cluster/service', message: 'no endpoints' }], at: AT } }
    const { getByTestId } = renderPanel()
    await waitFor(() => expect(getByTestId('rollout-panel').dataset.outcome).toBe('refused'))
    expect(getByTestId('rollout-refused').textContent).toContain('keeps serving v2')
    expect(getByTestId('rollout-refused').textContent).toContain('Cluster/service: no endpoints')
  })
})
