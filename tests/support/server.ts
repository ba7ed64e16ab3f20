import { spawn, type ChildProcess } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import readline from 'node:readline'
import { TEST_ADMIN_TOKEN } from './credentials'

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '..', '..')

export type ServerHandle = Readonly<{
  baseUrl: string
  port: number
  process: ChildProcess
  /** Every log line so far, parsed. */
  logs: () => ReadonlyArray<Record<string, unknown>>
  /** Sends the signal and resolves with the exit code. */
  stop: (signal?: NodeJS.Signals) => Promise<number | null>
}>

export type StartServerOptions = Readonly<{ env: Record<string, string | undefined>; readyTimeoutMs?: number; nodeArgs?: readonly string[] }>

/**
 * Starts the real product as a user would (`tsx server/main.ts`, production Next build) on free
 * ports, and waits for its "ready" log line, which carries the HTTP port it bound.
 */
export async function startServer(options: StartServerOptions): Promise<ServerHandle> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: '0',
    XDS_HOST: '127.0.0.1',
    XDS_PORT: '0',
    LOG_LEVEL: 'info',
    NEXT_TELEMETRY_DISABLED: '1',
    LEGATION_SHUTDOWN_DRAIN_MS: '1000',
    LEGATION_BOOTSTRAP_TOKEN: TEST_ADMIN_TOKEN,
    TEST_DATABASE_URL: undefined,
    ...options.env,
  }
  const definedEnv = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined))
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', 'server/main.ts'], { cwd: PROJECT_ROOT, env: definedEnv as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] })
  const lines: Array<Record<string, unknown>> = []
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  let stderr = ''
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()))
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server not ready in time; logs:\n${lines.map((l) => JSON.stringify(l)).join('\n')}\n${stderr}`)), options.readyTimeoutMs ?? 60_000)
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      let parsed: Record<string, unknown>
      try {
        parsed = JSON.parse(line) as Record<string, unknown>
      } catch {
        parsed = { msg: line }
      }
      lines.push(parsed)
      if (typeof parsed['port'] === 'number' && String(parsed['msg']).startsWith('Legation is ready')) {
        clearTimeout(timer)
        resolve(parsed['port'])
      }
    })
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`server exited with ${code} before it was ready:\n${lines.map((l) => JSON.stringify(l)).join('\n')}\n${stderr}`))
    })
  })
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    port,
    process: child,
    logs: () => lines,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode !== null) return child.exitCode
      child.kill(signal)
      return exited
    },
  }
}

export type UserLaunch = Readonly<{
  /** The process group (and session) the command runs in; its leader is the command itself (npm, npx). */
  pgid: number
  baseUrl: string
  port: number
  xdsPort: number
  /** Every line of output so far, JSON lines parsed, others as `{ msg }`. */
  logs: () => ReadonlyArray<Record<string, unknown>>
  /** The leader's exit code (null when it died of a signal), once every process holding its output has closed it (so every log line has been read). */
  exited: Promise<number | null>
  /** The process running server/main.ts, found in the group; null once it is gone. */
  serverPid: () => number | null
  /** From the spawn to the ready line (or `until`'s line). */
  readyMs: number
}>

/**
 * Starts Legation the way a user does, e.g. `npm start` or `npm run dev`, in a new session and so a
 * new process group (as `setsid` does; a terminal's Ctrl-C goes to such a group), and waits for the
 * ready line. Settings come from `env`; the test's own TEST_DATABASE_URL is not passed on.
 */
export async function launchAsUser(options: {
  argv: readonly string[]
  env: Record<string, string | undefined>
  readyTimeoutMs?: number
  /** Resolve at the first log line whose msg starts with this instead of the ready line (port fields are then 0). */
  until?: string
}): Promise<UserLaunch> {
  const startedAt = Date.now()
  const until = options.until ?? 'Legation is ready'
  const env: Record<string, string | undefined> = {
    ...process.env,
    NODE_ENV: undefined,
    LOG_LEVEL: 'info',
    NEXT_TELEMETRY_DISABLED: '1',
    LEGATION_BOOTSTRAP_TOKEN: TEST_ADMIN_TOKEN,
    TEST_DATABASE_URL: undefined,
    ...options.env,
  }
  const definedEnv = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined))
  const [command, ...args] = options.argv
  const child = spawn(command!, args, { cwd: PROJECT_ROOT, env: definedEnv as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  const pgid = child.pid!
  const lines: Array<Record<string, unknown>> = []
  const onLine = (line: string) => {
    let parsed: Record<string, unknown>
    try {
      parsed = JSON.parse(line) as Record<string, unknown>
    } catch {
      parsed = { msg: line }
    }
    lines.push(parsed)
  }
  readline.createInterface({ input: child.stdout! }).on('line', onLine)
  readline.createInterface({ input: child.stderr! }).on('line', onLine)
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)))
  // A start that never gets ready must not outlive the test: the whole group goes.
  const killGroup = () => {
    try {
      process.kill(-pgid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
  const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000)
    const dump = () => lines.map((l) => JSON.stringify(l)).join('\n')
    const poll = setInterval(() => {
      const line = lines.find((l) => String(l['msg']).startsWith(until))
      if (line) {
        clearInterval(poll)
        resolve(line)
      } else if (child.exitCode !== null || child.signalCode !== null) {
        clearInterval(poll)
        killGroup()
        reject(new Error(`${options.argv.join(' ')} exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${dump()}`))
      } else if (Date.now() > deadline) {
        clearInterval(poll)
        killGroup()
        reject(new Error(`${options.argv.join(' ')} not ready in time:\n${dump()}`))
      }
    }, 20)
  })
  const readyMs = Date.now() - startedAt
  const port = typeof ready['port'] === 'number' ? ready['port'] : 0
  return {
    readyMs,
    pgid,
    baseUrl: `http://127.0.0.1:${port}`,
    port,
    xdsPort: typeof ready['xdsPort'] === 'number' ? ready['xdsPort'] : 0,
    logs: () => lines,
    exited,
    serverPid: () => processGroup(pgid).find((p) => p.args.includes('server/main.ts') && !p.args.includes('--watch'))?.pid ?? null,
  }
}

