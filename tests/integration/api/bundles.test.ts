import { describe, expect, it } from 'vitest'
import YAML from 'yaml'
import { loadEnvoyRoot } from '../../../proto/loader'
import { readProtoJson } from '../../../server/config/proto-json'
import type { ApiResponse } from '../../support/http'
import { setupTestServer } from '../../support/test-server'

/*
 * Fleet as code (#14): a fleet's config exported as a bundle (one YAML document per resource) and
 * written back whole with PUT …/draft. Export → import → export gives the same bytes, on the demo
 * fleet and on a fleet with every resource type and a private key (which never leaves the server);
 * the bulk write is one transaction guarded by If-Match, and a bad document is named and changes nothing.
 */
const t = setupTestServer('api_bundles')
const { api } = t

type Change = { type: string; name: string; change: 'added' | 'removed' | 'modified'; patch: string }
type Replaced = { fleet: string; previousDraftRevision: number; draftRevision: number; dryRun: boolean; changes: Change[]; counts: { added: number; removed: number; modified: number; unchanged: number } }
type ErrorBody = { error: { code: string; message: string; issues: Array<{ path: string; message: string; resource?: { type: string; name: string } }>; details?: Record<string, unknown> } }
type Draft = { draftRevision: number; resources: Array<{ type: string; name: string; revision: number; hash: string }> }

const KEY_BODY = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjBundleExport0123456789' // must never appear in an export
const KEY_PEM = `-----BEGIN PRIVATE KEY-----\n${KEY_BODY}\n-----END PRIVATE KEY-----\n`
const CERT_PEM = '-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQsw\n-----END CERTIFICATE-----\n'

const exportBundle = async (fleet: string, query = ''): Promise<string> => {
  const res = await api('GET', `/api/v1/fleets/${fleet}/export${query}`)
  expect(res.status, res.text).toBe(200)
  expect(res.headers.get('content-type')).toContain('application/yaml')
  return res.text
}

const putBundle = (fleet: string, bundle: string | unknown[], headers: Record<string, string> = {}, query = ''): Promise<ApiResponse<Replaced & ErrorBody>> =>
  typeof bundle === 'string'
    ? api('PUT', `/api/v1/fleets/${fleet}/draft${query}`, { raw: bundle, headers: { 'content-type': 'application/yaml', ...headers } })
    : api('PUT', `/api/v1/fleets/${fleet}/draft${query}`, { body: bundle, headers })

async function draft(fleet: string): Promise<Draft> {
  const res = await api<Draft>('GET', `/api/v1/fleets/${fleet}/draft`)
  expect(res.status, res.text).toBe(200)
  return res.body
}

async function newFleet(name: string): Promise<void> {
  const res = await api('POST', '/api/v1/fleets', { body: { name } })
  expect(res.status, res.text).toBe(201)
}

async function commit(fleet: string, message: string): Promise<number> {
  const res = await api<{ number: number }>('POST', `/api/v1/fleets/${fleet}/commit`, { body: { message, acceptWarnings: true } })
  expect(res.status, res.text).toBe(201)
  return res.body.number
}

/** One of each resource type, wired together, with a private key inline in the Secret. */
function everyType(): unknown[] {
  const hcm = {
    '@type': 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
    stat_prefix: 'ingress',
    rds: { route_config_name: 'main', config_source: { ads: {}, resource_api_version: 'V3' } },
    http_filters: [{ name: 'envoy.filters.http.router', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' } }],
  }
  const tls = { '@type': 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext', common_tls_context: { tls_certificate_sds_secret_configs: [{ name: 'edge-cert', sds_config: { ads: {}, resource_api_version: 'V3' } }] } }
  return [
    {
      type: 'Listener',
      name: 'https',
      resource: {
        name: 'https',
        address: { socket_address: { address: '0.0.0.0', port_value: 10443 } },
        filter_chains: [{ filters: [{ name: 'envoy.filters.network.http_connection_manager', typed_config: hcm }], transport_socket: { name: 'envoy.transport_sockets.tls', typed_config: tls } }],
      },
    },
    { type: 'RouteConfiguration', name: 'main', resource: { name: 'main', virtual_hosts: [{ name: 'all', domains: ['*'], routes: [{ match: { prefix: '/' }, route: { cluster: 'backend' } }] }] } },
    { type: 'Cluster', name: 'backend', resource: { name: 'backend', type: 'EDS', connect_timeout: '0.5s', eds_cluster_config: { eds_config: { ads: {}, resource_api_version: 'V3' } } } },
    { type: 'ClusterLoadAssignment', name: 'backend', resource: { cluster_name: 'backend', endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: '10.0.0.7', port_value: 8080 } } } }] }] } },
    { type: 'Secret', name: 'edge-cert', resource: { name: 'edge-cert', tls_certificate: { certificate_chain: { inline_string: CERT_PEM }, private_key: { inline_string: KEY_PEM } } } },
  ]
}

