import { describe, expect, it } from 'vitest'
import { setupTestServer } from '../../support/test-server'
import { waitFor } from '../../support/wait-for'

/**
 * #12 item 4, expiring changes: a version committed with a time limit is rolled back to its parent
 * when the time is up (a new version by system:expiry, audited), pending draft edits are kept, and a
 * version replaced before its time is left alone. Bad limits are refused naming the field.
 */
const t = setupTestServer('expiring_change')
const { api } = t
const FLEET = 'expiring'
const cluster = (name: string, timeout = '1s') => ({ name, type: 'STATIC', connect_timeout: timeout })

type Version = { number: number; author: string; origin: string; rollbackOf: number | null; message: string; active: boolean; expiry?: { expiresAt: string; settledAt: string | null; outcome: string | null; restoredBy: number | null } }

const commit = async (message: string, extra: Record<string, unknown> = {}) => {
  const res = await api<Version>('POST', `/api/v1/fleets/${FLEET}/commit`, { body: { message, acceptWarnings: true, ...extra } })
  expect(res.status, res.text).toBe(201)
  return res.body
}
const versions = async () => (await api<{ versions: Version[] }>('GET', `/api/v1/fleets/${FLEET}/versions`)).body.versions

describe('expiring changes', () => {
  it('refuses a bad limit naming the field, and stores nothing', async () => {
    expect((await api('POST', '/api/v1/fleets', { body: { name: FLEET } })).status).toBe(201)
    expect((await api('PUT', `/api/v1/fleets/${FLEET}/draft/clusters/base`, { body: cluster('base') })).status).toBe(201)
    for (const bad of [0, -5, 1.5, 8 * 24 * 3600, '60']) {
      const res = await api<{ error: { issues: Array<{ path: string }> } }>('POST', `/api/v1/fleets/${FLEET}/commit`, { body: { message: 'bad', acceptWarnings: true, expiresInSeconds: bad } })
      expect(res.status, String(bad)).toBe(422)
      expect(res.body.error.issues.map((i) => i.path)).toContain('expiresInSeconds')
    }
    expect(await versions()).toEqual([])
  })

  it('rolls an expired version back to its parent, keeping pending draft edits', async () => {
    expect((await commit('base')).number).toBe(1)
    expect((await api('PUT', `/api/v1/fleets/${FLEET}/draft/clusters/base`, { body: cluster('base', '9s') })).status).toBe(200)
    const experiment = await commit('try a 9 s timeout for a moment', { expiresInSeconds: 2 })
    expect(experiment.number).toBe(2)
    expect(experiment.expiry).toMatchObject({ settledAt: null, outcome: null, restoredBy: null })
    expect(Date.parse(experiment.expiry!.expiresAt)).toBeGreaterThan(Date.now() - 1000)
    // Someone keeps editing while the experiment runs: that edit is theirs, not the experiment's.
    expect((await api('PUT', `/api/v1/fleets/${FLEET}/draft/clusters/later`, { body: cluster('later') })).status).toBe(201)

    const list = await waitFor(
      async () => {
        const v = await versions()
        expect(v[0]).toMatchObject({ number: 3, active: true, origin: 'ROLLBACK', rollbackOf: 1, author: 'system:expiry' })
        // Settled once the restoring version is written (a moment after it).
        expect(v.find((x) => x.number === 2)!.expiry?.outcome).toBe('rolled-back')
        return v
      },
      { what: 'the experiment rolled back', timeoutMs: 15_000 },
    )
    expect(list[0]!.message).toMatch(/version 2 reached its time limit/)
    expect(list.find((v) => v.number === 2)!.expiry).toMatchObject({ outcome: 'rolled-back', restoredBy: 3, settledAt: expect.any(String) as string })
    // v3 has v1's content; the pending edit is still in the draft.
    const diff = await api<{ fleet: string; from: number; to: number; changes: unknown[] }>('GET', `/api/v1/fleets/${FLEET}/versions/1/diff/3`)
    expect(diff.body.changes).toEqual([])
    expect((await api('GET', `/api/v1/fleets/${FLEET}/draft/clusters/later`)).status).toBe(200)
    const audit = await api<{ entries: Array<{ action: string; actor: string; target: string }> }>('GET', `/api/v1/audit?fleet=${FLEET}&actor=system:expiry`)
    expect(audit.body.entries.map((e) => [e.action, e.actor, e.target])).toEqual([['version.rollback', 'system:expiry', 'version/3']])
  })

  it('leaves alone a version replaced before its time (superseded)', async () => {
    const experiment = await commit('with the later cluster, for 2 s', { expiresInSeconds: 2 })
    expect((await api('PUT', `/api/v1/fleets/${FLEET}/draft/clusters/another`, { body: cluster('another') })).status).toBe(201)
    const replacement = await commit('replaced before the limit')
    await waitFor(
      async () => {
        const v = (await versions()).find((x) => x.number === experiment.number)!
        expect(v.expiry?.outcome).toBe('superseded')
        return true
      },
      { what: 'the expiry settled as superseded', timeoutMs: 15_000 },
    )
    const v = await versions()
    expect(v[0]).toMatchObject({ number: replacement.number, active: true })
  })
})
