import { describe, expect, it } from 'vitest'
import pg from 'pg'
import { setupTestServer } from '../support/test-server'
import { adminHeaders, signInAs } from '../support/credentials'
import { apiClient } from '../support/http'

type ErrorBody = { error: { code: string; message: string; issues: Array<{ path: string; message: string; code?: string; resource?: { type: string; name: string } }> } }
type Version = { number: number; origin: string; rollbackOf: number | null; contentHash: string; active: boolean; message: string; author: string; changes: { added: number; removed: number; modified: number } }

const CLUSTER_YAML = `
name: backend
connectTimeout: 0.5s
type: STRICT_DNS
lb_policy: ROUND_ROBIN
load_assignment:
  cluster_name: backend
  endpoints:
    - lb_endpoints:
        - endpoint: { address: { socket_address: { address: backend.internal, port_value: 8080 } } }
`

const route = (cluster: string) => ({
  name: 'main',
  virtual_hosts: [{ name: 'all', domains: ['*'], routes: [{ match: { prefix: '/' }, route: { cluster } }] }],
})

const t = setupTestServer('api')
const { api } = t

describe('fleets', () => {
  it('seeds the demo fleet at version 1 on first start', async () => {
    const res = await api<{ fleets: Array<{ name: string; activeVersion: { number: number } | null; pendingChanges: number }> }>('GET', '/api/v1/fleets')
    expect(res.status).toBe(200)
    const demo = res.body.fleets.find((f) => f.name === 'demo')
    expect(demo?.activeVersion?.number).toBe(1)
    expect(demo?.pendingChanges).toBe(0)
  })

  it('creates a fleet and refuses a duplicate, a bad name and unknown fields', async () => {
    const created = await api('POST', '/api/v1/fleets', { body: { name: 'edge', description: 'edge proxies' } })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ name: 'edge', activeVersion: null, pendingChanges: 0 })

    const dup = await api<ErrorBody>('POST', '/api/v1/fleets', { body: { name: 'edge' } })
    expect(dup.status).toBe(409)
    expect(dup.body.error.code).toBe('FLEET.EXISTS')

    const badName = await api<ErrorBody>('POST', '/api/v1/fleets', { body: { name: 'has space' } })
    expect(badName.status).toBe(422)
    expect(badName.body.error.issues[0]?.path).toBe('name')

    const unknown = await api<ErrorBody>('POST', '/api/v1/fleets', { body: { name: 'x1', colour: 'red' } })
    expect(unknown.status).toBe(422)
    expect(unknown.body.error.message).toContain('colour')

    const missing = await api<ErrorBody>('GET', '/api/v1/fleets/nope')
    expect(missing.status).toBe(404)
    expect(missing.body.error.code).toBe('FLEET.NOT_FOUND')
  })
})

