import { describe, expect, it } from 'vitest'
import type { ApiResponse } from '../../support/http'
import { setupTestServer } from '../../support/test-server'

/**
 * Writers racing on one fleet through the HTTP API. Draft writes take the fleet's row lock
 * (server/store/tx.ts lockFleetOrThrow); a commit reads without it and writes its version only if
 * the fleet is still as read (server/store/versions.ts writeVersionIfUnchanged), else reads again,
 * and after three tries takes the lock. Either way version numbers must come out unique and
 * consecutive, and no acknowledged change may be lost. Optimistic concurrency on a draft resource
 * (If-Match) must let exactly one of two writers with the same revision win.
 */
const t = setupTestServer('api_concurrency')
const { api } = t

type ErrorBody = { error: { code: string; message: string } }
type VersionDetail = { number: number; message: string; resources: Array<{ type: string; name: string; resource: Record<string, unknown> }> }

const cluster = (name: string, port: number) => ({
  name,
  type: 'STRICT_DNS',
  connect_timeout: '1s',
  load_assignment: { cluster_name: name, endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: `${name}.internal`, port_value: port } } } }] }] },
})

async function createFleet(name: string): Promise<void> {
  const res = await api('POST', '/api/v1/fleets', { body: { name } })
  expect(res.status, res.text).toBe(201)
}

async function version(fleet: string, number: number): Promise<VersionDetail> {
  const res = await api<VersionDetail>('GET', `/api/v1/fleets/${fleet}/versions/${number}`)
  expect(res.status, res.text).toBe(200)
  return res.body
}

const clusterNames = (v: VersionDetail): string[] => v.resources.filter((r) => r.type === 'Cluster').map((r) => r.name).sort()

describe('concurrent commits of one fleet', () => {
  const FLEET = 'racing'
  const WRITERS = 8
  const ROUNDS = 3
  const N = WRITERS * ROUNDS

  it(`${WRITERS} writers, ${ROUNDS} times each, PUT a distinct cluster and commit, all at once: versions are unique and consecutive, nothing is lost`, async ({ annotate }) => {
    await createFleet(FLEET)
    expect((await api('PUT', `/api/v1/fleets/${FLEET}/draft/clusters/base`, { body: cluster('base', 8000) })).status).toBe(201)
    expect((await api('POST', `/api/v1/fleets/${FLEET}/commit`, { body: { message: 'base' } })).status).toBe(201)

    const started = performance.now()
    const perWriter = await Promise.all(
      Array.from({ length: WRITERS }, async (_, w) => {
        const mine: Array<{ name: string; port: number; put: ApiResponse; commit: ApiResponse<{ number: number } & ErrorBody> }> = []
        for (let round = 0; round < ROUNDS; round++) {
          const name = `w${w}-r${round}`
          const port = 9000 + w * 10 + round
          const put = await api('PUT', `/api/v1/fleets/${FLEET}/draft/clusters/${name}`, { body: cluster(name, port) })
          const commit = await api<{ number: number } & ErrorBody>('POST', `/api/v1/fleets/${FLEET}/commit`, { body: { message: `writer ${w} round ${round}` } })
          mine.push({ name, port, put, commit })
        }
        return mine
      }),
    )
    const outcomes = perWriter.flat()
    await annotate(`${N} PUT+commit sequences from ${WRITERS} writers at once: ${Math.round(performance.now() - started)} ms`)

    for (const o of outcomes) expect(o.put.status, `PUT ${o.name}: ${o.put.text}`).toBe(201)
    // A commit finds nothing left to commit when the writers before it took its change along.
    for (const o of outcomes) {
      if (o.commit.status !== 201) expect(o.commit.body.error?.code, `commit after ${o.name}: ${o.commit.status} ${o.commit.text}`).toBe('COMMIT.NO_CHANGES')
    }
    const committed = outcomes.filter((o) => o.commit.status === 201)
    await annotate(`${committed.length} new versions; ${N - committed.length} commits found their change already committed`)
    const numbers = committed.map((o) => o.commit.body.number).sort((a, b) => a - b)
    expect(numbers.length).toBeGreaterThanOrEqual(1)
    expect(new Set(numbers).size).toBe(numbers.length)
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => 2 + i))

    // The history is exactly 1..latest, newest first.
    const list = await api<{ versions: Array<{ number: number; active: boolean }> }>('GET', `/api/v1/fleets/${FLEET}/versions`)
    expect(list.body.versions.map((v) => v.number)).toEqual(Array.from({ length: numbers.length + 1 }, (_, i) => numbers.length + 1 - i))
    expect(list.body.versions.filter((v) => v.active).map((v) => v.number)).toEqual([numbers.at(-1)])

    // A change PUT before a commit is in the version that commit made (a commit takes the whole
    // draft), and so in every later one: versions only grow here.
    const details = new Map<number, VersionDetail>()
    for (let n = 1; n <= numbers.length + 1; n++) details.set(n, await version(FLEET, n))
    for (const o of committed) expect(clusterNames(details.get(o.commit.body.number)!), `version ${o.commit.body.number} has ${o.name}`).toContain(o.name)
    for (let n = 2; n <= numbers.length + 1; n++) {
      const before = clusterNames(details.get(n - 1)!)
      const now = clusterNames(details.get(n)!)
      expect(now.length, `version ${n} adds something`).toBeGreaterThan(before.length)
      expect(now).toEqual(expect.arrayContaining(before))
    }
    // Nothing acknowledged is lost: the latest version has every writer's cluster, with its own content.
    const latest = details.get(numbers.length + 1)!
    expect(clusterNames(latest)).toEqual(['base', ...outcomes.map((o) => o.name)].sort())
    for (const o of outcomes) {
      const r = latest.resources.find((x) => x.type === 'Cluster' && x.name === o.name)!
      expect(JSON.stringify(r.resource)).toContain(String(o.port))
    }
    // And the draft has nothing pending.
    const fleet = await api<{ pendingChanges: number }>('GET', `/api/v1/fleets/${FLEET}`)
    expect(fleet.body.pendingChanges).toBe(0)
  })
})