describe('export → import → export', () => {
  it('the demo fleet round-trips byte for byte, into itself and into a new fleet', async () => {
    const exported = await exportBundle('demo')
    const docs = YAML.parseAllDocuments(exported).map((d) => d.toJS() as { type: string; name: string; resource: Record<string, unknown> })
    expect(docs.length).toBeGreaterThanOrEqual(3)
    // Stable order: by type, then name; each document is {type, name, resource}.
    const keys = docs.map((d) => `${d.type}/${d.name}`)
    expect(keys).toEqual([...keys].sort())
    for (const d of docs) expect(Object.keys(d)).toEqual(['type', 'name', 'resource'])
    expect(exported).toBe(await exportBundle('demo', '?version=1&format=bundle'))

    // Into its own draft: nothing changes, the revision stays.
    const before = await draft('demo')
    const same = await putBundle('demo', exported, { 'if-match': `"${before.draftRevision}"` })
    expect(same.status, same.text).toBe(200)
    expect(same.body.changes).toEqual([])
    expect(same.body.counts).toEqual({ added: 0, removed: 0, modified: 0, unchanged: docs.length })
    expect(same.body.draftRevision).toBe(before.draftRevision)
    expect(await exportBundle('demo', '?version=draft')).toBe(exported)

    // Into a new fleet, committed: its export is the same text.
    await newFleet('demo-copy')
    const copied = await putBundle('demo-copy', exported)
    expect(copied.status, copied.text).toBe(200)
    expect(copied.body.counts).toEqual({ added: docs.length, removed: 0, modified: 0, unchanged: 0 })
    expect(copied.body.changes.map((c) => `${c.type}/${c.name}:${c.change}`)).toEqual(keys.map((k) => `${k}:added`))
    expect(await exportBundle('demo-copy', '?version=draft')).toBe(exported)
    expect(await commit('demo-copy', 'from the demo bundle')).toBe(1)
    expect(await exportBundle('demo-copy')).toBe(exported)
  })

  it('a fleet with every resource type and a private key: the key never leaves, the marker keeps it, the bytes round-trip', async () => {
    await newFleet('vault')
    const first = await putBundle('vault', everyType())
    expect(first.status, first.text).toBe(200)
    expect(first.body.counts).toEqual({ added: 5, removed: 0, modified: 0, unchanged: 0 })
    expect(first.text).not.toContain(KEY_BODY)
    await commit('vault', 'every type')
    const exported = await exportBundle('vault')
    expect(exported).not.toContain(KEY_BODY)
    expect(exported).not.toContain('legation:sealed')
    expect(exported).toMatch(/private_key:\n\s+inline_string: <set:[0-9a-f]{8}>/)
    expect(exported).toContain(CERT_PEM.split('\n')[1])
    expect(YAML.parseAllDocuments(exported).map((d) => (d.toJS() as { type: string }).type)).toEqual(['Cluster', 'ClusterLoadAssignment', 'Listener', 'RouteConfiguration', 'Secret'])

    // Importing the export keeps the stored key: the Secret is unchanged (same hash, same revision).
    const secretBefore = (await draft('vault')).resources.find((r) => r.type === 'Secret')!
    const back = await putBundle('vault', exported)
    expect(back.status, back.text).toBe(200)
    expect(back.body.changes).toEqual([])
    const secretAfter = (await draft('vault')).resources.find((r) => r.type === 'Secret')!
    expect(secretAfter).toEqual(secretBefore)
    expect(await exportBundle('vault', '?version=draft')).toBe(exported)

    // A changed certificate next to the marker: the key is still the stored one (its marker unchanged).
    const edited = exported.replace('MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQsw', 'MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQsx')
    const modified = await putBundle('vault', edited)
    expect(modified.status, modified.text).toBe(200)
    expect(modified.body.changes.map((c) => `${c.type}/${c.name}:${c.change}`)).toEqual(['Secret/edge-cert:modified'])
    expect(await exportBundle('vault', '?version=draft')).toBe(edited)

    // The marker names a value of this fleet only: another fleet is told which document and field.
    await newFleet('vault-copy')
    const elsewhere = await putBundle('vault-copy', exported)
    expect(elsewhere.status, elsewhere.text).toBe(422)
    expect(elsewhere.body.error.code).toBe('CONFIG.INVALID')
    expect(elsewhere.body.error.issues).toEqual([expect.objectContaining({ path: '[4].resource.tls_certificate.private_key.inline_string', resource: { type: 'Secret', name: 'edge-cert' } })])
    expect((await draft('vault-copy')).resources).toEqual([])
  })
})

