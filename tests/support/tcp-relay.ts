import net from 'node:net'

export type TcpRelay = Readonly<{ port: number; cut: () => Promise<void>; restore: () => Promise<void>; close: () => Promise<void> }>

/**
 * A TCP relay to `target` (the test database) that can be cut (listener closed, connections reset)
 * and restored on the same port: a database outage without touching the database.
 */
export async function startTcpRelay(target: { host: string; port: number }): Promise<TcpRelay> {
  const sockets = new Set<net.Socket>()
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host)
    for (const s of [client, upstream]) {
      sockets.add(s)
      s.on('close', () => sockets.delete(s))
      s.on('error', () => undefined)
    }
    client.pipe(upstream).pipe(client)
  })
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
