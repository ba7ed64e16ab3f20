import { readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../support/database'
import pg from 'pg'
import { embeddedDatabaseUrl, postmastersOf, startServer, type ServerHandle } from '../../support/server'
import { sleep, waitFor } from '../../support/wait-for'
import { LISTENER_TYPE_URL, xdsPortOf } from '../../support/xds-fleet'
import { openSotwStream } from '../../support/xds-protocol-client'
import { startTcpRelay } from '../../support/tcp-relay'

/**
 * #16 item 14 (and the /readyz part of item 13): while the database is down, Legation logs the
 * state change once (then periodically), not ten warnings a second; /readyz says the database is
 * unreachable without naming its host or port; and an embedded PostgreSQL that died is restarted.
 */

const servers: ServerHandle[] = []
const cleanups: Array<() => Promise<unknown>> = []
afterAll(async () => {
  for (const s of servers) await s.stop('SIGKILL')
  for (const c of cleanups.reverse()) await c()
})

async function proxyRows(url: string, nodeId: string): Promise<number> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query('SELECT 1 FROM proxy_connection WHERE node_id = $1', [nodeId])).rowCount ?? 0
  } finally {
    await client.end()
  }
}

const warnings = (server: ServerHandle, from: number) => server.logs().slice(from).filter((l) => Number(l['level']) >= 40)

describe('a database outage (DATABASE_URL)', () => {
  it('is a few log lines, not a flood; /readyz names no host; everything resumes when it is back', async () => {
    const db: TestDatabase = await createTestDatabase('outage')
    cleanups.push(() => db.drop())
    const target = new URL(db.url)
    const relay = await startTcpRelay({ host: target.hostname, port: Number(target.port || 5432) })
    cleanups.push(() => relay.close())
    const viaRelay = new URL(db.url)
    viaRelay.hostname = '127.0.0.1'
    viaRelay.port = String(relay.port)
    const server = await startServer({ env: { DATABASE_URL: viaRelay.toString() } })
    servers.push(server)

    const from = server.logs().length
    await relay.cut()
    // A proxy connecting during the outage: its status cannot be written until the database is back.
    const stream = openSotwStream(xdsPortOf(server))
    cleanups.push(async () => stream.close())
    stream.send({ type_url: LISTENER_TYPE_URL, node: { id: 'during-outage', cluster: 'demo' } })
    await stream.next()

    await sleep(4000)
    const during = warnings(server, from)
    // Before: ~10 a second from the status writer alone. Now: one line per component that lost the database.
    expect.soft(during.length, during.map((l) => JSON.stringify(l)).join('\n')).toBeLessThanOrEqual(4)

    const ready = await fetch(`${server.baseUrl}/readyz`)
    expect.soft(ready.status).toBe(503)
    const body = await ready.text()
    expect.soft(JSON.parse(body)).toEqual({ status: 'not ready', database: 'unreachable' })
    expect.soft(body).not.toContain(String(relay.port))
    expect.soft(body).not.toContain('127.0.0.1')

    await relay.restore()
    await waitFor(async () => (await fetch(`${server.baseUrl}/readyz`)).status === 200, { timeoutMs: 15_000, what: '/readyz 200 again' })
    await waitFor(() => server.logs().some((l) => l['msg'] === 'proxy status writes work again'), { timeoutMs: 15_000, what: 'status writes recovered' })
    await waitFor(() => server.logs().some((l) => l['msg'] === 'event listener reconnected'), { timeoutMs: 15_000, what: 'LISTEN reconnected' })
    // The status that could not be written during the outage is written now.
    await waitFor(async () => (await proxyRows(db.url, 'during-outage')) > 0, { what: 'the proxy connected during the outage is recorded' })
  })
})

describe('the embedded PostgreSQL dies', () => {
  it('is restarted by Legation, logged, and written to again', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'legation-pg-dies-'))
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }))
    const server = await startServer({ env: { DATABASE_URL: undefined, LEGATION_DATA_DIR: dataDir }, readyTimeoutMs: 90_000 })
    servers.push(server)
    const postmaster = Number(readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0])
    process.kill(postmaster, 'SIGKILL')

    await waitFor(() => server.logs().some((l) => l['msg'] === 'embedded PostgreSQL restarted'), { timeoutMs: 30_000, what: 'the embedded PostgreSQL restarted' })
    expect(server.logs().filter((l) => l['msg'] === 'embedded PostgreSQL exited unexpectedly; restarting it')).toHaveLength(1)
    await waitFor(async () => (await fetch(`${server.baseUrl}/readyz`)).status === 200, { timeoutMs: 15_000, what: '/readyz 200 again' })
    // Legation writes to the restarted database again: a proxy connecting now is recorded.
    const stream = openSotwStream(xdsPortOf(server))
    stream.send({ type_url: LISTENER_TYPE_URL, node: { id: 'after-restart', cluster: 'demo' } })
    await stream.next()
    await waitFor(async () => (await proxyRows(embeddedDatabaseUrl(dataDir, server.logs()), 'after-restart')) > 0, { what: 'the proxy connected after the restart is recorded' })
    stream.close()

    expect(await server.stop()).toBe(0)
    expect(postmastersOf(dataDir)).toEqual([])
  })
})
