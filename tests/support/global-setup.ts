import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { TestProject } from 'vitest/node'
import pino from 'pino'
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../server/store/embedded-postgres'

declare module 'vitest' {
  export interface ProvidedContext {
    /** A superuser URL on the Postgres the tests use; each test file makes its own database there. */
    pgAdminUrl: string
  }
}

let embedded: EmbeddedPostgres | null = null
let dataDir: string | null = null

/**
 * Integration tests use TEST_DATABASE_URL / DATABASE_URL when given (any superuser URL), otherwise a
 * real embedded PostgreSQL started here for the whole run: the same path a new user's machine takes.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL
  if (given) {
    project.provide('pgAdminUrl', given)
  } else {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'legation-test-pg-'))
    embedded = await startEmbeddedPostgres({ dataDir, log: pino({ level: 'warn' }) })
    project.provide('pgAdminUrl', embedded.url.replace(/\/legation$/, '/postgres'))
  }
  return async () => {
    await embedded?.stop()
    if (dataDir) await rm(dataDir, { recursive: true, force: true })
  }
}
