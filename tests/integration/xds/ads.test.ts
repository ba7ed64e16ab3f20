import { createRequire } from 'node:module'
import * as grpc from '@grpc/grpc-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callEcho, startEchoBackend, type EchoBackend } from '../../support/echo-backend'
import { setupTestServer } from '../../support/test-server'
import { waitFor } from '../../support/wait-for'
import { commitRejectedCluster, createEchoFleet, createXdsEchoClient, echoFleetResources, REJECTED_CLUSTER_MESSAGE } from '../../support/xds-client'
import {
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
  CLUSTER_TYPE_URL,
  commitDraft,
  ECHO_TYPE_URLS,
  expectSyncedOnEveryType,
  expectTypeSynced,
  getProxy,
  LISTENER_TYPE_URL,
  listVersions,
  putEchoDraft,
  ROUTE_CONFIGURATION_TYPE_URL,
  type ProxyView,
} from '../../support/xds-fleet'

/**
 * The xDS serving path end to end, as go-control-plane's `make integration.ads` runs a real Envoy
 * against its example server: config goes in through the HTTP API, and gRPC's own proxyless xDS
 * client (@grpc/grpc-js-xds) is the proxy that validates, ACKs and NACKs it, then routes real calls
 * to real backends. The tests run in order; each starts from the config the previous one left.
 */
const FLEET = 'echo-fleet'
const NODE_ID = 'client-1'
const GRPC_JS_XDS_VERSION = (createRequire(import.meta.url)('@grpc/grpc-js-xds/package.json') as { version: string }).version

const t = setupTestServer('xds_ads')
const { api } = t
let backend1: EchoBackend
let backend2: EchoBackend
const clients: grpc.Client[] = []
let client: grpc.Client
/** The fleet's latest version, so a later test does not depend on how far an earlier one got. */
let latestVersion = 0

beforeAll(async () => {
  ;[backend1, backend2] = await Promise.all([startEchoBackend('backend-1'), startEchoBackend('backend-2')])
})

afterAll(async () => {
  for (const c of clients) c.close()
  await Promise.all([backend1?.stop(), backend2?.stop()])
})

const newClient = (nodeId: string, fleet: string): grpc.Client => {
  const c = createXdsEchoClient({ xdsPort: t.xdsPort, nodeId, fleet, target: 'echo' })
  clients.push(c)
  return c
}

/** Polls the proxies API until the node's latest stream passes `check`. */
const waitForProxy = (nodeId: string, check: (p: ProxyView) => void, what: string, timeoutMs = 10_000): Promise<ProxyView> =>
  waitFor(
    async () => {
      const p = await getProxy(api, nodeId)
      expect(p, `proxy ${nodeId}`).not.toBeNull()
      check(p!)
      return p!
    },
    { what, timeoutMs },
  )

/** Polls until the node is SYNCED on every type and has ACKed `typeUrl` from `version`. */
const waitForSyncedOn = (nodeId: string, typeUrl: string, version: number, what: string): Promise<ProxyView> =>
  waitForProxy(
    nodeId,
    (p) => {
      expect(p.types[typeUrl]?.ackedFromVersion).toBe(version)
      expectSyncedOnEveryType(p)
    },
    what,
  )

/** Calls until `backend` answers (a new config reaches the client without any restart). */
const waitForBackend = (c: grpc.Client, backend: string, timeoutMs = 10_000): Promise<true> =>
  waitFor(
    async () => {
      expect(await callEcho(c, 1000)).toBe(backend)
      return true as const
    },
    { what: `calls reach ${backend}`, timeoutMs },
  )

