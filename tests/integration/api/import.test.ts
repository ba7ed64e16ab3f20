import type * as grpc from '@grpc/grpc-js'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import YAML from 'yaml'
import { callEcho, startEchoBackend, type EchoBackend } from '../../support/echo-backend'
import { PROJECT_ROOT } from '../../support/server'
import { setupTestServer } from '../../support/test-server'
import { createXdsEchoClient } from '../../support/xds-client'

/*
 * Import an existing Envoy config (#14 item 1): POST /fleets/{fleet}/import with an envoy.yaml (the
 * front-proxy example's shape, plus a gRPC API listener), previewed, written with If-Match,
 * committed, and served to a real gRPC xDS client (@grpc/grpc-js-xds); an exported bundle imported
 * again gives the same bytes; a syntax error, an invalid resource or a stale If-Match writes nothing.
 */
const t = setupTestServer('api_import')
const { api } = t

type Change = { type: string; name: string; change: 'added' | 'removed' | 'modified'; patch: string }
type Finding = { severity: string; code: string; path: string; message: string; line: number | null }
type Imported = { fleet: string; format: string; mode: string; dryRun: boolean; previousDraftRevision: number; draftRevision: number; resources: number; changes: Change[]; counts: { added: number; modified: number; removed: number; unchanged: number }; findings: Finding[] }
type ErrorBody = { error: { code: string; message: string; issues: Array<{ path: string; message: string; resource?: { type: string; name: string } }> } }
type Draft = { draftRevision: number; resources: Array<{ type: string; name: string }> }

let backend: EchoBackend
const clients: grpc.Client[] = []
beforeAll(async () => {
  backend = await startEchoBackend('imported-backend')
})
afterAll(async () => {
  for (const c of clients) c.close()
  await backend?.stop()
})

const FRONT_PROXY = readFileSync(path.join(PROJECT_ROOT, 'tests', 'fixtures', 'import', 'front-proxy.yaml'), 'utf8')

/** The front-proxy envoy.yaml with a gRPC API listener `echo` (inline routes) and a STATIC cluster to the echo backend. */
function envoyYaml(): string {
  const echo = `  - name: echo
    api_listener:
      api_listener:
        "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
        stat_prefix: echo
        route_config:
          name: echo-route
          virtual_hosts:
          - name: echo
            domains: [echo]
            routes:
            - match: { prefix: "" }
              route: { cluster: echo-backend }
        http_filters:
        - name: envoy.filters.http.router
          typed_config:
            "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
`
  const cluster = `  - name: echo-backend
    connect_timeout: 1s
    type: STATIC
    lb_policy: ROUND_ROBIN
    load_assignment:
      cluster_name: echo-backend
      endpoints:
      - load_balancing_weight: 1
        locality: {}
        lb_endpoints:
        - endpoint:
            address:
              socket_address: { address: ${backend.address}, port_value: ${backend.port} }
`
  return FRONT_PROXY.replace('  listeners:\n', `  listeners:\n${echo}`).replace('  clusters:\n', `  clusters:\n${cluster}`)
}

const importInto = (fleet: string, body: Record<string, unknown>, headers: Record<string, string> = {}) => api<Imported & ErrorBody>('POST', `/api/v1/fleets/${fleet}/import`, { body, headers })
const draft = async (fleet: string) => (await api<Draft>('GET', `/api/v1/fleets/${fleet}/draft`)).body
const keys = (d: Draft) => d.resources.map((r) => `${r.type}/${r.name}`).sort()

async function newFleet(name: string): Promise<void> {
  const res = await api('POST', '/api/v1/fleets', { body: { name } })
  expect(res.status, res.text).toBe(201)
}

