import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setupTestServer } from '../../support/test-server'
import { waitFor } from '../../support/wait-for'
import { openSotwStream } from '../../support/xds-protocol-client'

/**
 * GET /api/v1/proxies answers pages, filtered, searched and sorted in SQL, and GET /proxies/summary
 * counts in SQL (#13 item 5). Most proxies are rows written straight into the database (the status
 * writer's shape, with its `state` column); one is a real xDS stream, to show the writer fills it.
 */
const t = setupTestServer('proxies_page')
const { api } = t

type Row = { nodeId: string; fleet: string; state: string; connectedAt: number; disconnected?: boolean; lastSeenAt?: number; stream?: string }
type Expected = { nodeId: string; fleet: string; state: string; connectedAt: number }
type Page = { proxies: Array<{ nodeId: string; fleet: string | null; state: string; connectedAt: string; stream: string }>; nextCursor: string | null; total: number }

const BASE = Date.UTC(2026, 10, 24, 12, 0, 0)
const NOW = Date.now()
const KINDS = ['SYNCED', 'STALE', 'NACKED', 'NOT_SENT', 'DISCONNECTED'] as const
const N = 250

const rows: Row[] = []
const expected: Expected[] = []
for (let i = 0; i < N; i++) {
  const kind = KINDS[i % KINDS.length]!
  const fleet = i % 2 === 0 ? 'alpha' : 'beta'
  // Distinct connection times, not in node id order.
  const connectedAt = BASE + ((i * 37) % N) * 1000
  const nodeId = `pp-${String(i).padStart(3, '0')}`
  rows.push({ nodeId, fleet, connectedAt, state: kind === 'DISCONNECTED' ? 'SYNCED' : kind, disconnected: kind === 'DISCONNECTED' })
  expected.push({ nodeId, fleet, state: kind, connectedAt })
}
// Two live streams of one node (per-type xDS): the worse state shows, since the older stream.
rows.push({ nodeId: 'Multi-Stream', fleet: 'alpha', state: 'SYNCED', connectedAt: BASE - 5000, stream: 'CDS' }, { nodeId: 'Multi-Stream', fleet: 'alpha', state: 'STALE', connectedAt: BASE - 4000, stream: 'LDS' })
expected.push({ nodeId: 'Multi-Stream', fleet: 'alpha', state: 'STALE', connectedAt: BASE - 5000 })
// A stream whose replica stopped refreshing it: gone.
rows.push({ nodeId: 'gone-1', fleet: 'beta', state: 'SYNCED', connectedAt: BASE - 3000, lastSeenAt: NOW - 10 * 60_000 })
expected.push({ nodeId: 'gone-1', fleet: 'beta', state: 'DISCONNECTED', connectedAt: BASE - 3000 })
// Reconnected into another fleet: the live stream counts, the old NACK does not.
rows.push({ nodeId: 'again-1', fleet: 'beta', state: 'NACKED', connectedAt: BASE - 9000, disconnected: true }, { nodeId: 'again-1', fleet: 'alpha', state: 'SYNCED', connectedAt: BASE - 2000 })
expected.push({ nodeId: 'again-1', fleet: 'alpha', state: 'SYNCED', connectedAt: BASE - 2000 })
rows.push({ nodeId: 'under_score', fleet: 'beta', state: 'NOT_SENT', connectedAt: BASE - 1000 })
expected.push({ nodeId: 'under_score', fleet: 'beta', state: 'NOT_SENT', connectedAt: BASE - 1000 })

const STATE_ORDER = ['NACKED', 'STALE', 'NOT_SENT', 'DISCONNECTED', 'SYNCED'] // most urgent first
const byId = (a: Expected, b: Expected) => (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0)

