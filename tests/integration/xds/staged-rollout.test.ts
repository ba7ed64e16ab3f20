import type * as grpc from '@grpc/grpc-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callEcho, startEchoBackend, type EchoBackend } from '../../support/echo-backend'
import { createTestDatabase, type TestDatabase } from '../../support/database'
import { apiClient, type ApiClient } from '../../support/http'
import { freePort, startServer, type ServerHandle } from '../../support/server'
import { waitFor } from '../../support/wait-for'
import { createXdsEchoClient, echoFleetResources } from '../../support/xds-client'
import { CLUSTER_TYPE_URL, commitDraft, putEchoDraft } from '../../support/xds-fleet'
import { openDeltaStream, type ProtocolStream, type ReceivedDeltaResponse, type DeltaRequestInput } from '../../support/xds-protocol-client'

/**
 * #12 item 3 with real clients: 20 gRPC proxyless clients (@grpc/grpc-js-xds, SotW ADS) and 5 delta
 * streams. A two-stage rollout (canaries by node id glob, then 100 %) goes on by itself once the
 * canaries ACK; a rollout whose version the gRPC clients NACK halts in its first stage, its canaries
 * go back to the previous version and nobody else ever gets it; the server killed mid-rollout
 * comes back and the rollout continues from its stage.
 */
const FLEET = 'staged'
const CANARIES = ['canary-1', 'canary-2', 'canary-3', 'canary-4']
const OTHERS = Array.from({ length: 16 }, (_, i) => `prod-${i + 1}`)
const DELTA_NODES = ['canary-delta', 'prod-delta-1', 'prod-delta-2', 'prod-delta-3', 'prod-delta-4']

type RolloutView = { id: string; state: string; stage: number; reason: string | null; toVersion: number; fromVersion: number; stages: Array<{ members: number | null; reached: number | null }> }

let db: TestDatabase
let server: ServerHandle
let env: Record<string, string>
let api: ApiClient
let backends: EchoBackend[] = []
const clients = new Map<string, grpc.Client>()
const deltas = new Map<string, DeltaClient>()

/** A delta client that ACKs everything and remembers the version of each cluster it holds. */
type DeltaClient = { stream: ProtocolStream<DeltaRequestInput, ReceivedDeltaResponse>; responses: number; closed: boolean }
function openDeltaClient(xdsPort: number, nodeId: string): DeltaClient {
  const client: DeltaClient = { stream: openDeltaStream(xdsPort), responses: 0, closed: false }
  client.stream.send({ type_url: CLUSTER_TYPE_URL, node: { id: nodeId, cluster: FLEET }, resource_names_subscribe: ['*'] })
  void (async () => {
    while (!client.closed) {
      const res = await client.stream.next(600_000).catch(() => null)
      if (!res) return
      client.responses++
      client.stream.send({ type_url: CLUSTER_TYPE_URL, response_nonce: res.nonce })
    }
  })()
  return client
}

function closeDelta(d: DeltaClient): void {
  d.closed = true
  d.stream.close()
}

