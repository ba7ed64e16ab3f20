import { afterAll, describe, expect, it } from 'vitest'
import { setupTestServer } from '../../support/test-server'
import { waitFor } from '../../support/wait-for'
import { CLUSTER_TYPE_URL } from '../../support/xds-fleet'
import { openSotwStream, type ProtocolStream, type ReceivedSotwResponse, type SotwRequestInput } from '../../support/xds-protocol-client'

/**
 * #11 item 7: an activity feed that keeps the signal. A NACK, then a connection storm: the NACK is
 * still in the feed, the storm is one line per kind ("40 proxies connected"), and the feed filters
 * by kind (changes, NACKs, connections).
 */
const t = setupTestServer('activity_feed')
const streams: Array<ProtocolStream<SotwRequestInput, ReceivedSotwResponse>> = []
afterAll(() => streams.forEach((s) => s.close()))

type Item = { at: string; kind: string; fleet: string | null; nodeId?: string; message: string; count?: number; nodes?: number; firstAt?: string }

async function connect(nodeId: string): Promise<{ stream: ProtocolStream<SotwRequestInput, ReceivedSotwResponse>; nonce: string }> {
  const stream = openSotwStream(t.xdsPort)
  streams.push(stream)
  stream.send({ node: { id: nodeId, cluster: 'demo' }, type_url: CLUSTER_TYPE_URL })
  return { stream, nonce: (await stream.next()).nonce }
}

async function activity(query: string): Promise<Item[]> {
  const res = await t.api<{ items: Item[] }>('GET', `/api/v1/activity?fleet=demo&limit=20${query}`)
  expect(res.status).toBe(200)
  return res.body.items
}

const STORM = 40

describe('GET /api/v1/activity', () => {
  it('keeps a NACK through a connection storm, which is one line', async () => {
    const { stream, nonce } = await connect('nacker')
    stream.send({ type_url: CLUSTER_TYPE_URL, response_nonce: nonce, error_detail: { code: 3, message: 'cluster demo: bad lb_policy' } })
    await waitFor(async () => (await activity('&kind=nacks')).length > 0, { what: 'the NACK in the feed' })
    for (let i = 0; i < STORM; i++) await connect(`storm-${String(i).padStart(2, '0')}`)

    const items = await waitFor(async () => {
      const all = await activity('')
      return all.some((i) => i.kind === 'connected' && i.nodes === STORM + 1) ? all : null
    }, { what: `a line for ${STORM + 1} proxies connected` })
    expect(items.filter((i) => i.kind === 'nack').map((i) => [i.nodeId, i.message])).toEqual([['nacker', 'nacker rejected Cluster: cluster demo: bad lb_policy']])
    const storm = items.filter((i) => i.kind === 'connected')
    expect(storm).toHaveLength(1)
    expect(storm[0]).toMatchObject({ message: `${STORM + 1} proxies connected`, count: STORM + 1, nodes: STORM + 1 })
    expect(storm[0]!.nodeId).toBeUndefined()
    expect(Date.parse(storm[0]!.firstAt!)).toBeLessThanOrEqual(Date.parse(storm[0]!.at))
  })

  it('filters by kind: changes, NACKs, connections', async () => {
    const nacks = await activity('&kind=nacks')
    expect(nacks.map((i) => i.kind)).toEqual(['nack'])
    const connections = await activity('&kind=connections')
    expect(new Set(connections.map((i) => i.kind))).toEqual(new Set(['connected']))
    const changes = await activity('&kind=changes')
    expect(changes.length).toBeGreaterThan(0)
    expect(changes.every((i) => ['commit', 'rollback', 'import', 'draft', 'fleet'].includes(i.kind))).toBe(true)
    const bad = await t.api<{ error: { code: string } }>('GET', '/api/v1/activity?kind=everything')
    expect(bad.status).toBe(422)
  })

  it('says when one proxy keeps coming and going, in one line per storm', async () => {
    for (let i = 0; i < 3; i++) {
      const { stream } = await connect('flapper')
      stream.close()
    }
    const items = await waitFor(async () => {
      const all = await activity('&kind=connections')
      return all.some((i) => i.kind === 'disconnected' && i.nodeId === 'flapper' && i.count === 3) ? all : null
    }, { what: 'the flapping proxy’s disconnects counted' })
    expect(items.find((i) => i.kind === 'disconnected')?.message).toMatch(/^flapper disconnected 3 times, the last: /)
  })
})