let client: pg.Client
beforeAll(async () => {
  client = new pg.Client({ connectionString: t.db.url })
  await client.connect()
  const payload = rows.map((r) => ({
    id: randomUUID(),
    replica_id: 'seeded',
    node_id: r.nodeId,
    node_cluster: r.fleet,
    fleet: r.fleet,
    peer: 'ipv4:10.0.0.1:5000',
    user_agent_name: 'envoy',
    user_agent_version: '1.36.0',
    stream: r.stream ?? 'ADS',
    connected_at: new Date(r.connectedAt).toISOString(),
    disconnected_at: r.disconnected ? new Date(r.connectedAt + 500).toISOString() : null,
    // Live rows stay fresh for the whole file (a replica refreshes its rows every few seconds).
    last_seen_at: new Date(r.lastSeenAt ?? NOW + 3_600_000).toISOString(),
    state: r.state,
  }))
  await client.query(
    `INSERT INTO proxy_connection (id, replica_id, node_id, node_cluster, fleet, peer, user_agent_name, user_agent_version, stream, connected_at, disconnected_at, last_seen_at, types, state)
     SELECT id, replica_id, node_id, node_cluster, fleet, peer, user_agent_name, user_agent_version, stream, connected_at, disconnected_at, last_seen_at, '{}'::jsonb, state
       FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, replica_id text, node_id text, node_cluster text, fleet text, peer text, user_agent_name text, user_agent_version text,
            stream text, connected_at timestamptz, disconnected_at timestamptz, last_seen_at timestamptz, state text)`,
    [JSON.stringify(payload)],
  )
})
afterAll(async () => {
  await client?.end()
})

async function page(query: string): Promise<Page> {
  const res = await api<Page>('GET', `/api/v1/proxies?${query}`)
  expect(res.status, res.text).toBe(200)
  return res.body
}

/** Every page of a query, in order, following nextCursor. */
async function walk(query: string, limit: number): Promise<{ ids: string[]; pages: Page[] }> {
  const pages: Page[] = []
  let after: string | null = null
  do {
    const p: Page = await page(`${query}&limit=${limit}${after ? `&after=${encodeURIComponent(after)}` : ''}`)
    expect(p.proxies.length).toBeLessThanOrEqual(limit)
    pages.push(p)
    after = p.nextCursor
  } while (after && pages.length < 100)
  return { ids: pages.flatMap((p) => p.proxies.map((x) => x.nodeId)), pages }
}

/** The seeded proxies only (the real stream of the last test is left out by fleet or search). */
const seeded = (filter: (e: Expected) => boolean = () => true) => expected.filter(filter)

