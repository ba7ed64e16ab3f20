import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { beforeAll, describe, expect, it } from 'vitest'
import { proxyRow, setupConsole } from '../support/console-fixture'

/**
 * The proxies table on the paged API (#13 item 5): 450 proxies (rows written straight into the
 * database, as the status writer leaves them) load 200 at a time as the table scrolls; the search
 * and the sort are the server's.
 */
const UI_TIMEOUT = 15_000
const N = 450
const fx = setupConsole('proxies_paged_e2e', { uiTimeoutMs: UI_TIMEOUT })
const nodeId = (i: number) => `pp-${String(i).padStart(3, '0')}`
// Every 50th proxy NACKED, the rest SYNCED.
const stateOf = (i: number) => (i % 50 === 7 ? 'NACKED' : 'SYNCED')

beforeAll(async () => {
  const client = new pg.Client({ connectionString: fx.db.url })
  await client.connect()
  try {
    const rows = Array.from({ length: N }, (_, i) => ({ id: randomUUID(), node_id: nodeId(i), state: stateOf(i) }))
    await client.query(
      `INSERT INTO proxy_connection (id, replica_id, node_id, node_cluster, fleet, peer, user_agent_name, user_agent_version, stream, connected_at, last_seen_at, types, state)
       SELECT x.id, 'seeded', x.node_id, 'many', 'many', 'ipv4:10.0.0.1:5000', 'envoy', '1.36.0', 'ADS', now() - interval '1 hour', now() + interval '1 hour', '{}'::jsonb, x.state
         FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, node_id text, state text)`,
      [JSON.stringify(rows)],
    )
  } finally {
    await client.end()
  }
})

const count = () => fx.page.getByTestId('proxies-count')
const loaded = async () => Number(await count().getAttribute('data-loaded'))
const firstRowId = () => fx.page.locator('[data-testid="proxy-row"]').first().getAttribute('data-node-id')

describe('console: the proxies table at many proxies', () => {
  it('shows the total and loads the next pages as the table scrolls to the end', async () => {
    await fx.page.goto(`${fx.server.baseUrl}/proxies`)
    await proxyRow(fx.page, nodeId(0)).waitFor({ timeout: UI_TIMEOUT })
    expect(await count().innerText()).toContain(`${N} proxies`)
    expect(await loaded()).toBe(200)
    const scroll = fx.page.getByTestId('proxies-scroll')
    for (const expected of [400, N]) {
      await scroll.evaluate((el) => el.scrollTo({ top: el.scrollHeight }))
      await expect.poll(loaded, { timeout: UI_TIMEOUT }).toBe(expected)
    }
    await scroll.evaluate((el) => el.scrollTo({ top: el.scrollHeight }))
    await proxyRow(fx.page, nodeId(N - 1)).waitFor({ timeout: UI_TIMEOUT })
  })

  it('searches node ids on the server, in any case', async () => {
    await fx.page.getByTestId('proxy-search').fill('PP-44')
    await expect.poll(() => count().innerText(), { timeout: UI_TIMEOUT }).toContain('10 proxies')
    const ids = await fx.page.locator('[data-testid="proxy-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-node-id')))
    expect(ids).toEqual(Array.from({ length: 10 }, (_, i) => nodeId(440 + i)))
    await fx.page.getByTestId('proxy-search').fill('')
    await expect.poll(() => count().innerText(), { timeout: UI_TIMEOUT }).toContain(`${N} proxies`)
  })

  it('sorts on the server: by state, most urgent first, then back by node id descending', async () => {
    await fx.page.getByTestId('proxies-scroll').evaluate((el) => el.scrollTo({ top: 0 }))
    await fx.page.getByTestId('sort-state').click()
    // pp-007 is the first NACKED proxy by node id; the nine NACKED ones come first, from every page.
    await expect.poll(firstRowId, { timeout: UI_TIMEOUT }).toBe(nodeId(7))
    const states = await fx.page.locator('[data-testid="proxy-row"]').evaluateAll((rows) => rows.slice(0, 10).map((r) => r.getAttribute('data-state')))
    expect(states).toEqual(Array.from({ length: 9 }, () => 'NACKED').concat(['SYNCED']))
    await fx.page.getByTestId('sort-nodeId').click()
    await expect.poll(firstRowId, { timeout: UI_TIMEOUT }).toBe(nodeId(0))
    await fx.page.getByTestId('sort-nodeId').click()
    // The last proxy comes first in descending order: the server sorted, not the loaded rows.
    await expect.poll(firstRowId, { timeout: UI_TIMEOUT }).toBe(nodeId(N - 1))
  })
})
