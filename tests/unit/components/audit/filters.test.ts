import { describe, expect, it } from 'vitest'
import { describeDetail } from '../../../../components/audit/describe-detail'
import { auditHref, NO_AUDIT_FILTERS, parseAuditFilters, toAuditQuery } from '../../../../components/audit/filters'
import { AuditQuery } from '../../../../server/contract'

const params = (qs: string) => new URLSearchParams(qs)
const NOW = Date.parse('2026-11-24T12:00:00.000Z')

describe('audit filters', () => {
  it('round-trip through the URL', () => {
    const filters = { fleet: 'edge', actor: 'token:ci', action: 'token.*', range: 'custom', from: '2026-11-01T00:00:00.000Z', to: '2026-11-02T00:00:00.000Z' } as const
    expect(auditHref(filters)).toBe('/audit?fleet=edge&actor=token%3Aci&action=token.*&range=custom&from=2026-11-01T00%3A00%3A00.000Z&to=2026-11-02T00%3A00%3A00.000Z')
    expect(parseAuditFilters(params(auditHref(filters).split('?')[1]!))).toEqual(filters)
    expect(auditHref(NO_AUDIT_FILTERS)).toBe('/audit')
  })

  it('drop what the API would refuse instead of sending it', () => {
    expect(parseAuditFilters(params('range=forever&action=DROP TABLE&from=yesterday'))).toEqual(NO_AUDIT_FILTERS)
  })

  it('turn a relative range into since = now − range, and a custom one into since/until', () => {
    expect(toAuditQuery({ ...NO_AUDIT_FILTERS, range: '24h' }, 100, NOW)).toEqual({ since: '2026-11-23T12:00:00.000Z', limit: 100 })
    expect(toAuditQuery({ ...NO_AUDIT_FILTERS, range: 'custom', from: null, to: '2026-11-02T00:00:00.000Z' }, 100, NOW)).toEqual({ until: '2026-11-02T00:00:00.000Z', limit: 100 })
    // A custom from/to left in the URL means nothing under another range.
    expect(toAuditQuery({ ...NO_AUDIT_FILTERS, range: 'all', from: '2026-11-01T00:00:00.000Z' }, 100, NOW)).toEqual({ limit: 100 })
  })

  it('send only what the contract accepts', () => {
    const query = toAuditQuery({ fleet: 'edge', actor: 'alice', action: 'version.*', range: '7d', from: null, to: null }, 250, NOW)
    expect(AuditQuery.parse(query)).toEqual(query)
  })
})

describe('describeDetail', () => {
  it.each([
    ['version.commit', { message: 'slower connect', changes: { added: 1, modified: 2, removed: 0 } }, '“slower connect” · +1 ~2 −0'],
    ['version.rollback', { rollbackOf: 3, message: '' }, 'to the content of v3'],
    ['version.rollback', { rollbackOf: 3, message: 'back', discardedDraft: { revision: 9, total: 2, changes: ["Cluster 'a' modified", "Listener 'l' added"] } }, 'to the content of v3 · “back” · discarded 2 uncommitted draft changes'],
    ['token.create', { kind: 'api', grants: [{ role: 'admin', fleets: '*' }] }, 'api token · admin on *'],
    ['user.roles', { changed: ['grants'], grants: [{ role: 'editor', fleets: 'edge-*' }, { role: 'viewer', fleets: '*' }] }, 'changed grants · editor on edge-*, viewer on *'],
    ['user.create', { grants: [{ role: 'viewer', fleets: '*' }] }, 'viewer on *'],
    ['auth.sign-in-failed', { reason: 'no role for these groups' }, 'reason: no role for these groups'],
    ['auth.sign-in-failed', null, 'the user name as typed: a wrong password, or no such enabled user'],
    ['auth.sign-in', null, ''],
    ['fleet.update', { description: { from: 'a', to: 'b' } }, 'description: {"from":"a","to":"b"}'],
    ['token.revoke', null, ''],
  ])('%s', (action, detail, expected) => {
    expect(describeDetail({ action, detail })).toBe(expected)
  })
})