const xdsPort = () => Number(env['XDS_PORT'])
async function start(): Promise<void> {
  server = await startServer({ env })
  api = apiClient(server.baseUrl)
}
const ok = async <T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> => {
  const res = await api<T>(method, path, body === undefined ? {} : { body })
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.text}`)
  return res.body
}
const rollout = (id: string) => ok<RolloutView>('GET', `/api/v1/fleets/${FLEET}/rollouts/${id}`)
/** The proxies that do not run the fleet's active version, by the drift API (what each ACKed against what it should run). */
async function offActive(): Promise<string[]> {
  const nodes = [...CANARIES, ...OTHERS, ...DELTA_NODES]
  const drifts = await Promise.all(nodes.map(async (n) => [n, (await ok<{ runsActive: boolean }>('GET', `/api/v1/proxies/${n}/drift`)).runsActive] as const))
  return drifts.filter(([, runs]) => !runs).map(([n]) => n)
}
async function everSent(nodeId: string, version: number): Promise<boolean> {
  const res = await ok<{ events: Array<{ kind: string; fromVersion?: number | null }> }>('GET', `/api/v1/proxies/${nodeId}/events?limit=500`)
  return res.events.some((e) => e.kind === 'send' && e.fromVersion === version)
}
const answers = async (nodes: readonly string[]) => Object.fromEntries(await Promise.all(nodes.map(async (n) => [n, await callEcho(clients.get(n)!, 5_000).catch((e: Error) => `error: ${e.message}`)] as const)))

beforeAll(async () => {
  db = await createTestDatabase('staged_rollout')
  env = { DATABASE_URL: db.url, PORT: String(await freePort()), XDS_PORT: String(await freePort()) }
  await start()
  backends = await Promise.all(['backend-v1', 'backend-v2', 'backend-v4'].map((n) => startEchoBackend(n)))
})
afterAll(async () => {
  for (const c of clients.values()) c.close()
  for (const d of deltas.values()) closeDelta(d)
  const code = await server?.stop()
  for (const b of backends) await b.stop()
  await db?.drop()
  expect(code).toBe(0)
})

describe('a staged rollout with 20 gRPC clients and 5 delta clients', () => {
  it('goes from the canaries to every proxy by itself once the canaries ACK', async () => {
    await ok('POST', '/api/v1/fleets', { name: FLEET })
    await putEchoDraft(api, FLEET, echoFleetResources([backends[0]!]))
    expect(await commitDraft(api, FLEET, 'v1: backend-v1')).toBe(1)
    for (const node of [...CANARIES, ...OTHERS]) clients.set(node, createXdsEchoClient({ xdsPort: xdsPort(), nodeId: node, fleet: FLEET, target: 'echo' }))
    for (const node of DELTA_NODES) deltas.set(node, openDeltaClient(xdsPort(), node))
    await waitFor(async () => Object.values(await answers([...clients.keys()])).every((a) => a === 'backend-v1'), { what: 'every gRPC client on v1', timeoutMs: 30_000 })

    // Stage 1: canaries only, with a soak long enough to look at; stage 2: everyone.
    await putEchoDraft(api, FLEET, echoFleetResources([backends[1]!]))
    const started = await ok<RolloutView>('POST', `/api/v1/fleets/${FLEET}/rollouts`, { message: 'v2: backend-v2, canaries first', stages: [{ nodeIdGlob: 'canary-*', soakSeconds: 3 }, { percent: 100, soakSeconds: 0 }] })
    expect(started).toMatchObject({ state: 'running', stage: 0, fromVersion: 1, toVersion: 2 })
    await waitFor(async () => Object.values(await answers(CANARIES)).every((a) => a === 'backend-v2'), { what: 'the canaries on v2', timeoutMs: 20_000 })
    // While stage 1 soaks: the others stay on v1, the fleet's active version is still v1, and a commit is refused.
    expect(Object.values(await answers(OTHERS)).every((a) => a === 'backend-v1')).toBe(true)
    const during = await rollout(started.id)
    expect(during.stage).toBe(0)
    expect(during.stages[0]).toEqual(expect.objectContaining({ members: 5 }))
    expect((await ok<{ state: string }>('GET', `/api/v1/fleets/${FLEET}/versions/2/rollout`)).state).toBe('staged')
    const refused = await api<{ error: { code: string } }>('POST', `/api/v1/fleets/${FLEET}/commit`, { body: { message: 'not now' } })
    expect(refused.status, refused.text).toBe(409)
    expect(refused.body.error.code).toBe('ROLLOUT.OPEN')

    const done = await waitFor(
      async () => {
        const r = await rollout(started.id)
        return r.state === 'completed' ? r : null
      },
      { what: 'the rollout completed', timeoutMs: 30_000 },
    )
    expect(done.stage).toBe(1)
    await waitFor(async () => Object.values(await answers(OTHERS)).every((a) => a === 'backend-v2'), { what: 'every gRPC client on v2', timeoutMs: 20_000 })
    expect((await ok<{ activeVersion: { number: number } }>('GET', `/api/v1/fleets/${FLEET}`)).activeVersion.number).toBe(2)
    await waitFor(async () => (await offActive()).length === 0, { what: 'all 25 proxies run v2 (drift)', timeoutMs: 20_000 })
  })

  it('halts at the canaries on a NACK and takes them back; nobody else ever gets the version', async () => {
    // MAGLEV: grpc-js-xds rejects it (the gRPC canaries NACK).
    await putEchoDraft(api, FLEET, echoFleetResources([backends[1]!], { lb_policy: 'MAGLEV' }))
    const started = await ok<RolloutView>('POST', `/api/v1/fleets/${FLEET}/rollouts`, { message: 'v3: maglev', stages: [{ nodeIdGlob: 'canary-*', soakSeconds: 60 }, { percent: 100 }] })
    expect(started.toVersion).toBe(3)
    const halted = await waitFor(
      async () => {
        const r = await rollout(started.id)
        return r.state === 'halted' ? r : null
      },
      { what: 'the rollout halted', timeoutMs: 30_000 },
    )
    expect(halted.stage).toBe(0)
    expect(halted.reason).toMatch(/^proxy canary-\d rejected the new version: .*MAGLEV/i)
    // Back on v2: every proxy runs the active version again (delta and gRPC), and the canaries still answer.
    await waitFor(async () => (await offActive()).length === 0, { what: 'every proxy back on / still on v2 (drift)', timeoutMs: 20_000 })
    expect(Object.values(await answers(CANARIES)).every((a) => a === 'backend-v2')).toBe(true)
    for (const node of [...OTHERS, 'prod-delta-1']) expect(await everSent(node, 3), `${node} was sent v3`).toBe(false)
    expect(await everSent('canary-1', 3)).toBe(true)
    const aborted = await ok<RolloutView>('POST', `/api/v1/fleets/${FLEET}/rollouts/${started.id}/abort`)
    expect(aborted.state).toBe('aborted')
    expect((await ok<{ activeVersion: { number: number } }>('GET', `/api/v1/fleets/${FLEET}`)).activeVersion.number).toBe(2)
  })

  it('survives a killed server: the rollout continues from its stage after the restart', async () => {
    await putEchoDraft(api, FLEET, echoFleetResources([backends[2]!]))
    // Stage 1 waits for an operator: the rollout is mid-way, for sure, when the server is killed.
    const started = await ok<RolloutView>('POST', `/api/v1/fleets/${FLEET}/rollouts`, { message: 'v4: backend-v4', stages: [{ nodeIdGlob: 'canary-*', soakSeconds: 0, approval: true }, { percent: 100, soakSeconds: 0 }] })
    await waitFor(async () => (await rollout(started.id)).state === 'waiting', { what: 'stage 1 healthy, waiting for approval', timeoutMs: 30_000 })
    expect(Object.values(await answers(CANARIES)).every((a) => a === 'backend-v4')).toBe(true)

    expect(await server.stop('SIGKILL')).toBeNull()
    for (const d of deltas.values()) closeDelta(d)
    await start()
    for (const node of DELTA_NODES) deltas.set(node, openDeltaClient(xdsPort(), node))
    // The restarted server serves the canaries v4 and the others v2, from the rows alone.
    await waitFor(async () => Object.values(await answers(CANARIES)).every((a) => a === 'backend-v4'), { what: 'the canaries on v4 after the restart', timeoutMs: 40_000 })
    expect(Object.values(await answers(OTHERS)).every((a) => a === 'backend-v2')).toBe(true)
    expect((await rollout(started.id)).state).toBe('waiting')

    const promoted = await ok<RolloutView>('POST', `/api/v1/fleets/${FLEET}/rollouts/${started.id}/promote`)
    expect(promoted).toMatchObject({ state: 'running', stage: 1 })
    await waitFor(async () => (await rollout(started.id)).state === 'completed', { what: 'completed after the promote', timeoutMs: 30_000 })
    await waitFor(async () => Object.values(await answers(OTHERS)).every((a) => a === 'backend-v4'), { what: 'every gRPC client on v4', timeoutMs: 30_000 })
    const audit = await ok<{ entries: Array<{ action: string; actor: string }> }>('GET', `/api/v1/audit?fleet=${FLEET}&action=rollout.*&limit=50`)
    const byDriver = audit.entries.filter((e) => e.actor === 'system:rollouts').map((e) => e.action)
    const byOperator = audit.entries.filter((e) => e.actor !== 'system:rollouts').map((e) => e.action)
    expect(new Set(byDriver)).toEqual(new Set(['rollout.advance', 'rollout.complete', 'rollout.halt', 'rollout.await-approval']))
    expect(new Set(byOperator)).toEqual(new Set(['rollout.start', 'rollout.abort', 'rollout.promote']))
  })

  it('rolls a rollback out in stages too, and an abort keeps everyone on the active version', async () => {
    const started = await ok<RolloutView & { toVersion: number }>('POST', `/api/v1/fleets/${FLEET}/rollouts`, { message: 'back to v2, canaries first', rollbackTo: 2, discardDraft: true, stages: [{ nodeIdGlob: 'canary-*', soakSeconds: 0, approval: true }, { percent: 100, soakSeconds: 0 }] })
    expect(started).toMatchObject({ state: 'running', fromVersion: 4, toVersion: 5 })
    expect((await ok<{ origin: string; rollbackOf: number }>('GET', `/api/v1/fleets/${FLEET}/versions/5`)).rollbackOf).toBe(2)
    await waitFor(async () => Object.values(await answers(CANARIES)).every((a) => a === 'backend-v2'), { what: 'the canaries back on v2 content', timeoutMs: 20_000 })
    expect(Object.values(await answers(OTHERS)).every((a) => a === 'backend-v4')).toBe(true)
    await ok('POST', `/api/v1/fleets/${FLEET}/rollouts/${started.id}/abort`)
    await waitFor(async () => Object.values(await answers(CANARIES)).every((a) => a === 'backend-v4'), { what: 'the canaries on the active v4 again', timeoutMs: 20_000 })
    expect((await ok<{ activeVersion: { number: number } }>('GET', `/api/v1/fleets/${FLEET}`)).activeVersion.number).toBe(4)
  })
})
