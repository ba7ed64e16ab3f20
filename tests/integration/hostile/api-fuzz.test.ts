import fc from 'fast-check'
import pg from 'pg'
import YAML from 'yaml'
import type { z } from 'zod'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AuditQuery, CommitInput, FleetCreateInput, FleetUpdateInput, ListQuery, ProxyListQuery, RollbackInput, TokenCreateInput, type ResourceJson, type ResourceType, RESOURCE_TYPE_INFO } from '@/server/contract'
import { DEMO_RESOURCES } from '@/server/config/demo'
import { rawRequest, type RawResponse } from '../../support/raw-http'
import { setupTestServer } from '../../support/test-server'

/**
 * #16 "Tests": a property-based fuzz of the HTTP API. Requests are generated from the contract's
 * zod schemas (server/contract) and from mutations of valid resources of every type, sent as JSON,
 * YAML or junk, to every write route and the paged/filtered reads, on existing and hostile fleet
 * and resource names. Each answer must hold:
 *   - never a 5xx (nor a redirect, nor a hang);
 *   - every error in the API's shape {error: {code, message, issues: [{path, message}]}};
 *   - a 4xx changes nothing stored: fleets (draft revision, description, selector, active
 *     version), draft resources (content hash, revision), versions, audit, tokens, users.
 * Seeded, so a failure replays: LEGATION_FUZZ_SEED / LEGATION_FUZZ_RUNS override the defaults.
 */
const SEED = Number(process.env['LEGATION_FUZZ_SEED'] ?? 16_013)
const RUNS = Number(process.env['LEGATION_FUZZ_RUNS'] ?? 2500)
const FLEET = 'fz'
const OTHER = 'fz-two'

const t = setupTestServer('hostile_fuzz')

// ---- what is stored ----------------------------------------------------------------------

let sql: pg.Client
/** One text that changes when anything a request could write changes (token last-use times excepted: every request moves them). */
const STATE_SQL = `SELECT md5(concat_ws('#',
  (SELECT string_agg(concat_ws(':', name, description, coalesce(selector::text, '-'), draft_revision, coalesce(active_version_id::text, '-'), updated_at), '|' ORDER BY name) FROM fleet),
  (SELECT string_agg(concat_ws(':', fleet_id, type, name, hash, revision), '|' ORDER BY fleet_id, type, name) FROM draft_resource),
  (SELECT count(*) FROM version), (SELECT count(*) FROM resource_blob), (SELECT count(*) FROM audit_event),
  (SELECT count(*) FROM api_token), (SELECT count(*) FILTER (WHERE revoked_at IS NOT NULL) FROM api_token), (SELECT count(*) FROM app_user)
)) AS state`
async function storedState(): Promise<string> {
  return (await sql.query<{ state: string }>(STATE_SQL)).rows[0]!.state
}

// ---- generators from the contract's schemas ----------------------------------------------

type ZodDef = { type: string; checks?: Array<{ _zod: { def: Record<string, unknown> } }>; shape?: Record<string, ZodLike>; innerType?: ZodLike; element?: ZodLike; in?: ZodLike; valueType?: ZodLike; keyType?: ZodLike; options?: ZodLike[]; entries?: Record<string, string>; values?: unknown[] }
type ZodLike = { _zod: { def: ZodDef } }

const HOSTILE_STRINGS = ['', ' ', 'a\u0000b', '\ud800', 'x'.repeat(5000), '../..', '%00', '%zz', '*', '*a*a*a*a*a*a*a*a*a*a*a*b', '<script>alert(1)</script>', "'; DROP TABLE fleet; --", 'ünïcødé ✓ 🚀', '\n\t\r', 'null', '1e400', '-1s', '99999999999999999999999999s', 'NaN']
const HOSTILE_NUMBERS = [-1, 0, -0, 0.5, 2 ** 31, 2 ** 31 - 1, 2 ** 32, 2 ** 53 + 2, 1e308, -1e308, 5e-324]
const hostileLeaf: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.constantFrom(...HOSTILE_NUMBERS),
  fc.constantFrom(true, false, null, [], {}, [[[]]], { '@type': 'type.googleapis.com/no.such.Message' }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.jsonValue({ maxDepth: 2 }),
)

