import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signInAs } from '../../support/credentials'
import { apiClient } from '../../support/http'
import { startServer, type ServerHandle } from '../../support/server'

/**
 * The README's start path on a machine with only Node.js: no DATABASE_URL, so Legation runs its own
 * PostgreSQL under the data folder. These tests start the built server exactly that way.
 */
let dataDir: string
/** Every server started here, so a failed assertion never leaves one (and its PostgreSQL) running. */
const servers: ServerHandle[] = []
const startEmbedded = () => startServer({ env: { DATABASE_URL: undefined, LEGATION_DATA_DIR: dataDir }, readyTimeoutMs: 90_000 })

function postmasterPid(): number | null {
  const file = path.join(dataDir, 'pg', 'postmaster.pid')
  return existsSync(file) ? Number(readFileSync(file, 'utf8').split('\n')[0]) : null
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** pg_ctl returns once postmaster.pid is gone, a moment before the process itself is reaped. */
async function waitUntilGone(pid: number, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
  return !isAlive(pid)
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'legation-embedded-'))
})
afterAll(async () => {
  for (const s of servers) await s.stop()
  if (dataDir) await rm(dataDir, { recursive: true, force: true })
})

describe('smoke: the built server on the embedded default', () => {
  let server: ServerHandle
  it('starts, is ready, serves the console and the API', async () => {
    server = await startEmbedded()
    servers.push(server)
    const ready = await fetch(`${server.baseUrl}/readyz`)
    expect(ready.status).toBe(200)
    expect(await ready.json()).toMatchObject({ status: 'ready', database: 'ok' })
    expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200)

    // The console, for a signed-in user.
    const page = await fetch(`${server.baseUrl}/`, { headers: await signInAs(server.baseUrl, 'smoke') })
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('Legation')
    expect(html).toContain('demo')

    const api = apiClient(server.baseUrl)
    expect((await api('POST', '/api/v1/fleets', { body: { name: 'persisted' } })).status).toBe(201)
    expect(postmasterPid()).not.toBeNull()
  })

  it('stops cleanly on SIGTERM: exit 0, its PostgreSQL stopped too', async () => {
    const pid = postmasterPid()!
    expect(await server.stop('SIGTERM')).toBe(0)
    expect(await waitUntilGone(pid)).toBe(true)
    expect(server.logs().some((l) => l['msg'] === 'stopped')).toBe(true)
  })
})

describe('restarts', () => {
  it('reuses the same cluster with its data intact', async () => {
    const server = await startEmbedded()
    servers.push(server)
    const api = apiClient(server.baseUrl)
    const fleets = await api<{ fleets: Array<{ name: string }> }>('GET', '/api/v1/fleets')
    expect(fleets.body.fleets.map((f) => f.name).sort()).toEqual(['demo', 'persisted'])
    // Not seeded twice: the demo fleet still has exactly one version.
    const versions = await api<{ versions: unknown[] }>('GET', '/api/v1/fleets/demo/versions')
    expect(versions.body.versions).toHaveLength(1)
    expect(server.logs().some((l) => l['msg'] === 'initialising embedded PostgreSQL')).toBe(false)
    expect(await server.stop()).toBe(0)
  })

  it('recovers after being killed with SIGKILL (its PostgreSQL left running)', async () => {
    const first = await startEmbedded()
    servers.push(first)
    await apiClient(first.baseUrl)('POST', '/api/v1/fleets', { body: { name: 'before-crash' } })
    const orphan = postmasterPid()!
    await first.stop('SIGKILL')
    expect(isAlive(orphan)).toBe(true)

    const second = await startEmbedded()
    servers.push(second)
    expect(await waitUntilGone(orphan)).toBe(true)
    const fleets = await apiClient(second.baseUrl)<{ fleets: Array<{ name: string }> }>('GET', '/api/v1/fleets')
    expect(fleets.body.fleets.map((f) => f.name)).toContain('before-crash')
    expect(await second.stop()).toBe(0)
  })

  it('refuses a second Legation on the same data folder, naming the folder', async () => {
    const first = await startEmbedded()
    servers.push(first)
    await expect(startEmbedded()).rejects.toThrow(/in use by another Legation/)
    expect(await first.stop()).toBe(0)
  })
})

describe('configuration errors', () => {
  it('stop the start with one line naming the variable', async () => {
    await expect(startServer({ env: { PORT: 'eighty' } })).rejects.toThrow(/Invalid setting PORT="eighty"/)
  })
})
