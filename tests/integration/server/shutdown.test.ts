import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import pg from 'pg'
import { embeddedDatabaseUrl, freePort, isPortFree, launchAsUser, PROJECT_ROOT, postmastersOf, processGroup, type UserLaunch } from '../../support/server'
import { waitFor } from '../../support/wait-for'
import { openSotwStream } from '../../support/xds-protocol-client'
import { LISTENER_TYPE_URL } from '../../support/xds-fleet'

/**
 * #17: Ctrl-C stops everything, and a restart is quick. Legation is started as users start it
 * (`npm start`, `npm run dev`, `npx tsx …`) in a new process group, on the embedded PostgreSQL, and
 * stopped the ways a terminal, `kill` and a crash stop it. After each stop: no process of the group
 * is left, the HTTP and xDS ports are free, no postmaster serves the data folder, and the next start
 * finds all the data written before it (rows written straight into its database, as an operator's
 * psql would, so that this test does not depend on the API's access rules).
 *
 * `npm start` first checks that the console build is up to date (`npm test` has just built it). In a
 * working tree being edited while the tests run, a source may be newer than the build: such a start
 * gets `--ignore-scripts` (skipping only that check) rather than rebuild under the other tests.
 */
const DRAIN_MS = 1000
/** Within the drain time plus a few seconds, everything is gone (#17 "Tests"). */
const GONE_WITHIN_MS = DRAIN_MS + 8000

let dataDir: string
let httpPort: number
let xdsPort: number
const launched: UserLaunch[] = []
/** Rows written so far: each start must still have all of them. */
const markers: string[] = []

/** `npm start`, as is when the console build is up to date (its check then builds nothing). */
function npmStart(): string[] {
  const fresh = spawnSync(process.execPath, ['scripts/build-console.mjs', '--check'], { cwd: PROJECT_ROOT, encoding: 'utf8' })
  return fresh.status === 0 ? ['npm', 'start'] : ['npm', 'start', '--ignore-scripts']
}

function launch(argv: readonly string[], env: Record<string, string | undefined> = {}): Promise<UserLaunch> {
  return launchAsUser({
    argv,
    env: { PORT: String(httpPort), XDS_PORT: String(xdsPort), HOST: '127.0.0.1', XDS_HOST: '127.0.0.1', LEGATION_DATA_DIR: dataDir, DATABASE_URL: undefined, LEGATION_SHUTDOWN_DRAIN_MS: String(DRAIN_MS), ...env },
    readyTimeoutMs: 90_000,
  }).then((l) => (launched.push(l), l))
}

async function query(url: string, text: string, values: unknown[] = []): Promise<Array<Record<string, unknown>>> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query(text, values)).rows
  } finally {
    await client.end()
  }
}

/** The server is ready and its data intact (the demo fleet, every row written so far); then one more row is written. */
async function checkDataAndAddRow(l: UserLaunch, name: string): Promise<void> {
  expect((await fetch(`${l.baseUrl}/readyz`)).status).toBe(200)
  const url = embeddedDatabaseUrl(dataDir, l.logs())
  await query(url, 'CREATE TABLE IF NOT EXISTS shutdown_marker (name text PRIMARY KEY)')
  const rows = await query(url, 'SELECT name FROM shutdown_marker ORDER BY name')
  expect(rows.map((r) => r['name'])).toEqual([...markers].sort())
  expect(await query(url, `SELECT name FROM fleet WHERE name = 'demo'`)).toHaveLength(1)
  await query(url, 'INSERT INTO shutdown_marker (name) VALUES ($1)', [name])
  markers.push(name)
}

/** Nothing of this start is left: no process of its group, no bound port, no postmaster. */
async function expectAllGone(l: UserLaunch): Promise<void> {
  await waitFor(() => processGroup(l.pgid).length === 0, { timeoutMs: GONE_WITHIN_MS, what: `every process of group ${l.pgid} gone (left: ${JSON.stringify(processGroup(l.pgid))})` })
  expect(await isPortFree(httpPort), `HTTP port ${httpPort} free`).toBe(true)
  expect(await isPortFree(xdsPort), `xDS port ${xdsPort} free`).toBe(true)
  await waitFor(() => postmastersOf(dataDir).length === 0, { timeoutMs: 5000, what: 'no postmaster for the data folder' })
  expect(existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false)
}

const messages = (l: UserLaunch) => l.logs().map((line) => String(line['msg']))

/** The graceful shutdown ran once, with its log lines, to its end. */
async function expectOneGracefulShutdown(l: UserLaunch, signal: string): Promise<void> {
  await l.exited
  expect(messages(l).filter((m) => m.startsWith('shutting down')), messages(l).join('\n')).toEqual([`shutting down (${signal})`])
  expect(messages(l).filter((m) => m === 'stopped')).toHaveLength(1)
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'legation-shutdown-'))
  httpPort = await freePort()
  xdsPort = await freePort()
})

