import { PrismaPg } from '@prisma/adapter-pg'
import { PrismaClient } from './generated/prisma/client'

export type Db = PrismaClient
export type { Prisma } from './generated/prisma/client'

/** One client per database URL per process; main.ts owns its lifetime. */
export function createDb(databaseUrl: string, options: { max?: number } = {}): Db {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: options.max ?? 10 })
  return new PrismaClient({ adapter })
}
