import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadEnvoyRoot } from '../../../proto/loader'
import { setupTestServer } from '../../support/test-server'
import { waitFor } from '../../support/wait-for'
import { echoFleetResources } from '../../support/xds-client'
import { CLUSTER_LOAD_ASSIGNMENT_TYPE_URL as EDS, CLUSTER_TYPE_URL as CDS, commitDraft, getProxy, LISTENER_TYPE_URL as LDS, listVersions, putEchoDraft, type ProxyView } from '../../support/xds-fleet'
import { openDeltaStream, openSotwStream, type DeltaRequestInput, type ProtocolStream, type ReceivedDeltaResponse } from '../../support/xds-protocol-client'

/**
 * Incremental (delta) ADS end to end: config goes in through the HTTP API, and a protocol test
 * client that sends exactly what each test says (no xDS client logic of its own) checks what the
 * real server answers on DeltaAggregatedResources, and what the proxies API then shows. The tests
 * run in order on one long-lived stream; each starts from the state the previous one left.
 */
const FLEET = 'delta-fleet'
const NODE_ID = 'delta-1'
const RESPONSE_MS = 10_000
const NACK_MESSAGE = 'delta test: endpoint rejected on purpose'

type DeltaProxyView = ProxyView & { stream: string }
type Stream = ProtocolStream<DeltaRequestInput, ReceivedDeltaResponse>

const t = setupTestServer('xds_delta')
const { api } = t
let stream: Stream
const streams: Stream[] = []
/** Each cluster's version as first sent (nothing changes extra-a or echo-backend's Cluster later). */
const clusterVersions = new Map<string, string>()

const root = loadEnvoyRoot()
const decode = (messageName: string, value: Buffer): Record<string, unknown> => root.lookupType(messageName).toObject(root.lookupType(messageName).decode(value), { longs: Number }) as Record<string, unknown>
/** The endpoint port of a ClusterLoadAssignment as sent. */
const portOf = (r: ReceivedDeltaResponse['resources'][number] | undefined): unknown => {
  const cla = decode('envoy.config.endpoint.v3.ClusterLoadAssignment', r!.resource!.value) as { endpoints: Array<{ lb_endpoints?: Array<{ endpoint: { address: { socket_address: { port_value: number } } } }> }> }
  return cla.endpoints[0]?.lb_endpoints?.[0]?.endpoint.address.socket_address.port_value
}

const endpointsAt = (cluster: string, port: number) => ({ ...echoFleetResources([{ address: '127.0.0.1', port }]).endpoints, cluster_name: cluster })

/** The echo config plus two more EDS clusters, routed by path prefix. */
async function putFleetDraft(extraClusters: readonly string[]): Promise<void> {
  const echo = echoFleetResources([{ address: '127.0.0.1', port: 10_001 }])
  const routes = [...extraClusters.map((c) => ({ match: { prefix: `/${c}` }, route: { cluster: c } })), ...echo.route.virtual_hosts[0]!.routes]
  await putEchoDraft(api, FLEET, { ...echo, route: { ...echo.route, virtual_hosts: [{ ...echo.route.virtual_hosts[0]!, routes }] } })
  for (const c of extraClusters) {
    await putDraft('clusters', c, { ...echo.cluster, name: c })
    await putDraft('endpoints', c, endpointsAt(c, 20_000))
  }
}

async function putDraft(plural: string, name: string, body: unknown): Promise<void> {
  const res = await api('PUT', `/api/v1/fleets/${FLEET}/draft/${plural}/${name}`, { body })
  expect(res.status, `PUT ${plural}/${name}: ${res.text}`).toBeLessThan(300)
}

async function deleteDraft(plural: string, name: string): Promise<void> {
  const res = await api('DELETE', `/api/v1/fleets/${FLEET}/draft/${plural}/${name}`)
  expect(res.status, `DELETE ${plural}/${name}: ${res.text}`).toBe(204)
}

async function commitEchoEndpoint(port: number, message: string): Promise<number> {
  await putDraft('endpoints', 'echo-backend', endpointsAt('echo-backend', port))
  return commitDraft(api, FLEET, message)
}

