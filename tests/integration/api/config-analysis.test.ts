import { describe, expect, it } from 'vitest'
import { setupTestServer } from '../../support/test-server'

/*
 * Config analysis through the API (#12 item 1) on the real server and the seeded demo fleet
 * (listener_0 → local_route: prefix '/' → cluster service): the dry-run check endpoint (the draft,
 * or the draft with an unsaved body), findings in save and diff answers, and the commit rule —
 * error findings refuse it (422), warnings need "acceptWarnings": true (409 otherwise). Every
 * refusal and every check leaves the draft, the versions and the audit log as they were.
 */

const t = setupTestServer('config_analysis')
const { api } = t

type Finding = { severity: 'error' | 'warning'; code: string; resource: { type: string; name: string }; path: string; message: string }
type Check = { draftRevision: number; checked: { type: string; name: string } | null; issues: Array<{ code: string; path: string; message: string }>; findings: Finding[]; counts: { issues: number; errors: number; warnings: number }; committable: boolean }
type ErrorBody = { error: { code: string; message: string; issues: Array<{ path: string; message: string; code?: string; resource?: { type: string; name: string } }>; details?: Record<string, unknown> } }

const routesWith = (...routes: unknown[]) => ({ name: 'local_route', virtual_hosts: [{ name: 'local_service', domains: ['*'], routes }] })
const CATCH_ALL = { match: { prefix: '/' }, route: { cluster: 'service' } }
const API = { match: { prefix: '/api' }, route: { cluster: 'service' } }
const BAD_REGEX = { match: { safe_regex: { regex: '([' } }, route: { cluster: 'service' } }
const SHADOWED_PATH = 'virtual_hosts[0].routes[1].match.prefix'

/** What must not move when something is only checked or refused. */
async function stored() {
  const [draft, versions, audit] = await Promise.all([api<{ draftRevision: number; resources: unknown[] }>('GET', '/api/v1/fleets/demo/draft'), api<{ versions: Array<{ number: number; active: boolean }> }>('GET', '/api/v1/fleets/demo/versions'), api<{ entries: unknown[] }>('GET', '/api/v1/audit?fleet=demo')])
  return { draft: draft.body, versions: versions.body.versions, audit: audit.body.entries.length }
}

const check = (body?: unknown) => api<Check>('POST', '/api/v1/fleets/demo/draft/check', body === undefined ? {} : { body })