describe('draft resources', () => {
  it('accepts YAML, canonicalises camelCase to Envoy field names and returns an ETag', async () => {
    const res = await api<{ revision: number; resource: Record<string, unknown> }>('PUT', '/api/v1/fleets/edge/draft/clusters/backend', {
      raw: CLUSTER_YAML,
      headers: { 'content-type': 'application/yaml', 'x-legation-actor': 'alice' },
    })
    expect(res.status).toBe(201)
    expect(res.headers.get('etag')).toBe('"1"')
    expect(res.body.resource['connect_timeout']).toBe('0.5s')
    expect(res.body.resource).not.toHaveProperty('connectTimeout')

    const yaml = await api('GET', '/api/v1/fleets/edge/draft/clusters/backend?format=yaml')
    expect(yaml.headers.get('content-type')).toContain('application/yaml')
    expect(yaml.text).toContain('connect_timeout: 0.5s')
  })

  it('applies an edit with a matching If-Match and refuses a stale one without losing the newer edit', async () => {
    const edited = await api('PUT', '/api/v1/fleets/edge/draft/clusters/backend', {
      raw: CLUSTER_YAML.replace('0.5s', '2s'),
      headers: { 'content-type': 'application/yaml', 'if-match': '"1"' },
    })
    expect(edited.status).toBe(200)
    expect(edited.headers.get('etag')).toBe('"2"')

    const stale = await api<ErrorBody>('PUT', '/api/v1/fleets/edge/draft/clusters/backend', {
      raw: CLUSTER_YAML.replace('0.5s', '9s'),
      headers: { 'content-type': 'application/yaml', 'if-match': '"1"' },
    })
    expect(stale.status).toBe(409)
    expect(stale.body.error.code).toBe('DRAFT.CONFLICT')

    const current = await api<{ revision: number; resource: Record<string, unknown> }>('GET', '/api/v1/fleets/edge/draft/clusters/backend')
    expect(current.body.revision).toBe(2)
    expect(current.body.resource['connect_timeout']).toBe('2s')
  })

  it('refuses invalid Envoy resources with the field path, and stores nothing', async () => {
    const cases: Array<{ body: unknown; path: string }> = [
      { body: { name: 'bad', connect_timeout: '1s', lb_polcy: 'ROUND_ROBIN' }, path: 'lb_polcy' },
      { body: { name: 'bad', connect_timeout: 'soon' }, path: 'connect_timeout' },
      { body: { name: 'bad', lb_policy: 'FASTEST' }, path: 'lb_policy' },
      { body: { name: 'bad', load_assignment: { cluster_name: 'bad', endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 'x', port_value: 'eighty' } } } }] }] } }, path: 'load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.port_value' },
    ]
    for (const c of cases) {
      const res = await api<ErrorBody>('PUT', '/api/v1/fleets/edge/draft/clusters/bad', { body: c.body })
      expect(res.status, JSON.stringify(c.body)).toBe(422)
      expect(res.body.error.code).toBe('CONFIG.INVALID')
      expect(res.body.error.issues.map((i) => i.path)).toContain(c.path)
    }
    const gone = await api<ErrorBody>('GET', '/api/v1/fleets/edge/draft/clusters/bad')
    expect(gone.status).toBe(404)

    const mismatch = await api<ErrorBody>('PUT', '/api/v1/fleets/edge/draft/clusters/other', { body: { name: 'backend' } })
    expect(mismatch.status).toBe(422)
    expect(mismatch.body.error.issues[0]?.path).toBe('name')
  })

  it('answers malformed, oversized and unsupported bodies with 4xx, never 500', async () => {
    const badJson = await api<ErrorBody>('PUT', '/api/v1/fleets/edge/draft/clusters/x', { raw: '{"name": ', headers: { 'content-type': 'application/json' } })
    expect(badJson.status).toBe(400)
    expect(badJson.body.error.code).toBe('REQUEST.BAD_BODY')

    const badYaml = await api<ErrorBody>('PUT', '/api/v1/fleets/edge/draft/clusters/x', { raw: 'name: x\n  type: [STATIC\n', headers: { 'content-type': 'application/yaml' } })
    expect(badYaml.status).toBe(400)
    expect(badYaml.body.error.message).toMatch(/line \d+/)

    const huge = await api<ErrorBody>('PUT', '/api/v1/fleets/edge/draft/clusters/x', { raw: JSON.stringify({ name: 'x', alt_stat_name: 'a'.repeat(5 * 1024 * 1024) }), headers: { 'content-type': 'application/json' } })
    expect(huge.status).toBe(413)

    const xml = await api<ErrorBody>('PUT', '/api/v1/fleets/edge/draft/clusters/x', { raw: '<cluster/>', headers: { 'content-type': 'application/xml' } })
    expect(xml.status).toBe(415)

    const array = await api<ErrorBody>('PUT', '/api/v1/fleets/edge/draft/clusters/x', { body: [1, 2] })
    expect(array.status).toBe(422)

    const unknownType = await api<ErrorBody>('GET', '/api/v1/fleets/edge/draft/widgets')
    expect(unknownType.status).toBe(404)
    expect(unknownType.body.error.code).toBe('RESOURCE.TYPE_UNKNOWN')

    const badIfMatch = await api<ErrorBody>('PUT', '/api/v1/fleets/edge/draft/clusters/backend', { body: { name: 'backend' }, headers: { 'if-match': 'yesterday' } })
    expect(badIfMatch.status).toBe(422)
  })
})