function checkOf(def: ZodDef, name: string): Record<string, unknown> | undefined {
  return def.checks?.map((c) => c._zod.def).find((c) => c['check'] === name)
}

/** Values the schema would mostly accept: regexes matched, bounds kept, optional keys sometimes left out. */
function arbitraryFor(schema: ZodLike): fc.Arbitrary<unknown> {
  const def = schema._zod.def
  switch (def.type) {
    case 'string': {
      const format = checkOf(def, 'string_format')
      if (format?.['pattern'] instanceof RegExp) return fc.stringMatching(format['pattern'] as RegExp)
      const min = Number(checkOf(def, 'min_length')?.['minimum'] ?? 0)
      const max = Number(checkOf(def, 'max_length')?.['maximum'] ?? 40)
      return fc.string({ minLength: min, maxLength: Math.max(min, Math.min(max, 40)) })
    }
    case 'number': {
      const lo = checkOf(def, 'greater_than')?.['value']
      const hi = checkOf(def, 'less_than')?.['value']
      return fc.integer({ min: typeof lo === 'number' ? lo : -1000, max: typeof hi === 'number' ? hi : 1000 })
    }
    case 'boolean': return fc.boolean()
    case 'enum': return fc.constantFrom(...Object.values(def.entries ?? {}))
    case 'literal': return fc.constantFrom(...(def.values ?? [null]))
    case 'object': {
      const keys = Object.entries(def.shape ?? {})
      const required = keys.filter(([, v]) => !['optional', 'default'].includes(v._zod.def.type)).map(([k]) => k)
      return fc.record(Object.fromEntries(keys.map(([k, v]) => [k, arbitraryFor(v)])), { requiredKeys: required })
    }
    case 'array': {
      const max = Number(checkOf(def, 'max_length')?.['maximum'] ?? 3)
      return fc.array(arbitraryFor(def.element!), { minLength: Number(checkOf(def, 'min_length')?.['minimum'] ?? 0), maxLength: Math.min(max, 3) })
    }
    case 'record': return fc.dictionary(arbitraryFor(def.keyType!) as fc.Arbitrary<string>, arbitraryFor(def.valueType!), { maxKeys: 3 })
    case 'nullable': return fc.option(arbitraryFor(def.innerType!), { nil: null, freq: 3 })
    case 'optional':
    case 'default':
    case 'readonly':
    case 'prefault':
    case 'catch':
      return arbitraryFor(def.innerType!)
    case 'pipe': return arbitraryFor(def.in!)
    case 'union': return fc.oneof(...(def.options ?? []).map(arbitraryFor))
    default: return fc.jsonValue({ maxDepth: 2 })
  }
}

// ---- mutations ---------------------------------------------------------------------------

type Path = ReadonlyArray<string | number>
function pathsOf(value: unknown, at: Path = [], out: Path[] = []): Path[] {
  out.push(at)
  if (Array.isArray(value)) value.forEach((v, i) => pathsOf(v, [...at, i], out))
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) pathsOf(v, [...at, k], out)
  return out
}
function setAt(value: unknown, path: Path, replace: (old: unknown) => unknown): unknown {
  if (path.length === 0) return replace(value)
  const [head, ...rest] = path
  if (Array.isArray(value)) return value.map((v, i) => (i === head ? setAt(v, rest, replace) : v)).filter((v) => v !== DELETE)
  const obj = value as Record<string, unknown>
  const next = setAt(obj[head as string], rest, replace)
  const { [head as string]: _old, ...others } = obj
  return next === DELETE ? others : { ...obj, [head as string]: next }
}
const DELETE = Symbol('delete')
const nested = (levels: number): unknown => (levels === 0 ? 'leaf' : { a: nested(levels - 1) })

