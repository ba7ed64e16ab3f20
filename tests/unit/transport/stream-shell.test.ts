import { Duplex } from 'node:stream'
import * as grpc from '@grpc/grpc-js'
import pino from 'pino'
import { afterEach, describe, expect, it } from 'vitest'
import { createSnapshotCache, type SnapshotCache } from '../../../server/cache/snapshot-cache'
import type { Snapshot } from '../../../server/snapshot/types'
import { createConnectionRegistry, type ConnectionRegistry } from '../../../server/status/registry'
import { handleAdsStream, type AdsCall, type AdsDeps, type AdsSession, type FleetResolution } from '../../../server/transport/grpc/ads-session'
import type { DiscoveryRequest, DiscoveryResponse } from '../../../server/xds-types/wire'
import { waitFor } from '../../support/wait-for'
import { CDS, EDS, LDS, NODE, RDS, request, snapshot, type RequestSpec } from '../xds/fixtures'

/**
 * The stream shell (server/transport/grpc/session-common.ts) without sockets, as go-control-plane
 * tests its server with a mockStream (pkg/server/v3/server_test.go): a fake call carries requests in
 * and responses out, the real SotW reducer decides, a real snapshot cache and registry stand around
 * it. What is checked is the shell's own job: one event at a time through the mailbox, in order;
 * writes that wait for 'drain'; only the latest snapshot kept while busy; the reducer's close
 * becoming the call's status; and every way a stream ends releasing its watch.
 */

/**
 * What the shell uses of a grpc-js ServerDuplexStream, on an objectMode Duplex (the base class of
 * grpc-js' ServerDuplexStreamImpl): requests are pushed on the readable side, responses land in
 * `_write`, whose callback the test may hold to play a slow client.
 */
class FakeCall extends Duplex {
  readonly written: DiscoveryResponse[] = []
  /** How many times the shell called write() (a write buffered behind a full queue counts too). */
  writeCalls = 0
  cancelled = false
  /** Statuses the shell ended the call with (`call.emit('error', { code, details })`). */
  readonly statuses: Array<{ code: grpc.status; details: string }> = []
  /** Set when the shell ended our side (`call.end()`). */
  ended = false
  private heldCallbacks: Array<() => void> = []
  holdWrites = false

  constructor(options: { writableHighWaterMark?: number } = {}) {
    super({ objectMode: true, writableHighWaterMark: options.writableHighWaterMark ?? 16 })
    this.on('error', (status: { code: grpc.status; details: string }) => this.statuses.push(status))
    this.on('finish', () => (this.ended = true))
  }

  override _read(): void {}

  override _write(chunk: DiscoveryResponse, _encoding: BufferEncoding, callback: () => void): void {
    this.written.push(chunk)
    if (this.holdWrites) this.heldCallbacks.push(callback)
    else callback()
  }

  override write(chunk: unknown, ...rest: never[]): boolean {
    this.writeCalls++
    return super.write(chunk, ...rest)
  }

  getPeer(): string {
    return 'ipv4:127.0.0.1:50000'
  }

  /** The client sends a request. */
  send(spec: { typeUrl: string } & RequestSpec): void {
    this.push(request(spec.typeUrl, spec) satisfies DiscoveryRequest)
  }

  /** The client half-closes (grpc-js: the readable side ends). */
  halfClose(): void {
    this.push(null)
  }

  /** The client cancels the call (grpc-js sets `cancelled` and emits 'cancelled'). */
  cancel(): void {
    this.cancelled = true
    this.emit('cancelled')
  }

  /** The slow client finally takes the writes it was given: the queue empties and 'drain' fires. */
  releaseWrites(): void {
    this.holdWrites = false
    const callbacks = this.heldCallbacks
    this.heldCallbacks = []
    for (const cb of callbacks) cb()
  }
}

const FLEET = 'default'
const silent = pino({ level: 'silent' })
const registries: ConnectionRegistry[] = []

afterEach(async () => {
  for (const r of registries.splice(0)) await r.stop('test over')
})

