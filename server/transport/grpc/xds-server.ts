import * as grpc from '@grpc/grpc-js'
import net from 'node:net'
import { handleAdsStream, type AdsDeps, type AdsSession } from './ads-session'
import { handleDeltaStream } from './delta-session'
import { perTypeHandlers } from './per-type-session'
import { loadXdsServices } from './service-definitions'
import { createTokenBucket } from './token-bucket'
import { csdsHandlers, type ClientStatusSource } from './csds-service'

const MIB = 1024 * 1024

/** The xDS listener's accept queue (the kernel caps it at net.core.somaxconn, 4096 on most Linux hosts). */
const XDS_LISTEN_BACKLOG = 4096

/**
 * Keepalive as go-control-plane's example server (30 s time, 5 s timeout, pings without calls
 * allowed); no deadline on ADS streams, which are meant to live long. Large configs need more than
 * gRPC's 4 MiB default message size.
 */
const SERVER_OPTIONS: grpc.ServerOptions = {
  'grpc.keepalive_time_ms': 30_000,
  'grpc.keepalive_timeout_ms': 5_000,
  'grpc.keepalive_permit_without_calls': 1,
  'grpc.http2.min_ping_interval_without_data_ms': 5_000,
  'grpc.max_receive_message_length': 16 * MIB,
  'grpc.max_send_message_length': 16 * MIB,
}

export type XdsServer = Readonly<{
  port: number
  sessions: () => number
  /** Stops accepting, lets open streams run for `drainMs`, then closes them (UNAVAILABLE) so proxies reconnect elsewhere. */
  shutdown: (drainMs: number) => Promise<void>
}>

export type XdsServerOptions = {
  host: string
  port: number
  deps: Omit<AdsDeps, 'sessions' | 'isAccepting' | 'admitStream' | 'authorize'>
  /**
   * Connections older than this (±10% jitter, applied by grpc-js) get a GOAWAY and, after the grace
   * period, are closed: long-lived streams rebalance across replicas. 0 = never.
   */
  maxConnectionAgeMs: number
  maxConnectionAgeGraceMs: number
  /** New streams admitted per second (burst: twice that); 0 = unlimited. */
  maxNewStreamsPerSecond: number
  /** Answers CSDS (envoy.service.status.v3) requests from the proxy status. */
  clientStatus: ClientStatusSource
  /** Insecure by default; TLS or mutual TLS (see server/tls). */
  credentials: grpc.ServerCredentials
  authorize?: AdsDeps['authorize']
}

export async function startXdsServer(options: XdsServerOptions): Promise<XdsServer> {
  const services = loadXdsServices()
  const sessions = new Set<AdsSession>()
  let accepting = true
  const bucket = options.maxNewStreamsPerSecond > 0 ? createTokenBucket({ ratePerSecond: options.maxNewStreamsPerSecond, burst: 2 * options.maxNewStreamsPerSecond, now: () => Date.now() }) : null
  const deps: AdsDeps = { ...options.deps, sessions, isAccepting: () => accepting, ...(bucket ? { admitStream: () => bucket.take() } : {}), ...(options.authorize ? { authorize: options.authorize } : {}) }
  const server = new grpc.Server({
    ...SERVER_OPTIONS,
    ...(options.maxConnectionAgeMs > 0 ? { 'grpc.max_connection_age_ms': options.maxConnectionAgeMs, 'grpc.max_connection_age_grace_ms': options.maxConnectionAgeGraceMs } : {}),
  })
  server.addService(services.ads, {
    StreamAggregatedResources: (call: Parameters<typeof handleAdsStream>[1]) => handleAdsStream(deps, call),
    DeltaAggregatedResources: (call: Parameters<typeof handleDeltaStream>[1]) => handleDeltaStream(deps, call),
  })
  // LDS, RDS, CDS, EDS and SDS as their own services, SotW and delta, on the same core.
  for (const service of services.perType) server.addService(service.definition, perTypeHandlers(deps, service))
  server.addService(services.csds, csdsHandlers(options.clientStatus, (err) => options.deps.log.error({ err }, 'CSDS request failed')))
  // Our own listener hands its connections to grpc-js, for a listen backlog that a reconnect storm
  // fits in: grpc-js listens with Node's default of 511, and a burst of thousands of proxies then
  // overflows the accept queue; their SYNs are dropped and retried after 1, 3, 7 s… (#13 item 1: 10,000
  // proxies connecting at once took 15-21 s, the server idle half of it, clients failing their
  // handshake deadline).
  const injector = server.createConnectionInjector(options.credentials)
  const listener = net.createServer({ noDelay: true }, (socket) => injector.injectConnection(socket))
  const port = await new Promise<number>((resolve, reject) => {
    listener.once('error', reject)
    listener.listen({ host: options.host, port: options.port, backlog: XDS_LISTEN_BACKLOG }, () => {
      listener.off('error', reject)
      // An accept that fails (EMFILE in a storm) is logged; without a listener it would end the process.
      listener.on('error', (err) => options.deps.log.warn({ err }, 'xDS listener: accepting a connection failed'))
      resolve((listener.address() as net.AddressInfo).port)
    })
  })
  return {
    port,
    sessions: () => sessions.size,
    async shutdown(drainMs) {
      accepting = false
      listener.close()
      const deadline = Date.now() + drainMs
      while (sessions.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
      for (const session of [...sessions]) session.close(grpc.status.UNAVAILABLE, 'Legation is shutting down; reconnect')
      injector.drain(2000)
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          injector.destroy()
          server.forceShutdown()
          resolve()
        }, 2000)
        server.tryShutdown(() => {
          clearTimeout(force)
          injector.destroy()
          resolve()
        })
      })
    },
  }
}
