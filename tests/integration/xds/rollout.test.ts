import type * as grpc from '@grpc/grpc-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callEcho, startEchoBackend, type EchoBackend } from '../../support/echo-backend'
import { setupTestServer } from '../../support/test-server'
import { waitFor } from '../../support/wait-for'
import { commitRejectedCluster, createEchoFleet, createXdsEchoClient, echoFleetResources } from '../../support/xds-client'
import { CLUSTER_TYPE_URL, commitDraft, putEchoDraft } from '../../support/xds-fleet'
import { openSotwStream, type ProtocolStream, type ReceivedSotwResponse, type SotwRequestInput } from '../../support/xds-protocol-client'

/**
 * #11 item 3 and 4: what each proxy did with each version is recorded when it happens, and the
 * versions list and the rollout view read those rows. 50 real SotW clients (@grpc/grpc-js-xds, which
 * ACKs and NACKs like Envoy) go through commit → NACK → rollback; the rows survive disconnects.
 */
const STALL_MS = 1500
const t = setupTestServer('rollout', { LEGATION_ROLLOUT_STALL_MS: String(STALL_MS) })
const { api } = t
const FLEET = 'fifty'
const CLIENTS = 50

type Convergence = { version: number; proxies: number; onVersion: number; rejected: number; convergenceMs: number | null; p50Ms: number | null; p90Ms: number | null; maxMs: number | null }
type Rollout = {
  version: number
  active: boolean
  state: string
  convergence: Convergence
  rejections: Array<{ nodeId: string; typeUrl: string | null; message: string; resources: Array<{ type: string; name: string }>; lastAcceptedVersion: number | null }>
  missing: Array<{ nodeId: string; reason: string; state: string }>
  missingCount: number
}

let backend1: EchoBackend
let backend2: EchoBackend
const clients: grpc.Client[] = []
let raw: ProtocolStream<SotwRequestInput, ReceivedSotwResponse> | undefined

beforeAll(async () => {
  ;[backend1, backend2] = await Promise.all([startEchoBackend('backend-1'), startEchoBackend('backend-2')])
})
afterAll(async () => {
  raw?.close()
  for (const c of clients) c.close()
  await Promise.all([backend1?.stop(), backend2?.stop()])
})

async function rollout(version: number): Promise<Rollout> {
  const res = await api<Rollout>('GET', `/api/v1/fleets/${FLEET}/versions/${version}/rollout`)
  expect(res.status, res.text).toBe(200)
  return res.body
}

async function convergenceOf(version: number): Promise<Convergence> {
  const res = await api<{ versions: Array<{ number: number; convergence: Convergence | null }> }>('GET', `/api/v1/fleets/${FLEET}/versions`)
  expect(res.status).toBe(200)
  const row = res.body.versions.find((v) => v.number === version)
  expect(row?.convergence, `version ${version} in the list`).toBeTruthy()
  return row!.convergence!
}

const waitForRollout = (version: number, check: (r: Rollout) => void, what: string): Promise<Rollout> =>
  waitFor(
    async () => {
      const r = await rollout(version)
      check(r)
      return r
    },
    { what, timeoutMs: 30_000 },
  )

const nodeId = (i: number) => `p-${String(i).padStart(2, '0')}`

