import { createHash, randomUUID } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import pg from 'pg'
import type { Logger } from '../log'

/**
 * Applies prisma/migrations/<name>/migration.sql in name order, each in its own transaction, and
 * records them in Prisma's own `_prisma_migrations` table (checksum = sha256 of the file), so the
 * real Prisma CLI accepts the database wherever its native engine is available. We can't use
 * `prisma migrate deploy` itself: its engine is a download from outside the npm registry.
 *
 * A session-level advisory lock serialises replicas that start at the same time: the second one
 * waits, then finds every migration applied and does nothing.
 */
const MIGRATION_LOCK_KEY = 7_266_431_337 // any constant bigint shared by every replica

export type MigrationResult = Readonly<{ applied: string[]; alreadyApplied: string[] }>

const CREATE_PRISMA_MIGRATIONS = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum"            VARCHAR(64) NOT NULL,
  "finished_at"         TIMESTAMPTZ,
  "migration_name"      VARCHAR(255) NOT NULL,
  "logs"                TEXT,
  "rolled_back_at"      TIMESTAMPTZ,
  "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`

type Migration = { name: string; sql: string; checksum: string }

export async function readMigrations(dir: string): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true })
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort()
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, 'migration.sql'), 'utf8')
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') }
    }),
  )
}

export async function migrateDatabase(options: { databaseUrl: string; migrationsDir: string; log: Logger }): Promise<MigrationResult> {
  const { databaseUrl, migrationsDir, log } = options
  const migrations = await readMigrations(migrationsDir)
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY])
    await client.query(CREATE_PRISMA_MIGRATIONS)
    const rows = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null }>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"',
    )
    const done = new Map(rows.rows.filter((r) => r.finished_at && !r.rolled_back_at).map((r) => [r.migration_name, r.checksum]))
    const failed = rows.rows.find((r) => !r.finished_at && !r.rolled_back_at)
    if (failed) throw new Error(`Migration ${failed.migration_name} failed earlier and was not rolled back; fix the database, then mark it rolled back`)

    const applied: string[] = []
    const alreadyApplied: string[] = []
    for (const m of migrations) {
      const checksum = done.get(m.name)
      if (checksum !== undefined) {
        if (checksum !== m.checksum) log.warn({ migration: m.name }, 'migration file changed after it was applied')
        alreadyApplied.push(m.name)
        continue
      }
      await client.query('BEGIN')
      try {
        const started = new Date()
        await client.query(m.sql)
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES ($1, $2, now(), $3, $4, 1)`,
          [randomUUID(), m.checksum, m.name, started],
        )
        await client.query('COMMIT')
      } catch (err) {
        await client.query('ROLLBACK')
        throw new Error(`Migration ${m.name} failed: ${(err as Error).message}`, { cause: err })
      }
      log.info({ migration: m.name }, 'migration applied')
      applied.push(m.name)
    }
    return { applied, alreadyApplied }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined)
    await client.end()
  }
}
