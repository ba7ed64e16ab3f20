import type * as grpc from '@grpc/grpc-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConvergenceCurve, XdsActivity } from '../../../server/contract'
import { callEcho, startEchoBackend, type EchoBackend } from '../../support/echo-backend'
import { setupTestServer } from '../../support/test-server'
import { waitFor } from '../../support/wait-for'
import { commitRejectedCluster, createEchoFleet, createXdsEchoClient } from '../../support/xds-client'
import { getProxy } from '../../support/xds-fleet'

/**
 * The charts' data against the real server and real @grpc/grpc-js-xds clients: a version's
 * convergence curve has one point per proxy that ACKed it (and one per NACK on the rejected side),
 * and a fleet's xDS activity counts the pushes, ACKs, NACKs and connected proxies per bucket, in SQL.
 */
const t = setupTestServer('charts_api')
const { api } = t
const FLEET = 'charts'
const NODES = ['chart-a', 'chart-b', 'chart-c']
let backend: EchoBackend
const clients: grpc.Client[] = []

const sum = (a: XdsActivity, key: 'pushes' | 'acks' | 'nacks') => a.buckets.reduce((n, b) => n + b[key], 0)
const curve = async (n: number) => {
  const res = await api('GET', `/api/v1/fleets/${FLEET}/versions/${n}/convergence`)
  expect(res.status, res.text).toBe(200)
  return res.body as unknown as ConvergenceCurve
}
const activity = async (range?: string) => {
  const res = await api('GET', `/api/v1/fleets/${FLEET}/xds-activity${range ? `?range=${range}` : ''}`)
  expect(res.status, res.text).toBe(200)
  return res.body as unknown as XdsActivity
}

beforeAll(async () => {
  backend = await startEchoBackend('backend-1')
  await createEchoFleet(api, FLEET, [backend])
  for (const nodeId of NODES) {
    const client = createXdsEchoClient({ xdsPort: t.xdsPort, nodeId, fleet: FLEET, target: 'echo' })
    clients.push(client)
    expect(await callEcho(client)).toBe('backend-1')
  }
})
afterAll(async () => {
  for (const c of clients) c.close()
  await backend?.stop()
})

describe('GET /fleets/{fleet}/versions/{n}/convergence', () => {
  it('has one point per proxy that ACKed the version, ranked in time order', async () => {
    const c = await waitFor(async () => {
      const got = await curve(1)
      return got.reached.total === NODES.length ? got : null
    }, { what: 'three rollout rows for v1' })
    expect(c.reached.points).toHaveLength(NODES.length)
    expect(c.reached.points.map(([, n]) => n)).toEqual([1, 2, 3])
    const ms = c.reached.points.map(([m]) => m)
    expect([...ms].sort((a, b) => a - b)).toEqual(ms)
    expect(c.rejected).toEqual({ total: 0, points: [] })
    expect(c.convergence.onVersion).toBe(NODES.length)
    expect(c.pointLimit).toBeGreaterThanOrEqual(1000)
  })

  it('puts every NACK of a rejected version on the rejected side', async () => {
    const v2 = await commitRejectedCluster(api, FLEET, [backend])
    const c = await waitFor(async () => {
      const got = await curve(v2)
      return got.rejected.total === NODES.length ? got : null
    }, { what: 'three rejections of v2' })
    expect(c.rejected.points.map(([, n]) => n)).toEqual([1, 2, 3])
    expect(c.reached.total).toBe(0)
  })

  it('answers 404 for a version the fleet does not have', async () => {
    const res = await api('GET', `/api/v1/fleets/${FLEET}/versions/99/convergence`)
    expect(res.status).toBe(404)
  })
})

describe('GET /fleets/{fleet}/xds-activity', () => {
  it('counts pushes, ACKs, NACKs and connected proxies per minute over the last hour', async () => {
    const a = await waitFor(async () => {
      const got = await activity()
      return sum(got, 'nacks') >= NODES.length && got.buckets.at(-1)!.connected === NODES.length ? got : null
    }, { what: 'the NACKs of v2 counted' })
    expect(a.range).toBe('hour')
    expect(a.bucketMs).toBe(60_000)
    expect(a.buckets).toHaveLength(60)
    expect(Date.parse(a.to) - Date.parse(a.from)).toBe(60 * 60_000)
    // Buckets are aligned and contiguous; the last holds now.
    a.buckets.forEach((b, i) => expect(Date.parse(b.at)).toBe(Date.parse(a.from) + i * a.bucketMs))
    expect(Date.parse(a.buckets.at(-1)!.at)).toBeLessThanOrEqual(Date.now())
    // Each client was sent the four types of v1 (and the cluster of v2) and ACKed the first four.
    expect(sum(a, 'pushes')).toBeGreaterThanOrEqual(NODES.length * 5)
    expect(sum(a, 'acks')).toBeGreaterThanOrEqual(NODES.length * 4)
    // Before the first connection, no proxy was connected.
    expect(a.buckets[0]!.connected).toBe(0)
  })

  it('over a day, 96 buckets of 15 minutes holding the same events', async () => {
    const hour = await activity('hour')
    const day = await activity('day')
    expect(day.buckets).toHaveLength(96)
    expect(day.bucketMs).toBe(15 * 60_000)
    expect(sum(day, 'acks')).toBeGreaterThanOrEqual(sum(hour, 'acks'))
    expect(sum(day, 'nacks')).toBe(sum(hour, 'nacks'))
  })

  it('counts a proxy that disconnected no more', async () => {
    clients.pop()!.close()
    await waitFor(async () => (await getProxy(api, NODES[2]!))?.state === 'DISCONNECTED', { what: `${NODES[2]} disconnected` })
    expect((await activity()).buckets.at(-1)!.connected).toBe(NODES.length - 1)
  })

  it('refuses an unknown range naming the field, and an unknown fleet', async () => {
    const bad = await api('GET', `/api/v1/fleets/${FLEET}/xds-activity?range=week`)
    expect(bad.status).toBe(422)
    expect(JSON.stringify(bad.body)).toContain('range')
    expect((await api('GET', '/api/v1/fleets/no-such-fleet/xds-activity')).status).toBe(404)
  })
})