type Mutation = { kind: 'none' } | { kind: 'leaf'; at: number; value: unknown } | { kind: 'delete'; at: number } | { kind: 'extra'; at: number; key: string; value: unknown } | { kind: 'whole'; value: unknown } | { kind: 'deep'; at: number; levels: number }
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('leaf' as const), at: fc.nat(), value: hostileLeaf }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('extra' as const), at: fc.nat(), key: fc.constantFrom('unknown_field', '@type', 'name', '__proto__', 'constructor', 'k\u0000'), value: hostileLeaf }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('whole' as const), value: hostileLeaf }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deep' as const), at: fc.nat(), levels: fc.constantFrom(20, 33, 40, 63, 70) }) },
)
function applyMutation(value: unknown, m: Mutation): unknown {
  const paths = pathsOf(value)
  const pick = (at: number) => paths[at % paths.length]!
  switch (m.kind) {
    case 'none': return value
    case 'leaf': return setAt(value, pick(m.at), () => m.value)
    case 'delete': {
      const path = pick(m.at)
      return path.length === 0 ? {} : setAt(value, path, () => DELETE)
    }
    case 'extra': return setAt(value, pick(m.at), (old) => (typeof old === 'object' && old !== null && !Array.isArray(old) ? { ...old, [m.key]: m.value } : old))
    case 'whole': return m.value
    case 'deep': return setAt(value, pick(m.at), () => nested(m.levels))
  }
}
const mutated = <T>(arb: fc.Arbitrary<T>) => fc.tuple(arb, mutation, fc.option(mutation, { nil: undefined, freq: 2 })).map(([v, m1, m2]) => (m2 ? applyMutation(applyMutation(v, m1), m2) : applyMutation(v, m1)))

// ---- valid resources of every type -------------------------------------------------------

const TEMPLATES: Record<ResourceType, ResourceJson[]> = {
  Listener: [DEMO_RESOURCES.find((r) => r.type === 'Listener')!.resource],
  RouteConfiguration: [DEMO_RESOURCES.find((r) => r.type === 'RouteConfiguration')!.resource],
  Cluster: [
    DEMO_RESOURCES.find((r) => r.type === 'Cluster')!.resource,
    { name: 'svc', type: 'EDS', connect_timeout: '1s', eds_cluster_config: { eds_config: { ads: {} } }, metadata: { filter_metadata: { team: { owner: 'edge', tier: 1 } } } },
  ],
  ClusterLoadAssignment: [{ cluster_name: 'svc', endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: '10.0.0.1', port_value: 8080 } } } }] }] }],
  Secret: [{ name: 'token', generic_secret: { secret: { inline_string: 'not-really-secret' } } }],
}
const NAMES = ['listener_0', 'local_route', 'service', 'svc', 'token', 'c', 'new-one']
const resourceType = fc.constantFrom(...(Object.keys(TEMPLATES) as ResourceType[]))
const plural = fc.oneof({ weight: 9, arbitrary: resourceType.map((type) => RESOURCE_TYPE_INFO[type].plural) }, { weight: 1, arbitrary: fc.constantFrom('widgets', 'Clusters', '') })
/** Percent-encodes the UTF-8 bytes (a lone surrogate becomes U+FFFD; encodeURIComponent would throw). */
const encode = (s: string) => [...Buffer.from(s, 'utf8')].map((b) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('')
/** A path segment: mostly a real name, sometimes hostile: encoded (so it can be sent), or raw as a hostile client sends it. */
const segment = (real: readonly string[]) =>
  fc.oneof(
    { weight: 16, arbitrary: fc.constantFrom(...real).map(encode) },
    { weight: 3, arbitrary: fc.oneof(fc.constantFrom(...HOSTILE_STRINGS.filter((s) => s !== '')), fc.string({ unit: 'binary', minLength: 1, maxLength: 20 })).map(encode) },
    { weight: 1, arbitrary: fc.constantFrom('%zz', '..', '.', '%2e%2E', '%00', 'a%C3%28', '%', 'a;b', 'a?b=1') },
  )
const fleetSegment = segment([FLEET, FLEET, OTHER, 'missing'])
const version = fc.oneof(fc.integer({ min: 1, max: 6 }).map(String), fc.constantFrom('0', '-1', '2147483648', '99999999999999999999', '1.5', '1e3', 'abc', '0x10'))
const ifMatch = fc.option(fc.oneof(fc.integer({ min: 0, max: 40 }).map((n) => `"${n}"`), fc.constantFrom('*', 'W/"1"', 'garbage', '"99999999999"')), { nil: undefined, freq: 2 })
const query = (schema: ZodLike) =>
  fc.oneof(
    { weight: 3, arbitrary: arbitraryFor(schema) },
    { weight: 2, arbitrary: fc.dictionary(fc.constantFrom('limit', 'before', 'fleet', 'state', 'actor', 'action', 'since', 'until', 'x'), hostileLeaf, { maxKeys: 3 }) },
  ).map((q) => new URLSearchParams(Object.entries(q as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v) ?? ''])).toString())
