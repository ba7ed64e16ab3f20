import net from 'node:net'

/**
 * Pipes `client` to a new connection to `target`, both tracked in `sockets`. Either side closing or
 * failing ends the other: a backend that dies (SIGKILL) resets its clients' connections too.
 */
function relay(client: net.Socket, target: { host: string; port: number }, sockets: Set<net.Socket>): net.Socket {
  const upstream = net.connect(target.port, target.host)
  for (const [s, other] of [[client, upstream], [upstream, client]] as const) {
    sockets.add(s)
    s.on('close', () => {
      sockets.delete(s)
      other.destroy()
    })
    s.on('error', () => undefined)
  }
  client.pipe(upstream).pipe(client)
  return upstream
}

export type TcpRelay = Readonly<{ port: number; cut: () => Promise<void>; restore: () => Promise<void>; close: () => Promise<void> }>

/**
 * A TCP relay to `target` (the test database) that can be cut (listener closed, connections reset)
 * and restored on the same port: a database outage without touching the database.
 */
export async function startTcpRelay(target: { host: string; port: number }): Promise<TcpRelay> {
  const sockets = new Set<net.Socket>()
  const server = net.createServer((client) => relay(client, target, sockets))
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, '127.0.0.1', () => resolve())
    })
  await listen(0)
  const port = (server.address() as net.AddressInfo).port
  return {
    port,
    cut: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      for (const s of sockets) s.destroy()
      await closed
    },
    restore: () => listen(port),
    close: async () => {
      for (const s of sockets) s.destroy()
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** `url` with its host and port replaced by the relay's. */
export function viaRelay(url: string, relay: TcpRelay): string {
  const u = new URL(url)
  u.hostname = '127.0.0.1'
  u.port = String(relay.port)
  return u.toString()
}

export type TcpBalancer = Readonly<{
  port: number
  /**
   * Loopback addresses the balancer listens on, all on `port`: one per proxy, because grpc-js shares
   * one connection among its channels to the same address, where each real proxy has its own.
   */
  hosts: readonly string[]
  /** How many connections were sent to each backend port so far. */
  connectionsTo: (backendPort: number) => number
  /** Resolves once the balancer's latest probe of the backend gave `ready`. */
  waitUntil: (backendPort: number, ready: boolean, timeoutMs?: number) => Promise<void>
  close: () => Promise<void>
}>

export type BalancerBackend = Readonly<{ port: number; host?: string; readyUrl: string }>

/**
 * A TCP load balancer in front of several replicas' xDS ports, as a Kubernetes Service is: each new
 * connection goes to the next backend (round robin) whose readiness URL (`/readyz`) answered 200 at
 * the last probes (every `probeMs`); connections already open stay where they are until either side
 * closes. No ready backend: the connection is closed at once, and the client retries.
 */
export async function startTcpBalancer(backends: readonly BalancerBackend[], options: { probeMs?: number; hosts?: number } = {}): Promise<TcpBalancer> {
  const sockets = new Set<net.Socket>()
  const ready = new Map<number, boolean>(backends.map((b) => [b.port, false]))
  const failures = new Map<number, number>()
  const counts = new Map<number, number>()
  let next = 0
  // As a kubelet's readiness probe: ready after one success, unready after three failures in a row
  // (a busy test machine may miss one).
  const probe = async (b: BalancerBackend): Promise<void> => {
    let ok: boolean
    try {
      const res = await fetch(b.readyUrl, { signal: AbortSignal.timeout(2000) })
      await res.arrayBuffer()
      ok = res.status === 200
    } catch {
      ok = false
    }
    failures.set(b.port, ok ? 0 : (failures.get(b.port) ?? 0) + 1)
    if (ok) ready.set(b.port, true)
    else if (failures.get(b.port)! >= 3) ready.set(b.port, false)
  }
  let closed = false
  let timer: NodeJS.Timeout | undefined
  let probing: Promise<unknown> = Promise.all(backends.map(probe))
  // The next round starts `probeMs` after the previous one ended: one probe at a time per backend.
  const schedule = (): void => {
    timer = setTimeout(() => {
      probing = Promise.all(backends.map(probe)).then(() => (closed ? undefined : schedule()))
    }, options.probeMs ?? 200)
  }
  await probing
  schedule()
  const accept = (client: net.Socket): void => {
    const candidates = backends.filter((b) => ready.get(b.port))
    if (candidates.length === 0) return void client.destroy()
    const backend = candidates[next++ % candidates.length]!
    counts.set(backend.port, (counts.get(backend.port) ?? 0) + 1)
    relay(client, { host: backend.host ?? '127.0.0.1', port: backend.port }, sockets)
  }
  const hosts = Array.from({ length: options.hosts ?? 1 }, (_, i) => `127.0.0.${i + 1}`)
  const servers: net.Server[] = []
  let port = 0
  for (const host of hosts) {
    const server = net.createServer(accept)
    servers.push(server)
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, host, () => resolve())
    })
    port = (server.address() as net.AddressInfo).port
  }
  return {
    port,
    hosts,
    connectionsTo: (port) => counts.get(port) ?? 0,
    waitUntil: async (port, want, timeoutMs = 15_000) => {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        await probing
        if (ready.get(port) === want) return
        if (Date.now() > deadline) throw new Error(`the balancer did not see backend ${port} ${want ? 'ready' : 'unready'} within ${timeoutMs} ms`)
        await new Promise((r) => setTimeout(r, 50))
      }
    },
    close: async () => {
      closed = true
      clearTimeout(timer)
      for (const s of sockets) s.destroy()
      await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))))
    },
  }
}
