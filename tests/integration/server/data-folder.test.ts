import { spawn } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import pino from 'pino'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../../server/store/embedded-postgres'
import { embeddedDatabaseUrl, launchAsUser, postmastersOf, processGroup, startServer, type ServerHandle } from '../../support/server'
import { waitFor } from '../../support/wait-for'

/**
 * #16 items 1-3: the data folder is the only copy of the user's data. Deleting or damaging the
 * password file, killing the very first start, or a stale pid file must never wipe it or wedge it.
 * Real embedded PostgreSQL clusters, real processes.
 */
const dirs: string[] = []
const running: EmbeddedPostgres[] = []
const servers: ServerHandle[] = []
const groups: number[] = []

async function newDataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'legation-data-'))
  dirs.push(dir)
  return dir
}

function captureLog() {
  const lines: Array<Record<string, unknown>> = []
  const log = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) })
  return { log, messages: () => lines.map((l) => String(l['msg'])) }
}

async function start(dataDir: string, options: { resetData?: boolean } = {}) {
  const { log, messages } = captureLog()
  const pgInstance = await startEmbeddedPostgres({ dataDir, log, ...options })
  running.push(pgInstance)
  return { pg: pgInstance, messages }
}

async function query<T extends pg.QueryResultRow = Record<string, unknown>>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query<T>(sql)).rows
  } finally {
    await client.end()
  }
}

/** A cluster with one row of user data in it, stopped. */
async function clusterWithData(dataDir: string): Promise<void> {
  const { pg: first } = await start(dataDir)
  await query(first.url, `CREATE TABLE precious (v text); INSERT INTO precious VALUES ('keep me')`)
  await first.stop()
}

afterEach(async () => {
  for (const p of running.splice(0)) await p.stop()
})

afterAll(async () => {
  for (const s of servers) await s.stop('SIGKILL')
  for (const g of groups) {
    try {
      process.kill(-g, 'SIGKILL')
    } catch {
      // gone
    }
  }
  for (const dir of dirs) {
    for (const p of postmastersOf(dir)) process.kill(p.pid, 'SIGQUIT')
    await rm(dir, { recursive: true, force: true })
  }
})

describe('postgres.password (#16 item 1)', () => {
  it('a deleted password file is an error that names the fix; the database is untouched and opens once it is restored', async () => {
    const dataDir = await newDataDir()
    await clusterWithData(dataDir)
    const passwordFile = path.join(dataDir, 'postgres.password')
    const password = await readFile(passwordFile, 'utf8')
    await rm(passwordFile)

    // Through the real server, as a user meets it: exit 1 with the reason on the fatal line.
    const failed = startServer({ env: { DATABASE_URL: undefined, LEGATION_DATA_DIR: dataDir } })
    await expect(failed).rejects.toThrow(/postgres\.password is missing.*restore postgres\.password from a backup.*LEGATION_RESET_DATA=1/)
    expect(postmastersOf(dataDir)).toEqual([])
    expect(existsSync(path.join(dataDir, 'pg', 'PG_VERSION'))).toBe(true)

    await writeFile(passwordFile, password)
    const { pg: restored } = await start(dataDir)
    expect(await query(restored.url, 'SELECT v FROM precious')).toEqual([{ v: 'keep me' }])
  })

  it('a wrong password file is an error too, and leaves no postmaster running', async () => {
    const dataDir = await newDataDir()
    await clusterWithData(dataDir)
    const passwordFile = path.join(dataDir, 'postgres.password')
    const password = await readFile(passwordFile, 'utf8')
    await writeFile(passwordFile, 'not-the-password')

    await expect(start(dataDir)).rejects.toMatchObject({ code: 'EMBEDDED_PG.PASSWORD_WRONG', message: expect.stringMatching(/refused the password.*LEGATION_RESET_DATA=1/) })
    expect(postmastersOf(dataDir)).toEqual([])

    await writeFile(passwordFile, password)
    const { pg: restored } = await start(dataDir)
    expect(await query(restored.url, 'SELECT v FROM precious')).toEqual([{ v: 'keep me' }])
  })

  it('LEGATION_RESET_DATA=1 starts empty by moving the old database aside, never deleting it', async () => {
    const dataDir = await newDataDir()
    await clusterWithData(dataDir)
    await rm(path.join(dataDir, 'postgres.password'))

    const server = await startServer({ env: { DATABASE_URL: undefined, LEGATION_DATA_DIR: dataDir, LEGATION_RESET_DATA: '1' }, readyTimeoutMs: 90_000 })
    servers.push(server)
    expect(server.logs().filter((l) => String(l['msg']).startsWith('moved the embedded PostgreSQL aside'))).toHaveLength(1)
    const url = embeddedDatabaseUrl(dataDir, server.logs())
    expect(await query(url, `SELECT to_regclass('precious') AS t`)).toEqual([{ t: null }])
    expect(await query(url, 'SELECT name FROM fleet')).toEqual([{ name: 'demo' }])
    expect(await server.stop()).toBe(0)

    const aside = readdirSync(dataDir).filter((name) => name.startsWith('reset-'))
    expect(aside).toHaveLength(1)
    expect(existsSync(path.join(dataDir, aside[0]!, 'pg', 'PG_VERSION'))).toBe(true)
  })

  it('with LEGATION_RESET_DATA, a wrong password file moves the database aside too', async () => {
    const dataDir = await newDataDir()
    await clusterWithData(dataDir)
    await writeFile(path.join(dataDir, 'postgres.password'), 'not-the-password')

    const { pg: fresh, messages } = await start(dataDir, { resetData: true })
    expect(messages().filter((m) => m.startsWith('moved the embedded PostgreSQL aside'))).toHaveLength(1)
    expect(await query(fresh.url, `SELECT to_regclass('precious') AS t`)).toEqual([{ t: null }])
    const aside = readdirSync(dataDir).filter((name) => name.startsWith('reset-'))
    expect(aside).toHaveLength(1)
    expect(await readFile(path.join(dataDir, aside[0]!, 'postgres.password'), 'utf8')).toBe('not-the-password')
  })
})

