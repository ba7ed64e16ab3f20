import { once } from 'node:events'
import { randomUUID } from 'node:crypto'
import * as grpc from '@grpc/grpc-js'
import type { SnapshotCache } from '../../cache/snapshot-cache'
import type { Logger } from '../../log'
import type { Snapshot } from '../../snapshot/types'
import { typeStatusesFromWatched } from '../../status/from-stream'
import type { ConnectionRegistry } from '../../status/registry'
import type { RolloutRecorder } from '../../status/rollout-recorder'
import type { Effect, WatchedType } from '../../xds/stream-machine'
import { SUBSCRIPTION_NAMES_LISTED } from '../../xds/stream-base'
import { shortType, type XdsTypeUrl } from '../../xds-types/type-urls'
import { userAgentVersionOf, type WireNode } from '../../xds-types/wire'
import { parseSubjectAltName, type PeerIdentities } from '../../config/peer-identity'
import { nodeMetadataStrings } from '../../config/fleet-match'
import { getMetrics } from '../../metrics'
import { runsSnapshot } from '../../status/rollout-observer'

/** The names in the client certificate of a TLS stream (null without one). */
function peerIdentities(call: { getAuthContext?: () => { sslPeerCertificate?: import('node:tls').PeerCertificate } }): PeerIdentities | null {
  const cert = call.getAuthContext?.().sslPeerCertificate
  if (!cert || Object.keys(cert).length === 0) return null
  const cn = cert.subject?.CN
  return { commonName: Array.isArray(cn) ? (cn[0] ?? null) : (cn ?? null), ...parseSubjectAltName(cert.subjectaltname), ...(cert.raw ? { raw: cert.raw } : {}) }
}

/** How a proxy finds its fleet: node.cluster names the fleet; otherwise the default fleet, if any. */
export type FleetResolution = { fleet: string; by?: 'selector' | 'cluster' | 'default' } | { refused: string }

export type AdsDeps = Readonly<{
  cache: SnapshotCache
  registry: ConnectionRegistry
  /** Records when each proxy reached or rejected each version (absent: not recorded). */
  rollout?: RolloutRecorder
  resolveFleet: (node: WireNode) => FleetResolution
  log: Logger
  controlPlaneId: string
  /** False while starting or shutting down: new streams get UNAVAILABLE so the proxy retries elsewhere. */
  isAccepting: () => boolean
  /** Rate limit for new streams (a reconnect storm): false → UNAVAILABLE, the proxy backs off and retries. */
  admitStream?: () => boolean
  /** With mutual TLS: whether the client certificate may ask for this node id / fleet (null = yes, else why not). */
  authorize?: (peer: PeerIdentities | null, asked: { nodeId: string; fleet: string; bySelector?: boolean }) => Promise<string | null>
  /**
   * With proxy tokens required (LEGATION_XDS_AUTH=token): whether the stream's `authorization:
   * Bearer <proxy token>` metadata may fetch this fleet (null = yes, else the refusal).
   */
  authenticateProxy?: (authorization: string | undefined, fleet: string) => Promise<Readonly<{ code: 'UNAUTHENTICATED' | 'PERMISSION_DENIED'; message: string }> | null>
  /** Streams open now, so shutdown can close them after the drain period. */
  sessions: Set<AdsSession>
}>

export type AdsSession = Readonly<{ id: string; close: (code: grpc.status, details: string) => void }>

/** A `send` effect of either reducer: the response to write, with what the status needs. */
export type SendEffectBase<Res> = Readonly<{ kind: 'send'; typeUrl: XdsTypeUrl; response: Res & { nonce: string }; fromVersion: number; resourceNames: readonly string[] }>

export type ProtocolEvent<Req> = Readonly<{ kind: 'request'; req: Req; now: number }> | Readonly<{ kind: 'snapshot'; snapshot: Snapshot; now: number }>

/**
 * What differs between the state-of-the-world and the incremental (delta) ADS stream: the pure
 * reducer, the stream label the status shows, and how a response is described in logs and the timeline.
 */