describe('state-of-the-world ADS with @grpc/grpc-js-xds', () => {
  it('serves a committed config: the client reaches backend 1 and is listed SYNCED on version 1', async ({ annotate }) => {
    latestVersion = await createEchoFleet(api, FLEET, [backend1])
    expect(latestVersion).toBe(1)

    const started = performance.now()
    client = newClient(NODE_ID, FLEET)
    expect(await callEcho(client)).toBe('backend-1')
    await annotate(`new client → first answer: ${Math.round(performance.now() - started)} ms`)

    const proxy = await waitFor(
      async () => {
        const res = await api<{ proxies: ProxyView[] }>('GET', `/api/v1/proxies?fleet=${FLEET}`)
        expect(res.status).toBe(200)
        const p = res.body.proxies.find((x) => x.nodeId === NODE_ID)
        expectSyncedOnEveryType(p)
        return p
      },
      { what: `${NODE_ID} listed SYNCED` },
    )
    expect(proxy).toMatchObject({ nodeId: NODE_ID, nodeCluster: FLEET, fleet: FLEET, disconnectedAt: null, userAgentName: 'gRPC Node Pure JS', userAgentVersion: GRPC_JS_XDS_VERSION })
    for (const typeUrl of ECHO_TYPE_URLS) {
      const t = proxy.types[typeUrl]!
      expect(t.versionSent, typeUrl).toMatch(/.+/)
      expect(t.sentFromVersion, typeUrl).toBe(1)
    }
    expect(proxy.types[LISTENER_TYPE_URL]?.resourceNames).toEqual(['echo'])
    expect(proxy.types[ROUTE_CONFIGURATION_TYPE_URL]?.resourceNames).toEqual(['echo-route'])
    expect(proxy.types[CLUSTER_TYPE_URL]?.resourceNames).toEqual(['echo-backend'])
    expect(proxy.types[CLUSTER_LOAD_ASSIGNMENT_TYPE_URL]?.resourceNames).toEqual(['echo-backend'])
  })

  it('pushes a new endpoint on commit: calls move to backend 2 on the same stream, and unchanged types are not re-pushed', async ({ annotate }) => {
    const before = await getProxy(api, NODE_ID)
    expectSyncedOnEveryType(before)

    await putEchoDraft(api, FLEET, echoFleetResources([backend2]))
    const committed = performance.now()
    latestVersion = await commitDraft(api, FLEET, 'echo on backend 2')
    expect(latestVersion).toBe(2)
    await waitForBackend(client, 'backend-2')
    await annotate(`commit → calls on backend 2: ${Math.round(performance.now() - committed)} ms`)

    const after = await waitForSyncedOn(NODE_ID, CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, 2, 'EDS of version 2 ACKed')
    expect(after.id).toBe(before.id)

    const eds = after.types[CLUSTER_LOAD_ASSIGNMENT_TYPE_URL]!
    expect(eds.versionAcked).not.toBe(before.types[CLUSTER_LOAD_ASSIGNMENT_TYPE_URL]!.versionAcked)
    expect(eds.sentFromVersion).toBe(2)
    // Same content → same type version_info → no response at all (xds_protocol "When to send an update").
    for (const typeUrl of [LISTENER_TYPE_URL, ROUTE_CONFIGURATION_TYPE_URL, CLUSTER_TYPE_URL]) {
      const was = before.types[typeUrl]!
      const now = after.types[typeUrl]!
      expect(now.versionAcked, typeUrl).toBe(was.versionAcked)
      expect(now.nonceSent, typeUrl).toBe(was.nonceSent)
      expect(now.ackedFromVersion, typeUrl).toBe(1)
    }
  })

  it('records a NACK (MAGLEV cluster) with the client text, keeps the client on its last good config, does not re-send, and recovers on rollback', async ({ annotate }) => {
    const good = await getProxy(api, NODE_ID)
    expectSyncedOnEveryType(good)
    const goodCds = good.types[CLUSTER_TYPE_URL]!

    const committed = performance.now()
    latestVersion = await commitRejectedCluster(api, FLEET, [backend2])
    expect(latestVersion).toBe(3)

    const nacked = await waitForProxy(
      NODE_ID,
      (p) => {
        expect(p.types[CLUSTER_TYPE_URL]?.lastNack?.message).toContain('MAGLEV')
        expect(p.state).toBe('NACKED')
      },
      'Cluster NACKed',
    )
    await annotate(`commit → NACK shown by the proxies API: ${Math.round(performance.now() - committed)} ms`)
    const cds = nacked.types[CLUSTER_TYPE_URL]!
    expect(cds.sentFromVersion).toBe(3)
    expect(cds.lastNack!.nonce).toBe(cds.nonceSent)
    expect(cds.lastNack!.version).toBe(cds.versionSent)
    // The client keeps running the Cluster it ACKed last (xds_protocol "NACK").
    expect(cds.versionAcked).toBe(goodCds.versionAcked)
    expect(cds.ackedFromVersion).toBe(1)
    for (const typeUrl of [LISTENER_TYPE_URL, ROUTE_CONFIGURATION_TYPE_URL, CLUSTER_LOAD_ASSIGNMENT_TYPE_URL]) expectTypeSynced(nacked.types[typeUrl], typeUrl)
    expect(await callEcho(client)).toBe('backend-2')

    // A version the client rejected would be rejected again: it is not re-sent, neither in answer to
    // the NACK nor with a later snapshot that carries the same Cluster content. The barrier: a
    // version that changes only the route. The stream handles the NACK, then that snapshot, in
    // order, and a re-sent Cluster would go out before the route (ADS order), so once the route of
    // that version is ACKed, the Cluster's nonce shows whether anything was re-sent.
    const route = echoFleetResources([backend2]).route
    const routeOnly = await api('PUT', `/api/v1/fleets/${FLEET}/draft/routes/${route.name}`, { body: { ...route, virtual_hosts: [{ ...route.virtual_hosts[0]!, name: 'echo-renamed' }] } })
    expect(routeOnly.status, routeOnly.text).toBe(200)
    latestVersion = await commitDraft(api, FLEET, 'route renamed, cluster still MAGLEV')
    const later = await waitForProxy(NODE_ID, (p) => expect(p.types[ROUTE_CONFIGURATION_TYPE_URL]?.ackedFromVersion).toBe(latestVersion), 'the route-only version ACKed')
    expect(later.state).toBe('NACKED')
    expect(later.types[CLUSTER_TYPE_URL]?.nonceSent).toBe(cds.nonceSent)
    expect(later.types[CLUSTER_TYPE_URL]?.versionAcked).toBe(goodCds.versionAcked)
    expect(later.id).toBe(nacked.id)
    expect(await callEcho(client)).toBe('backend-2')

    const rolledBack = performance.now()
    const rollback = await api<{ number: number; rollbackOf: number }>('POST', `/api/v1/fleets/${FLEET}/versions/2/rollback`, { body: {} })
    expect(rollback.status).toBe(201)
    expect(rollback.body).toMatchObject({ number: latestVersion + 1, rollbackOf: 2 })
    latestVersion = rollback.body.number
    const recovered = await waitForSyncedOn(NODE_ID, CLUSTER_TYPE_URL, latestVersion, 'SYNCED after rollback')
    await annotate(`rollback → SYNCED shown by the proxies API: ${Math.round(performance.now() - rolledBack)} ms`)
    // The rollback has version 2's content, hence the same Cluster version_info as before the NACK.
    expect(recovered.types[CLUSTER_TYPE_URL]?.versionAcked).toBe(goodCds.versionAcked)
    expect(await callEcho(client)).toBe('backend-2')
  })

  it('balances round robin over two endpoints of one locality', async () => {
    await putEchoDraft(api, FLEET, echoFleetResources([backend1, backend2]))
    latestVersion = await commitDraft(api, FLEET, 'both backends')
    // backend 2 is already connected; wait for the new endpoint to be picked too.
    await waitForBackend(client, 'backend-1')

    const answers: string[] = []
    for (let i = 0; i < 10; i++) answers.push(await callEcho(client))
    expect(new Set(answers)).toEqual(new Set(['backend-1', 'backend-2']))
    for (let i = 1; i < answers.length; i++) expect(answers[i], answers.join(',')).not.toBe(answers[i - 1])
  })

  it('reports convergence per version in the versions API', async () => {
    await waitForSyncedOn(NODE_ID, CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, latestVersion, `SYNCED on version ${latestVersion}`)
    const versions = await waitFor(
      async () => {
        const list = await listVersions(api, FLEET)
        expect(list.find((v) => v.active)?.convergence?.convergenceMs).not.toBeNull()
        return list
      },
      { what: 'convergence of the active version' },
    )
    expect(versions[0]?.number).toBe(latestVersion)
    const active = versions.find((v) => v.active)!
    expect(active.number).toBe(latestVersion)
    expect(active.convergence).toMatchObject({ version: latestVersion, proxies: 1, onVersion: 1 })
    expect(active.convergence!.convergenceMs).toBeGreaterThanOrEqual(0)
    expect(active.convergence!.convergenceMs).toBeLessThan(60_000)
    // What the proxy did with older versions is recorded, not recomputed from what it runs now: it
    // reached the first version (it connected after that commit, so no time counts), and rejected the MAGLEV one.
    expect(versions.find((v) => v.message === 'echo on backend 1')?.convergence).toMatchObject({ proxies: 1, onVersion: 1, rejected: 0, convergenceMs: null, p50Ms: null })
    expect(versions.find((v) => v.message === REJECTED_CLUSTER_MESSAGE)?.convergence).toMatchObject({ proxies: 1, onVersion: 0, rejected: 1, convergenceMs: null })
  })

  it('refuses a proxy whose node.cluster names no fleet, saying why; its calls fail', async () => {
    const stray = newClient('stray-1', 'no-such-fleet')
    const error = await callEcho(stray, 1000).then(
      () => null,
      (err: grpc.ServiceError) => err,
    )
    // The client turns the refusal (UNAVAILABLE on the ADS stream) into a resolution error: the
    // channel goes TRANSIENT_FAILURE. grpc-js 1.14.7 keeps a call that has no config yet queued
    // "waiting for name resolution" until its deadline rather than failing it UNAVAILABLE at once
    // (grpc-js-xds reports the error as an empty address list, which pick_first does not accept).
    expect(error, 'a call through a refused proxy must fail').not.toBeNull()
    expect([grpc.status.UNAVAILABLE, grpc.status.DEADLINE_EXCEEDED], `${error?.code} ${error?.details}`).toContain(error?.code)
    expect(stray.getChannel().getConnectivityState(false)).toBe(grpc.connectivityState.TRANSIENT_FAILURE)

    const proxy = await waitForProxy('stray-1', (p) => expect(p.state).toBe('DISCONNECTED'), 'stray-1 refused')
    expect(proxy).toMatchObject({ nodeId: 'stray-1', nodeCluster: 'no-such-fleet', fleet: null })
    expect(proxy.closeReason).toContain("'no-such-fleet'")
    expect(proxy.types).toEqual({})

    const listed = await api<{ proxies: ProxyView[] }>('GET', `/api/v1/proxies?fleet=${FLEET}`)
    expect(listed.body.proxies.map((p) => p.nodeId)).toEqual([NODE_ID])
    // The refused stream must not leave the fleet's client unserved.
    expectSyncedOnEveryType(await getProxy(api, NODE_ID))
  })

  it('keeps each proxy’s stream timeline, a per-fleet summary and a fleet activity feed', async () => {
    type EventView = { kind: string; typeUrl?: string; version?: string; nonce?: string; message?: string }
    const timeline = await waitFor(
      async () => {
        const res = await api<{ events: EventView[] }>('GET', `/api/v1/proxies/${NODE_ID}/events?limit=1000`)
        expect(res.body.events.some((e) => e.kind === 'nack')).toBe(true)
        return res.body.events
      },
      { what: 'the timeline has the NACK' },
    )
    const kinds = new Set(timeline.map((e) => e.kind))
    for (const kind of ['connected', 'subscription', 'send', 'ack', 'nack']) expect(kinds, kind).toContain(kind)
    expect(timeline.find((e) => e.kind === 'nack')?.message).toContain('MAGLEV')
    // Newest first: the very first thing that happened on the stream is last.
    expect(timeline.at(-1)?.kind).toBe('connected')

    const strayTimeline = await api<{ events: EventView[] }>('GET', '/api/v1/proxies/stray-1/events')
    expect(strayTimeline.body.events[0]).toMatchObject({ kind: 'refused' })
    expect(strayTimeline.body.events[0]?.message).toContain('no-such-fleet')

    const summary = await api<{ fleets: Array<{ fleet: string | null; total: number; SYNCED: number; DISCONNECTED: number }> }>('GET', '/api/v1/proxies/summary')
    expect(summary.body.fleets.find((f) => f.fleet === FLEET)).toMatchObject({ total: 1, SYNCED: 1 })
    expect(summary.body.fleets.find((f) => f.fleet === null)).toMatchObject({ total: 1, DISCONNECTED: 1 })

    const activity = await api<{ items: Array<{ kind: string; fleet: string | null; nodeId?: string; message: string }> }>('GET', `/api/v1/activity?fleet=${FLEET}&limit=200`)
    const activityKinds = new Set(activity.body.items.map((i) => i.kind))
    for (const kind of ['commit', 'rollback', 'nack', 'connected']) expect(activityKinds, kind).toContain(kind)
    expect(activity.body.items.every((i) => i.fleet === FLEET)).toBe(true)
  })
})