describe('a kill during the first start (#16 item 2)', () => {
  it('SIGKILL of the process group while initdb runs: the next start initialises again and works', async () => {
    const dataDir = await newDataDir()
    const first = await launchAsUser({ argv: [process.execPath, '--import', 'tsx', 'server/main.ts'], env: { DATABASE_URL: undefined, LEGATION_DATA_DIR: dataDir, PORT: '0', XDS_PORT: '0' }, until: 'initialising embedded PostgreSQL' })
    groups.push(first.pgid)
    // Killed once initdb has written PG_VERSION but before it has finished: the cluster it leaves is
    // half made (what used to wedge the folder: later starts took it for a complete one).
    const halfMade = () => ['pg', ...readdirSync(dataDir).filter((n) => n.startsWith('pg.init-'))].some((d) => existsSync(path.join(dataDir, d, 'PG_VERSION')))
    await waitFor(() => halfMade() && processGroup(first.pgid).some((p) => p.args.includes('initdb')), { timeoutMs: 10_000, intervalMs: 2, what: 'initdb running, PG_VERSION written' })
    process.kill(-first.pgid, 'SIGKILL')
    await waitFor(() => processGroup(first.pgid).length === 0, { what: 'the killed group gone' })

    const server = await startServer({ env: { DATABASE_URL: undefined, LEGATION_DATA_DIR: dataDir }, readyTimeoutMs: 90_000 })
    servers.push(server)
    expect(server.logs().map((l) => l['msg'])).toContain('initialising embedded PostgreSQL')
    expect((await fetch(`${server.baseUrl}/readyz`)).status).toBe(200)
    expect(await query(embeddedDatabaseUrl(dataDir, server.logs()), 'SELECT name FROM fleet')).toEqual([{ name: 'demo' }])
    expect(await server.stop()).toBe(0)
    expect(postmastersOf(dataDir)).toEqual([])
    expect(readdirSync(dataDir).filter((name) => name.startsWith('pg.init-'))).toEqual([])
  })
})

describe('legation.pid (#16 item 3)', () => {
  it('a pid file naming a live process that is not Legation does not block the start', async () => {
    const dataDir = await newDataDir()
    const unrelated = spawn('sleep', ['60'], { stdio: 'ignore' })
    try {
      // The old format (a pid alone) and the new one (pid and start time) with a start time that is not this process's.
      for (const content of [`${unrelated.pid}\n`, `${unrelated.pid}\n1\n`]) {
        await writeFile(path.join(dataDir, 'legation.pid'), content)
        const { pg: started } = await start(dataDir)
        await started.stop()
      }
    } finally {
      unrelated.kill()
    }
  })
})
