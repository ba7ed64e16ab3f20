import { describe, expect, it } from 'vitest'
import type { ApiResponse } from '../../support/http'
import { setupTestServer } from '../../support/test-server'

/**
 * A rollback resets the draft to an old version's content. Over a draft with pending changes
 * (someone's acknowledged edits, in no version yet) it must be told so: If-Match of the draft the
 * caller reviewed, or `discardDraft: true`; otherwise 409 DRAFT.PENDING_CHANGES naming the changes.
 * The check runs under the fleet lock the draft writes take, so an edit answered 2xx is never lost
 * to a rollback racing it (#16 item 5).
 */
const t = setupTestServer('api_rollback_pending')
const { api } = t

type ErrorBody = { error: { code: string; message: string; issues: Array<{ path: string; message: string; resource?: { type: string; name: string } }>; details?: Record<string, unknown> } }
type Version = { number: number; origin: string; rollbackOf: number | null; contentHash: string; active: boolean }
type Draft = { draftRevision: number; resources: Array<{ type: string; name: string; resource: Record<string, unknown> }> }

const cluster = (name: string, port: number) => ({
  name,
  type: 'STRICT_DNS',
  connect_timeout: '1s',
  load_assignment: { cluster_name: name, endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: `${name}.internal`, port_value: port } } } }] }] },
})

const portOf = (resource: Record<string, unknown>): number =>
  (resource as { load_assignment: { endpoints: Array<{ lb_endpoints: Array<{ endpoint: { address: { socket_address: { port_value: number } } } }> }> } }).load_assignment.endpoints[0]!.lb_endpoints[0]!.endpoint.address.socket_address.port_value

async function put(fleet: string, name: string, port: number): Promise<ApiResponse> {
  return api('PUT', `/api/v1/fleets/${fleet}/draft/clusters/${name}`, { body: cluster(name, port) })
}

async function commit(fleet: string, message: string): Promise<number> {
  const res = await api<Version>('POST', `/api/v1/fleets/${fleet}/commit`, { body: { message } })
  expect(res.status, res.text).toBe(201)
  return res.body.number
}

async function draft(fleet: string): Promise<Draft> {
  const res = await api<Draft>('GET', `/api/v1/fleets/${fleet}/draft`)
  expect(res.status, res.text).toBe(200)
  return res.body
}

/** A fleet with two versions that differ (cluster `base` on port 8001, then 8002); the draft equals version 2. */
async function fleetWithTwoVersions(fleet: string): Promise<void> {
  expect((await api('POST', '/api/v1/fleets', { body: { name: fleet } })).status).toBe(201)
  expect((await put(fleet, 'base', 8001)).status).toBe(201)
  expect(await commit(fleet, 'one')).toBe(1)
  expect((await put(fleet, 'base', 8002)).status).toBe(200)
  expect(await commit(fleet, 'two')).toBe(2)
}