afterAll(async () => {
  // A failed assertion must not leave a server or its PostgreSQL running.
  for (const l of launched) {
    try {
      process.kill(-l.pgid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
  for (const p of dataDir ? postmastersOf(dataDir) : []) {
    try {
      process.kill(p.pid, 'SIGQUIT')
    } catch {
      // already gone
    }
  }
  if (dataDir) await rm(dataDir, { recursive: true, force: true })
})

describe('npm start', () => {
  it.each([1, 2, 3])('Ctrl-C (SIGINT to the process group) stops everything, every time (#%i)', async (round) => {
    const argv = npmStart()
    const l = await launch(argv)
    if (!argv.includes('--ignore-scripts')) {
      // With an up-to-date build, npm start builds nothing: a restart is ready in seconds (about 5 s
      // on an idle 2-core machine; the bound leaves room for a loaded CI runner, a rebuild takes longer).
      expect(messages(l)).toContain('legation: console build is up to date (npm run build to force one)')
      if (round > 1) expect(l.readyMs, `ready after ${l.readyMs} ms`).toBeLessThan(20_000)
    }
    await checkDataAndAddRow(l, `ctrl-c-${round}`)
    process.kill(-l.pgid, 'SIGINT')
    await expectAllGone(l)
    // npm relays the terminal's SIGINT: the server hears it twice and shuts down once.
    await expectOneGracefulShutdown(l, 'SIGINT')
    expect(await l.exited).toBe(0)
  })

  it('SIGTERM to the process group', async () => {
    const l = await launch(npmStart())
    await checkDataAndAddRow(l, 'sigterm-group')
    process.kill(-l.pgid, 'SIGTERM')
    await expectAllGone(l)
    await expectOneGracefulShutdown(l, 'SIGTERM')
  })

  it('SIGTERM to npm alone (it relays it to the server)', async () => {
    const l = await launch(npmStart())
    await checkDataAndAddRow(l, 'sigterm-npm')
    process.kill(l.pgid, 'SIGTERM')
    await expectAllGone(l)
    await expectOneGracefulShutdown(l, 'SIGTERM')
  })

  it('SIGHUP (the terminal closed)', async () => {
    const l = await launch(npmStart())
    await checkDataAndAddRow(l, 'sighup')
    process.kill(-l.pgid, 'SIGHUP')
    await expectAllGone(l)
    await expectOneGracefulShutdown(l, 'SIGHUP')
  })

  it('SIGKILL of npm: the server notices its parent is gone and shuts down', async () => {
    const l = await launch(npmStart())
    await checkDataAndAddRow(l, 'npm-killed')
    process.kill(l.pgid, 'SIGKILL')
    await expectAllGone(l)
    await l.exited
    expect(messages(l).some((m) => /^shutting down \(parent process \d+ exited\)$/.test(m)), messages(l).join('\n')).toBe(true)
  })

  it('SIGKILL of the server: its PostgreSQL is left running, and the next start stops it, with the data intact', async () => {
    const killed = await launch(npmStart())
    await checkDataAndAddRow(killed, 'before-sigkill')
    process.kill(killed.serverPid()!, 'SIGKILL')
    await waitFor(() => processGroup(killed.pgid).length === 0, { timeoutMs: GONE_WITHIN_MS, what: 'npm exits once its server died' })
    expect(postmastersOf(dataDir).length).toBeGreaterThan(0)

    const next = await launch(npmStart())
    expect(messages(next).filter((m) => m.includes('that a previous Legation left running'))).toHaveLength(1)
    await checkDataAndAddRow(next, 'after-sigkill')
    process.kill(-next.pgid, 'SIGINT')
    await expectAllGone(next)
  })

  it('a second signal during the drain skips it but still stops the embedded PostgreSQL', async () => {
    // A long drain and a connected proxy: the graceful stop would wait 60 s for it.
    const l = await launch(npmStart(), { LEGATION_SHUTDOWN_DRAIN_MS: '60000' })
    const stream = openSotwStream(l.xdsPort)
    stream.send({ type_url: LISTENER_TYPE_URL, node: { id: 'second-signal', cluster: 'demo' } })
    await stream.next()
    process.kill(-l.pgid, 'SIGINT')
    await waitFor(() => messages(l).includes('shutting down (SIGINT)'), { what: 'the graceful shutdown began' })
    // Past the window in which repeated (relayed) signals count as one.
    await new Promise((r) => setTimeout(r, 1200))
    const secondAt = Date.now()
    process.kill(-l.pgid, 'SIGINT')
    await expectAllGone(l)
    expect(Date.now() - secondAt).toBeLessThan(GONE_WITHIN_MS)
    await l.exited
    expect(messages(l)).toContain('second signal (SIGINT): stopping the embedded PostgreSQL and exiting now')
    stream.close()
  })
})

describe('npm run dev', () => {
  // Next's development server takes longer to start.
  it.each(['SIGINT', 'SIGTERM'] as const)('%s to the process group stops the watcher, the server and its PostgreSQL', { timeout: 150_000 }, async (signal) => {
    const l = await launch(['npm', 'run', 'dev'])
    await checkDataAndAddRow(l, `dev-${signal}`)
    process.kill(-l.pgid, signal)
    await expectAllGone(l)
    await expectOneGracefulShutdown(l, signal)
  })
})

describe('npx', () => {
  it('Ctrl-C with `npx tsx server/main.ts` (tsx relays the signal to its child)', async () => {
    const l = await launch(['npx', 'tsx', 'server/main.ts'])
    await checkDataAndAddRow(l, 'npx')
    process.kill(-l.pgid, 'SIGINT')
    await expectAllGone(l)
    await expectOneGracefulShutdown(l, 'SIGINT')
  })
})