const open = (): Stream => {
  const s = openDeltaStream(t.xdsPort)
  streams.push(s)
  return s
}

const node = (id: string) => ({ id, cluster: FLEET, user_agent_name: 'legation-protocol-test', user_agent_version: '1' })

/** Polls the proxies API until the node's latest stream passes `check`. */
const waitForProxy = (nodeId: string, check: (p: DeltaProxyView) => void, what: string): Promise<DeltaProxyView> =>
  waitFor(
    async () => {
      const p = (await getProxy(api, nodeId)) as DeltaProxyView | null
      expect(p, `proxy ${nodeId}`).not.toBeNull()
      check(p!)
      return p!
    },
    { what },
  )

const names = (res: ReceivedDeltaResponse): string[] => res.resources.map((r) => r.name)

/**
 * Proves that nothing more was sent on `s` so far, without waiting a fixed time: subscribes to the
 * echo Listener (which never changes here; subscribing again sends it again) and requires its
 * response to be the very next one. A stream handles its requests and snapshots one at a time, in
 * order, so anything owed before this request would arrive first. The response is ACKed, so the
 * Listener stays in sync and the proxy's state is unchanged.
 */
async function expectNothingSentBefore(s: Stream): Promise<void> {
  s.send({ type_url: LDS, resource_names_subscribe: ['echo'] })
  const res = await s.next(RESPONSE_MS)
  expect({ type_url: res.type_url, names: names(res), removed: res.removed_resources }, 'the next response answers the barrier').toEqual({ type_url: LDS, names: ['echo'], removed: [] })
  s.send({ type_url: LDS, response_nonce: res.nonce })
}

beforeAll(async () => {
  expect((await api('POST', '/api/v1/fleets', { body: { name: FLEET } })).status).toBe(201)
  await putFleetDraft(['extra-a', 'extra-b'])
  expect(await commitDraft(api, FLEET, 'three clusters')).toBe(1)
})

afterAll(() => {
  for (const s of streams) s.close()
})

