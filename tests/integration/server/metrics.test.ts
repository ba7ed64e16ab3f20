import type * as grpc from '@grpc/grpc-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callEcho, startEchoBackend, type EchoBackend } from '../../support/echo-backend'
import { samplesOf, scrapeMetrics, sumOf, valueOf, type Sample } from '../../support/metrics'
import { setupTestServer } from '../../support/test-server'
import { waitFor } from '../../support/wait-for'
import { commitRejectedCluster, createEchoFleet, createXdsEchoClient, echoFleetResources } from '../../support/xds-client'
import { CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, CLUSTER_TYPE_URL, commitDraft, putEchoDraft } from '../../support/xds-fleet'
import { openSotwStream } from '../../support/xds-protocol-client'

/**
 * #13 item 2: GET /metrics on the real server, scraped while a real grpc-js-xds client (which ACKs
 * and NACKs like Envoy) goes through a commit and a version it rejects. The numbers must move: the
 * stream gauge, pushes, bytes, ACKs, NACKs, push latency, commit → converged, snapshot builds,
 * commits, API latency by route pattern; and LEGATION_METRICS_TOKEN guards the endpoint.
 */
const TOKEN = 'metrics-token-0123456789abcdef'
const t = setupTestServer('metrics', { LEGATION_METRICS_TOKEN: TOKEN })
const { api } = t
const FLEET = 'metered'
const COMMIT_ROUTE = '/api/v1/fleets/[fleet]/commit'

let backend1: EchoBackend
let backend2: EchoBackend
let client: grpc.Client | undefined

beforeAll(async () => {
  ;[backend1, backend2] = await Promise.all([startEchoBackend('backend-1'), startEchoBackend('backend-2')])
})
afterAll(async () => {
  client?.close()
  await Promise.all([backend1?.stop(), backend2?.stop()])
})

async function scrape(): Promise<Sample[]> {
  const res = await scrapeMetrics(t.server.baseUrl, TOKEN)
  expect(res.status, res.text).toBe(200)
  return res.samples
}

/** Scrapes until `check` passes; resolves with that scrape. */
const scrapeUntil = (check: (samples: Sample[]) => void, what: string): Promise<Sample[]> =>
  waitFor(
    async () => {
      const samples = await scrape()
      check(samples)
      return samples
    },
    { what, timeoutMs: 20_000 },
  )

const fleetType = (type: string) => ({ fleet: FLEET, type })

