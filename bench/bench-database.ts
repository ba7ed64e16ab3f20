import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'

/**
 * Where a benchmark's server keeps its data: a fresh database on BENCH_DATABASE_URL's server, or
 * (unset) an embedded PostgreSQL in a temporary data folder. `env` is what to give the server.
 */
export async function benchStorage(): Promise<{ env: Record<string, string | undefined>; databaseUrl: string | null; cleanup: () => Promise<void> }> {
  const adminUrl = process.env.BENCH_DATABASE_URL
  if (!adminUrl) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'legation-bench-'))
    return { env: { DATABASE_URL: undefined, LEGATION_DATA_DIR: dir }, databaseUrl: null, cleanup: () => rm(dir, { recursive: true, force: true }) }
  }
  const name = `legation_bench_${randomBytes(3).toString('hex')}`
  const admin = async (sql: string): Promise<void> => {
    const c = new pg.Client({ connectionString: adminUrl })
    await c.connect()
    try {
      await c.query(sql)
    } finally {
      await c.end()
    }
  }
  await admin(`CREATE DATABASE ${name}`)
  const u = new URL(adminUrl)
  u.pathname = `/${name}`
  return { env: { DATABASE_URL: u.toString() }, databaseUrl: u.toString(), cleanup: () => admin(`DROP DATABASE ${name} WITH (FORCE)`) }
}