export type XdsProtocol<Req, Res, State, Send extends SendEffectBase<Res>> = Readonly<{
  /** proxy_connection.stream: 'ADS' or 'Delta ADS'. */
  stream: string
  initialState: (options: { controlPlaneId: string }) => State
  step: (state: State, event: ProtocolEvent<Req>) => { state: State; effects: ReadonlyArray<Exclude<Effect, { kind: 'send' }> | Send> }
  /** The per-type watched state the status is mapped from. */
  types: (state: State) => ReadonlyMap<string, WatchedType>
  describeSend: (effect: Send) => { version: string; message: string; log: Readonly<Record<string, unknown>> }
}>

const STATUS_BY_NAME: Record<'INVALID_ARGUMENT' | 'UNAVAILABLE', grpc.status> = {
  INVALID_ARGUMENT: grpc.status.INVALID_ARGUMENT,
  UNAVAILABLE: grpc.status.UNAVAILABLE,
}

export const resourceCount = (n: number): string => `${n} resource${n === 1 ? '' : 's'}`

/**
 * The thin shell around a pure stream machine: feeds it requests and snapshots one at a time
 * through a mailbox, and carries out its effects (write with backpressure, status, close).
 * Pending snapshots coalesce: only the latest one waits in the mailbox.
 */
export function serveXdsStream<Req, Res, State, Send extends SendEffectBase<Res>>(
  deps: AdsDeps,
  call: grpc.ServerDuplexStream<Req, Res>,
  protocol: XdsProtocol<Req, Res, State, Send>,
): void {
  if (!deps.isAccepting()) {
    call.emit('error', { code: grpc.status.UNAVAILABLE, details: 'Legation is not accepting xDS streams right now (starting or shutting down); retry' })
    return
  }
  if (deps.admitStream && !deps.admitStream()) {
    call.emit('error', { code: grpc.status.UNAVAILABLE, details: 'too many new xDS streams at once; retry with backoff' })
    return
  }
  const id = randomUUID()
  const log = deps.log.child({ stream: id, peer: call.getPeer() })
  let state: State = protocol.initialState({ controlPlaneId: deps.controlPlaneId })
  const requests: ProtocolEvent<Req>[] = []
  let pendingSnapshot: Snapshot | null = null
  let draining = false
  let finished = false
  let opened = false
  /** Set once the proxy is served: its fleet, when its stream opened, the last snapshot processed. */
  let served: { nodeId: string; fleet: string; connectedAt: string; snapshotVersion: number | null } | null = null
  let unwatch: (() => void) | null = null
  const metrics = getMetrics()
  /** Per type: the nonce written last and when (performance.now()), for the push → ACK/NACK latency. */
  const lastWrite = new Map<string, { nonce: string; at: number }>()
  /** Counted in legation_xds_streams_unsynced (a push in flight or a NACK standing). */
  let unsynced = false
  const setUnsynced = (value: boolean): void => {
    if (!served || value === unsynced) return
    unsynced = value
    metrics.streamsUnsynced.inc({ fleet: served.fleet }, value ? 1 : -1)
  }
  /**
   * The first ACK or NACK of the response written last for its type: counted, with its latency.
   * A proxy repeating it (a NACK flood, #16 item 9) adds nothing: the counters count responses.
   */
  const answered = (typeUrl: string, nonce: string, result: 'ack' | 'nack'): void => {
    const sent = lastWrite.get(typeUrl)
    if (!served || sent?.nonce !== nonce) return
    lastWrite.delete(typeUrl)
    const type = shortType(typeUrl)
    ;(result === 'ack' ? metrics.acks : metrics.nacks).inc({ fleet: served.fleet, type })
    metrics.pushLatency.observe({ type, result }, (performance.now() - sent.at) / 1000)
  }

  const finish = (reason?: string, kind: 'disconnected' | 'refused' = 'disconnected'): void => {
    if (finished) return
    finished = true
    unwatch?.()
    deps.rollout?.forget(id)
    deps.sessions.delete(session)
    if (opened) deps.registry.close(id, reason, kind)
    if (served) {
      setUnsynced(false)
      metrics.streams.dec({ fleet: served.fleet, stream: protocol.stream })
    }
  }

  const fail = (code: grpc.status, details: string, kind: 'disconnected' | 'refused' = 'disconnected'): void => {
    if (finished) return
    log.info({ code: grpc.status[code], details }, 'closing xDS stream')
    finish(details, kind)
    if (!call.cancelled) call.emit('error', { code, details })
  }

  const session: AdsSession = { id, close: (code, details) => fail(code, details) }
  deps.sessions.add(session)

  const write = async (response: Res): Promise<void> => {
    if (!call.write(response)) await once(call, 'drain')
  }

  const onNode = async (node: WireNode): Promise<void> => {
    const resolution = deps.resolveFleet(node)
    const connectedAt = new Date().toISOString()
    deps.registry.open({
      id,
      nodeId: node.id,
      nodeCluster: node.cluster,
      // What fleet selectors match on, so a selector change can tell which connected proxies it would take (#16 item 11).
      nodeMetadata: nodeMetadataStrings(node.metadata),
      fleet: 'fleet' in resolution ? resolution.fleet : null,
      peer: call.getPeer(),
      userAgentName: node.user_agent_name,
      userAgentVersion: userAgentVersionOf(node),
      stream: protocol.stream,
      connectedAt,
    })
    opened = true
    if ('refused' in resolution) return fail(grpc.status.UNAVAILABLE, resolution.refused, 'refused')
    const denied = deps.authorize ? await deps.authorize(peerIdentities(call), { nodeId: node.id, fleet: resolution.fleet, bySelector: resolution.by !== 'cluster' }) : null
    if (finished) return
    if (denied) return fail(grpc.status.PERMISSION_DENIED, denied, 'refused')
    if (deps.authenticateProxy) {
      const refusal = await deps.authenticateProxy(call.metadata.get('authorization')[0]?.toString(), resolution.fleet)
      if (finished) return
      if (refusal) return fail(grpc.status[refusal.code], refusal.message, 'refused')
    }
    // The node a staged rollout's stages select on (#12 item 3).
    const member = { id: node.id, metadata: nodeMetadataStrings(node.metadata) }
    const snapshot = deps.cache.get(resolution.fleet, member)
    if (!snapshot) return fail(grpc.status.UNAVAILABLE, `fleet '${resolution.fleet}' has no committed version yet; commit one and the proxy will be served when it retries`, 'refused')
    deps.registry.event(id, { kind: 'connected', message: `${node.user_agent_name} ${userAgentVersionOf(node)} from ${call.getPeer()}`.trim() })
    log.info({ nodeId: node.id, fleet: resolution.fleet }, 'proxy connected')
    served = { nodeId: node.id, fleet: resolution.fleet, connectedAt, snapshotVersion: null }
    metrics.streams.inc({ fleet: served.fleet, stream: protocol.stream })
    // A deleted fleet's streams are closed like those of a proxy whose fleet does not exist: it retries elsewhere.
    unwatch = deps.cache.watch(
      resolution.fleet,
      (s) => enqueueSnapshot(s),
      () => fail(grpc.status.UNAVAILABLE, `fleet '${resolution.fleet}' was deleted`),
      member,
    )
    enqueueSnapshot(snapshot)
  }

  const run = async (effects: ReadonlyArray<Exclude<Effect, { kind: 'send' }> | Send>): Promise<void> => {
    for (const effect of effects) {
      if (finished) return
      switch (effect.kind) {
        case 'node':
          await onNode(effect.node)
          break
        case 'send': {
          const sent = protocol.describeSend(effect)
          log.debug({ type: shortType(effect.typeUrl), version: sent.version, nonce: effect.response.nonce, resources: effect.resourceNames.length, ...sent.log }, 'push')
          deps.registry.event(id, { kind: 'send', typeUrl: effect.typeUrl, version: sent.version, nonce: effect.response.nonce, fromVersion: effect.fromVersion, message: sent.message })
          if (served) metrics.pushes.inc({ fleet: served.fleet, type: shortType(effect.typeUrl) })
          lastWrite.set(effect.typeUrl, { nonce: effect.response.nonce, at: performance.now() })
          await write(effect.response)
          break
        }
        case 'nack': {
          answered(effect.typeUrl, effect.nack.nonce, 'nack')
          const recorded = deps.registry.event(id, { kind: 'nack', typeUrl: effect.typeUrl, version: effect.nack.version, nonce: effect.nack.nonce, message: effect.nack.message })
          // A repeated or rate-limited NACK is counted in the timeline, not logged again (#16 item 9: a NACK flood).
          if (recorded !== 'repeat' && recorded !== 'suppressed') log.warn({ type: shortType(effect.typeUrl), version: effect.nack.version, message: effect.nack.message.slice(0, 2048) }, 'proxy rejected config (NACK)')
          break
        }
        case 'ack':
          answered(effect.typeUrl, effect.nonce, 'ack')
          deps.registry.event(id, { kind: 'ack', typeUrl: effect.typeUrl, version: effect.version, nonce: effect.nonce, ...(effect.fromVersion === undefined ? {} : { fromVersion: effect.fromVersion }) })
          break
        case 'subscription':
          deps.registry.event(id, { kind: 'subscription', typeUrl: effect.typeUrl, message: effect.wildcard ? 'all (wildcard)' : effect.count <= SUBSCRIPTION_NAMES_LISTED ? effect.names.join(', ') || '(none)' : `${effect.count} names` })
          break
        case 'ignored':
          log.debug({ reason: effect.reason, type: effect.typeUrl, nonce: effect.nonce }, 'request ignored')
          break
        case 'close':
          fail(STATUS_BY_NAME[effect.code], effect.details)
          break
      }
    }
  }

  /** Runs queued events until the mailbox is empty. Only one drain loop runs at a time. */
  const drain = async (): Promise<void> => {
    if (draining) return
    draining = true
    try {
      while (!finished) {
        const event: ProtocolEvent<Req> | undefined = requests.shift() ?? (pendingSnapshot ? { kind: 'snapshot', snapshot: pendingSnapshot, now: Date.now() } : undefined)
        if (!event) break
        if (event.kind === 'snapshot') pendingSnapshot = null
        const previousTypes = opened ? (deps.registry.get(id)?.types ?? {}) : {}
        const result = protocol.step(state, event)
        state = result.state
        await run(result.effects)
        if (!opened || finished) continue
        const types = typeStatusesFromWatched(protocol.types(state), previousTypes, Date.now())
        deps.registry.setTypes(id, types)
        if (served && event.kind === 'snapshot') served.snapshotVersion = event.snapshot.versionNumber
        if (served) {
          deps.rollout?.observe({ id, ...served, types })
          setUnsynced(served.snapshotVersion !== null && !runsSnapshot(types))
        }
      }
    } catch (err) {
      log.error({ err }, 'xDS stream failed')
      fail(grpc.status.INTERNAL, 'internal error in the xDS stream')
    } finally {
      draining = false
    }
  }

  function enqueueSnapshot(snapshot: Snapshot): void {
    pendingSnapshot = snapshot
    void drain()
  }

  call.on('data', (req: Req) => {
    requests.push({ kind: 'request', req, now: Date.now() })
    void drain()
  })
  // The client half-closed: end our side too.
  call.on('end', () => {
    finish('the proxy closed the stream')
    if (!call.cancelled) call.end()
  })
  call.on('cancelled', () => finish('the proxy went away'))
  call.on('error', (err) => {
    log.debug({ err: err.message }, 'stream error')
    finish('stream error')
  })
  call.on('close', () => finish())
}