describe('commit, diff and rollback', () => {
  it('refuses a commit with dangling references, naming them, and writes nothing', async () => {
    const put = await api('PUT', '/api/v1/fleets/edge/draft/routes/main', { body: route('missing') })
    expect(put.status).toBe(201)
    const refused = await api<ErrorBody>('POST', '/api/v1/fleets/edge/commit', { body: { message: 'broken' } })
    expect(refused.status).toBe(422)
    const issue = refused.body.error.issues.find((i) => i.code === 'CONFIG.REFERENCE_MISSING')
    expect(issue).toMatchObject({ path: 'virtual_hosts[0].routes[0].route.cluster', resource: { type: 'RouteConfiguration', name: 'main' } })
    expect(issue?.message).toContain("'missing'")

    const versions = await api<{ versions: Version[] }>('GET', '/api/v1/fleets/edge/versions')
    expect(versions.body.versions).toEqual([])
    const draft = await api<{ resources: unknown[] }>('GET', '/api/v1/fleets/edge/draft')
    expect(draft.body.resources).toHaveLength(2)

    const noMessage = await api<ErrorBody>('POST', '/api/v1/fleets/edge/commit', { body: {} })
    expect(noMessage.status).toBe(422)
    expect(noMessage.body.error.issues[0]?.path).toBe('message')
  })

  it('commits version 1, then reports no changes', async () => {
    await api('PUT', '/api/v1/fleets/edge/draft/routes/main', { body: route('backend') })
    const diff = await api<{ counts: { added: number }; issues: unknown[] }>('GET', '/api/v1/fleets/edge/draft/diff')
    expect(diff.body.counts.added).toBe(2)
    expect(diff.body.issues).toEqual([])

    // The author is who signed in; a client-chosen actor header is not trusted.
    const alice = await signInAs(t.server.baseUrl, 'alice')
    const v1 = await apiClient(t.server.baseUrl, null)<Version>('POST', '/api/v1/fleets/edge/commit', { body: { message: 'first' }, headers: { ...alice, 'x-legation-actor': 'mallory' } })
    expect(v1.status).toBe(201)
    expect(v1.body).toMatchObject({ number: 1, origin: 'COMMIT', author: 'alice', active: true, changes: { added: 2, removed: 0, modified: 0 } })

    const again = await api<ErrorBody>('POST', '/api/v1/fleets/edge/commit', { body: { message: 'again' } })
    expect(again.status).toBe(409)
    expect(again.body.error.code).toBe('COMMIT.NO_CHANGES')
  })

  it('shows the draft diff per resource, refuses a commit of a draft that moved since review, and diffs versions', async () => {
    const draft = await api('GET', '/api/v1/fleets/edge/draft')
    const reviewed = draft.headers.get('etag')!
    await api('PUT', '/api/v1/fleets/edge/draft/clusters/backend', { raw: CLUSTER_YAML.replace('0.5s', '3s'), headers: { 'content-type': 'application/yaml' } })

    const diff = await api<{ changes: Array<{ type: string; name: string; change: string; patch: string }> }>('GET', '/api/v1/fleets/edge/draft/diff')
    expect(diff.body.changes).toHaveLength(1)
    expect(diff.body.changes[0]).toMatchObject({ type: 'Cluster', name: 'backend', change: 'modified' })
    expect(diff.body.changes[0]?.patch).toContain('-connect_timeout: 2s')
    expect(diff.body.changes[0]?.patch).toContain('+connect_timeout: 3s')

    const stale = await api<ErrorBody>('POST', '/api/v1/fleets/edge/commit', { body: { message: 'stale review' }, headers: { 'if-match': reviewed } })
    expect(stale.status).toBe(409)

    const v2 = await api<Version>('POST', '/api/v1/fleets/edge/commit', { body: { message: 'slower' } })
    expect(v2.body.number).toBe(2)
    const between = await api<{ changes: Array<{ name: string; change: string }> }>('GET', '/api/v1/fleets/edge/versions/1/diff/2')
    expect(between.body.changes).toEqual([expect.objectContaining({ name: 'backend', change: 'modified' })])

    const missing = await api<ErrorBody>('GET', '/api/v1/fleets/edge/versions/99')
    expect(missing.status).toBe(404)
    const notNumber = await api<ErrorBody>('GET', '/api/v1/fleets/edge/versions/latest')
    expect(notNumber.status).toBe(404)
  })

  it('rolls back by creating a new version with the old content and resets the draft', async () => {
    await api('PUT', '/api/v1/fleets/edge/draft/clusters/backend', { raw: CLUSTER_YAML.replace('0.5s', '7s'), headers: { 'content-type': 'application/yaml' } })
    const v1 = await api<Version & { resources: unknown[] }>('GET', '/api/v1/fleets/edge/versions/1')
    // The draft has an uncommitted change (7s): the rollback must be told it may discard it.
    const pending = await api<ErrorBody>('POST', '/api/v1/fleets/edge/versions/1/rollback', { body: {} })
    expect(pending.status).toBe(409)
    expect(pending.body.error.code).toBe('DRAFT.PENDING_CHANGES')
    expect(pending.body.error.message).toContain("Cluster 'backend' modified")
    const rb = await api<Version>('POST', '/api/v1/fleets/edge/versions/1/rollback', { body: { discardDraft: true } })
    expect(rb.status).toBe(201)
    expect(rb.body).toMatchObject({ number: 3, origin: 'ROLLBACK', rollbackOf: 1, active: true, contentHash: v1.body.contentHash })
    expect(rb.body.message).toBe('Roll back to version 1')

    const diff = await api<{ changes: unknown[]; activeVersion: number }>('GET', '/api/v1/fleets/edge/draft/diff')
    expect(diff.body.activeVersion).toBe(3)
    expect(diff.body.changes).toEqual([])
    const cluster = await api<{ resource: Record<string, unknown> }>('GET', '/api/v1/fleets/edge/draft/clusters/backend')
    expect(cluster.body.resource['connect_timeout']).toBe('2s')

    const draftEtag = (await api('GET', '/api/v1/fleets/edge/draft')).headers.get('etag')!
    await api('PUT', '/api/v1/fleets/edge/draft/clusters/backend', { raw: CLUSTER_YAML.replace('0.5s', '8s'), headers: { 'content-type': 'application/yaml' } })
    const wouldDiscard = await api<ErrorBody>('POST', '/api/v1/fleets/edge/versions/2/rollback', { body: {}, headers: { 'if-match': draftEtag } })
    expect(wouldDiscard.status).toBe(409)
    expect(wouldDiscard.body.error.code).toBe('DRAFT.CONFLICT')
    expect((await api<{ resource: Record<string, unknown> }>('GET', '/api/v1/fleets/edge/draft/clusters/backend')).body.resource['connect_timeout']).toBe('8s')
    await api('DELETE', '/api/v1/fleets/edge/draft')

    const same = await api<ErrorBody>('POST', '/api/v1/fleets/edge/versions/1/rollback', { body: {} })
    expect(same.status).toBe(409)
    expect(same.body.error.code).toBe('VERSION.ALREADY_ACTIVE')

    const list = await api<{ versions: Version[] }>('GET', '/api/v1/fleets/edge/versions')
    expect(list.body.versions.map((v) => v.number)).toEqual([3, 2, 1])
    expect(list.body.versions.filter((v) => v.active).map((v) => v.number)).toEqual([3])
  })

  it('refuses to delete a resource that is still referenced, naming the referrer', async () => {
    const refused = await api<ErrorBody>('DELETE', '/api/v1/fleets/edge/draft/clusters/backend')
    expect(refused.status).toBe(409)
    expect(refused.body.error.code).toBe('RESOURCE.REFERENCED')
    expect(refused.body.error.message).toContain("RouteConfiguration 'main'")
    const still = await api('GET', '/api/v1/fleets/edge/draft/clusters/backend')
    expect(still.status).toBe(200)

    const forced = await api('DELETE', '/api/v1/fleets/edge/draft/clusters/backend?force=true')
    expect(forced.status).toBe(204)
    const discarded = await api<{ resources: Array<{ name: string }> }>('DELETE', '/api/v1/fleets/edge/draft')
    expect(discarded.body.resources.map((r) => r.name).sort()).toEqual(['backend', 'main'])
  })
})