describe('two PUTs racing with the same If-Match', () => {
  const FLEET = 'if-match'
  const ROUNDS = 5

  it(`exactly one wins, the other gets 409 DRAFT.CONFLICT (${ROUNDS} rounds)`, async () => {
    await createFleet(FLEET)
    const path = `/api/v1/fleets/${FLEET}/draft/clusters/shared`
    const created = await api('PUT', path, { body: cluster('shared', 1000) })
    expect(created.status).toBe(201)
    let etag = created.headers.get('etag')!
    expect(etag).toMatch(/^"\d+"$/)

    for (let round = 1; round <= ROUNDS; round++) {
      const ports = [2000 + round, 3000 + round]
      const results = await Promise.all(ports.map((port) => api('PUT', path, { body: cluster('shared', port), headers: { 'if-match': etag } })))
      const statuses = results.map((r) => r.status).sort()
      expect(statuses, `round ${round}: ${results.map((r) => r.text).join(' | ')}`).toEqual([200, 409])
      const winner = results.findIndex((r) => r.status === 200)
      const loser = results[1 - winner]! as ApiResponse<ErrorBody>
      expect(loser.body.error.code).toBe('DRAFT.CONFLICT')

      // The draft holds the winner's body, under the winner's new revision.
      const now = await api<{ resource: Record<string, unknown> }>('GET', path)
      expect(now.headers.get('etag')).toBe(results[winner]!.headers.get('etag'))
      expect(now.headers.get('etag')).not.toBe(etag)
      expect(JSON.stringify(now.body.resource)).toContain(String(ports[winner]))
      expect(JSON.stringify(now.body.resource)).not.toContain(String(ports[1 - winner]))
      etag = now.headers.get('etag')!
    }

    // The stale revision is refused alone too (not only when racing).
    const stale = await api<ErrorBody>('PUT', path, { body: cluster('shared', 4000), headers: { 'if-match': '"1"' } })
    expect(stale.status).toBe(409)
    expect(stale.body.error.code).toBe('DRAFT.CONFLICT')
  })
})