type Harness = Readonly<{ call: FakeCall; cache: SnapshotCache; registry: ConnectionRegistry; sessions: Set<AdsSession>; deps: AdsDeps; opened: string[] }>

function open(options: { snapshot?: Snapshot; resolveFleet?: (node: { id: string; cluster: string }) => FleetResolution; accepting?: boolean; writableHighWaterMark?: number } = {}): Harness {
  const cache = createSnapshotCache((err) => {
    throw err
  })
  if (options.snapshot) cache.set(options.snapshot)
  const registry = createConnectionRegistry({ replicaId: 'test', store: { upsert: async () => undefined, heartbeat: async () => undefined }, flushMs: 3_600_000, heartbeatMs: 3_600_000, onError: (err) => { throw err } })
  registries.push(registry)
  // The ids of the streams the shell opened (a closed one is no longer live(), but get(id) still has it).
  const opened: string[] = []
  const recording: ConnectionRegistry = { ...registry, open: (info) => (opened.push(info.id), registry.open(info)) }
  const sessions = new Set<AdsSession>()
  const deps: AdsDeps = {
    cache,
    registry: recording,
    log: silent,
    controlPlaneId: 'legation-test',
    resolveFleet: options.resolveFleet ?? (() => ({ fleet: FLEET })),
    isAccepting: () => options.accepting ?? true,
    sessions,
  }
  const call = new FakeCall(options.writableHighWaterMark === undefined ? {} : { writableHighWaterMark: options.writableHighWaterMark })
  handleAdsStream(deps, call as unknown as AdsCall)
  return { call, cache, registry, sessions, deps, opened }
}

// Later versions only add clusters, so each push is one response (no make-before-break removals).
const V1 = { ...snapshot(1, { [CDS]: ['c1', 'A', 'B'], [EDS]: ['e1', 'A', 'B'], [LDS]: ['l1', 'L1'], [RDS]: ['r1', 'R1', 'R2'] }), fleet: FLEET }
const V2 = { ...snapshot(2, { [CDS]: ['c2', 'A', 'B', 'C'], [EDS]: ['e1', 'A', 'B'], [LDS]: ['l1', 'L1'], [RDS]: ['r1', 'R1', 'R2'] }), fleet: FLEET }
const V3 = { ...snapshot(3, { [CDS]: ['c3', 'A', 'B', 'D'], [EDS]: ['e1', 'A', 'B'], [LDS]: ['l1', 'L1'], [RDS]: ['r1', 'R1', 'R2'] }), fleet: FLEET }

const summary = (r: DiscoveryResponse): string => `${r.type_url.split('.').pop()} v=${r.version_info} n=${r.nonce} [${r.resources.map((a) => Buffer.from(a.value).toString().split('@')[0]).join(',')}]`

/** One turn of the event loop: every callback, promise job and nextTick already due has run. */
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

