import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import pg from 'pg'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrateDatabase, readMigrations } from '../../../server/store/migrate'
import { createTestDatabase, type TestDatabase } from '../../support/database'
import { PROJECT_ROOT } from '../../support/server'

const run = promisify(execFile)
const MIGRATIONS = path.join(PROJECT_ROOT, 'prisma', 'migrations')
const log = pino({ level: 'silent' })

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query<T>(sql)).rows
  } finally {
    await client.end()
  }
}

describe('migrations', () => {
  let db: TestDatabase
  beforeAll(async () => (db = await createTestDatabase('migrate')))
  afterAll(async () => db?.drop())

  it('applies every migration once and records it the way Prisma does', async () => {
    const first = await migrateDatabase({ databaseUrl: db.url, migrationsDir: MIGRATIONS, log })
    const files = await readMigrations(MIGRATIONS)
    expect(first.applied).toEqual(files.map((f) => f.name))
    const rows = await query<{ migration_name: string; checksum: string; finished_at: Date | null }>(db.url, 'SELECT migration_name, checksum, finished_at FROM _prisma_migrations ORDER BY migration_name')
    expect(rows.map((r) => r.migration_name)).toEqual(files.map((f) => f.name))
    expect(rows.map((r) => r.checksum)).toEqual(files.map((f) => f.checksum))
    expect(rows.every((r) => r.finished_at !== null)).toBe(true)
  })

  it('is a no-op the second time', async () => {
    const tablesBefore = await query(db.url, `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`)
    const second = await migrateDatabase({ databaseUrl: db.url, migrationsDir: MIGRATIONS, log })
    expect(second.applied).toEqual([])
    expect(second.alreadyApplied.length).toBeGreaterThan(0)
    expect(await query(db.url, `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`)).toEqual(tablesBefore)
    const count = await query<{ n: string }>(db.url, 'SELECT count(*)::text AS n FROM _prisma_migrations')
    expect(Number(count[0]?.n)).toBe(second.alreadyApplied.length)
  })
})

describe('two processes migrating at once', () => {
  let db: TestDatabase
  beforeAll(async () => (db = await createTestDatabase('migrate_race')))
  afterAll(async () => db?.drop())

  it('serialise on the advisory lock: one applies, the other finds everything done', async () => {
    const migrate = () => run(process.execPath, ['--import', 'tsx', 'scripts/migrate.ts'], { cwd: PROJECT_ROOT, env: { ...process.env, DATABASE_URL: db.url } })
    const results = await Promise.all([migrate(), migrate(), migrate()])
    const parsed = results.map((r) => JSON.parse(r.stdout.trim()) as { applied: string[]; alreadyApplied: string[] })
    const total = (await readMigrations(MIGRATIONS)).length
    expect(parsed.map((p) => p.applied.length).reduce((a, b) => a + b, 0)).toBe(total)
    const rows = await query<{ n: string }>(db.url, 'SELECT count(*)::text AS n FROM _prisma_migrations')
    expect(Number(rows[0]?.n)).toBe(total)
  })
})

/**
 * The hand-written SQL migrations must produce exactly what prisma/schema.prisma describes, since
 * `prisma migrate diff` can't run here. This reads the schema's models (a small parser that covers
 * the attributes we use) and compares every column's name, type and nullability, and every enum.
 */
describe('the migrated database matches schema.prisma', () => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await createTestDatabase('schema')
    await migrateDatabase({ databaseUrl: db.url, migrationsDir: MIGRATIONS, log })
  })
  afterAll(async () => db?.drop())

  type Column = { table: string; column: string; type: string; nullable: boolean }

  function expectedFromSchema(): { columns: Column[]; enums: Record<string, string[]> } {
    const schema = readFileSync(path.join(PROJECT_ROOT, 'prisma', 'schema.prisma'), 'utf8')
    const enums: Record<string, string[]> = {}
    for (const m of schema.matchAll(/^enum (\w+) \{([^}]*)\}/gm)) {
      enums[m[1]!] = m[2]!.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('//'))
    }
    // A model's body ends at the first line that is just "}" (doc comments may contain braces).
    const models = [...schema.matchAll(/^model (\w+) \{\n([\s\S]*?)\n\}/gm)].map((m) => ({ name: m[1]!, body: m[2]! }))
    const modelNames = new Set(models.map((m) => m.name))
    const columns: Column[] = []
    for (const model of models) {
      const table = /@@map\("([^"]+)"\)/.exec(model.body)?.[1] ?? model.name
      for (const line of model.body.split('\n')) {
        const field = /^\s+(\w+)\s+(\w+)(\[\])?(\?)?(.*)$/.exec(line)
        if (!field || line.trim().startsWith('//') || line.trim().startsWith('@@')) continue
        const [, name, baseType, list, optional, attrs] = field
        if (list || modelNames.has(baseType!)) continue // relation fields have no column
        const column = /@map\("([^"]+)"\)/.exec(attrs!)?.[1] ?? name!
        const nativeType = /@db\.(\w+)/.exec(attrs!)?.[1]
        const type = enums[baseType!]
          ? `enum:${baseType}`
          : ({ String: nativeType === 'Uuid' ? 'uuid' : 'text', Int: 'integer', BigInt: 'bigint', DateTime: 'timestamp with time zone', Json: 'jsonb', Boolean: 'boolean' } as Record<string, string>)[baseType!]
        columns.push({ table, column, type: type ?? `unknown:${baseType}`, nullable: Boolean(optional) })
      }
    }
    return { columns, enums }
  }

  it('has every column with the right type and nullability, and nothing else', async () => {
    const expected = expectedFromSchema()
    const actual = await query<{ table_name: string; column_name: string; data_type: string; udt_name: string; is_nullable: string }>(
      db.url,
      `SELECT table_name, column_name, data_type, udt_name, is_nullable FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
    )
    const normalise = (c: Column) => `${c.table}.${c.column}: ${c.type}${c.nullable ? ' null' : ''}`
    const actualColumns = actual.map((r) => ({ table: r.table_name, column: r.column_name, type: r.data_type === 'USER-DEFINED' ? `enum:${r.udt_name}` : r.data_type, nullable: r.is_nullable === 'YES' }))
    expect(actualColumns.map(normalise).sort()).toEqual(expected.columns.map(normalise).sort())
  })

  it('has the same enums and values', async () => {
    const { enums } = expectedFromSchema()
    const rows = await query<{ typname: string; enumlabel: string }>(db.url, `SELECT t.typname, e.enumlabel FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid ORDER BY t.typname, e.enumsortorder`)
    const actual: Record<string, string[]> = {}
    for (const r of rows) (actual[r.typname] ??= []).push(r.enumlabel)
    expect(actual).toEqual(enums)
  })
})
