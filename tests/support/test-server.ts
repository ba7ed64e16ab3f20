import { afterAll, beforeAll, expect } from 'vitest'
import { createTestDatabase, type TestDatabase } from './database'
import { apiClient, type ApiClient } from './http'
import { startServer, type ServerHandle } from './server'
import { xdsPortOf } from './xds-fleet'

export type TestServer = Readonly<{ db: TestDatabase; server: ServerHandle; api: ApiClient; xdsPort: number }>

type Env = Record<string, string | undefined>

/**
 * The real server on a fresh database for one test file: started in a beforeAll, stopped in an
 * afterAll (it must exit 0, after a graceful shutdown) and its database dropped. The fields can be
 * read from the tests on (`api` may be taken at once). `env` may be a function, for settings
 * another beforeAll prepares.
 *
 * Hooks run as a stack (vitest's default): afterAll hooks registered after this call (closing
 * clients, stopping backends) run before the server stops.
 */
export function setupTestServer(label: string, env: Env | (() => Env) = {}): TestServer {
  let db: TestDatabase | undefined
  let started: TestServer | undefined

  beforeAll(async () => {
    db = await createTestDatabase(label)
    const server = await startServer({ env: { DATABASE_URL: db.url, ...(typeof env === 'function' ? env() : env) } })
    started = { db, server, api: apiClient(server.baseUrl), xdsPort: xdsPortOf(server) }
  })

  afterAll(async () => {
    const code = await started?.server.stop()
    await db?.drop()
    if (started) expect(code, 'the server exits 0 on SIGTERM').toBe(0)
  })

  const get = (): TestServer => {
    if (!started) throw new Error(`setupTestServer('${label}'): the server is not started yet (read it inside a test or hook)`)
    return started
  }
  return {
    get db() {
      return get().db
    },
    get server() {
      return get().server
    },
    // A function, not a getter, so `const { api } = setupTestServer(…)` works at the top of a file.
    api: (method, path, options) => get().api(method, path, options),
    get xdsPort() {
      return get().xdsPort
    },
  }
}
