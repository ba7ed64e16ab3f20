import { PrismaPg } from '@prisma/adapter-pg'
import pg from 'pg'
import { PrismaClient } from './generated/prisma/client'

export type Db = PrismaClient
export type { Prisma } from './generated/prisma/client'

const pools = new WeakMap<Db, pg.Pool>()

/** One client per database URL per process; main.ts owns its lifetime. */
export function createDb(databaseUrl: string, options: { max?: number } = {}): Db {
  // Our own pool (ended with the client) so that its connection counts can be read for /metrics.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: options.max ?? 10 })
  const db = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) })
  pools.set(db, pool)
  return db
}

/** The pool's connections (open, idle) and queries waiting for one. */
export function databasePoolStats(db: Db): { total: number; idle: number; waiting: number } | null {
  const pool = pools.get(db)
  return pool ? { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount } : null
}