const zod = (s: z.ZodType) => s as unknown as ZodLike

/** A body: JSON mostly, YAML sometimes, junk rarely. */
const body = (value: fc.Arbitrary<unknown>) =>
  fc.tuple(value, fc.constantFrom('json', 'json', 'json', 'json', 'yaml', 'junk')).map(([v, as]) => {
    if (as === 'yaml') return { text: YAML.stringify(v === undefined ? null : v), type: 'application/yaml' }
    if (as === 'junk') return { text: `{"a": ${JSON.stringify(v)}`, type: 'application/json' }
    return { text: JSON.stringify(v) ?? 'null', type: 'application/json' }
  })

type Case = Readonly<{ method: string; path: string; body?: { text: string; type: string }; headers?: Record<string, string> }>
const resourceBody = resourceType.chain((type) => fc.constantFrom(...TEMPLATES[type]).map((r) => ({ type, r })))

const cases: fc.Arbitrary<Case> = fc.oneof(
  // Draft resources: a valid resource of the type, mutated, PUT under a name (often its own).
  { weight: 8, arbitrary: fc.tuple(fleetSegment, resourceBody, fc.option(segment(NAMES), { nil: undefined }), ifMatch).chain(([fleet, { type, r }, name, match]) =>
      body(mutated(fc.constant(r))).map((b): Case => ({ method: 'PUT', path: `/api/v1/fleets/${fleet}/draft/${RESOURCE_TYPE_INFO[type].plural}/${name ?? encode(String(r['name'] ?? r['cluster_name']))}`, body: b, ...(match ? { headers: { 'if-match': match } } : {}) }))) },
  { weight: 3, arbitrary: fc.tuple(fleetSegment, plural, resourceBody).chain(([fleet, kind, { r }]) => body(mutated(fc.constant(r))).map((b): Case => ({ method: 'POST', path: `/api/v1/fleets/${fleet}/draft/${kind}`, body: b }))) },
  { weight: 2, arbitrary: fc.tuple(fleetSegment, plural, segment(NAMES), ifMatch).map(([fleet, kind, name, match]): Case => ({ method: 'DELETE', path: `/api/v1/fleets/${fleet}/draft/${kind}/${name}`, ...(match ? { headers: { 'if-match': match } } : {}) })) },
  { weight: 1, arbitrary: fc.tuple(fleetSegment, plural, segment(NAMES)).map(([fleet, kind, name]): Case => ({ method: 'GET', path: `/api/v1/fleets/${fleet}/draft/${kind}/${name}` })) },
  // Fleets, commits, rollbacks: bodies from the contract, valid or mutated.
  { weight: 2, arbitrary: body(mutated(arbitraryFor(zod(FleetCreateInput)))).map((b): Case => ({ method: 'POST', path: '/api/v1/fleets', body: b })) },
  { weight: 2, arbitrary: fc.tuple(fleetSegment, body(mutated(arbitraryFor(zod(FleetUpdateInput))))).map(([fleet, b]): Case => ({ method: 'PATCH', path: `/api/v1/fleets/${fleet}`, body: b })) },
  { weight: 3, arbitrary: fc.tuple(fleetSegment, body(mutated(arbitraryFor(zod(CommitInput)))), ifMatch).map(([fleet, b, match]): Case => ({ method: 'POST', path: `/api/v1/fleets/${fleet}/commit`, body: b, ...(match ? { headers: { 'if-match': match } } : {}) })) },
  { weight: 2, arbitrary: fc.tuple(fleetSegment, version, body(mutated(arbitraryFor(zod(RollbackInput)))), ifMatch).map(([fleet, n, b, match]): Case => ({ method: 'POST', path: `/api/v1/fleets/${fleet}/versions/${n}/rollback`, body: b, ...(match ? { headers: { 'if-match': match } } : {}) })) },
  { weight: 1, arbitrary: fc.tuple(fleetSegment, ifMatch).map(([fleet, match]): Case => ({ method: 'DELETE', path: `/api/v1/fleets/${fleet}/draft`, ...(match ? { headers: { 'if-match': match } } : {}) })) },
  { weight: 1, arbitrary: body(mutated(arbitraryFor(zod(TokenCreateInput)))).map((b): Case => ({ method: 'POST', path: '/api/v1/tokens', body: b })) },
  // Reads with paths and queries from the contract.
  { weight: 2, arbitrary: fc.tuple(fleetSegment, query(zod(ListQuery))).map(([fleet, q]): Case => ({ method: 'GET', path: `/api/v1/fleets/${fleet}/versions?${q}` })) },
  { weight: 2, arbitrary: fc.tuple(fleetSegment, version, fc.option(version, { nil: undefined })).map(([fleet, a, b]): Case => ({ method: 'GET', path: `/api/v1/fleets/${fleet}/versions/${a}${b === undefined ? '' : `/diff/${b}`}` })) },
  { weight: 1, arbitrary: query(zod(AuditQuery)).map((q): Case => ({ method: 'GET', path: `/api/v1/audit?${q}` })) },
  { weight: 1, arbitrary: query(zod(ProxyListQuery)).map((q): Case => ({ method: 'GET', path: `/api/v1/proxies?${q}` })) },
  { weight: 1, arbitrary: fleetSegment.map((fleet): Case => ({ method: 'GET', path: `/api/v1/fleets/${fleet}/draft/diff` })) },
  // Any method on any route shape, and paths that are no route at all.
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'), fleetSegment, fc.constantFrom('', '/draft', '/draft/diff', '/draft/check', '/commit', '/versions', '/versions/1', '/versions/1/diff/2', '/bootstrap', '/nope', '/draft/clusters/c/extra')).map(([method, fleet, rest]): Case => ({ method, path: `/api/v1/fleets/${fleet}${rest}`, body: { text: '{}', type: 'application/json' } })) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('GET', 'POST', 'DELETE'), fc.constantFrom('/api/v1/nope', '/api/v1', '/api/v2/fleets', '/api/v1/proxies/x/y/z', '/api/v1/tokens/not-a-uuid', '/api/v1/users/00000000-0000-0000-0000-000000000000', '/api/v1/audit/x')).map(([method, path]): Case => ({ method, path })) },
)