describe('history and events', () => {
  it('keeps versions immutable in the database itself', async () => {
    const client = new pg.Client({ connectionString: t.db.url })
    await client.connect()
    try {
      await expect(client.query(`UPDATE version SET message = 'rewritten'`)).rejects.toThrow(/immutable/)
    } finally {
      await client.end()
    }
  })

  it('records every change in the audit log', async () => {
    const res = await api<{ entries: Array<{ action: string; actor: string }> }>('GET', '/api/v1/audit?fleet=edge')
    const actions = res.body.entries.map((e) => e.action)
    expect(actions).toEqual(expect.arrayContaining(['fleet.create', 'draft.create', 'draft.update', 'version.commit', 'version.rollback', 'draft.delete']))
    expect(res.body.entries.filter((e) => e.action === 'version.commit').at(-1)?.actor).toBe('alice')
  })

  it('streams version events over SSE', async () => {
    const controller = new AbortController()
    const res = await fetch(`${t.server.baseUrl}/api/v1/events?fleet=edge`, { signal: controller.signal, headers: adminHeaders() })
    expect(res.headers.get('content-type')).toContain('text/event-stream')
    const reader = res.body!.getReader()
    const decoder = new TextDecoder()
    let received = ''
    const sawEvent = (async () => {
      while (!received.includes('event: version.created')) {
        const { value, done } = await reader.read()
        if (done) break
        received += decoder.decode(value)
      }
    })()
    await api('PUT', '/api/v1/fleets/edge/draft/clusters/backend', { raw: CLUSTER_YAML.replace('0.5s', '4s'), headers: { 'content-type': 'application/yaml' } })
    await api('POST', '/api/v1/fleets/edge/commit', { body: { message: 'streamed' } })
    await sawEvent
    controller.abort()
    expect(received).toContain('event: draft.changed')
    const line = received.split('\n').find((l) => l.startsWith('data: ') && l.includes('version.created'))
    expect(JSON.parse(line!.slice(6))).toMatchObject({ kind: 'version.created', fleet: 'edge', version: 4, origin: 'COMMIT' })
  })
})