describe('a rollback over a draft with pending changes', () => {
  it('with an empty body is refused 409 DRAFT.PENDING_CHANGES naming each change, and neither the draft nor the versions move', async () => {
    const FLEET = 'empty-body'
    await fleetWithTwoVersions(FLEET)
    expect((await put(FLEET, 'base', 8003)).status).toBe(200)
    expect((await put(FLEET, 'added', 9001)).status).toBe(201)
    const before = await draft(FLEET)

    for (const request of [{}, { raw: '' }, { body: { message: 'back' } }, { body: { discardDraft: false } }]) {
      const refused = await api<ErrorBody>('POST', `/api/v1/fleets/${FLEET}/versions/1/rollback`, request)
      expect(refused.status, refused.text).toBe(409)
      expect(refused.body.error.code).toBe('DRAFT.PENDING_CHANGES')
      expect(refused.body.error.message).toContain("Cluster 'added' added")
      expect(refused.body.error.message).toContain("Cluster 'base' modified")
      expect(refused.body.error.message).toContain(`If-Match: "${before.draftRevision}"`)
      expect(refused.body.error.message).toContain('discardDraft')
      expect(refused.body.error.issues.map((i) => [i.resource, i.message])).toEqual([
        [{ type: 'Cluster', name: 'added' }, 'added in the draft, not committed'],
        [{ type: 'Cluster', name: 'base' }, 'modified in the draft, not committed'],
      ])
      expect(refused.body.error.details).toEqual({
        draftRevision: before.draftRevision,
        total: 2,
        changes: [
          { type: 'Cluster', name: 'added', change: 'added' },
          { type: 'Cluster', name: 'base', change: 'modified' },
        ],
      })
    }
    expect(await draft(FLEET)).toEqual(before)
    const versions = await api<{ versions: Version[] }>('GET', `/api/v1/fleets/${FLEET}/versions`)
    expect(versions.body.versions.map((v) => [v.number, v.active])).toEqual([
      [2, true],
      [1, false],
    ])

    // A removal is a pending change too.
    expect((await api('DELETE', `/api/v1/fleets/${FLEET}/draft`)).status).toBe(200)
    expect((await api('DELETE', `/api/v1/fleets/${FLEET}/draft/clusters/base`)).status).toBe(204)
    const removed = await api<ErrorBody>('POST', `/api/v1/fleets/${FLEET}/versions/1/rollback`, { body: {} })
    expect(removed.status, removed.text).toBe(409)
    expect(removed.body.error.message).toContain("Cluster 'base' removed")
  })

  it('with a stale If-Match is refused 409 DRAFT.CONFLICT and without pending changes needs nothing extra', async () => {
    const FLEET = 'if-match'
    await fleetWithTwoVersions(FLEET)
    const reviewed = (await api('GET', `/api/v1/fleets/${FLEET}/draft`)).headers.get('etag')!
    expect((await put(FLEET, 'late', 9002)).status).toBe(201)

    const stale = await api<ErrorBody>('POST', `/api/v1/fleets/${FLEET}/versions/1/rollback`, { body: {}, headers: { 'if-match': reviewed } })
    expect(stale.status, stale.text).toBe(409)
    expect(stale.body.error.code).toBe('DRAFT.CONFLICT')
    // discardDraft does not override a stale If-Match: the caller said which draft it meant.
    const both = await api<ErrorBody>('POST', `/api/v1/fleets/${FLEET}/versions/1/rollback`, { body: { discardDraft: true }, headers: { 'if-match': reviewed } })
    expect(both.status, both.text).toBe(409)
    expect(both.body.error.code).toBe('DRAFT.CONFLICT')
    expect((await draft(FLEET)).resources.map((r) => r.name)).toEqual(['base', 'late'])

    // Nothing pending: a plain rollback goes ahead.
    expect((await api('DELETE', `/api/v1/fleets/${FLEET}/draft`)).status).toBe(200)
    const plain = await api<Version>('POST', `/api/v1/fleets/${FLEET}/versions/1/rollback`, { body: {} })
    expect(plain.status, plain.text).toBe(201)
    expect(plain.body).toMatchObject({ number: 3, origin: 'ROLLBACK', rollbackOf: 1, active: true })
  })

  it('goes ahead with If-Match of the current draft or with discardDraft: true, and the audit records what it discarded', async () => {
    const FLEET = 'discard'
    await fleetWithTwoVersions(FLEET)

    expect((await put(FLEET, 'doomed', 9003)).status).toBe(201)
    const discard = await api<Version>('POST', `/api/v1/fleets/${FLEET}/versions/1/rollback`, { body: { discardDraft: true, message: 'back, throwing the draft away' } })
    expect(discard.status, discard.text).toBe(201)
    expect(discard.body).toMatchObject({ number: 3, rollbackOf: 1, active: true })
    const afterDiscard = await draft(FLEET)
    expect(afterDiscard.resources.map((r) => [r.name, portOf(r.resource)])).toEqual([['base', 8001]])

    expect((await put(FLEET, 'reviewed', 9004)).status).toBe(201)
    const etag = (await api('GET', `/api/v1/fleets/${FLEET}/draft`)).headers.get('etag')!
    const withIfMatch = await api<Version>('POST', `/api/v1/fleets/${FLEET}/versions/2/rollback`, { body: {}, headers: { 'if-match': etag } })
    expect(withIfMatch.status, withIfMatch.text).toBe(201)
    expect(withIfMatch.body).toMatchObject({ number: 4, rollbackOf: 2, active: true })
    expect((await draft(FLEET)).resources.map((r) => [r.name, portOf(r.resource)])).toEqual([['base', 8002]])

    const audit = await api<{ entries: Array<{ action: string; target: string; detail: Record<string, unknown> | null }> }>('GET', `/api/v1/audit?fleet=${FLEET}&action=version.rollback`)
    expect(audit.status, audit.text).toBe(200)
    const byTarget = new Map(audit.body.entries.map((e) => [e.target, e.detail]))
    expect(byTarget.get('version/3')).toMatchObject({ rollbackOf: 1, discardedDraft: { total: 1, changes: ["Cluster 'doomed' added"] } })
    expect(byTarget.get('version/4')).toMatchObject({ rollbackOf: 2, discardedDraft: { total: 1, changes: ["Cluster 'reviewed' added"] } })
  })
})