// ---- the property ------------------------------------------------------------------------

function expectApiShape(res: RawResponse, what: string): void {
  const error = (res.json as { error?: Record<string, unknown> } | undefined)?.error
  expect(error, what).toBeTypeOf('object')
  expect(typeof error!['code'], what).toBe('string')
  expect(typeof error!['message'], what).toBe('string')
  expect(Array.isArray(error!['issues']), what).toBe(true)
  for (const issue of error!['issues'] as Array<Record<string, unknown>>) {
    expect(typeof issue['path'], what).toBe('string')
    expect(typeof issue['message'], what).toBe('string')
  }
}

const tally = new Map<string, number>()

beforeAll(async () => {
  sql = new pg.Client({ connectionString: t.db.url })
  await sql.connect()
  const { api } = t
  for (const name of [FLEET, OTHER]) {
    expect((await api('POST', '/api/v1/fleets', { body: { name } })).status).toBe(201)
    for (const r of [...DEMO_RESOURCES, { type: 'Cluster' as const, name: 'svc', resource: TEMPLATES.Cluster[1]! }, { type: 'ClusterLoadAssignment' as const, name: 'svc', resource: TEMPLATES.ClusterLoadAssignment[0]! }, { type: 'Secret' as const, name: 'token', resource: TEMPLATES.Secret[0]! }]) {
      const res = await api('PUT', `/api/v1/fleets/${name}/draft/${RESOURCE_TYPE_INFO[r.type].plural}/${r.name}`, { body: r.resource })
      expect(res.status, res.text).toBe(201)
    }
    // The seed's extra cluster is used by no route: a warning of the config analysis, confirmed here.
    expect((await api('POST', `/api/v1/fleets/${name}/commit`, { body: { message: 'seed', acceptWarnings: true } })).status).toBe(201)
  }
})
afterAll(async () => {
  await sql?.end()
})