describe('GET /api/v1/proxies pages', () => {
  it('answers 100 by default, with the total and a cursor, and walks every proxy once in node id order', async () => {
    const first = await page('')
    expect(first.proxies).toHaveLength(100)
    expect(first.total).toBe(expected.length)
    expect(first.nextCursor).toEqual(expect.any(String))
    const { ids, pages } = await walk('sort=nodeId', 37)
    expect(ids).toEqual([...expected].sort(byId).map((e) => e.nodeId))
    expect(new Set(ids).size).toBe(ids.length)
    expect(pages.every((p) => p.total === expected.length)).toBe(true)
    expect(pages.at(-1)!.nextCursor).toBeNull()
  })

  it('sorts by node id, state and connection time, either way, without duplicates or gaps across pages', async () => {
    const bySort = {
      nodeId: byId,
      state: (a: Expected, b: Expected) => STATE_ORDER.indexOf(a.state) - STATE_ORDER.indexOf(b.state) || byId(a, b),
      connectedAt: (a: Expected, b: Expected) => a.connectedAt - b.connectedAt || byId(a, b),
    }
    for (const [sort, compare] of Object.entries(bySort)) {
      const asc = [...expected].sort(compare).map((e) => e.nodeId)
      expect((await walk(`sort=${sort}&order=asc`, 60)).ids, `${sort} asc`).toEqual(asc)
      expect((await walk(`sort=${sort}&order=desc`, 60)).ids, `${sort} desc`).toEqual([...asc].reverse())
    }
  })

  it('filters by fleet and by state, and merges a node\'s streams as the detail does', async () => {
    for (const fleet of ['alpha', 'beta']) {
      const { ids, pages } = await walk(`fleet=${fleet}`, 50)
      expect(ids).toEqual(seeded((e) => e.fleet === fleet).sort(byId).map((e) => e.nodeId))
      expect(pages[0]!.total).toBe(ids.length)
    }
    for (const state of STATE_ORDER) {
      const { ids, pages } = await walk(`state=${state}`, 50)
      expect(ids, state).toEqual(seeded((e) => e.state === state).sort(byId).map((e) => e.nodeId))
      expect(pages.flatMap((p) => p.proxies).every((p) => p.state === state)).toBe(true)
      expect(pages[0]!.total).toBe(ids.length)
    }
    const both = await walk('fleet=beta&state=NACKED&sort=connectedAt&order=desc', 10)
    expect(both.ids).toEqual(seeded((e) => e.fleet === 'beta' && e.state === 'NACKED').sort((a, b) => b.connectedAt - a.connectedAt).map((e) => e.nodeId))

    const multi = (await page('q=multi-stream')).proxies
    expect(multi).toHaveLength(1)
    expect(multi[0]).toMatchObject({ nodeId: 'Multi-Stream', state: 'STALE', fleet: 'alpha', connectedAt: new Date(BASE - 5000).toISOString() })
    expect(multi[0]!.stream.split(' + ').sort()).toEqual(['CDS', 'LDS'])
    expect((await page('q=again-1')).proxies[0]).toMatchObject({ fleet: 'alpha', state: 'SYNCED' })
  })

  it('searches node ids by substring in any case, with % and _ taken literally', async () => {
    const { ids } = await walk('q=PP-1', 40)
    expect(ids).toEqual(seeded((e) => e.nodeId.startsWith('pp-1')).sort(byId).map((e) => e.nodeId))
    expect(ids).toHaveLength(100)
    expect((await page('q=R_S')).proxies.map((p) => p.nodeId)).toEqual(['under_score'])
    expect((await page('q=%25')).total).toBe(0)
    expect((await page('q=pp-2&state=DISCONNECTED&fleet=beta')).proxies.map((p) => p.nodeId)).toEqual(
      seeded((e) => e.nodeId.startsWith('pp-2') && e.state === 'DISCONNECTED' && e.fleet === 'beta').sort(byId).map((e) => e.nodeId),
    )
  })

  it('refuses a limit over 500, a cursor it did not give and an unknown sort, naming the parameter', async () => {
    for (const [query, field] of [['limit=501', 'limit'], ['limit=0', 'limit'], ['after=bm9wZQ', 'after'], [`after=${Buffer.from(JSON.stringify({ k: '', n: 'a\u0000' })).toString('base64url')}`, 'after'], ['sort=peer', 'sort'], ['order=up', 'order']] as const) {
      const res = await api<{ error: { message: string } }>('GET', `/api/v1/proxies?${query}`)
      expect(res.status, query).toBe(422)
      expect(res.text, query).toContain(field)
    }
    expect((await page('limit=500')).proxies).toHaveLength(expected.length)
  })

  it('counts per fleet and state in the summary, the same as the list filters', async () => {
    const res = await api<{ fleets: Array<Record<string, number | string | null>> }>('GET', '/api/v1/proxies/summary')
    expect(res.status).toBe(200)
    for (const fleet of ['alpha', 'beta']) {
      const row = res.body.fleets.find((f) => f.fleet === fleet)!
      const mine = seeded((e) => e.fleet === fleet)
      expect(row.total).toBe(mine.length)
      for (const state of STATE_ORDER) expect(row[state], `${fleet} ${state}`).toBe(mine.filter((e) => e.state === state).length)
    }
  })

  it('stores the state the status writer derives, so a real proxy is found by state', async () => {
    const stream = openSotwStream(t.xdsPort)
    try {
      stream.send({ node: { id: 'real-one', cluster: 'demo' }, type_url: 'type.googleapis.com/envoy.config.cluster.v3.Cluster' })
      const res = await stream.next()
      stream.send({ node: { id: 'real-one', cluster: 'demo' }, type_url: res.type_url, version_info: res.version_info, response_nonce: res.nonce })
      await waitFor(async () => (await page('fleet=demo&state=SYNCED&q=REAL')).proxies.map((p) => p.nodeId).join() === 'real-one', { what: 'real-one SYNCED in the list' })
      const stored = await client.query<{ state: string }>('SELECT state FROM proxy_connection WHERE node_id = $1', ['real-one'])
      expect(stored.rows.map((r) => r.state)).toEqual(['SYNCED'])
      expect((await page('fleet=demo&state=STALE&q=real')).total).toBe(0)
    } finally {
      stream.close()
    }
  })
})