describe('GET /metrics', () => {
  it('with LEGATION_METRICS_TOKEN set, answers 401 without the token or with another one, and the text format with it', async () => {
    const none = await scrapeMetrics(t.server.baseUrl)
    expect(none.status).toBe(401)
    expect(none.text).not.toContain('legation_')
    expect((await scrapeMetrics(t.server.baseUrl, 'not-the-metrics-token-at-all')).status).toBe(401)
    // An API token is no metrics token either.
    const withApiToken = await api('GET', '/metrics')
    expect(withApiToken.status).toBe(401)

    const ok = await scrapeMetrics(t.server.baseUrl, TOKEN)
    expect(ok.status).toBe(200)
    expect(ok.contentType).toMatch(/^text\/plain; version=0\.0\.4/)
    expect(valueOf(ok.samples, 'legation_build_info', { version: '0.1.0' })).toBe(1)
    // The LISTEN connection is up, the pool has opened a connection, Node's own metrics are there.
    expect(valueOf(ok.samples, 'legation_database_listen_up')).toBe(1)
    expect(valueOf(ok.samples, 'legation_database_pool_connections', { state: 'total' })).toBeGreaterThanOrEqual(1)
    expect(valueOf(ok.samples, 'legation_database_pool_connections', { state: 'waiting' })).toBe(0)
    expect(valueOf(ok.samples, 'process_resident_memory_bytes')).toBeGreaterThan(0)
    expect(valueOf(ok.samples, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0)
  })

  it('a connected grpc-js-xds client: one ADS stream of its fleet, pushes, bytes and ACKs of every type, push → ACK latency', async () => {
    expect(await createEchoFleet(api, FLEET, [backend1])).toBe(1)
    client = createXdsEchoClient({ xdsPort: t.xdsPort, nodeId: 'metered-1', fleet: FLEET, target: 'echo' })
    expect(await callEcho(client, 15_000)).toBe('backend-1')
    const s = await scrapeUntil((x) => expect(valueOf(x, 'legation_xds_acks_total', fleetType('eds'))).toBe(1), 'the EDS ACK counted')
    expect(valueOf(s, 'legation_xds_streams', { fleet: FLEET, stream: 'ADS' })).toBe(1)
    expect(sumOf(s, 'legation_xds_streams', { fleet: FLEET })).toBe(1)
    for (const type of ['lds', 'rds', 'cds', 'eds']) {
      expect(valueOf(s, 'legation_xds_pushes_total', fleetType(type)), type).toBe(1)
      expect(valueOf(s, 'legation_xds_acks_total', fleetType(type)), type).toBe(1)
      expect(valueOf(s, 'legation_xds_push_bytes_total', { type }), type).toBeGreaterThan(0)
      expect(valueOf(s, 'legation_xds_push_latency_seconds_count', { type, result: 'ack' }), type).toBe(1)
    }
    expect(valueOf(s, 'legation_xds_nacks_total', fleetType('cds'))).toBeUndefined()
    expect(valueOf(s, 'legation_xds_streams_unsynced', { fleet: FLEET })).toBe(0)
    // No series is labelled with the node id or the peer.
    expect(s.some((x) => Object.values(x.labels).some((v) => v.includes('metered-1') || v.includes('127.0.0.1')))).toBe(false)
    // Version 1 was committed before the client connected: its reach is not a commit → converged time.
    expect(valueOf(s, 'legation_rollout_convergence_seconds_count', { fleet: FLEET }) ?? 0).toBe(0)
    expect(valueOf(s, 'legation_snapshot_version', { fleet: FLEET })).toBe(1)
  })

  it('a commit: the EDS push is counted and ACKed, bytes grow, the client’s commit → converged time is observed, the snapshot built', async () => {
    const before = await scrape()
    await putEchoDraft(api, FLEET, echoFleetResources([backend2]))
    expect(await commitDraft(api, FLEET, 'to backend 2')).toBe(2)
    const s = await scrapeUntil((x) => expect(valueOf(x, 'legation_rollout_convergence_seconds_count', { fleet: FLEET })).toBe(1), 'version 2 reached')
    expect(await callEcho(client!, 15_000)).toBe('backend-2')
    // Version 2 changes the endpoints only: one more EDS push and ACK, nothing else re-sent.
    expect(valueOf(s, 'legation_xds_acks_total', fleetType('eds'))).toBe(valueOf(before, 'legation_xds_acks_total', fleetType('eds'))! + 1)
    expect(valueOf(s, 'legation_xds_pushes_total', fleetType('eds'))).toBe(2)
    expect(valueOf(s, 'legation_xds_pushes_total', fleetType('cds'))).toBe(1)
    expect(valueOf(s, 'legation_xds_push_bytes_total', { type: 'eds' })).toBeGreaterThan(valueOf(before, 'legation_xds_push_bytes_total', { type: 'eds' })!)
    expect(valueOf(s, 'legation_xds_push_latency_seconds_count', { type: 'eds', result: 'ack' })).toBe(2)
    // The histogram's one observation sits in a bucket: +Inf holds it, and the sum is a time.
    expect(valueOf(s, 'legation_rollout_convergence_seconds_bucket', { fleet: FLEET, le: '+Inf' })).toBe(1)
    expect(valueOf(s, 'legation_rollout_convergence_seconds_sum', { fleet: FLEET })).toBeGreaterThanOrEqual(0)
    expect(valueOf(s, 'legation_snapshot_version', { fleet: FLEET })).toBe(2)
    expect(valueOf(s, 'legation_snapshot_build_seconds_count', { fleet: FLEET })).toBe(2)
    expect(valueOf(s, 'legation_commit_seconds_count', { result: 'committed' })).toBe(2)
    expect(valueOf(s, 'legation_commit_validation_seconds_count')).toBe(2)
    expect(valueOf(s, 'legation_xds_streams_unsynced', { fleet: FLEET })).toBe(0)
  })

  it('a MAGLEV cluster the client rejects: one CDS NACK, its latency, the stream counted as unsynced; no convergence observed', async () => {
    expect(await commitRejectedCluster(api, FLEET, [backend2])).toBe(3)
    const s = await scrapeUntil((x) => expect(valueOf(x, 'legation_xds_nacks_total', fleetType('cds'))).toBe(1), 'the CDS NACK counted')
    expect(valueOf(s, 'legation_xds_push_latency_seconds_count', { type: 'cds', result: 'nack' })).toBe(1)
    expect(valueOf(s, 'legation_xds_acks_total', fleetType('cds'))).toBe(1)
    expect(valueOf(s, 'legation_xds_streams_unsynced', { fleet: FLEET })).toBe(1)
    expect(valueOf(s, 'legation_rollout_convergence_seconds_count', { fleet: FLEET })).toBe(1)
    // The snapshot itself was fine: served, not a rejection of ours.
    expect(valueOf(s, 'legation_snapshot_version', { fleet: FLEET })).toBe(3)
    expect(valueOf(s, 'legation_snapshot_rejections_total', { fleet: FLEET }) ?? 0).toBe(0)
  })

  it('API latency by route pattern and status: never the raw path; a refused commit is timed as refused', async () => {
    const again = await api('POST', `/api/v1/fleets/${FLEET}/commit`, { body: { message: 'nothing changed' } })
    expect(again.status, again.text).toBe(409)
    expect((await api('GET', '/api/v1/proxies/summary')).status).toBe(200)
    expect((await api('GET', '/api/v1/proxies/metered-1')).status).toBe(200)
    expect((await api('GET', '/api/v1/no-such-route/x')).status).toBe(404)
    // Timed when the answer ends, which may be just after the client has read it.
    const s = await scrapeUntil((x) => expect(valueOf(x, 'legation_api_request_duration_seconds_count', { method: 'GET', route: 'unmatched', status: '404' })).toBe(1), 'the 404 timed')
    const count = (labels: Record<string, string>) => valueOf(s, 'legation_api_request_duration_seconds_count', labels)
    expect(count({ method: 'POST', route: COMMIT_ROUTE, status: '201' })).toBe(3)
    expect(count({ method: 'POST', route: COMMIT_ROUTE, status: '409' })).toBe(1)
    expect(count({ method: 'POST', route: '/api/v1/fleets', status: '201' })).toBe(1)
    // putEchoDraft PUTs four resources per draft, twice, plus the MAGLEV one.
    expect(sumOf(s, 'legation_api_request_duration_seconds_count', { method: 'PUT', route: '/api/v1/fleets/[fleet]/draft/[type]/[name]' })).toBe(12)
    // A static segment wins over a dynamic one, as in Next: summary is not a node id.
    expect(count({ method: 'GET', route: '/api/v1/proxies/summary', status: '200' })).toBe(1)
    expect(count({ method: 'GET', route: '/api/v1/proxies/[node]', status: '200' })).toBe(1)
    expect(count({ method: 'GET', route: 'unmatched', status: '404' })).toBe(1)
    const routes = new Set(samplesOf(s, 'legation_api_request_duration_seconds_count').map((x) => x.labels['route']!))
    for (const route of routes) expect(route === 'unmatched' || (route.startsWith('/api/') && !route.includes(FLEET) && !route.includes('metered-1')), route).toBe(true)
    expect(valueOf(s, 'legation_commit_seconds_count', { result: 'refused' })).toBe(1)
    expect(valueOf(s, 'legation_commit_seconds_count', { result: 'committed' })).toBe(3)
  })

  it('the stream gauge goes back to 0 when the client leaves', async () => {
    client!.close()
    client = undefined
    const s = await scrapeUntil((x) => expect(valueOf(x, 'legation_xds_streams', { fleet: FLEET, stream: 'ADS' })).toBe(0), 'the stream closed')
    expect(valueOf(s, 'legation_xds_streams_unsynced', { fleet: FLEET })).toBe(0)
  })

  it('a NACK repeated by a proxy counts once: the counters count responses, not requests', async () => {
    const before = await scrape()
    const raw = openSotwStream(t.xdsPort)
    try {
      raw.send({ node: { id: 'metered-raw', cluster: FLEET }, type_url: CLUSTER_TYPE_URL })
      const cds = await raw.next()
      expect(cds.type_url).toBe(CLUSTER_TYPE_URL)
      const nack = { type_url: CLUSTER_TYPE_URL, response_nonce: cds.nonce, version_info: '', error_detail: { code: 3, message: 'rejected by the test' } }
      raw.send(nack)
      raw.send(nack)
      // Requests are handled in order: once the EDS answer is here, both NACKs were.
      raw.send({ type_url: CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, resource_names: ['echo-backend'] })
      expect((await raw.next()).type_url).toBe(CLUSTER_LOAD_ASSIGNMENT_TYPE_URL)
      const s = await scrape()
      expect(valueOf(s, 'legation_xds_nacks_total', fleetType('cds'))).toBe(valueOf(before, 'legation_xds_nacks_total', fleetType('cds'))! + 1)
      expect(valueOf(s, 'legation_xds_push_latency_seconds_count', { type: 'cds', result: 'nack' })).toBe(valueOf(before, 'legation_xds_push_latency_seconds_count', { type: 'cds', result: 'nack' })! + 1)
      expect(valueOf(s, 'legation_xds_pushes_total', fleetType('cds'))).toBe(valueOf(before, 'legation_xds_pushes_total', fleetType('cds'))! + 1)
      expect(valueOf(s, 'legation_xds_streams', { fleet: FLEET, stream: 'ADS' })).toBe(1)
      expect(valueOf(s, 'legation_xds_streams_unsynced', { fleet: FLEET })).toBe(1)
    } finally {
      raw.close()
    }
    await scrapeUntil((x) => expect(valueOf(x, 'legation_xds_streams', { fleet: FLEET, stream: 'ADS' })).toBe(0), 'the raw stream closed')
  })
})
