import { createHash, randomUUID } from 'node:crypto'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { adminHeaders } from '../../support/credentials'
import { apiClient } from '../../support/http'
import { scrapeMetrics, valueOf } from '../../support/metrics'
import { setupTestServer } from '../../support/test-server'
import { waitFor } from '../../support/wait-for'

/**
 * #16 item 6: a resource with a google.protobuf.Struct nested deeper than protobuf's recursion limit
 * was accepted and committed, then every snapshot build of that version failed: proxies stayed on
 * the old version and nothing but a log line said so. Now what the snapshot build refuses is refused
 * at PUT and at commit (the same check, naming the limit), and a version that still cannot be served
 * (committed before the check existed) shows as rejected: the fleet's serving.rejected, the event
 * feed, the log.
 */
const t = setupTestServer('hostile_unservable')
const { api } = t
const FLEET = 'deep'
const LIMIT_MESSAGE = /nested deeper than 100 protobuf messages/

type ErrorBody = { error: { code: string; message: string; issues: Array<{ path: string; message: string; code?: string; resource?: { type: string; name: string } }> } }
type Fleet = { draftRevision: number; activeVersion: { number: number } | null; serving: { servingVersion: number | null; rejected: { version: number; issues: Array<{ path: string; message: string }> } | null } }
type Draft = { draftRevision: number; resources: Array<{ type: string; name: string; resource: Record<string, unknown> }> }

/** A Struct `levels` objects deep: 33 and more is past protobuf's limit in a cluster's metadata (3 messages per level). */
function nested(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: true }
  for (let i = 1; i < levels; i++) value = { a: value }
  return value
}
const cluster = (extra: Record<string, unknown> = {}) => ({ name: 'c', type: 'STATIC', connect_timeout: '1s', ...extra })
const deepCluster = (levels: number) => cluster({ metadata: { filter_metadata: { x: nested(levels) } } })

let sql: pg.Client
beforeAll(async () => {
  sql = new pg.Client({ connectionString: t.db.url })
  await sql.connect()
  expect((await api('POST', '/api/v1/fleets', { body: { name: FLEET } })).status).toBe(201)
  expect((await api('PUT', `/api/v1/fleets/${FLEET}/draft/clusters/c`, { body: cluster() })).status).toBe(201)
  expect((await api('POST', `/api/v1/fleets/${FLEET}/commit`, { body: { message: 'one' } })).status).toBe(201)
  await waitFor(async () => (await fleet()).serving.servingVersion === 1, { what: 'version 1 is served' })
})
afterAll(async () => {
  await sql?.end()
})

async function fleet(): Promise<Fleet> {
  const res = await api<Fleet>('GET', `/api/v1/fleets/${FLEET}`)
  expect(res.status, res.text).toBe(200)
  return res.body
}

async function draft(): Promise<Draft> {
  const res = await api<Draft>('GET', `/api/v1/fleets/${FLEET}/draft`)
  expect(res.status, res.text).toBe(200)
  return res.body
}

/** What a proxy of the fleet is served now, over REST discovery. */
async function servedClusters(): Promise<Array<Record<string, unknown>>> {
  const res = await apiClient(t.server.baseUrl, null)<{ resources: Array<Record<string, unknown>> }>('POST', '/v3/discovery:clusters', { body: { node: { id: 'deep-proxy', cluster: FLEET } } })
  expect(res.status, res.text).toBe(200)
  return res.body.resources
}

function expectTooDeep(res: { status: number; body: unknown; text: string }, name = 'c'): void {
  expect(res.status, res.text).toBe(422)
  const { error } = res.body as ErrorBody
  expect(error.code).toBe('CONFIG.INVALID')
  const issue = error.issues.find((i) => i.code === 'PROTO.TOO_DEEP')
  expect(issue, res.text).toBeDefined()
  expect(issue!.message).toMatch(LIMIT_MESSAGE)
  expect(issue!.resource).toEqual({ type: 'Cluster', name })
  expect(issue!.path.startsWith('metadata.filter_metadata["x"]["a"]')).toBe(true)
}

describe('a resource deeper than protobuf allows', () => {
  it('is refused at PUT (422, the limit named at its field); the draft does not move', async () => {
    const before = await draft()
    // 40 levels: well within the body limit (64), past protobuf's (about 32 Struct levels).
    expectTooDeep(await api('PUT', `/api/v1/fleets/${FLEET}/draft/clusters/c`, { body: deepCluster(40) }))
    expectTooDeep(await api('POST', `/api/v1/fleets/${FLEET}/draft/clusters`, { body: { ...deepCluster(40), name: 'c2' } }), 'c2')
    expect(await draft()).toEqual(before)
    // Just within the limit is fine, and served.
    expect((await api('PUT', `/api/v1/fleets/${FLEET}/draft/clusters/c`, { body: deepCluster(32) })).status).toBe(200)
  })

  it('saved in a draft before the check existed, is refused at commit by the check the snapshot build runs; no version is written', async () => {
    const before = await fleet()
    // As an older Legation stored it: canonical JSON, hashed, in the draft.
    const body = JSON.stringify(deepCluster(40))
    const updated = await sql.query(
      `UPDATE draft_resource SET body = $1, hash = $2, revision = revision + 1 WHERE type = 'Cluster' AND name = 'c' AND fleet_id = (SELECT id FROM fleet WHERE name = $3)`,
      [body, createHash('sha256').update(body).digest('hex'), FLEET],
    )
    expect(updated.rowCount).toBe(1)
    expectTooDeep(await api('POST', `/api/v1/fleets/${FLEET}/commit`, { body: { message: 'too deep' } }))
    const after = await fleet()
    expect(after.activeVersion).toEqual(before.activeVersion)
    expect(after.draftRevision).toBe(before.draftRevision)
    const versions = await api<{ versions: unknown[] }>('GET', `/api/v1/fleets/${FLEET}/versions`)
    expect(versions.body.versions).toHaveLength(1)
    // The draft's diff shows the same problem before anyone tries to commit.
    const diff = await api<{ issues: Array<{ code: string; message: string }> }>('GET', `/api/v1/fleets/${FLEET}/draft/diff`)
    expect(diff.body.issues.find((i) => i.code === 'PROTO.TOO_DEEP')?.message).toMatch(LIMIT_MESSAGE)
  })
})