describe('export as an Envoy static bootstrap (?format=bootstrap)', () => {
  const root = loadEnvoyRoot()
  type Static = { node: { cluster: string }; static_resources: { listeners: Array<Record<string, unknown>>; clusters: Array<Record<string, unknown>>; secrets?: Array<{ name: string }> } }

  it('reads as an Envoy Bootstrap, with RDS, EDS and SDS made static and no key material', async () => {
    const text = await exportBundle('vault', '?format=bootstrap')
    expect(text).not.toContain(KEY_BODY)
    expect(text).toMatch(/^# private keys are shown as <set:fingerprint>/m)
    const b = YAML.parse(text) as Static
    expect(readProtoJson(root, 'envoy.config.bootstrap.v3.Bootstrap', b).issues).toEqual([])
    // Nothing is left that needs an xDS server.
    expect(text).not.toMatch(/\bads:|\brds:|sds_config|eds_cluster_config/)
    expect(b.node.cluster).toBe('vault')
    expect(b.static_resources.clusters).toEqual([expect.objectContaining({ name: 'backend', type: 'STATIC', load_assignment: expect.objectContaining({ cluster_name: 'backend', endpoints: [expect.anything()] }) })])
    const hcm = JSON.stringify(b.static_resources.listeners[0])
    expect(hcm).toContain('"route_config":{"name":"main"')
    expect(hcm).toContain('"tls_certificate_sds_secret_configs":[{"name":"edge-cert"}]')
    expect(b.static_resources.secrets?.map((s) => s.name)).toEqual(['edge-cert'])
  })

  it('the demo fleet as a bootstrap reads as an Envoy Bootstrap, without notes', async () => {
    const text = await exportBundle('demo', '?format=bootstrap')
    expect(text.startsWith('#')).toBe(false)
    const b = YAML.parse(text) as Static
    expect(readProtoJson(root, 'envoy.config.bootstrap.v3.Bootstrap', b).issues).toEqual([])
    expect(b.static_resources.listeners.length).toBeGreaterThan(0)
    expect(text).not.toMatch(/\bads:|\brds:/)
  })
})

describe('PUT …/draft with a bundle', () => {
  const cluster = (name: string, port: number) => ({
    type: 'Cluster',
    name,
    resource: { name, type: 'STATIC', connect_timeout: '1s', load_assignment: { cluster_name: name, endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: '127.0.0.1', port_value: port } } } }] }] } },
  })

  it('replaces the draft with If-Match of its revision; a stale one is 409 and changes nothing', async () => {
    await newFleet('bulk')
    const one = await putBundle('bulk', [cluster('a', 8001), cluster('b', 8002), cluster('c', 8003)], { 'if-match': '"0"' })
    expect(one.status, one.text).toBe(200)
    expect(one.headers.get('etag')).toBe(`"${one.body.draftRevision}"`)
    expect(one.body.previousDraftRevision).toBe(0)
    const afterOne = await draft('bulk')
    expect(afterOne.draftRevision).toBe(one.body.draftRevision)

    // b changes, c goes, d comes; a is untouched and keeps its row revision.
    const two = await putBundle('bulk', [cluster('a', 8001), cluster('b', 9002), cluster('d', 8004)], { 'if-match': `"${afterOne.draftRevision}"` })
    expect(two.status, two.text).toBe(200)
    expect(two.body.changes.map((c) => `${c.name}:${c.change}`)).toEqual(['b:modified', 'c:removed', 'd:added'])
    expect(two.body.counts).toEqual({ added: 1, removed: 1, modified: 1, unchanged: 1 })
    expect(two.body.changes[0]!.patch).toContain('-                port_value: 8002')
    expect(two.body.changes[0]!.patch).toContain('+                port_value: 9002')
    const afterTwo = await draft('bulk')
    expect(afterTwo.resources.map((r) => r.name)).toEqual(['a', 'b', 'd'])
    expect(afterTwo.resources.find((r) => r.name === 'a')).toEqual(afterOne.resources.find((r) => r.name === 'a'))
    // One audit entry and one activity line per bulk write, with its counts.
    const audit = await api<{ entries: Array<{ action: string; target: string; detail: Record<string, number> }> }>('GET', '/api/v1/audit?fleet=bulk&action=draft.replace')
    expect(audit.body.entries.map((e) => [e.target, e.detail])).toEqual([
      ['fleet/bulk', { added: 1, removed: 1, modified: 1, unchanged: 1, resources: 3 }],
      ['fleet/bulk', { added: 3, removed: 0, modified: 0, unchanged: 0, resources: 3 }],
    ])
    const activity = await api<{ items: Array<{ kind: string; message: string }> }>('GET', '/api/v1/activity?fleet=bulk&kind=changes')
    expect(activity.body.items.filter((i) => i.kind === 'draft').map((i) => i.message)).toEqual(['replaced the draft with a bundle: 1 added, 1 changed, 1 removed', 'replaced the draft with a bundle: 3 added, 0 changed, 0 removed'])

    // Someone else's revision: 409 with the current one, and the draft stays as it was.
    const stale = await putBundle('bulk', [cluster('z', 8009)], { 'if-match': `"${afterOne.draftRevision}"` })
    expect(stale.status, stale.text).toBe(409)
    expect(stale.body.error.code).toBe('DRAFT.CONFLICT')
    expect(stale.body.error.details).toEqual({ currentRevision: afterTwo.draftRevision })
    expect(await draft('bulk')).toEqual(afterTwo)
  })

  it('?dryRun=true answers the diff and writes nothing', async () => {
    const before = await draft('bulk')
    const dry = await putBundle('bulk', [cluster('a', 8001)], {}, '?dryRun=true')
    expect(dry.status, dry.text).toBe(200)
    expect(dry.body.dryRun).toBe(true)
    expect(dry.body.changes.map((c) => `${c.name}:${c.change}`)).toEqual(['b:removed', 'd:removed'])
    expect(dry.body.draftRevision).toBe(before.draftRevision)
    expect(await draft('bulk')).toEqual(before)
  })

  it('a YAML syntax error names the document, line and column; nothing changes', async () => {
    const before = await draft('bulk')
    const text = `${YAML.stringify(cluster('a', 8001))}---\n${YAML.stringify(cluster('b', 8002))}---\ntype: Cluster\nname: c\nresource: {name: c, connect_timeout: 1s\n`
    const res = await putBundle('bulk', text)
    expect(res.status, res.text).toBe(400)
    expect(res.body.error.code).toBe('REQUEST.BAD_BODY')
    expect(res.body.error.message).toMatch(/^document 2: malformed YAML at line \d+, column \d+/)
    expect(res.body.error.details).toMatchObject({ document: 2, line: expect.any(Number), column: expect.any(Number) })
    expect(res.body.error.details!['line']).toBeGreaterThan(text.split('\n').findIndex((l) => l === 'name: c'))
    expect(await draft('bulk')).toEqual(before)
  })

  it('an invalid resource is 422 naming the document, its line, the resource and the field; nothing changes', async () => {
    const before = await draft('bulk')
    const bad = cluster('b', 8002) as { resource: Record<string, unknown> }
    bad.resource['connect_timeout'] = 'soon'
    const text = [cluster('a', 8001), bad, cluster('e', 8005)].map((d) => `---\n${YAML.stringify(d)}`).join('')
    const res = await putBundle('bulk', text)
    expect(res.status, res.text).toBe(422)
    expect(res.body.error.code).toBe('CONFIG.INVALID')
    const line = text.split('\n').indexOf('name: b') // 0-based index of the line after `type:` = the document's first line, 1-based
    expect(res.body.error.message).toContain(`document 1 (line ${line})`)
    expect(res.body.error.message).toContain("Cluster 'b'")
    expect(res.body.error.issues).toEqual([expect.objectContaining({ path: '[1].resource.connect_timeout', resource: { type: 'Cluster', name: 'b' } })])
    // …and the field's own line.
    const fieldLine = text.split('\n').findIndex((l, i) => i > line && l.trim() === 'connect_timeout: soon') + 1
    expect(fieldLine).toBeGreaterThan(line)
    expect(res.body.error.issues[0]!.message).toMatch(new RegExp(`\\(line ${fieldLine}\\)$`))
    expect(await draft('bulk')).toEqual(before)
  })

  it('one YAML list works like the JSON array; a bad item is named with its line', async () => {
    const before = await draft('bulk')
    const bad = cluster('b', 8002) as { resource: Record<string, unknown> }
    bad.resource['type'] = 'STATICALLY'
    const text = YAML.stringify([cluster('a', 8001), bad])
    const res = await putBundle('bulk', text)
    expect(res.status, res.text).toBe(422)
    const line = text.split('\n').lastIndexOf('- type: Cluster') + 1
    expect(line).toBeGreaterThan(1)
    expect(res.body.error.message).toContain(`document 1 (line ${line}), Cluster 'b': [1].resource.type:`)
    const good = await putBundle('bulk', YAML.stringify([cluster('a', 8001)]), {}, '?dryRun=true')
    expect(good.status, good.text).toBe(200)
    expect(good.body.counts).toMatchObject({ unchanged: 1 })
    expect(await draft('bulk')).toEqual(before)
  })

  it('a document that is not {type, name, resource}, and a resource given twice, are named; nothing changes', async () => {
    const before = await draft('bulk')
    const shape = await putBundle('bulk', [cluster('a', 8001), { type: 'Clusters', name: 'x', resource: {} }, { name: 'y', resource: {}, extra: 1 }])
    expect(shape.status, shape.text).toBe(422)
    expect(shape.body.error.code).toBe('REQUEST.INVALID')
    expect(shape.body.error.issues.map((i) => i.path).sort()).toEqual(['[1].type', '[2]', '[2].type'])
    expect(shape.body.error.message).toMatch(/^the bundle's document 1, the document: \[1\]\.type: /)
    const twice = await putBundle('bulk', [cluster('a', 8001), cluster('a', 8002)])
    expect(twice.status, twice.text).toBe(422)
    expect(twice.body.error.issues).toEqual([expect.objectContaining({ path: '[1].name', message: "Cluster 'a' is also document 0" })])
    const notArray = await api<ErrorBody>('PUT', '/api/v1/fleets/bulk/draft', { body: cluster('a', 8001) })
    expect(notArray.status, notArray.text).toBe(400)
    expect(notArray.body.error.code).toBe('REQUEST.BAD_BODY')
    expect(await draft('bulk')).toEqual(before)
  })

  it('an empty bundle empties the draft', async () => {
    const res = await putBundle('bulk', [])
    expect(res.status, res.text).toBe(200)
    expect(res.body.counts).toEqual({ added: 0, removed: 3, modified: 0, unchanged: 0 })
    expect((await draft('bulk')).resources).toEqual([])
    expect(await exportBundle('bulk', '?version=draft')).toBe('')
  })

  it('export of a fleet without versions asks for the draft; an unknown version is 404', async () => {
    const none = await api<ErrorBody>('GET', '/api/v1/fleets/bulk/export')
    expect(none.status, none.text).toBe(404)
    expect(none.body.error.message).toContain('?version=draft')
    expect((await api('GET', '/api/v1/fleets/demo/export?version=99')).status).toBe(404)
    expect((await api('GET', '/api/v1/fleets/demo/export?format=envoy')).status).toBe(422)
  })
})
