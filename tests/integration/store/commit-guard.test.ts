import { randomBytes } from 'node:crypto'
import path from 'node:path'
import pg from 'pg'
import pino from 'pino'
import type protobuf from 'protobufjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadEnvoyRoot } from '../../../proto/loader'
import type { LegationEvent } from '../../../server/events/types'
import { EVENT_CHANNEL } from '../../../server/events/types'
import { commitDraft } from '../../../server/services/commit'
import { putDraftResource } from '../../../server/services/draft-resources'
import { createFleet } from '../../../server/services/fleets'
import { startStagedRollout } from '../../../server/services/staged-rollouts'
import { readCommitContext, type CommitContext } from '../../../server/store/commit-context'
import { createDb, type Db } from '../../../server/store/db'
import { migrateDatabase } from '../../../server/store/migrate'
import { createValueCipher } from '../../../server/store/secret-key'
import { insertRolloutTx } from '../../../server/store/staged-rollouts'
import { inTransaction, isUniqueViolation, lockFleetOrThrow } from '../../../server/store/tx'
import { createVersionTx, writeVersionIfUnchanged, type CreatedVersion } from '../../../server/store/versions'
import { createTestDatabase, type TestDatabase } from '../../support/database'
import { PROJECT_ROOT } from '../../support/server'

/**
 * The optimistic commit's one guarded statement (#13 item 1), against a real PostgreSQL:
 * writeVersionIfUnchanged writes the version, its resources, the activation, the audit row and the
 * NOTIFY only if the fleet is still as readCommitContext read it; otherwise nothing at all.
 */
let database: TestDatabase
let db: Db
let listener: pg.Client
let root: protobuf.Root
const cipher = createValueCipher(randomBytes(32))
const events: LegationEvent[] = []
const ACTOR = 'tester'

beforeAll(async () => {
  database = await createTestDatabase('commit_guard')
  await migrateDatabase({ databaseUrl: database.url, migrationsDir: path.join(PROJECT_ROOT, 'prisma', 'migrations'), log: pino({ level: 'silent' }) })
  db = createDb(database.url)
  root = loadEnvoyRoot()
  listener = new pg.Client({ connectionString: database.url })
  await listener.connect()
  listener.on('notification', (n) => {
    if (n.channel === EVENT_CHANNEL && n.payload) events.push(JSON.parse(n.payload) as LegationEvent)
  })
  await listener.query(`LISTEN ${EVENT_CHANNEL}`)
})
afterAll(async () => {
  await listener?.end()
  await db?.$disconnect()
  await database?.drop()
})

/** A cluster whose body differs by port: each port is a different resource hash. */
function cluster(port: number) {
  return {
    name: 'backend',
    type: 'STATIC',
    connect_timeout: '1s',
    load_assignment: { cluster_name: 'backend', endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: '127.0.0.1', port_value: port } } } }] }] },
  }
}

/** Blobs are content-addressed across fleets: every put uses a port no other put used, so its body is new to the database. */
let lastPort = 8000

async function putCluster(fleet: string): Promise<void> {
  const put = await putDraftResource({ db, root, cipher, fleet, type: 'Cluster', name: 'backend', input: cluster(++lastPort), actor: ACTOR, controlPlanePorts: [] })
  expect(put.changed).toBe(true)
}

function commit(fleet: string, message: string) {
  return commitDraft({ db, root, cipher, fleet, message, actor: ACTOR, acceptWarnings: true, controlPlanePorts: [] })
}

/** A fleet with version 1 (one cluster) committed and active. */
async function fleetWithVersion1(fleet: string): Promise<void> {
  await createFleet({ db, name: fleet, description: 'commit guard', actor: ACTOR })
  await putCluster(fleet)
  const v1 = await commit(fleet, 'v1')
  expect(v1.number).toBe(1)
}

async function contextOf(fleet: string): Promise<CommitContext> {
  const context = await readCommitContext(db, { name: fleet })
  expect(context).not.toBeNull()
  return context!
}

/** writeVersionIfUnchanged as commitOptimistically calls it, with what `context` read. */
function writeAsRead(context: CommitContext, action = 'test.commit'): Promise<CreatedVersion | null> {
  const fleet = context.fleet.name
  return writeVersionIfUnchanged(
    db,
    context.fleet,
    { draftRevision: context.fleet.draft_revision, templateFleetId: context.templateFleetId },
    context.draft.resources,
    { message: 'guarded', author: ACTOR, origin: 'COMMIT' },
    { variables: context.draft.variables, templateRef: null, templateVersionId: null },
    context.parent,
    (v) => ({
      entry: { actor: ACTOR, action, fleetName: fleet, target: `version/${v.number}`, beforeHash: context.activeContentHash, afterHash: v.contentHash, detail: { changes: v.changes } },
      event: { kind: 'version.created', fleet, version: v.number, origin: 'COMMIT', actor: ACTOR, at: new Date().toISOString() },
    }),
  )
}