describe('POST /fleets/{fleet}/draft/check', () => {
  it('finds nothing in the demo draft', async () => {
    const res = await check()
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ checked: null, issues: [], findings: [], counts: { issues: 0, errors: 0, warnings: 0 }, committable: true })
  })

  it('checks an unsaved body in place of the draft resource: the /api route after the catch-all is shadowed; nothing is written', async () => {
    const before = await stored()
    const res = await check({ type: 'RouteConfiguration', resource: routesWith(CATCH_ALL, API) })
    expect(res.status).toBe(200)
    expect(res.body.checked).toEqual({ type: 'RouteConfiguration', name: 'local_route' })
    expect(res.body.findings).toEqual([expect.objectContaining({ severity: 'warning', code: 'ROUTE.SHADOWED', resource: { type: 'RouteConfiguration', name: 'local_route' }, path: SHADOWED_PATH })])
    expect(res.body.findings[0]!.message).toContain("prefix '/'")
    expect(res.body).toMatchObject({ counts: { issues: 0, errors: 0, warnings: 1 }, committable: true })
    expect(await stored()).toEqual(before)
  })

  it('reports a regex RE2 refuses as an error: not committable', async () => {
    const res = await check({ type: 'RouteConfiguration', name: 'local_route', resource: routesWith(BAD_REGEX, CATCH_ALL) })
    expect(res.status).toBe(200)
    expect(res.body.findings).toEqual([expect.objectContaining({ severity: 'error', code: 'REGEX.INVALID', path: 'virtual_hosts[0].routes[0].match.safe_regex.regex' })])
    expect(res.body.findings[0]!.message).toMatch(/missing \]/)
    expect(res.body.committable).toBe(false)
  })

  it("reports an endpoint on this control plane's xDS port", async () => {
    const resource = { name: 'service', connect_timeout: '0.25s', type: 'STRICT_DNS', load_assignment: { cluster_name: 'service', endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: '127.0.0.1', port_value: t.xdsPort } } } }] }] } }
    const res = await check({ type: 'Cluster', resource })
    expect(res.body.findings).toEqual([expect.objectContaining({ severity: 'warning', code: 'ENDPOINT.CONTROL_PLANE_PORT', path: 'load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.port_value' })])
    expect(res.body.findings[0]!.message).toContain(`port ${t.xdsPort} is this control plane's xDS port`)
  })

  it('answers a body that is not valid Envoy config with its problems at their fields (and no findings)', async () => {
    const res = await check({ type: 'Cluster', resource: { name: 'service', connect_timeout: 'soon' } })
    expect(res.status).toBe(200)
    expect(res.body.issues).toEqual([expect.objectContaining({ path: 'connect_timeout' })])
    expect(res.body).toMatchObject({ findings: [], committable: false, counts: { issues: 1 } })
  })

  it.each([
    ['an unknown type', { type: 'Nope', resource: {} }, 'type'],
    ['a type without a resource', { type: 'Cluster' }, 'resource'],
    ['a resource without a type', { resource: { name: 'x' } }, 'resource'],
    ['a resource with no name anywhere', { type: 'Cluster', resource: { connect_timeout: '1s' } }, 'name'],
    ['an unknown field', { type: 'Cluster', resource: { name: 'x' }, commit: true }, ''],
  ])('refuses %s with 422 naming the field, and writes nothing', async (_what, body, field) => {
    const before = await stored()
    const res = await api<ErrorBody>('POST', '/api/v1/fleets/demo/draft/check', { body })
    expect(res.status).toBe(422)
    expect(res.body.error.code).toBe('REQUEST.INVALID')
    if (field) expect(res.body.error.issues.map((i) => i.path)).toContain(field)
    else expect(res.body.error.message).toMatch(/commit/)
    expect(await stored()).toEqual(before)
  })

  it('404s for a fleet that does not exist', async () => {
    const res = await api<ErrorBody>('POST', '/api/v1/fleets/nope/draft/check', { body: {} })
    expect(res.status).toBe(404)
    expect(res.body.error.code).toBe('FLEET.NOT_FOUND')
  })
})