describe('a version that cannot be served', () => {
  it('shows as rejected in serving.rejected, on the event feed and in the log, while proxies keep the last good version', async () => {
    expect((await servedClusters()).map((c) => c['name'])).toEqual(['c'])

    const controller = new AbortController()
    const feed = await fetch(`${t.server.baseUrl}/api/v1/events?fleet=${FLEET}`, { signal: controller.signal, headers: adminHeaders() })
    expect(feed.headers.get('content-type')).toContain('text/event-stream')
    const reader = feed.body!.getReader()
    const decoder = new TextDecoder()
    let received = ''
    const sawRejection = (async () => {
      while (!received.includes('event: snapshot.rejected')) {
        const { value, done } = await reader.read()
        if (done) break
        received += decoder.decode(value)
      }
    })()

    // Version 2 as an older Legation committed it (before commits ran the snapshot's checks): a
    // content-addressed blob, the version row, made active, and the notification every commit sends.
    const body = JSON.stringify(deepCluster(40))
    const blob = createHash('sha256').update(body).digest('hex')
    const versionId = randomUUID()
    await sql.query('BEGIN')
    const { rows } = await sql.query<{ id: string; active_version_id: string }>('SELECT id, active_version_id FROM fleet WHERE name = $1 FOR UPDATE', [FLEET])
    const fleetRow = rows[0]!
    await sql.query(`INSERT INTO resource_blob (hash, type, body) VALUES ($1, 'Cluster', $2) ON CONFLICT DO NOTHING`, [blob, body])
    await sql.query(
      `INSERT INTO version (id, fleet_id, number, message, author, content_hash, resource_count, parent_id, origin, changes) VALUES ($1, $2, 2, 'from an older Legation', 'legacy', $3, 1, $4, 'COMMIT', '[]')`,
      [versionId, fleetRow.id, `legacy-${blob}`, fleetRow.active_version_id],
    )
    await sql.query(`INSERT INTO version_resource (version_id, type, name, blob_hash) VALUES ($1, 'Cluster', 'c', $2)`, [versionId, blob])
    await sql.query('UPDATE fleet SET active_version_id = $1 WHERE id = $2', [versionId, fleetRow.id])
    await sql.query('SELECT pg_notify($1, $2)', ['legation_events', JSON.stringify({ kind: 'version.created', fleet: FLEET, version: 2, origin: 'COMMIT', actor: 'legacy', at: new Date().toISOString() })])
    await sql.query('COMMIT')

    // The API: version 2 refused with the reason, version 1 still served.
    const rejected = await waitFor(async () => (await fleet()).serving.rejected, { what: 'serving.rejected', timeoutMs: 15_000 })
    expect(rejected.version).toBe(2)
    expect(rejected.issues[0]?.message).toMatch(LIMIT_MESSAGE)
    expect(rejected.issues[0]?.message).toContain('Cluster c')
    expect((await fleet()).serving.servingVersion).toBe(1)

    // The event feed.
    await sawRejection
    controller.abort()
    const line = received.split('\n').find((l) => l.startsWith('data: ') && l.includes('snapshot.rejected'))
    expect(line, received).toBeDefined()
    expect(JSON.parse(line!.slice(6))).toMatchObject({ kind: 'snapshot.rejected', fleet: FLEET, version: 2 })

    // The log: one error line naming the fleet and the version.
    const logged = t.server.logs().filter((l) => String(l['msg']).startsWith('snapshot rejected'))
    expect(logged).toHaveLength(1)
    expect(logged[0]).toMatchObject({ fleet: FLEET, version: 2, servingVersion: 1 })

    // The metrics count it, and still say version 1 is served (GET /metrics is open without LEGATION_METRICS_TOKEN).
    const scraped = await scrapeMetrics(t.server.baseUrl)
    expect(scraped.status).toBe(200)
    expect(valueOf(scraped.samples, 'legation_snapshot_rejections_total', { fleet: FLEET })).toBe(1)
    expect(valueOf(scraped.samples, 'legation_snapshot_version', { fleet: FLEET })).toBe(1)

    // Proxies keep version 1's cluster (no metadata).
    const served = await servedClusters()
    expect(served.map((c) => c['name'])).toEqual(['c'])
    expect(served[0]!['metadata']).toBeUndefined()
  })
})
