import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import readline from 'node:readline'

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