describe('findings on save, on the diff, and the commit rule', () => {
  it('a save answers with the draft findings; the diff lists them', async () => {
    const put = await api<{ name: string; revision: number; findings: Finding[] }>('PUT', '/api/v1/fleets/demo/draft/routes/local_route', { body: routesWith(CATCH_ALL, API) })
    expect(put.status).toBe(200)
    expect(put.body.name).toBe('local_route')
    expect(put.body.findings).toEqual([expect.objectContaining({ severity: 'warning', code: 'ROUTE.SHADOWED', path: SHADOWED_PATH })])

    const post = await api<{ name: string; findings: Finding[] }>('POST', '/api/v1/fleets/demo/draft/clusters', { body: { name: 'spare', connect_timeout: '1s', type: 'STRICT_DNS' } })
    expect(post.status).toBe(201)
    expect(post.body.findings.map((f) => `${f.code} ${f.resource.type}/${f.resource.name}`).sort()).toEqual(['CLUSTER.UNUSED Cluster/spare', 'ROUTE.SHADOWED RouteConfiguration/local_route'])

    const diff = await api<{ issues: unknown[]; findings: Finding[] }>('GET', '/api/v1/fleets/demo/draft/diff')
    expect(diff.status).toBe(200)
    expect(diff.body.issues).toEqual([])
    expect(diff.body.findings.map((f) => f.code).sort()).toEqual(['CLUSTER.UNUSED', 'ROUTE.SHADOWED'])
  })

  it('a commit with warnings is refused 409 listing them, unless acceptWarnings; nothing is written', async () => {
    const before = await stored()
    const res = await api<ErrorBody>('POST', '/api/v1/fleets/demo/commit', { body: { message: 'add /api' } })
    expect(res.status).toBe(409)
    expect(res.body.error.code).toBe('COMMIT.UNCONFIRMED_WARNINGS')
    expect(res.body.error.message).toMatch(/2 warnings.*acceptWarnings/)
    expect(res.body.error.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'ROUTE.SHADOWED', path: SHADOWED_PATH, resource: { type: 'RouteConfiguration', name: 'local_route' } }),
        expect.objectContaining({ code: 'CLUSTER.UNUSED', path: 'name', resource: { type: 'Cluster', name: 'spare' } }),
      ]),
    )
    expect((res.body.error.details?.['warnings'] as Finding[]).every((f) => f.severity === 'warning')).toBe(true)
    const refusedFalse = await api<ErrorBody>('POST', '/api/v1/fleets/demo/commit', { body: { message: 'add /api', acceptWarnings: false } })
    expect(refusedFalse.status).toBe(409)
    expect(await stored()).toEqual(before)
  })

  it('acceptWarnings commits, and the audit records the warnings accepted', async () => {
    const before = await stored()
    const res = await api<{ number: number; active: boolean }>('POST', '/api/v1/fleets/demo/commit', { body: { message: 'add /api', acceptWarnings: true } })
    expect(res.status).toBe(201)
    expect(res.body.number).toBe(Math.max(...before.versions.map((v) => v.number)) + 1)
    const audit = await api<{ entries: Array<{ action: string; target: string; detail: { acceptedWarnings?: string[] } }> }>('GET', '/api/v1/audit?fleet=demo')
    const entry = audit.body.entries.find((e) => e.action === 'version.commit' && e.target === `version/${res.body.number}`)
    expect(entry?.detail.acceptedWarnings?.sort()).toEqual(['CLUSTER.UNUSED Cluster/spare name', `ROUTE.SHADOWED RouteConfiguration/local_route ${SHADOWED_PATH}`])
  })

  it('an error finding refuses the commit 422 even with acceptWarnings; nothing is written', async () => {
    const saved = await api<{ findings: Finding[] }>('PUT', '/api/v1/fleets/demo/draft/routes/local_route', { body: routesWith(BAD_REGEX, CATCH_ALL) })
    expect(saved.status).toBe(200)
    expect(saved.body.findings.filter((f) => f.severity === 'error').map((f) => f.code)).toEqual(['REGEX.INVALID'])
    const before = await stored()
    const res = await api<ErrorBody>('POST', '/api/v1/fleets/demo/commit', { body: { message: 'bad regex', acceptWarnings: true } })
    expect(res.status).toBe(422)
    expect(res.body.error.code).toBe('CONFIG.INVALID')
    expect(res.body.error.issues).toEqual([expect.objectContaining({ code: 'REGEX.INVALID', path: 'virtual_hosts[0].routes[0].match.safe_regex.regex', resource: { type: 'RouteConfiguration', name: 'local_route' } })])
    expect(await stored()).toEqual(before)
  })

  it('the checked draft agrees with the commit: not committable while the error is there, committable once fixed', async () => {
    expect((await check()).body).toMatchObject({ committable: false, counts: { errors: 1 } })
    const fixed = await api<{ findings: Finding[] }>('PUT', '/api/v1/fleets/demo/draft/routes/local_route', { body: routesWith(API, CATCH_ALL) })
    expect(fixed.body.findings.map((f) => f.code)).toEqual(['CLUSTER.UNUSED'])
    await api('DELETE', '/api/v1/fleets/demo/draft/clusters/spare')
    expect((await check()).body).toMatchObject({ committable: true, findings: [] })
    const res = await api('POST', '/api/v1/fleets/demo/commit', { body: { message: '/api before the catch-all' } })
    expect(res.status).toBe(201)
  })
})