describe('the stream shell', () => {
  it('runs events one at a time: requests queued before the first snapshot are answered by it, in ADS push order', async () => {
    const { call } = open({ snapshot: V1 })
    // All three are in the mailbox before the snapshot the first one's node brings (requests go first).
    call.send({ typeUrl: LDS })
    call.send({ typeUrl: EDS, names: ['A'] })
    call.send({ typeUrl: CDS })
    await waitFor(() => call.written.length === 3, { what: 'three responses' })
    expect(call.written.map(summary)).toEqual(['Cluster v=c1 n=1 [A,B]', 'ClusterLoadAssignment v=e1 n=2 [A]', 'Listener v=l1 n=3 [L1]'])
  })

  it('answers later requests in arrival order, with increasing nonces', async () => {
    const { call } = open({ snapshot: V1 })
    call.send({ typeUrl: RDS, names: ['R1'] })
    call.send({ typeUrl: EDS, names: ['A'] })
    await waitFor(() => call.written.length === 2)
    expect(call.written.map(summary)).toEqual(['ClusterLoadAssignment v=e1 n=1 [A]', 'RouteConfiguration v=r1 n=2 [R1]'])
    // Push order would put EDS first; the mailbox keeps the order the client asked in.
    call.send({ typeUrl: RDS, names: ['R1', 'R2'], version: 'r1', nonce: '2' })
    call.send({ typeUrl: EDS, names: ['A', 'B'], version: 'e1', nonce: '1' })
    await waitFor(() => call.written.length === 4)
    expect(call.written.slice(2).map(summary)).toEqual(['RouteConfiguration v=r1 n=3 [R1,R2]', 'ClusterLoadAssignment v=e1 n=4 [A,B]'])
  })

  it('opens the stream in the registry and watches its fleet once it has a node', async () => {
    const { call, cache, registry, sessions } = open({ snapshot: V1 })
    expect(cache.watcherCount(FLEET)).toBe(0)
    expect(sessions.size).toBe(1)
    call.send({ typeUrl: CDS })
    await waitFor(() => call.written.length === 1)
    expect(cache.watcherCount(FLEET)).toBe(1)
    const [live] = registry.live()
    expect(live).toMatchObject({ nodeId: NODE.id, nodeCluster: NODE.cluster, fleet: FLEET, peer: 'ipv4:127.0.0.1:50000', stream: 'ADS', disconnectedAt: null })
  })

  it('waits for drain when write() returns false, and meanwhile steps nothing else', async () => {
    // A queue of one: every write fills it, so write() returns false until the client takes it.
    const { call, registry } = open({ snapshot: V1, writableHighWaterMark: 1 })
    call.holdWrites = true
    call.send({ typeUrl: CDS })
    await waitFor(() => call.written.length === 1, { what: 'the first response reaches the transport' })
    call.send({ typeUrl: LDS })
    // The LDS request is in the mailbox (push delivers 'data' synchronously in flowing mode), but
    // the drain loop is parked on 'drain', which only releaseWrites() can fire: nothing else runs.
    await turn()
    await turn()
    expect(call.writeCalls).toBe(1)
    const id = registry.live()[0]!.id
    expect(Object.keys(registry.get(id)!.types)).toEqual([CDS])

    call.releaseWrites()
    await waitFor(() => call.written.length === 2, { what: 'the LDS response after drain' })
    expect(call.written.map(summary)).toEqual(['Cluster v=c1 n=1 [A,B]', 'Listener v=l1 n=2 [L1]'])
    expect(Object.keys(registry.get(id)!.types).sort()).toEqual([CDS, LDS].sort())
  })

  it('keeps only the latest snapshot while busy: two commits during a slow write give one push, of the latest', async () => {
    const { call, cache } = open({ snapshot: V1, writableHighWaterMark: 1 })
    call.send({ typeUrl: CDS })
    await waitFor(() => call.written.length === 1)
    call.send({ typeUrl: CDS, version: 'c1', nonce: '1' }) // ACK
    call.holdWrites = true
    call.send({ typeUrl: LDS })
    await waitFor(() => call.written.length === 2, { what: 'the LDS response, held' })

    cache.set(V2)
    cache.set(V3)
    call.releaseWrites()
    await waitFor(() => call.written.length === 3, { what: 'the push after drain' })
    // The barrier for "V2 was never pushed": the client ACKs and asks for EDS; the EDS answer is
    // the next response, so nothing came between.
    call.send({ typeUrl: CDS, version: 'c3', nonce: '3' })
    call.send({ typeUrl: EDS, names: ['A'] })
    await waitFor(() => call.written.length === 4)
    expect(call.written.map(summary)).toEqual(['Cluster v=c1 n=1 [A,B]', 'Listener v=l1 n=2 [L1]', 'Cluster v=c3 n=3 [A,B,D]', 'ClusterLoadAssignment v=e1 n=4 [A]'])
  })

  it("ends the call with the reducer's status: a first request without a node is INVALID_ARGUMENT", async () => {
    const { call, sessions, cache } = open({ snapshot: V1 })
    call.send({ typeUrl: CDS, node: null })
    await waitFor(() => call.statuses.length === 1, { what: 'a status' })
    expect(call.statuses[0]).toEqual({ code: grpc.status.INVALID_ARGUMENT, details: expect.stringContaining('node') as string })
    expect(call.written).toEqual([])
    expect(sessions.size).toBe(0)
    expect(cache.watcherCount(FLEET)).toBe(0)
  })

  it('refuses a proxy whose fleet cannot be resolved with UNAVAILABLE, shown as refused, and watches nothing', async () => {
    const { call, registry, cache, opened } = open({ snapshot: V1, resolveFleet: (node) => ({ refused: `no fleet for ${node.id}` }) })
    call.send({ typeUrl: CDS })
    await waitFor(() => call.statuses.length === 1)
    expect(call.statuses[0]).toEqual({ code: grpc.status.UNAVAILABLE, details: `no fleet for ${NODE.id}` })
    expect(opened).toHaveLength(1)
    const refused = registry.get(opened[0]!)
    expect(refused).toMatchObject({ fleet: null, closeReason: `no fleet for ${NODE.id}` })
    expect(refused!.disconnectedAt).not.toBeNull()
    expect(cache.watcherCount(FLEET)).toBe(0)
  })

  it('refuses a fleet with no snapshot yet with UNAVAILABLE', async () => {
    const { call } = open()
    call.send({ typeUrl: CDS })
    await waitFor(() => call.statuses.length === 1)
    expect(call.statuses[0]!.code).toBe(grpc.status.UNAVAILABLE)
    expect(call.statuses[0]!.details).toContain('no committed version')
  })

  it('refuses new streams with UNAVAILABLE while not accepting (starting or shutting down)', () => {
    const { call, sessions } = open({ snapshot: V1, accepting: false })
    expect(call.statuses).toEqual([{ code: grpc.status.UNAVAILABLE, details: expect.stringContaining('not accepting') as string }])
    expect(sessions.size).toBe(0)
  })

  it.each([
    { how: 'the client cancels', end: (h: Harness) => h.call.cancel(), reason: 'the proxy went away', ourEnd: false, status: null },
    { how: 'the client half-closes', end: (h: Harness) => h.call.halfClose(), reason: 'the proxy closed the stream', ourEnd: true, status: null },
    {
      how: 'the server closes it (shutdown)',
      end: (h: Harness) => [...h.sessions][0]!.close(grpc.status.UNAVAILABLE, 'Legation is shutting down; reconnect'),
      reason: 'Legation is shutting down; reconnect',
      ourEnd: false,
      status: { code: grpc.status.UNAVAILABLE, details: 'Legation is shutting down; reconnect' },
    },
  ])('releases the watch and records the disconnect when $how', async ({ end, reason, ourEnd, status }) => {
    const h = open({ snapshot: V1 })
    h.call.send({ typeUrl: CDS })
    await waitFor(() => h.call.written.length === 1)
    const id = h.registry.live()[0]!.id
    expect(h.cache.watcherCount(FLEET)).toBe(1)

    end(h)
    await waitFor(() => h.cache.watcherCount(FLEET) === 0, { what: 'the watch released' })
    expect(h.sessions.size).toBe(0)
    expect(h.registry.get(id)).toMatchObject({ closeReason: reason })
    expect(h.registry.get(id)!.disconnectedAt).not.toBeNull()
    if (ourEnd) await waitFor(() => h.call.ended, { what: 'our side ended too' })
    expect(h.call.statuses).toEqual(status ? [status] : [])

    // With no watcher left, a later commit cannot reach the stream: nothing more is written.
    h.cache.set(V2)
    expect(h.call.writeCalls).toBe(1)
  })

  it('does not step events that arrive after the stream closed', async () => {
    const { call } = open({ snapshot: V1 })
    call.send({ typeUrl: CDS, node: null })
    call.send({ typeUrl: CDS })
    await waitFor(() => call.statuses.length === 1)
    await turn()
    expect(call.written).toEqual([])
    expect(call.statuses).toHaveLength(1)
  })
})
