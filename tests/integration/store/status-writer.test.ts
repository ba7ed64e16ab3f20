import { randomBytes, randomUUID } from 'node:crypto'
import path from 'node:path'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createConnectionRegistry, type ConnectionRegistry, type DroppedStream } from '../../../server/status/registry'
import { createDb, type Db } from '../../../server/store/db'
import { migrateDatabase } from '../../../server/store/migrate'
import { createConnectionStore, listProxyEvents } from '../../../server/store/proxies'
import { createTestDatabase, type TestDatabase } from '../../support/database'
import { PROJECT_ROOT } from '../../support/server'

/**
 * #16 item 7, the writer's half: whatever one stream carries, a status write the database refuses
 * for it must not hold back the other streams (it used to fail the whole batch and retry it forever).
 * A poison row here is a node id that bypassed the node limits (an older replica, a future code
 * path): 9,000 random characters, over Postgres' btree entry and NOTIFY payload limits.
 */
let database: TestDatabase
let db: Db
let registry: ConnectionRegistry | undefined

beforeAll(async () => {
  database = await createTestDatabase('status_writer')
  await migrateDatabase({ databaseUrl: database.url, migrationsDir: path.join(PROJECT_ROOT, 'prisma', 'migrations'), log: pino({ level: 'silent' }) })
  db = createDb(database.url)
})
afterAll(async () => {
  await registry?.stop('test over')
  await db?.$disconnect()
  await database?.drop()
})

function open(r: ConnectionRegistry, nodeId: string): string {
  const id = randomUUID()
  r.open({ id, nodeId, nodeCluster: 'demo', fleet: 'demo', peer: 'ipv4:127.0.0.1:1', userAgentName: 'test', userAgentVersion: '1', stream: 'ADS', connectedAt: new Date().toISOString() })
  r.event(id, { kind: 'connected' })
  return id
}

describe('the proxy status writer against Postgres', () => {
  it('drops the one stream Postgres refuses (logged once) and writes every other stream, then and later', async () => {
    const dropped: DroppedStream[] = []
    const errors: unknown[] = []
    registry = createConnectionRegistry({ replicaId: 'r1', store: createConnectionStore(db), flushMs: 3_600_000, heartbeatMs: 3_600_000, onError: (err) => errors.push(err), onDropped: (d) => dropped.push(d) })
    const poison = randomBytes(6750).toString('base64')
    open(registry, 'before-1')
    const bad = open(registry, poison)
    open(registry, 'before-2')
    await registry.flush()

    const nodes = async () => (await db.proxyConnection.findMany({ select: { nodeId: true } })).map((r) => r.nodeId).sort()
    expect(await nodes()).toEqual(['before-1', 'before-2'])
    expect(dropped).toHaveLength(1)
    expect(dropped[0]).toMatchObject({ connectionId: bad, rows: 1, events: 1 })
    expect(errors).toEqual([])

    // The refused stream keeps sending; proxies connecting later are written at once.
    registry.event(bad, { kind: 'nack', typeUrl: 'cds', message: 'again' })
    registry.setTypes(bad, {})
    open(registry, 'after-1')
    await registry.flush()
    expect(await nodes()).toEqual(['after-1', 'before-1', 'before-2'])
    expect(dropped).toHaveLength(1)
    expect(errors).toEqual([])
  })

  it('stores a NUL character a client sent (as U+FFFD) instead of failing the write', async () => {
    registry ??= createConnectionRegistry({ replicaId: 'r1', store: createConnectionStore(db), flushMs: 3_600_000, heartbeatMs: 3_600_000, onError: () => {} })
    const id = open(registry, 'nul-nacker')
    registry.event(id, { kind: 'nack', typeUrl: 'cds', message: 'bad\u0000cluster \\u0000 literal' })
    registry.setTypes(id, { cds: { typeUrl: 'cds', names: [], nameCount: 0, wildcard: true, resourceNames: [], resourceCount: 0, lastNack: { message: 'bad\u0000cluster', code: 3, version: 'v', nonce: '1', at: new Date().toISOString() } } })
    await registry.flush()
    const events = await listProxyEvents({ db, nodeId: 'nul-nacker' })
    expect(events.find((e) => e.kind === 'nack')?.message).toBe('bad\uFFFDcluster \\u0000 literal')
    const row = await db.proxyConnection.findUniqueOrThrow({ where: { id } })
    expect((row.types as { cds: { lastNack: { message: string } } }).cds.lastNack.message).toBe('bad\uFFFDcluster')
  })
})
