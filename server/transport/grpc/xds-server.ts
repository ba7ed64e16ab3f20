import * as grpc from '@grpc/grpc-js'
import { handleAdsStream, type AdsDeps, type AdsSession } from './ads-session'
import { handleDeltaStream } from './delta-session'
import { perTypeHandlers } from './per-type-session'
import { loadXdsServices } from './service-definitions'
import { createTokenBucket } from './token-bucket'
import { csdsHandlers, type ClientStatusSource } from './csds-service'

const MIB = 1024 * 1024

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
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${options.host}:${options.port}`, options.credentials, (err, bound) => (err ? reject(err) : resolve(bound))),
  )
  return {
    port,
    sessions: () => sessions.size,
    async shutdown(drainMs) {
      accepting = false
      const deadline = Date.now() + drainMs
      while (sessions.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
      for (const session of [...sessions]) session.close(grpc.status.UNAVAILABLE, 'Legation is shutting down; reconnect')
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          server.forceShutdown()
          resolve()
        }, 2000)
        server.tryShutdown(() => {
          clearTimeout(force)
          resolve()
        })
      })
    },
  }
}