describe('API fuzz', () => {
  it(`${RUNS} generated requests (seed ${SEED}): no 5xx, errors in the API shape, nothing stored changes on a 4xx`, async () => {
    let state = await storedState()
    const started = Date.now()
    await fc.assert(
      fc.asyncProperty(cases, async (c) => {
        const what = `${c.method} ${c.path} ${c.body ? `${c.body.type} ${c.body.text.slice(0, 400)}` : ''}`
        const res = await rawRequest(t.server.baseUrl, c.method, c.path, { ...(c.body ? { body: c.body.text, headers: { 'content-type': c.body.type, ...c.headers } } : { headers: { ...c.headers } }), timeoutMs: 15_000 })
        const bucket = `${c.method} ${c.path.split('?')[0]!.replace(/\/api\/v1\/fleets\/[^/]+/, '/fleets/:f').replace(/(draft\/)[^/]+\/[^/]+$/, '$1:t/:n')} ${res.status}`
        tally.set(bucket, (tally.get(bucket) ?? 0) + 1)
        expect(res.status, `${res.status} ${res.text.slice(0, 500)} ← ${what}`).toBeLessThan(500)
        expect(res.status >= 300 && res.status < 400, `redirect ← ${what}`).toBe(false)
        const after = await storedState()
        if (res.status >= 400) {
          expectApiShape(res, `${res.status} ${res.text.slice(0, 500)} ← ${what}`)
          expect(after, `a ${res.status} changed what is stored ← ${what}`).toBe(state)
        }
        state = after
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    )
    const took = Date.now() - started
    const statuses = [...tally].reduce<Record<string, number>>((acc, [k, n]) => ({ ...acc, [k.slice(k.lastIndexOf(' ') + 1)]: (acc[k.slice(k.lastIndexOf(' ') + 1)] ?? 0) + n }), {})
    console.log(`api fuzz: ${RUNS} cases in ${took} ms, by status ${JSON.stringify(statuses)}`)
    // The generators reach past validation: some writes succeed, some are refused, on several routes.
    expect(statuses['200'] ?? 0).toBeGreaterThan(0)
    expect(statuses['201'] ?? 0).toBeGreaterThan(0)
    expect(statuses['422'] ?? 0).toBeGreaterThan(0)
    expect(statuses['400'] ?? 0).toBeGreaterThan(0)
  }, 180_000)
})
