import { afterAll, describe, expect, it } from 'vitest'
import { loadEnvoyRoot } from '../../../proto/loader'
import { setupTestServer } from '../../support/test-server'
import { waitFor } from '../../support/wait-for'
import { CLUSTER_TYPE_URL, commitDraft, getProxy } from '../../support/xds-fleet'
import { openDeltaStream, type ReceivedDeltaResponse } from '../../support/xds-protocol-client'

/**
 * Issue #11: Envoy applies the valid resources of a delta response and NACKs the bad one. A scripted
 * client does exactly that here, over a real DeltaAggregatedResources stream; after a rollback its
 * state must equal the active version again, and the API may say SYNCED only when it does.
 */
const FLEET = 'partial'
const NODE = { id: 'envoy-like-1', cluster: FLEET, user_agent_name: 'envoy', user_agent_version: '1.36.0' }
/** What this client refuses, as Envoy refuses a cluster it cannot use: a connect timeout of 13 s marks it here. */
const REJECTED_TIMEOUT = '13s'

const t = setupTestServer('xds_delta_partial')
const root = loadEnvoyRoot()
const clusterType = root.lookupType('envoy.config.cluster.v3.Cluster')

const cluster = (name: string, connectTimeout = '1s') => ({
  name,
  type: 'STATIC',
  connect_timeout: connectTimeout,
  load_assignment: { cluster_name: name, endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: '127.0.0.1', port_value: 10_001 } } } }] }] },
})

async function putCluster(name: string, connectTimeout?: string): Promise<void> {
  const res = await t.api('PUT', `/api/v1/fleets/${FLEET}/draft/clusters/${name}`, { body: cluster(name, connectTimeout) })
  expect(res.status, res.text).toBeLessThan(300)
}

/** The client's view: cluster name → the version it runs; it ACKs or NACKs each response as Envoy would. */
function envoyLikeClient() {
  const stream = openDeltaStream(t.xdsPort)
  const held = new Map<string, string>()
  const apply = (res: ReceivedDeltaResponse): void => {
    const rejected: string[] = []
    for (const r of res.resources) {
      const decoded = clusterType.toObject(clusterType.decode(r.resource!.value), { longs: String }) as { connect_timeout?: { seconds?: string } }
      if (decoded.connect_timeout?.seconds === REJECTED_TIMEOUT.replace('s', '')) rejected.push(r.name)
      else held.set(r.name, r.version)
    }
    for (const name of res.removed_resources) held.delete(name)
    stream.send(
      rejected.length > 0
        ? { type_url: CLUSTER_TYPE_URL, response_nonce: res.nonce, error_detail: { code: 3, message: `cluster ${rejected.join(', ')}: connect timeout too long` } }
        : { type_url: CLUSTER_TYPE_URL, response_nonce: res.nonce },
    )
  }
  return { stream, held, apply }
}

describe('delta: a partially applied NACK, then a rollback', () => {
  const client = { current: null as ReturnType<typeof envoyLikeClient> | null }
  afterAll(() => client.current?.stream.close())

  it('re-establishes the client state: what the NACKed response added is removed, what it changed is restored; SYNCED only then', async () => {
    expect((await t.api('POST', '/api/v1/fleets', { body: { name: FLEET } })).status).toBe(201)
    await putCluster('a')
    await putCluster('b')
    expect(await commitDraft(t.api, FLEET, 'a and b')).toBe(1)

    const c = (client.current = envoyLikeClient())
    c.stream.send({ node: NODE, type_url: CLUSTER_TYPE_URL, resource_names_subscribe: ['*'] })
    c.apply(await c.stream.next())
    const v1 = new Map(c.held)
    expect([...v1.keys()].sort()).toEqual(['a', 'b'])
    await waitFor(async () => expect((await getProxy(t.api, NODE.id))?.state).toBe('SYNCED'), { what: 'SYNCED on v1' })

    // v2 changes a (to something the client refuses) and adds c and d (which it applies).
    await putCluster('a', REJECTED_TIMEOUT)
    await putCluster('c')
    await putCluster('d')
    expect(await commitDraft(t.api, FLEET, 'bad a, new c and d')).toBe(2)
    const v2 = await c.stream.next()
    expect(v2.resources.map((r) => r.name).sort()).toEqual(['a', 'c', 'd'])
    c.apply(v2)
    expect([...c.held.keys()].sort()).toEqual(['a', 'b', 'c', 'd'])
    await waitFor(async () => expect((await getProxy(t.api, NODE.id))?.state).toBe('NACKED'), { what: 'NACKED on v2' })

    // Roll back to v1: the server must undo what the client applied of v2.
    const rollback = await t.api<{ number: number }>('POST', `/api/v1/fleets/${FLEET}/versions/1/rollback`, { body: {} })
    expect(rollback.status, rollback.text).toBe(201)
    await waitFor(
      async () => {
        const next = await c.stream.next(2000).catch(() => null)
        if (next) c.apply(next)
        expect(Object.fromEntries(c.held)).toEqual(Object.fromEntries(v1))
        return true
      },
      { what: 'the client back on exactly v1', timeoutMs: 15_000 },
    )
    await waitFor(async () => expect((await getProxy(t.api, NODE.id))?.state).toBe('SYNCED'), { what: 'SYNCED after the rollback' })
  })
})