describe('draft edits racing a rollback', () => {
  const FLEET = 'race'
  const ROUNDS = 6
  const WRITERS = 4

  it(`every PUT answered 2xx is in the draft afterwards, or the rollback was refused 409 (${ROUNDS} rounds, ${WRITERS} writers)`, async ({ annotate }) => {
    await fleetWithTwoVersions(FLEET)
    // The version whose content differs from the active one: the rollback target of each round.
    let active = { number: 2, contentOf: 2 }
    const outcomes = { rolledBack: 0, refused: 0 }

    for (let round = 0; round < ROUNDS; round++) {
      // Start from a draft with nothing pending, so the rollback may win the lock.
      expect((await api('DELETE', `/api/v1/fleets/${FLEET}/draft`)).status).toBe(200)
      const target = active.contentOf === 1 ? 2 : 1
      // Odd rounds: one edit is answered before the rollback is even sent (the acknowledged edit of
      // the issue); every round: writers PUT while the rollback runs.
      const acknowledged: Array<{ name: string; port: number; res: ApiResponse }> = []
      if (round % 2 === 1) {
        const name = `r${round}-first`
        acknowledged.push({ name, port: 7000 + round, res: await put(FLEET, name, 7000 + round) })
      }
      const [rollback, ...writes] = await Promise.all([
        api<Version & ErrorBody>('POST', `/api/v1/fleets/${FLEET}/versions/${target}/rollback`, { body: {} }),
        ...Array.from({ length: WRITERS }, async (_, w) => {
          const name = `r${round}-w${w}`
          const port = 10_000 + round * 100 + w
          return { name, port, res: await put(FLEET, name, port) }
        }),
      ])
      const all = [...acknowledged, ...writes]
      for (const w of all) expect(w.res.status, `PUT ${w.name}: ${w.res.text}`).toBe(201)

      if (rollback.status === 201) {
        outcomes.rolledBack++
        active = { number: rollback.body.number, contentOf: target }
      } else {
        outcomes.refused++
        expect(rollback.status, rollback.text).toBe(409)
        expect(rollback.body.error.code).toBe('DRAFT.PENDING_CHANGES')
      }
      if (round % 2 === 1) expect(rollback.status, 'a rollback after an acknowledged edit is refused').toBe(409)

      // Never lost: each acknowledged PUT is in the draft with its own content.
      const now = await draft(FLEET)
      for (const w of all) {
        const found = now.resources.find((r) => r.type === 'Cluster' && r.name === w.name)
        expect(found, `round ${round}: ${w.name} (answered ${w.res.status}) is in the draft`).toBeDefined()
        expect(portOf(found!.resource)).toBe(w.port)
      }
    }
    await annotate(`rollbacks that won the lock: ${outcomes.rolledBack}; refused over pending edits: ${outcomes.refused}`)
    const fleet = await api<{ activeVersion: { number: number } }>('GET', `/api/v1/fleets/${FLEET}`)
    expect(fleet.body.activeVersion.number).toBe(active.number)
  })
})