describe('incremental (delta) ADS', () => {
  it('wildcard CDS: the first response has every cluster, each with its own version', async () => {
    stream = open()
    stream.send({ node: node(NODE_ID), type_url: CDS })
    const res = await stream.next(RESPONSE_MS)
    expect(res).toMatchObject({ type_url: CDS, nonce: '1', removed_resources: [] })
    expect(res.system_version_info).toMatch(/^[0-9a-f]{16}$/)
    expect(names(res)).toEqual(['echo-backend', 'extra-a', 'extra-b'])
    for (const r of res.resources) {
      expect(r.version, r.name).toMatch(/^[0-9a-f]{64}$/)
      expect(r.resource?.type_url).toBe(CDS)
      expect(decode('envoy.config.cluster.v3.Cluster', r.resource!.value)['name']).toBe(r.name)
      clusterVersions.set(r.name, r.version)
    }
    expect(new Set(clusterVersions.values()).size).toBe(3)
    stream.send({ type_url: CDS, response_nonce: res.nonce })
  })

  it('EDS by name: only the subscribed load assignment; both types SYNCED on a Delta ADS stream', async () => {
    stream.send({ type_url: EDS, resource_names_subscribe: ['echo-backend'] })
    const res = await stream.next(RESPONSE_MS)
    expect(res).toMatchObject({ type_url: EDS, nonce: '2', removed_resources: [] })
    expect(names(res)).toEqual(['echo-backend'])
    expect(portOf(res.resources[0])).toBe(10_001)
    stream.send({ type_url: EDS, response_nonce: res.nonce })

    const proxy = await waitForProxy(
      NODE_ID,
      (p) => {
        expect(p.types[EDS]?.nonceAcked).toBe('2')
        expect(p.state).toBe('SYNCED')
      },
      'EDS ACKed',
    )
    expect(proxy).toMatchObject({ stream: 'Delta ADS', fleet: FLEET, userAgentName: 'legation-protocol-test', disconnectedAt: null })
    expect(proxy.types[CDS]).toMatchObject({ nonceSent: '1', nonceAcked: '1', versionAcked: expect.stringMatching(/^[0-9a-f]{16}$/), sentFromVersion: 1, resourceNames: ['echo-backend', 'extra-a', 'extra-b'] })
    expect(proxy.types[EDS]).toMatchObject({ names: ['echo-backend'], resourceNames: ['echo-backend'], sentFromVersion: 1 })
  })

  it('an endpoint change sends only the changed ClusterLoadAssignment, not the cluster', async () => {
    const before = await getProxy(api, NODE_ID)
    expect(await commitEchoEndpoint(10_002, 'echo on port 10002')).toBe(2)
    const res = await stream.next(RESPONSE_MS)
    expect(res).toMatchObject({ type_url: EDS, removed_resources: [] })
    expect(names(res)).toEqual(['echo-backend'])
    expect(portOf(res.resources[0])).toBe(10_002)
    expect(res.system_version_info).not.toBe(before?.types[EDS]?.versionSent)
    // Nothing else: the Cluster resources did not change, so no CDS response at all.
    await expectNothingSentBefore(stream)
    stream.send({ type_url: EDS, response_nonce: res.nonce })
    await waitForProxy(NODE_ID, (p) => expect(p.types[EDS]?.ackedFromVersion).toBe(2), 'EDS of version 2 ACKed')
  })

  it('a deleted cluster (and its route reference) is reported in removed_resources', async () => {
    const echo = echoFleetResources([{ address: '127.0.0.1', port: 10_002 }])
    const routes = [{ match: { prefix: '/extra-a' }, route: { cluster: 'extra-a' } }, ...echo.route.virtual_hosts[0]!.routes]
    await putDraft('routes', 'echo-route', { ...echo.route, virtual_hosts: [{ ...echo.route.virtual_hosts[0]!, routes }] })
    await deleteDraft('clusters', 'extra-b')
    await deleteDraft('endpoints', 'extra-b')
    expect(await commitDraft(api, FLEET, 'extra-b removed')).toBe(3)

    const res = await stream.next(RESPONSE_MS)
    expect(res).toMatchObject({ type_url: CDS, resources: [], removed_resources: ['extra-b'] })
    // The client never had extra-b's endpoints (not subscribed): no EDS removal for it.
    await expectNothingSentBefore(stream)
    stream.send({ type_url: CDS, response_nonce: res.nonce })
  })

  it('a reconnect whose initial_resource_versions are current gets nothing, and is SYNCED', async () => {
    const again = open()
    again.send({
      node: node('delta-reconnect-1'),
      type_url: CDS,
      initial_resource_versions: { 'echo-backend': clusterVersions.get('echo-backend')!, 'extra-a': clusterVersions.get('extra-a')! },
    })
    try {
      await expectNothingSentBefore(again)
      const proxy = await waitForProxy(
        'delta-reconnect-1',
        (p) => {
          expect(p.types[LDS]?.nonceAcked).toBeTruthy()
          expect(p.state).toBe('SYNCED')
        },
        'the reconnected stream SYNCED, the barrier ACKed',
      )
      expect(proxy.types[CDS]).toMatchObject({ versionAcked: expect.stringMatching(/^[0-9a-f]{16}$/), ackedFromVersion: 3, resourceNames: ['echo-backend', 'extra-a'] })
    } finally {
      again.close()
    }
  })

  it('a reconnect with one stale version gets only that cluster, and the removal of one that is gone', async () => {
    const again = open()
    again.send({
      node: node('delta-reconnect-2'),
      type_url: CDS,
      initial_resource_versions: { 'echo-backend': clusterVersions.get('echo-backend')!, 'extra-a': 'stale', 'extra-b': clusterVersions.get('extra-b')! },
    })
    try {
      const res = await again.next(RESPONSE_MS)
      expect(names(res)).toEqual(['extra-a'])
      expect(res.resources[0]?.version).toBe(clusterVersions.get('extra-a'))
      // Removals come in a response of their own, after every addition and update.
      const removal = await again.next(RESPONSE_MS)
      expect(removal).toMatchObject({ type_url: CDS, resources: [], removed_resources: ['extra-b'] })
      await expectNothingSentBefore(again)
    } finally {
      again.close()
    }
  })

  it('a NACK is shown by the proxies API as NACKED with the client’s message, and is not answered by a re-send', async () => {
    expect(await commitEchoEndpoint(10_003, 'echo on port 10003')).toBe(4)
    const res = await stream.next(RESPONSE_MS)
    expect(names(res)).toEqual(['echo-backend'])
    stream.send({ type_url: EDS, response_nonce: res.nonce, error_detail: { code: 3, message: NACK_MESSAGE } })

    const proxy = await waitForProxy(NODE_ID, (p) => expect(p.state).toBe('NACKED'), 'NACKED')
    const eds = proxy.types[EDS]!
    expect(eds.lastNack).toMatchObject({ message: NACK_MESSAGE, code: 3, nonce: res.nonce, version: res.system_version_info })
    expect(eds.nonceSent).toBe(res.nonce)
    // The client keeps what it ACKed last: version 3's EDS content for it (version 3 removed only
    // extra-b's endpoints, which this client does not subscribe to, so it moved on without a response).
    expect(eds.ackedFromVersion).toBe(3)
    expect(eds.versionAcked).not.toBe(res.system_version_info)
    await expectNothingSentBefore(stream)
  })

  it('after a fix is ACKed and EDS unsubscribed, the proxies API shows the Delta ADS stream SYNCED and on the active version', async () => {
    expect(await commitEchoEndpoint(10_004, 'echo on port 10004')).toBe(5)
    const fixed = await stream.next(RESPONSE_MS)
    expect(names(fixed)).toEqual(['echo-backend'])
    expect(portOf(fixed.resources[0])).toBe(10_004)
    stream.send({ type_url: EDS, response_nonce: fixed.nonce })

    stream.send({ type_url: EDS, resource_names_unsubscribe: ['echo-backend'] })
    // No removal is owed for an unsubscription, and later changes to it are not pushed.
    await expectNothingSentBefore(stream)
    expect(await commitEchoEndpoint(10_005, 'echo on port 10005')).toBe(6)
    // Version 6 changed nothing this proxy subscribes to: it runs version 6 without a response. Once
    // the API says so, the stream has handled that snapshot, and the barrier shows it sent nothing.
    const versions = await waitFor(
      async () => {
        const list = await listVersions(api, FLEET)
        expect(list.find((v) => v.active)?.convergence).toMatchObject({ version: 6, proxies: 1, onVersion: 1 })
        return list
      },
      { what: 'convergence of version 6' },
    )
    expect(versions.find((v) => v.number === 4)?.convergence).toMatchObject({ onVersion: 0 })
    await expectNothingSentBefore(stream)

    const proxy = await waitForProxy(
      NODE_ID,
      (p) => {
        expect(p.types[EDS]?.names).toEqual([])
        expect(p.state).toBe('SYNCED')
      },
      'SYNCED with EDS unsubscribed',
    )
    expect(proxy.stream).toBe('Delta ADS')
    expect(proxy.types[EDS]).toMatchObject({ nonceSent: fixed.nonce, nonceAcked: fixed.nonce, resourceNames: [] })
  })

  it('a state-of-the-world stream on the same server sees the same type version as system_version_info', async () => {
    const sotw = openSotwStream(t.xdsPort)
    try {
      sotw.send({ node: node('sotw-1'), type_url: CDS })
      const res = await sotw.next(RESPONSE_MS)
      expect(res).toMatchObject({ type_url: CDS, nonce: '1' })
      // SotW sends every cluster (Grouping Resources into Responses); the delta stream got them one change at a time.
      expect(res.resources.map((r) => decode('envoy.config.cluster.v3.Cluster', r.value)['name'])).toEqual(['echo-backend', 'extra-a'])
      const delta = await getProxy(api, NODE_ID)
      expect(res.version_info).toBe(delta?.types[CDS]?.versionAcked)
    } finally {
      sotw.close()
    }
  })
})