describe('rollout recorded per proxy and version', () => {
  let v2CommittedAt = 0
  let v2: Convergence

  it('50 clients reach version 1: n/N from the rows, no times for proxies that joined after the commit', async () => {
    expect(await createEchoFleet(api, FLEET, [backend1])).toBe(1)
    for (let i = 0; i < CLIENTS; i++) clients.push(createXdsEchoClient({ xdsPort: t.xdsPort, nodeId: nodeId(i), fleet: FLEET, target: 'echo' }))
    // A call makes each client subscribe; all of them get an answer from backend 1.
    expect(new Set(await Promise.all(clients.map((c) => callEcho(c, 15_000))))).toEqual(new Set(['backend-1']))
    const r = await waitForRollout(1, (x) => expect(x.state).toBe('converged'), 'version 1 converged')
    expect(r.convergence).toMatchObject({ proxies: CLIENTS, onVersion: CLIENTS, rejected: 0 })
    // Every client connected after version 1 was committed: its time would measure its start, not the rollout.
    expect(r.convergence.p50Ms).toBeNull()
    expect(r.missing).toEqual([])
  })

  it('a commit: every client reaches version 2, with p50 ≤ p90 ≤ max ≤ what the test measured', async () => {
    await putEchoDraft(api, FLEET, echoFleetResources([backend2]))
    const started = Date.now()
    expect(await commitDraft(api, FLEET, 'to backend 2')).toBe(2)
    v2CommittedAt = Date.now()
    const r = await waitForRollout(2, (x) => expect(x.state).toBe('converged'), 'version 2 converged')
    const elapsed = Date.now() - started
    v2 = r.convergence
    expect(v2).toMatchObject({ proxies: CLIENTS, onVersion: CLIENTS, rejected: 0 })
    expect(v2.p50Ms).not.toBeNull()
    expect(v2.p50Ms!).toBeLessThanOrEqual(v2.p90Ms!)
    expect(v2.p90Ms!).toBeLessThanOrEqual(v2.maxMs!)
    expect(v2.maxMs!).toBeLessThanOrEqual(elapsed)
    expect(v2.convergenceMs).toBe(v2.maxMs)
    expect(await convergenceOf(2)).toEqual(v2)
    expect(v2CommittedAt).toBeGreaterThan(0)
  })

  it('a version every client NACKs: rejected, by whom, about which resource, and the version each accepted last', async () => {
    const v3 = await commitRejectedCluster(api, FLEET, [backend2])
    expect(v3).toBe(3)
    const r = await waitForRollout(3, (x) => expect(x.convergence.rejected).toBe(CLIENTS), 'every client rejected version 3')
    expect(r.state).toBe('rejected')
    expect(r.convergence.onVersion).toBe(0)
    expect(r.rejections).toHaveLength(CLIENTS)
    for (const x of r.rejections) {
      expect(x.typeUrl).toBe(CLUSTER_TYPE_URL)
      expect(x.message.length).toBeGreaterThan(0)
      expect(x.lastAcceptedVersion).toBe(2)
    }
    // Desired against actual: the proxy still runs its last good cluster (grpc-js-xds keeps it).
    const drift = await api<{ runsActive: boolean; activeVersion: number; types: Array<{ typeUrl: string; ackedFromVersion: number | null; state: string; changes: Array<{ name: string; change: string; patch: string }> }> }>('GET', `/api/v1/proxies/${nodeId(0)}/drift`)
    expect(drift.status, drift.text).toBe(200)
    expect(drift.body.runsActive).toBe(false)
    expect(drift.body.activeVersion).toBe(3)
    const cds = drift.body.types.find((x) => x.typeUrl === CLUSTER_TYPE_URL)!
    // Version 2 changed only endpoints: the cluster it runs was last sent (and ACKed) from version 1.
    expect(cds).toMatchObject({ ackedFromVersion: 1, state: 'NACKED' })
    expect(cds.changes.map((c) => [c.name, c.change])).toEqual([['echo-backend', 'modified']])
    expect(cds.changes[0]!.patch).toContain('MAGLEV')
    for (const other of drift.body.types.filter((x) => x.typeUrl !== CLUSTER_TYPE_URL)) expect(other.changes, other.typeUrl).toEqual([])
    // The proxies list filter: every client is off the active version.
    const off = await api<{ proxies: Array<{ nodeId: string }> }>('GET', `/api/v1/proxies?fleet=${FLEET}&onActive=false`)
    expect(off.body.proxies.map((p) => p.nodeId).sort()).toEqual(Array.from({ length: CLIENTS }, (_, i) => nodeId(i)))
    // grpc-js-xds says "resource index 0", not the name: the changed cluster is found by diffing
    // the rejected version against the one each proxy accepted last.
    expect(r.rejections[0]!.resources).toContainEqual({ type: 'Cluster', name: 'echo-backend' })
  })

  it('after a rollback the new version converges; the rejected one stays rejected and version 2 keeps its times', async () => {
    const res = await api<{ number: number }>('POST', `/api/v1/fleets/${FLEET}/versions/2/rollback`, { body: {} })
    expect(res.status, res.text).toBe(201)
    const v4 = res.body.number
    const r = await waitForRollout(v4, (x) => expect(x.state).toBe('converged'), 'the rollback converged')
    expect(r.convergence).toMatchObject({ proxies: CLIENTS, onVersion: CLIENTS, rejected: 0 })
    // The NACKs of version 3 are not the rollback's.
    expect(r.rejections).toEqual([])
    const v3 = await rollout(3)
    expect(v3.state).toBe('superseded')
    expect(v3.convergence.rejected).toBe(CLIENTS)
    expect(await convergenceOf(2)).toEqual(v2)
    // Everyone runs the active version again.
    expect((await api<{ proxies: unknown[] }>('GET', `/api/v1/proxies?fleet=${FLEET}&onActive=false`)).body.proxies).toEqual([])
    expect((await api<{ proxies: unknown[] }>('GET', `/api/v1/proxies?fleet=${FLEET}&onActive=true`)).body.proxies).toHaveLength(CLIENTS)
    const drift = await api<{ runsActive: boolean; types: Array<{ changes: unknown[] }> }>('GET', `/api/v1/proxies/${nodeId(0)}/drift`)
    expect(drift.body.runsActive).toBe(true)
    for (const x of drift.body.types) expect(x.changes).toEqual([])
  })

  it('the rows survive disconnects: 10 clients leave, every count and time stays', async () => {
    const before = await convergenceOf(4)
    for (const c of clients.splice(0, 10)) c.close()
    await waitFor(
      async () => {
        const res = await api<{ proxies: Array<{ state: string }> }>('GET', `/api/v1/proxies?fleet=${FLEET}`)
        expect(res.body.proxies.filter((p) => p.state === 'DISCONNECTED')).toHaveLength(10)
        return true
      },
      { what: 'ten proxies disconnected', timeoutMs: 30_000 },
    )
    expect(await convergenceOf(4)).toEqual(before)
    expect(await convergenceOf(2)).toEqual(v2)
  })

  it('a proxy that never ACKs makes the active version stalled, and is listed as missing', async () => {
    raw = openSotwStream(t.xdsPort)
    raw.send({ node: { id: 'silent', cluster: FLEET }, type_url: CLUSTER_TYPE_URL })
    expect((await raw.next()).type_url).toBe(CLUSTER_TYPE_URL)
    // No ACK is sent. Within the stall time the rollout is converging; after it, stalled.
    const r = await waitForRollout(4, (x) => expect(x.state).toBe('stalled'), 'version 4 stalled')
    expect(r.missing).toEqual([{ nodeId: 'silent', reason: 'pending', state: 'STALE', since: expect.any(String) as string }])
    expect(r.missingCount).toBe(1)
    expect(r.convergence.proxies).toBe(CLIENTS + 1)
    expect(r.convergence.convergenceMs).toBeNull()
  })
})
