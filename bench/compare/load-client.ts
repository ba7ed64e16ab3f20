import { spawn, type ChildProcess } from 'node:child_process'
import readline from 'node:readline'

/** One JSON line the Go load client (bench/reference/cmd/xds-load) printed. */
export type LoadEvent = Readonly<{ event: string } & Record<string, unknown>>

export type LoadClientOptions = Readonly<{
  bin: string
  target: string
  proxies: number
  mode: 'sotw' | 'delta'
  /** node.cluster: Legation's fleet name, the reference server's snapshot key. */
  fleet: string
  nodePrefix: string
  /** Streams opened per second on `connect` (0: all at once). */
  connectRate?: number
  /** ADS streams per HTTP/2 connection (1: one connection per proxy). */
  streamsPerConn?: number
  timeoutMs: number
}>

export type LoadClient = Readonly<{
  pid: number
  /** Writes one command line (connect, mark, disconnect, reconnect, status, quit). */
  send: (command: string) => void
  /** The next event named `name` (events before it are dropped); rejects on a timeout or error event, or if the client exits. */
  next: (name: string, timeoutMs?: number) => Promise<LoadEvent>
  quit: () => Promise<void>
}>

const num = (e: LoadEvent, key: string): number => {
  const v = e[key]
  if (typeof v !== 'number') throw new Error(`event ${e.event} has no number ${key}: ${JSON.stringify(e)}`)
  return v
}
export { num as eventNumber }

/** Starts the load client and waits for its `ready` event. */
export async function startLoadClient(options: LoadClientOptions): Promise<LoadClient> {
  const args = [
    '-target', options.target,
    '-proxies', String(options.proxies),
    '-mode', options.mode,
    '-cluster', options.fleet,
    '-node-prefix', options.nodePrefix,
    '-user-agent-name', 'envoy',
    '-connect-rate', String(options.connectRate ?? 0),
    '-streams-per-conn', String(options.streamsPerConn ?? 1),
    '-timeout', `${options.timeoutMs}ms`,
  ]
  const child: ChildProcess = spawn(options.bin, args, { stdio: ['pipe', 'pipe', 'inherit'] })
  const queue: LoadEvent[] = []
  let waiter: (() => void) | null = null
  let exited = false
  readline.createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      queue.push(JSON.parse(line) as LoadEvent)
    } catch {
      queue.push({ event: 'output', line })
    }
    waiter?.()
  })
  child.once('exit', () => {
    exited = true
    waiter?.()
  })

  const next = async (name: string, timeoutMs = options.timeoutMs + 30_000): Promise<LoadEvent> => {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      while (queue.length > 0) {
        const e = queue.shift()!
        if (e.event === name) return e
        if (e.event === 'timeout' || e.event === 'error') throw new Error(`load client (${options.mode}, ${options.proxies} proxies) while waiting for ${name}: ${JSON.stringify(e)}`)
      }
      if (exited) throw new Error(`load client exited while waiting for ${name}`)
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`no ${name} event from the load client in ${timeoutMs} ms`)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left)
        waiter = () => {
          clearTimeout(timer)
          waiter = null
          resolve()
        }
      })
    }
  }
  const send = (command: string): void => {
    child.stdin!.write(`${command}\n`)
  }
  await next('ready', 60_000)
  return {
    pid: child.pid!,
    send,
    next,
    quit: async () => {
      if (exited) return
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()))
      send('quit')
      child.stdin!.end()
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
      await gone
      clearTimeout(timer)
    },
  }
}
