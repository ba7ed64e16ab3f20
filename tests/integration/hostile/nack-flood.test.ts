import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { MAX_EVENTS_PER_NODE } from '../../../server/store/proxies'
import { setupTestServer } from '../../support/test-server'
import { waitFor } from '../../support/wait-for'
import { CLUSTER_TYPE_URL } from '../../support/xds-fleet'
import { openSotwStream, type ProtocolStream, type ReceivedSotwResponse, type SotwRequestInput } from '../../support/xds-protocol-client'

/**
 * #16 item 9: a NACK flood (100,000 in 3.4 s) wrote 50,000 proxy_event rows (74 MB). One real client
 * floods over a real socket; identical NACKs must become one row that counts them, different ones
 * are rate-limited into a counted 'suppressed' row, and the proxy's rows stay under the cap.
 */
const t = setupTestServer('hostile_nack_flood')
const streams: Array<ProtocolStream<SotwRequestInput, ReceivedSotwResponse>> = []
afterAll(() => streams.forEach((s) => s.close()))

type EventView = { kind: string; message?: string; repeatCount?: number; lastAt?: string; at: string }
type ActivityView = { kind: string; nodeId?: string; message: string; count?: number }

async function connect(nodeId: string): Promise<{ stream: ProtocolStream<SotwRequestInput, ReceivedSotwResponse>; nonce: string }> {
  const stream = openSotwStream(t.xdsPort)
  streams.push(stream)
  stream.send({ node: { id: nodeId, cluster: 'demo' }, type_url: CLUSTER_TYPE_URL })
  const res = await stream.next()
  return { stream, nonce: res.nonce }
}

const nack = (nonce: string, message: string): SotwRequestInput => ({ type_url: CLUSTER_TYPE_URL, response_nonce: nonce, error_detail: { code: 3, message } })

async function eventsOf(nodeId: string): Promise<EventView[]> {
  const res = await t.api<{ events: EventView[] }>('GET', `/api/v1/proxies/${nodeId}/events?limit=1000`)
  expect(res.status).toBe(200)
  return res.body.events
}

async function rowCount(nodeId: string): Promise<number> {
  const client = new pg.Client({ connectionString: t.db.url })
  await client.connect()
  try {
    return (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM proxy_event WHERE node_id = $1', [nodeId])).rows[0]!.n
  } finally {
    await client.end()
  }
}

describe('a NACK flood from one client', () => {
  it('of identical NACKs is one row that counts them, shown with its count by the API and the activity feed', async () => {
    const FLOOD = 30_000
    const { stream, nonce } = await connect('flooder')
    for (let i = 0; i < FLOOD; i++) stream.send(nack(nonce, 'cluster edge: unknown lb_policy'))
    // The stream's requests are handled in order: once this one is in the timeline, the flood is counted.
    stream.send(nack(nonce, 'the last one'))
    const events = await waitFor(async () => {
      const e = await eventsOf('flooder')
      return e.some((x) => x.message === 'the last one') ? e : null
    }, { timeoutMs: 60_000, what: 'the last NACK in the timeline' })

    const nacks = events.filter((e) => e.kind === 'nack')
    expect(nacks.map((e) => [e.message, e.repeatCount])).toEqual([
      ['the last one', undefined],
      ['cluster edge: unknown lb_policy', FLOOD],
    ])
    expect(Date.parse(nacks[1]!.lastAt!)).toBeGreaterThanOrEqual(Date.parse(nacks[1]!.at))
    // connected, subscription, send and the two NACK rows.
    expect(await rowCount('flooder')).toBeLessThanOrEqual(10)

    const activity = await t.api<{ items: ActivityView[] }>('GET', '/api/v1/activity?fleet=demo&kind=nacks')
    expect(activity.status).toBe(200)
    expect(activity.body.items.find((i) => i.nodeId === 'flooder' && i.message.includes('unknown lb_policy'))?.count).toBe(FLOOD)
  })

  it('of different NACKs is rate-limited: a bounded number of rows, the rest counted in a suppressed row', async () => {
    const FLOOD = 20_000
    const { stream, nonce } = await connect('varied-flooder')
    for (let i = 0; i < FLOOD; i++) stream.send(nack(nonce, `error number ${i}`))
    stream.send(nack(nonce, 'the last one'))
    // The last one may itself be over the limit: wait until every NACK is accounted for.
    const accounted = (events: EventView[]) => events.filter((e) => e.kind === 'nack' || e.kind === 'suppressed').reduce((n, e) => n + (e.repeatCount ?? 1), 0)
    const events = await waitFor(async () => {
      const e = await eventsOf('varied-flooder')
      return accounted(e) === FLOOD + 1 ? e : null
    }, { timeoutMs: 60_000, what: 'every NACK counted' })

    const suppressed = events.filter((e) => e.kind === 'suppressed')
    expect(suppressed.length).toBeGreaterThanOrEqual(1)
    expect(suppressed[0]!.repeatCount).toBeGreaterThan(FLOOD / 2)
    expect(await rowCount('varied-flooder')).toBeLessThan(MAX_EVENTS_PER_NODE)
  })
})