describe('POST /api/v1/fleets/{fleet}/import', () => {
  it('an envoy.yaml: preview (nothing written), import with If-Match, commit, and a gRPC xDS client is served the imported listener, route and cluster', async () => {
    await newFleet('imported')
    const content = envoyYaml()
    const options = { splitRoutes: true, splitEndpoints: true }
    const preview = await importInto('imported', { content, options, dryRun: true })
    expect(preview.status, preview.text).toBe(200)
    expect(preview.body).toMatchObject({ format: 'bootstrap', mode: 'replace', dryRun: true, resources: 10, counts: { added: 10, modified: 0, removed: 0, unchanged: 0 } })
    expect(preview.body.changes.map((c) => `${c.change} ${c.type}/${c.name}`)).toEqual([
      'added Cluster/echo-backend',
      'added Cluster/service1',
      'added Cluster/service2',
      'added ClusterLoadAssignment/echo-backend',
      'added ClusterLoadAssignment/service2',
      'added Listener/echo',
      'added Listener/listener_0',
      'added Listener/listener_tcp',
      'added RouteConfiguration/echo-route',
      'added RouteConfiguration/local_route',
    ])
    const adminLine = content.split('\n').indexOf('admin:') + 1
    expect(preview.body.findings).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'IMPORT.BOOTSTRAP_ONLY', path: 'admin', line: adminLine }), expect.objectContaining({ code: 'IMPORT.DNS_ENDPOINTS_INLINE', severity: 'info' })]))
    const before = await draft('imported')
    expect(before.resources).toEqual([])

    const done = await importInto('imported', { content, options }, { 'if-match': `"${before.draftRevision}"` })
    expect(done.status, done.text).toBe(200)
    expect(done.body).toMatchObject({ dryRun: false, previousDraftRevision: before.draftRevision, draftRevision: before.draftRevision + 1 })
    expect(done.headers.get('etag')).toBe(`"${before.draftRevision + 1}"`)
    expect(keys(await draft('imported'))).toEqual(preview.body.changes.map((c) => `${c.type}/${c.name}`))
    const audit = await api<{ entries: Array<{ action: string; detail: Record<string, unknown> }> }>('GET', '/api/v1/audit?fleet=imported&action=draft.import')
    expect(audit.body.entries[0]).toMatchObject({ action: 'draft.import', detail: { added: 10, format: 'bootstrap', mode: 'replace' } })

    const commit = await api<{ number: number }>('POST', '/api/v1/fleets/imported/commit', { body: { message: 'imported envoy.yaml', acceptWarnings: true } })
    expect(commit.status, commit.text).toBe(201)

    const client = createXdsEchoClient({ xdsPort: t.xdsPort, nodeId: 'imported-proxy-1', fleet: 'imported', target: 'echo' })
    clients.push(client)
    expect(await callEcho(client, 15_000)).toBe('imported-backend')

    // The same import again changes nothing.
    const again = await importInto('imported', { content, options, dryRun: true })
    expect(again.body.counts).toEqual({ added: 0, modified: 0, removed: 0, unchanged: 10 })
  })

  it('export → import round-trips byte-identical bundles, into the same fleet and into another one', async () => {
    const exported = await api('GET', '/api/v1/fleets/imported/export?version=draft')
    expect(exported.status).toBe(200)
    const same = await importInto('imported', { content: exported.text })
    expect(same.status, same.text).toBe(200)
    expect(same.body).toMatchObject({ format: 'bundle', findings: [], counts: { added: 0, modified: 0, removed: 0 } })

    await newFleet('imported-copy')
    const copy = await importInto('imported-copy', { content: exported.text })
    expect(copy.status, copy.text).toBe(200)
    expect(copy.body.counts.added).toBe(10)
    const again = await api('GET', '/api/v1/fleets/imported-copy/export?version=draft')
    expect(again.text).toBe(exported.text)
  })

  it('merge adds to the draft and replaces what has the same name; replace removes the rest', async () => {
    const one = YAML.stringify({ static_resources: { clusters: [{ name: 'service2', connect_timeout: '2s', type: 'STATIC', load_assignment: { cluster_name: 'service2', endpoints: [] } }, { name: 'extra', connect_timeout: '1s', type: 'STATIC' }] } })
    const merged = await importInto('imported-copy', { content: one, options: { mode: 'merge' }, dryRun: true })
    expect(merged.status, merged.text).toBe(200)
    expect(merged.body.changes.map((c) => `${c.change} ${c.type}/${c.name}`)).toEqual(['added Cluster/extra', 'modified Cluster/service2'])
    expect(merged.body.counts).toEqual({ added: 1, modified: 1, removed: 0, unchanged: 9 })
    const replaced = await importInto('imported-copy', { content: one, dryRun: true })
    expect(replaced.body.counts).toMatchObject({ added: 1, modified: 1, removed: 9 })
  })

  it('a config dump (JSON) is read with its findings', async () => {
    await newFleet('from-dump')
    const content = readFileSync(path.join(PROJECT_ROOT, 'tests', 'fixtures', 'import', 'config-dump.json'), 'utf8')
    const res = await importInto('from-dump', { content })
    expect(res.status, res.text).toBe(200)
    expect(res.body.format).toBe('config-dump')
    expect(keys(await draft('from-dump'))).toEqual(['Cluster/example_proxy_cluster', 'Cluster/service_eds', 'ClusterLoadAssignment/service_eds', 'Listener/listener_0', 'RouteConfiguration/local_route', 'Secret/server_cert'])
    expect(res.body.findings.map((f) => f.code)).toContain('IMPORT.SECRET_REDACTED')
    // The secret's value stays on the server: the answer shows a marker in place of the (redacted) key.
    expect(res.body.changes.find((c) => c.type === 'Secret')!.patch).toMatch(/private_key:\n\+\s+inline_string: <set:[0-9a-f]+>/)
  })

  it('an invalid import writes nothing: a syntax error names line and column, an invalid resource its field and line, a stale If-Match is 409', async () => {
    const before = await draft('imported')
    const syntax = await importInto('imported', { content: 'static_resources:\n  clusters:\n  - name: a\n   type: STATIC\n' })
    expect(syntax.status).toBe(400)
    expect(syntax.body.error.message).toMatch(/line 4, column \d+/)

    const invalid = envoyYaml().replace('    type: STRICT_DNS\n', '    type: STRICT_DNS\n    connect_timeout_typo: 3s\n')
    const refused = await importInto('imported', { content: invalid, options: { splitRoutes: true } })
    expect(refused.status, refused.text).toBe(422)
    expect(refused.body.error.code).toBe('CONFIG.INVALID')
    const line = invalid.split('\n').indexOf('    connect_timeout_typo: 3s') + 1
    expect(refused.body.error.issues).toEqual([expect.objectContaining({ path: 'static_resources.clusters[1].connect_timeout_typo', resource: { type: 'Cluster', name: 'service1' }, message: expect.stringContaining(`(line ${line})`) })])
    expect(refused.body.error.message).toContain("Cluster 'service1'")

    const unknown = await importInto('imported', { content: 'hello: world\n' })
    expect(unknown.status).toBe(422)
    expect(unknown.body.error.issues[0]).toMatchObject({ path: 'content' })

    const stale = await importInto('imported', { content: envoyYaml() }, { 'if-match': `"${before.draftRevision - 1}"` })
    expect(stale.status, stale.text).toBe(409)
    expect(stale.body.error.code).toBe('DRAFT.CONFLICT')

    const after = await draft('imported')
    expect(after.draftRevision).toBe(before.draftRevision)
    expect(keys(after)).toEqual(keys(before))
  })
})