export type ProcessInfo = Readonly<{ pid: number; pgid: number; args: string }>

function listProcesses(): ProcessInfo[] {
  const out: ProcessInfo[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      if (fields[0] === 'Z') continue // exited, waiting for its parent to reap it
      const args = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ').trim()
      out.push({ pid: Number(name), pgid: Number(fields[2]), args })
    } catch {
      // gone meanwhile
    }
  }
  return out
}

/** The live processes of a process group (Linux /proc). */
export function processGroup(pgid: number): ProcessInfo[] {
  return listProcesses().filter((p) => p.pgid === pgid)
}

/** Postmasters (and their backends) serving `<dataDir>/pg`. */
export function postmastersOf(dataDir: string): ProcessInfo[] {
  const pgDir = path.join(dataDir, 'pg')
  return listProcesses().filter((p) => p.args.includes(`-D ${pgDir} `) || p.args.endsWith(`-D ${pgDir}`))
}

/** True when nothing listens on 127.0.0.1:port (we can bind it ourselves). */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

/**
 * The URL of a running server's embedded PostgreSQL, as an operator finds it: the port in the
 * 'embedded PostgreSQL ready' log line, the password in `<data dir>/postgres.password`.
 */
export function embeddedDatabaseUrl(dataDir: string, logs: ReadonlyArray<Record<string, unknown>>): string {
  const ready = [...logs].reverse().find((l) => l['msg'] === 'embedded PostgreSQL ready')
  if (!ready) throw new Error('no "embedded PostgreSQL ready" line in the log')
  const password = readFileSync(path.join(dataDir, 'postgres.password'), 'utf8').trim()
  return `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${String(ready['port'])}/legation`
}