type Written = { versions: number; versionResources: number; audit: number; blobs: number; activeVersionId: string | null; draftRevision: number }

/** Everything a version write could leave behind, for one fleet (blobs and audit rows: all of them). */
async function written(fleet: string): Promise<Written> {
  const rows = await db.$queryRawUnsafe<Written[]>(
    `SELECT (SELECT count(*)::int FROM version v WHERE v.fleet_id = f.id) AS versions,
            (SELECT count(*)::int FROM version_resource vr JOIN version v ON v.id = vr.version_id WHERE v.fleet_id = f.id) AS "versionResources",
            (SELECT count(*)::int FROM audit_event) AS audit,
            (SELECT count(*)::int FROM resource_blob) AS blobs,
            f.active_version_id AS "activeVersionId", f.draft_revision AS "draftRevision"
       FROM fleet f WHERE f.name = $1`,
    fleet,
  )
  return rows[0]!
}

async function blobExists(hash: string): Promise<boolean> {
  const rows = await db.$queryRawUnsafe<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM resource_blob WHERE hash = $1`, hash)
  return rows[0]!.n === 1
}

async function versionNumbers(fleet: string): Promise<number[]> {
  const rows = await db.$queryRawUnsafe<Array<{ number: number }>>(`SELECT v.number FROM version v JOIN fleet f ON f.id = v.fleet_id WHERE f.name = $1 ORDER BY v.number`, fleet)
  return rows.map((r) => r.number)
}

/** The version.created events heard for `fleet`, after giving a NOTIFY time to arrive. */
async function versionEvents(fleet: string): Promise<number[]> {
  // A NOTIFY of an autocommitted statement is sent on commit; a round trip on the listening
  // connection after that makes sure it has been read.
  await new Promise((resolve) => setTimeout(resolve, 150))
  await listener.query('SELECT 1')
  return events.flatMap((e) => (e.kind === 'version.created' && e.fleet === fleet ? [e.version] : []))
}

/** The hash of the one draft resource (the cluster) the context read. */
function draftHash(context: CommitContext): string {
  expect(context.draft.resources).toHaveLength(1)
  return context.draft.resources[0]!.hash
}

describe('writeVersionIfUnchanged', () => {
  it('writes nothing when the draft changed after the read (stale draft_revision)', async () => {
    const fleet = 'stale-draft'
    await fleetWithVersion1(fleet)
    await putCluster(fleet)
    const stale = await contextOf(fleet)
    const staleHash = draftHash(stale)
    expect(await blobExists(staleHash), 'a draft edit stores no blob').toBe(false)

    await putCluster(fleet)
    const before = await written(fleet)
    expect(before.draftRevision).toBeGreaterThan(stale.fleet.draft_revision)
    expect(before.activeVersionId).toBe(stale.fleet.active_version_id)

    expect(await writeAsRead(stale)).toBeNull()
    expect(await written(fleet)).toEqual(before)
    expect(await blobExists(staleHash), 'the body only the stale draft had').toBe(false)
    expect(await versionNumbers(fleet)).toEqual([1])
    expect(await versionEvents(fleet)).toEqual([1])

    // Read again, the same write goes through: it was the stale read alone that stopped it.
    const fresh = await contextOf(fleet)
    const created = await writeAsRead(fresh)
    expect(created?.number).toBe(2)
    expect(await blobExists(draftHash(fresh))).toBe(true)
    expect(await blobExists(staleHash)).toBe(false)
  })

  it('writes nothing when a staged rollout was started after the read (real staged commit)', async () => {
    const fleet = 'staged-after-read'
    await fleetWithVersion1(fleet)
    await putCluster(fleet)
    const stale = await contextOf(fleet)
    expect(stale.openRollout).toBe(false)

    const rollout = await startStagedRollout({ db, root, cipher, fleet, message: 'staged', stages: [{ soakSeconds: 0, approval: true }], actor: ACTOR, acceptWarnings: true, controlPlanePorts: [] })
    expect(rollout.state).toBe('running')
    expect(rollout.toVersion).toBe(2)
    const before = await written(fleet)
    // The staged commit moved neither the draft revision nor the active version: only the rollout check (or the number) can stop the write.
    expect(before.draftRevision).toBe(stale.fleet.draft_revision)
    expect(before.activeVersionId).toBe(stale.fleet.active_version_id)

    // Null (refused by the guard), not a unique violation on number 2.
    expect(await writeAsRead(stale)).toBeNull()
    expect(await written(fleet)).toEqual(before)
    expect(await versionNumbers(fleet)).toEqual([1, 2])
    expect(await versionEvents(fleet)).toEqual([1])
  })

  it('writes nothing when an open rollout row appeared after the read (nothing else changed)', async () => {
    const fleet = 'rollout-row'
    await fleetWithVersion1(fleet)
    await putCluster(fleet)
    const stale = await contextOf(fleet)
    const staleHash = draftHash(stale)

    // A rollout in an open state, inserted as insertRolloutTx does under the fleet lock; no version
    // takes a number, so without the rollout check the write would go through.
    await inTransaction(db, async (tx) => {
      const locked = await lockFleetOrThrow(tx, fleet)
      await insertRolloutTx(tx, { fleetId: locked.id, fromVersionId: locked.active_version_id, toVersionId: locked.active_version_id!, stages: [{ soakSeconds: 0, approval: true }], createdBy: ACTOR })
    })
    const before = await written(fleet)
    expect(before.draftRevision).toBe(stale.fleet.draft_revision)
    expect(before.activeVersionId).toBe(stale.fleet.active_version_id)
    expect((await contextOf(fleet)).openRollout).toBe(true)

    expect(await writeAsRead(stale)).toBeNull()
    expect(await written(fleet)).toEqual(before)
    expect(await blobExists(staleHash)).toBe(false)
    expect(await versionNumbers(fleet)).toEqual([1])
    expect(await versionEvents(fleet)).toEqual([1])
  })

  it('throws a unique violation when another version took the number, and commitDraft then reads again', async () => {
    const fleet = 'number-taken'
    await fleetWithVersion1(fleet)
    await putCluster(fleet)
    const stale = await contextOf(fleet)
    const staleHash = draftHash(stale)
    expect(stale.parent.latestNumber).toBe(1)

    // Another writer takes number 2 without activating it or touching the draft.
    const other = await inTransaction(db, async (tx) => createVersionTx(tx, await lockFleetOrThrow(tx, fleet), [], { message: 'other', author: ACTOR, origin: 'COMMIT', activate: false }))
    expect(other.number).toBe(2)
    const before = await written(fleet)
    expect(before.draftRevision).toBe(stale.fleet.draft_revision)
    expect(before.activeVersionId).toBe(stale.fleet.active_version_id)

    const err = await writeAsRead(stale).then(
      () => null,
      (e: unknown) => e,
    )
    expect(err, 'the write must throw').not.toBeNull()
    expect(isUniqueViolation(err), `recognised as a unique violation: ${String(err)}`).toBe(true)
    expect(await written(fleet)).toEqual(before)
    expect(await blobExists(staleHash)).toBe(false)
    expect(await versionEvents(fleet)).toEqual([1])

    const committed = await commit(fleet, 'after the race')
    expect(committed.number).toBe(3)
    expect(committed.active).toBe(true)
    expect(await versionNumbers(fleet)).toEqual([1, 2, 3])
    expect((await written(fleet)).activeVersionId).not.toBe(stale.fleet.active_version_id)
    expect(await versionEvents(fleet)).toEqual([1, 3])
  })

  it('with a fresh read writes one version, activates it, audits it and notifies once', async () => {
    const fleet = 'fresh-read'
    await fleetWithVersion1(fleet)
    await putCluster(fleet)
    const context = await contextOf(fleet)
    const before = await written(fleet)

    const created = await writeAsRead(context, 'test.guarded-commit')
    expect(created).not.toBeNull()
    expect(created!.number).toBe(2)
    expect(created!.changes).toEqual({ added: 0, removed: 0, modified: 1 })

    const after = await written(fleet)
    expect(after).toEqual({ ...before, versions: before.versions + 1, versionResources: before.versionResources + 1, audit: before.audit + 1, blobs: before.blobs + 1, activeVersionId: created!.versionId })
    const version = await db.version.findUniqueOrThrow({ where: { id: created!.versionId }, select: { number: true, parentId: true, contentHash: true, resourceCount: true, message: true } })
    expect(version).toEqual({ number: 2, parentId: context.fleet.active_version_id, contentHash: created!.contentHash, resourceCount: 1, message: 'guarded' })
    const resources = await db.$queryRawUnsafe<Array<{ type: string; name: string; blob_hash: string }>>(`SELECT type::text, name, blob_hash FROM version_resource WHERE version_id = $1::uuid`, created!.versionId)
    expect(resources).toEqual([{ type: 'Cluster', name: 'backend', blob_hash: draftHash(context) }])

    const audit = await db.$queryRawUnsafe<Array<{ actor: string; action: string; fleet_name: string; target: string; before_hash: string | null; after_hash: string }>>(
      `SELECT actor, action, fleet_name, target, before_hash, after_hash FROM audit_event WHERE fleet_name = $1 AND action = 'test.guarded-commit'`,
      fleet,
    )
    expect(audit).toEqual([{ actor: ACTOR, action: 'test.guarded-commit', fleet_name: fleet, target: 'version/2', before_hash: context.activeContentHash, after_hash: created!.contentHash }])
    expect(await versionEvents(fleet)).toEqual([1, 2])

    // The same context again is stale now (the active version moved): nothing more is written.
    expect(await writeAsRead(context)).toBeNull()
    expect(await written(fleet)).toEqual(after)
    expect(await versionEvents(fleet)).toEqual([1, 2])
  })
})
