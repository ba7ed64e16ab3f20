import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signInAs, TEST_ADMIN_TOKEN, TEST_PASSWORD, type Grant } from '../../support/credentials'
import { apiClient } from '../../support/http'
import { PROJECT_ROOT } from '../../support/server'
import { setupTestServer } from '../../support/test-server'
import { waitFor } from '../../support/wait-for'
import { CLUSTER_TYPE_URL } from '../../support/xds-fleet'
import { isOpenRollout } from '../../../server/contract'
import { openSotwStream, type ProtocolStream, type ReceivedSotwResponse, type SotwRequestInput } from '../../support/xds-protocol-client'

/*
 * Every route of /api/v1, enumerated from app/api/v1/**\/route.ts (so a new route or method cannot
 * slip through), against the real server: 401 without credentials, 403 with a role one step too
 * small, the documented answer with the smallest role that is enough. Run twice per route: with API
 * tokens (global roles) and with console sessions (roles on the fleets `edge*` where the route is
 * about a fleet), and, for every non-public route, with a proxy token (403: proxy tokens only fetch
 * xDS config). Then the REST discovery gateway's Secrets and the event feed.
 */

const API_DIR = path.join(PROJECT_ROOT, 'app', 'api', 'v1')
const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const
type HttpMethod = (typeof HTTP_METHODS)[number]
/** How a method is exported: `withApi(…)`, `withPublicApi(…)`, or a hand-written function. */
type Wrapper = 'withApi' | 'withPublicApi' | 'function'
type RouteMethod = Readonly<{ key: string; route: string; method: HttpMethod; wrapper: Wrapper | string; file: string }>

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? routeFiles(path.join(dir, e.name)) : e.name === 'route.ts' ? [path.join(dir, e.name)] : []))
}

/** Reads the exported HTTP methods of every route file from its source. */
function enumerateRoutes(): RouteMethod[] {
  const out: RouteMethod[] = []
  for (const file of routeFiles(API_DIR).sort()) {
    const source = readFileSync(file, 'utf8')
    // The URL path: folders under app/, without route groups `(name)`.
    const route = '/' + path.relative(path.join(PROJECT_ROOT, 'app'), path.dirname(file)).split(path.sep).filter((s) => !/^\(.*\)$/.test(s)).join('/')
    const found = new Map<string, string>()
    for (const m of source.matchAll(/export\s+const\s+([A-Z]+)\s*=\s*([A-Za-z_$][\w$]*)/g)) found.set(m[1]!, m[2]!)
    for (const m of source.matchAll(/export\s+(?:async\s+)?function\s+([A-Z]+)\s*\(/g)) found.set(m[1]!, 'function')
    // Any other way of exporting a method name (`export { handler as POST }`, …) is flagged.
    for (const m of source.matchAll(/export\s*\{([^}]*)\}/g)) {
      for (const part of m[1]!.split(',')) {
        const name = part.trim().split(/\s+as\s+/).pop()?.trim()
        if (name && (HTTP_METHODS as readonly string[]).includes(name)) found.set(name, 'unrecognized export form')
      }
    }
    for (const [method, wrapper] of found) {
      if (!(HTTP_METHODS as readonly string[]).includes(method)) continue
      out.push({ key: `${method} ${route}`, route, method: method as HttpMethod, wrapper, file: path.relative(PROJECT_ROOT, file) })
    }
  }
  return out
}

const ROUTES = enumerateRoutes()

/** The routes a caller reaches before signing in: exactly these are `withPublicApi`. */
/** (and the API's OpenAPI description, which holds no data). */
const PUBLIC_ROUTES = ['GET /api/v1/auth/me', 'GET /api/v1/auth/oidc/callback', 'GET /api/v1/auth/oidc/start', 'POST /api/v1/auth/setup', 'POST /api/v1/auth/sign-in', 'POST /api/v1/auth/sign-out', 'GET /api/v1/openapi.json']
/** Hand-written handlers that authenticate themselves (the SSE feed streams, so it is not wrapped). */
const CUSTOM_HANDLERS = ['GET /api/v1/events']

// ---------------------------------------------------------------------------------------------
// The table: the smallest role per (method, route), what the route is scoped by, and a request that
// the smallest role gets the documented answer to.

const FLEET = 'edge'
const PROXY_NODE = 'edge-proxy-1'

type Scope =
  /** about one fleet (path or body): too small is a role on another fleet, or one step lower on this one */
  | 'fleet'
  /** about a proxy of fleet `edge`: a caller who may not read that fleet is told it does not exist (404) */
  | 'proxy'
  /** a list across fleets: every caller with any role may read it, filtered to its fleets (checked below) */
  | 'list'
  /** users and tokens: need the role on every fleet (`*`) */
  | 'global'
type Req = Readonly<{ path: string; body?: unknown; headers?: Record<string, string> }>
type Spec = Readonly<{
  min: 'public' | 'viewer' | 'editor' | 'admin'
  scope: Scope
  /** The answer for the smallest sufficient role. */
  ok: number
  /** Makes what the request needs (with the admin token) and returns it; `n` is unique per call. */
  request: (n: number) => Promise<Req>
}>

const admin = () => apiClient(t.server.baseUrl, TEST_ADMIN_TOKEN)

function cluster(name: string): Record<string, unknown> {
  return {
    name,
    connect_timeout: '1s',
    type: 'STATIC',
    load_assignment: { cluster_name: name, endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: '127.0.0.1', port_value: 8080 } } } }] }] },
  }
}

async function adminOk(method: string, p: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await admin()(method, p, body === undefined ? {} : { body })
  if (res.status >= 300) throw new Error(`${method} ${p} as admin: ${res.status} ${res.text}`)
  return res.body
}

const putCluster = (fleet: string, name: string) => adminOk('PUT', `/api/v1/fleets/${fleet}/draft/clusters/${name}`, cluster(name))
const commit = (fleet: string, message: string) => adminOk('POST', `/api/v1/fleets/${fleet}/commit`, { message })

// Staged rollouts hold their fleet while open, so their rows use a fleet of their own (`edge*`, like `edge`).
const ROLLOUT_FLEET = 'edge-rollouts'
let rolloutFleetReady: Promise<void> | null = null
const rolloutFleet = () =>
  (rolloutFleetReady ??= (async () => {
    await adminOk('POST', '/api/v1/fleets', { name: ROLLOUT_FLEET })
    await putCluster(ROLLOUT_FLEET, 'first')
    await commit(ROLLOUT_FLEET, 'first')
  })())
const ROLLOUT_STAGE = [{ nodeIdGlob: 'canary-*', soakSeconds: 3600, approval: true }]
/** A draft change ready to be rolled out, with no rollout open. */
async function rolloutReady(n: number): Promise<void> {
  await rolloutFleet()
  const open = ((await adminOk('GET', `/api/v1/fleets/${ROLLOUT_FLEET}/rollouts`))['rollouts'] as Array<{ id: string; state: string }>).filter((r) => isOpenRollout(r.state))
  for (const r of open) await adminOk('POST', `/api/v1/fleets/${ROLLOUT_FLEET}/rollouts/${r.id}/abort`)
  await putCluster(ROLLOUT_FLEET, `staged-${n}`)
}
/** An open rollout's id (one is started when none is open). */
async function openRollout(n: number): Promise<string> {
  await rolloutFleet()
  const open = ((await adminOk('GET', `/api/v1/fleets/${ROLLOUT_FLEET}/rollouts`))['rollouts'] as Array<{ id: string; state: string }>).find((r) => isOpenRollout(r.state))
  if (open) return open.id
  await rolloutReady(n)
  return (await adminOk('POST', `/api/v1/fleets/${ROLLOUT_FLEET}/rollouts`, { message: `staged ${n}`, stages: ROLLOUT_STAGE }))['id'] as string
}

const get = (p: string) => async (): Promise<Req> => ({ path: p })

const TABLE: Readonly<Record<string, Spec>> = {
  // Public (before sign-in): none answers 401 for want of credentials.
  'GET /api/v1/auth/me': { min: 'public', scope: 'global', ok: 200, request: get('/api/v1/auth/me') },
  'GET /api/v1/auth/oidc/start': { min: 'public', scope: 'global', ok: 503, request: get('/api/v1/auth/oidc/start') }, // SSO not configured here
  'GET /api/v1/auth/oidc/callback': { min: 'public', scope: 'global', ok: 503, request: get('/api/v1/auth/oidc/callback?code=x&state=y') },
  'POST /api/v1/auth/setup': { min: 'public', scope: 'global', ok: 409, request: async () => ({ path: '/api/v1/auth/setup', body: { token: 'setup_guess', username: 'intruder', password: TEST_PASSWORD } }) }, // users exist: already set up
  'POST /api/v1/auth/sign-in': { min: 'public', scope: 'global', ok: 200, request: async () => ({ path: '/api/v1/auth/sign-in', body: { username: 'u-viewer', password: TEST_PASSWORD } }) },
  'POST /api/v1/auth/sign-out': { min: 'public', scope: 'global', ok: 204, request: get('/api/v1/auth/sign-out') },
  'GET /api/v1/openapi.json': { min: 'public', scope: 'global', ok: 200, request: get('/api/v1/openapi.json') },

  // Reads of one fleet: viewer of that fleet.
  'GET /api/v1/activity': { min: 'viewer', scope: 'fleet', ok: 200, request: get(`/api/v1/activity?fleet=${FLEET}`) },
  'GET /api/v1/audit': { min: 'viewer', scope: 'fleet', ok: 200, request: get(`/api/v1/audit?fleet=${FLEET}`) },
  'GET /api/v1/fleets/[fleet]': { min: 'viewer', scope: 'fleet', ok: 200, request: get(`/api/v1/fleets/${FLEET}`) },
  'GET /api/v1/fleets/[fleet]/bootstrap': { min: 'viewer', scope: 'fleet', ok: 200, request: get(`/api/v1/fleets/${FLEET}/bootstrap`) },
  'GET /api/v1/fleets/[fleet]/draft': { min: 'viewer', scope: 'fleet', ok: 200, request: get(`/api/v1/fleets/${FLEET}/draft`) },
  'GET /api/v1/fleets/[fleet]/export': { min: 'viewer', scope: 'fleet', ok: 200, request: get(`/api/v1/fleets/${FLEET}/export`) },
  'GET /api/v1/fleets/[fleet]/draft/diff': { min: 'viewer', scope: 'fleet', ok: 200, request: get(`/api/v1/fleets/${FLEET}/draft/diff`) },
  'GET /api/v1/fleets/[fleet]/draft/predict': { min: 'viewer', scope: 'fleet', ok: 200, request: get(`/api/v1/fleets/${FLEET}/draft/predict`) },
  'GET /api/v1/fleets/[fleet]/draft/[type]': { min: 'viewer', scope: 'fleet', ok: 200, request: get(`/api/v1/fleets/${FLEET}/draft/clusters`) },
  'GET /api/v1/fleets/[fleet]/draft/[type]/[name]': { min: 'viewer', scope: 'fleet', ok: 200, request: get(`/api/v1/fleets/${FLEET}/draft/clusters/edge-svc`) },
  'GET /api/v1/fleets/[fleet]/draft/[type]/[name]/links': { min: 'viewer', scope: 'fleet', ok: 200, request: get(`/api/v1/fleets/${FLEET}/draft/clusters/edge-svc/links`) },
  'GET /api/v1/fleets/[fleet]/topology': { min: 'viewer', scope: 'fleet', ok: 200, request: get(`/api/v1/fleets/${FLEET}/topology`) },
  'GET /api/v1/fleets/[fleet]/xds-activity': { min: 'viewer', scope: 'fleet', ok: 200, request: get(`/api/v1/fleets/${FLEET}/xds-activity?range=day`) },
  'GET /api/v1/fleets/[fleet]/variables': { min: 'viewer', scope: 'fleet', ok: 200, request: get(`/api/v1/fleets/${FLEET}/variables`) },
  'GET /api/v1/fleets/[fleet]/effective': { min: 'viewer', scope: 'fleet', ok: 200, request: get(`/api/v1/fleets/${FLEET}/effective?version=draft`) },
  'GET /api/v1/fleets/[fleet]/versions': { min: 'viewer', scope: 'fleet', ok: 200, request: get(`/api/v1/fleets/${FLEET}/versions`) },
  'GET /api/v1/fleets/[fleet]/versions/[number]': { min: 'viewer', scope: 'fleet', ok: 200, request: get(`/api/v1/fleets/${FLEET}/versions/1`) },
  'GET /api/v1/fleets/[fleet]/versions/[number]/diff/[other]': { min: 'viewer', scope: 'fleet', ok: 200, request: get(`/api/v1/fleets/${FLEET}/versions/1/diff/2`) },
  'GET /api/v1/fleets/[fleet]/versions/[number]/rollout': { min: 'viewer', scope: 'fleet', ok: 200, request: get(`/api/v1/fleets/${FLEET}/versions/1/rollout`) },
  'GET /api/v1/fleets/[fleet]/versions/[number]/convergence': { min: 'viewer', scope: 'fleet', ok: 200, request: get(`/api/v1/fleets/${FLEET}/versions/1/convergence`) },
  'GET /api/v1/proxies': { min: 'viewer', scope: 'fleet', ok: 200, request: get(`/api/v1/proxies?fleet=${FLEET}`) },
  'GET /api/v1/proxies/[node]': { min: 'viewer', scope: 'proxy', ok: 200, request: get(`/api/v1/proxies/${PROXY_NODE}`) },
  'GET /api/v1/proxies/[node]/events': { min: 'viewer', scope: 'proxy', ok: 200, request: get(`/api/v1/proxies/${PROXY_NODE}/events`) },
  'GET /api/v1/proxies/[node]/drift': { min: 'viewer', scope: 'proxy', ok: 200, request: get(`/api/v1/proxies/${PROXY_NODE}/drift`) },

  // Lists across fleets (filtered per caller; see 'lists show only the fleets a caller may read').
  'GET /api/v1/fleets': { min: 'viewer', scope: 'list', ok: 200, request: get('/api/v1/fleets') },
  'GET /api/v1/proxies/summary': { min: 'viewer', scope: 'list', ok: 200, request: get('/api/v1/proxies/summary') },
  'GET /api/v1/events': { min: 'viewer', scope: 'list', ok: 200, request: get('/api/v1/events') },
  // Search everywhere: filtered to the caller's fleets (tests/integration/api/search.test.ts).
  'GET /api/v1/search': { min: 'viewer', scope: 'list', ok: 200, request: get(`/api/v1/search?q=${FLEET}`) },
  // The Envoy schema for the editor: the same for every fleet, any role on any fleet.
  'GET /api/v1/schema/[message]': { min: 'viewer', scope: 'list', ok: 200, request: get('/api/v1/schema/envoy.config.cluster.v3.Cluster') },

  // Edits of one fleet: editor of that fleet.
  'PUT /api/v1/fleets/[fleet]/draft/[type]/[name]': { min: 'editor', scope: 'fleet', ok: 201, request: async (n) => ({ path: `/api/v1/fleets/${FLEET}/draft/clusters/put-${n}`, body: cluster(`put-${n}`) }) },
  'POST /api/v1/fleets/[fleet]/draft/[type]': { min: 'editor', scope: 'fleet', ok: 201, request: async (n) => ({ path: `/api/v1/fleets/${FLEET}/draft/clusters`, body: cluster(`post-${n}`) }) },
  'DELETE /api/v1/fleets/[fleet]/draft/[type]/[name]': {
    min: 'editor',
    scope: 'fleet',
    ok: 204,
    request: async (n) => (await putCluster(FLEET, `del-${n}`), { path: `/api/v1/fleets/${FLEET}/draft/clusters/del-${n}` }),
  },
  'PUT /api/v1/fleets/[fleet]/variables/[name]': { min: 'editor', scope: 'fleet', ok: 200, request: async (n) => ({ path: `/api/v1/fleets/${FLEET}/variables/VAR_${n}`, body: { value: `v${n}` } }) },
  'DELETE /api/v1/fleets/[fleet]/variables/[name]': {
    min: 'editor',
    scope: 'fleet',
    ok: 200,
    request: async (n) => (await adminOk('PUT', `/api/v1/fleets/${FLEET}/variables/DEL_${n}`, { value: 'x' }), { path: `/api/v1/fleets/${FLEET}/variables/DEL_${n}` }),
  },
  'GET /api/v1/fleets/[fleet]/rollouts': { min: 'viewer', scope: 'fleet', ok: 200, request: async () => (await rolloutFleet(), { path: `/api/v1/fleets/${ROLLOUT_FLEET}/rollouts` }) },
  'GET /api/v1/fleets/[fleet]/rollouts/[id]': { min: 'viewer', scope: 'fleet', ok: 200, request: async (n) => ({ path: `/api/v1/fleets/${ROLLOUT_FLEET}/rollouts/${await openRollout(n)}` }) },
  'POST /api/v1/fleets/[fleet]/rollouts': {
    min: 'editor',
    scope: 'fleet',
    ok: 201,
    request: async (n) => (await rolloutReady(n), { path: `/api/v1/fleets/${ROLLOUT_FLEET}/rollouts`, body: { message: `staged ${n}`, stages: ROLLOUT_STAGE } }),
  },
  'POST /api/v1/fleets/[fleet]/rollouts/[id]/[action]': { min: 'editor', scope: 'fleet', ok: 200, request: async (n) => ({ path: `/api/v1/fleets/${ROLLOUT_FLEET}/rollouts/${await openRollout(n)}/abort` }) },
  // A dry run of the commit checks; editor, as it takes a resource body. Writes nothing.
  'POST /api/v1/fleets/[fleet]/draft/check': { min: 'editor', scope: 'fleet', ok: 200, request: async (n) => ({ path: `/api/v1/fleets/${FLEET}/draft/check`, body: { type: 'Cluster', resource: cluster(`check-${n}`) } }) },
  // The whole draft from a bundle; a dry run here, so the other rows keep the draft they expect.
  'PUT /api/v1/fleets/[fleet]/draft': { min: 'editor', scope: 'fleet', ok: 200, request: async (n) => ({ path: `/api/v1/fleets/${FLEET}/draft?dryRun=true`, body: [{ type: 'Cluster', name: `bulk-${n}`, resource: cluster(`bulk-${n}`) }] }) },
  // An Envoy config imported into the draft; a dry run here too (merge: nothing removed).
  'POST /api/v1/fleets/[fleet]/import': {
    min: 'editor',
    scope: 'fleet',
    ok: 200,
    request: async (n) => ({ path: `/api/v1/fleets/${FLEET}/import`, body: { content: `static_resources:\n  clusters:\n  - name: imported-${n}\n    connect_timeout: 1s\n    type: STATIC\n`, options: { mode: 'merge' }, dryRun: true } }),
  },
  'DELETE /api/v1/fleets/[fleet]/draft': { min: 'editor', scope: 'fleet', ok: 200, request: async (n) => (await putCluster(FLEET, `discard-${n}`), { path: `/api/v1/fleets/${FLEET}/draft` }) },
  'POST /api/v1/fleets/[fleet]/commit': {
    min: 'editor',
    scope: 'fleet',
    ok: 201,
    request: async (n) => (await putCluster(FLEET, `commit-${n}`), { path: `/api/v1/fleets/${FLEET}/commit`, body: { message: `commit ${n}` } }),
  },
  'POST /api/v1/fleets/[fleet]/versions/[number]/rollback': {
    min: 'editor',
    scope: 'fleet',
    ok: 201,
    // Version 1 differs from the active version once something else is committed.
    request: async (n) => (await putCluster(FLEET, `rb-${n}`), await commit(FLEET, `before rollback ${n}`), { path: `/api/v1/fleets/${FLEET}/versions/1/rollback`, body: { message: `rollback ${n}` } }),
  },

  // Fleets themselves: admin of that fleet.
  'POST /api/v1/fleets': { min: 'admin', scope: 'fleet', ok: 201, request: async (n) => ({ path: '/api/v1/fleets', body: { name: `${FLEET}-new-${n}`, description: 'made by the route walk' } }) },
  'PATCH /api/v1/fleets/[fleet]': { min: 'admin', scope: 'fleet', ok: 200, request: async (n) => ({ path: `/api/v1/fleets/${FLEET}`, body: { description: `patched ${n}` } }) },
  'DELETE /api/v1/fleets/[fleet]': {
    min: 'admin',
    scope: 'fleet',
    ok: 204,
    request: async (n) => (await adminOk('POST', '/api/v1/fleets', { name: `${FLEET}-gone-${n}` }), { path: `/api/v1/fleets/${FLEET}-gone-${n}` }),
  },

  // Users and tokens: admin on every fleet.
  'GET /api/v1/users': { min: 'admin', scope: 'global', ok: 200, request: get('/api/v1/users') },
  'POST /api/v1/users': { min: 'admin', scope: 'global', ok: 201, request: async (n) => ({ path: '/api/v1/users', body: { username: `new-user-${n}`, password: TEST_PASSWORD, grants: [{ role: 'viewer', fleets: '*' }] } }) },
  'PATCH /api/v1/users/[id]': {
    min: 'admin',
    scope: 'global',
    ok: 200,
    request: async (n) => {
      const user = await adminOk('POST', '/api/v1/users', { username: `patch-user-${n}`, password: TEST_PASSWORD, grants: [{ role: 'viewer', fleets: '*' }] })
      return { path: `/api/v1/users/${String(user['id'])}`, body: { displayName: `Patched ${n}` } }
    },
  },
  'DELETE /api/v1/users/[id]': {
    min: 'admin',
    scope: 'global',
    ok: 204,
    request: async (n) => {
      const user = await adminOk('POST', '/api/v1/users', { username: `gone-user-${n}`, password: TEST_PASSWORD, grants: [{ role: 'viewer', fleets: '*' }] })
      return { path: `/api/v1/users/${String(user['id'])}` }
    },
  },
  'GET /api/v1/tokens': { min: 'admin', scope: 'global', ok: 200, request: get('/api/v1/tokens') },
  'POST /api/v1/tokens': { min: 'admin', scope: 'global', ok: 201, request: async (n) => ({ path: '/api/v1/tokens', body: { name: `token-${n}`, kind: 'api', grants: [{ role: 'viewer', fleets: '*' }] } }) },
  'DELETE /api/v1/tokens/[id]': {
    min: 'admin',
    scope: 'global',
    ok: 200,
    request: async (n) => {
      const created = (await adminOk('POST', '/api/v1/tokens', { name: `revoke-${n}`, kind: 'api', grants: [{ role: 'viewer', fleets: '*' }] })) as { token: { id: string } }
      return { path: `/api/v1/tokens/${created.token.id}` }
    },
  },
}

// ---------------------------------------------------------------------------------------------
// Principals: API tokens with global roles, console users with roles on `edge*`, and the callers
// that must be refused.

const t = setupTestServer('auth_every_route')

type Headers = Record<string, string>
type Principals = Readonly<{
  token: Readonly<Record<'viewer' | 'editor' | 'admin' | 'otherEditor' | 'edgeAdmin' | 'edgeProxy' | 'otherProxy', string>>
  session: Readonly<Record<'edgeViewer' | 'edgeEditor' | 'edgeAdmin' | 'admin' | 'otherEditor', Headers>>
}>
let principals: Principals
let proxyStream: ProtocolStream<SotwRequestInput, ReceivedSotwResponse> | undefined

const bearer = (token: string): Headers => ({ authorization: `Bearer ${token}` })

async function createToken(name: string, kind: 'api' | 'proxy', grants: readonly Grant[]): Promise<string> {
  const created = (await adminOk('POST', '/api/v1/tokens', { name, kind, grants })) as { secret: string }
  return created.secret
}

const CERT_PEM = '-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQsw\n-----END CERTIFICATE-----\n'
const KEY_BODY = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjRouteWalk0123456789' // never to be served without a proxy token
const KEY_PEM = `-----BEGIN PRIVATE KEY-----\n${KEY_BODY}\n-----END PRIVATE KEY-----\n`

beforeAll(async () => {
  // Fleet `edge` at versions 1 and 2 (with a Secret), fleet `other-x` at version 1.
  await adminOk('POST', '/api/v1/fleets', { name: FLEET })
  await putCluster(FLEET, 'edge-svc')
  await adminOk('PUT', `/api/v1/fleets/${FLEET}/draft/secrets/edge-cert`, { name: 'edge-cert', tls_certificate: { certificate_chain: { inline_string: CERT_PEM }, private_key: { inline_string: KEY_PEM } } })
  await commit(FLEET, 'one')
  await putCluster(FLEET, 'edge-svc2')
  await commit(FLEET, 'two')
  await adminOk('POST', '/api/v1/fleets', { name: 'other-x' })
  await putCluster('other-x', 'other-svc')
  await commit('other-x', 'other one')

  // A proxy of `edge`, so that the proxy routes have a real node id.
  proxyStream = openSotwStream(t.xdsPort)
  proxyStream.send({ node: { id: PROXY_NODE, cluster: FLEET, user_agent_name: 'route-walk' }, type_url: CLUSTER_TYPE_URL })
  await proxyStream.next(10_000)
  await waitFor(async () => (await admin()('GET', `/api/v1/proxies/${PROXY_NODE}`)).status === 200, { what: `${PROXY_NODE} listed` })

  const base = t.server.baseUrl
  principals = {
    token: {
      admin: TEST_ADMIN_TOKEN,
      viewer: await createToken('t-viewer', 'api', [{ role: 'viewer', fleets: '*' }]),
      editor: await createToken('t-editor', 'api', [{ role: 'editor', fleets: '*' }]),
      otherEditor: await createToken('t-other-editor', 'api', [{ role: 'editor', fleets: 'other-*' }]),
      edgeAdmin: await createToken('t-edge-admin', 'api', [{ role: 'admin', fleets: `${FLEET}*` }]),
      edgeProxy: await createToken('p-edge', 'proxy', [{ role: 'viewer', fleets: FLEET }]),
      otherProxy: await createToken('p-other', 'proxy', [{ role: 'viewer', fleets: 'other-*' }]),
    },
    session: {
      edgeViewer: await signInAs(base, 'u-viewer', [{ role: 'viewer', fleets: `${FLEET}*` }]),
      edgeEditor: await signInAs(base, 'u-editor', [{ role: 'editor', fleets: `${FLEET}*` }]),
      edgeAdmin: await signInAs(base, 'u-edge-admin', [{ role: 'admin', fleets: `${FLEET}*` }]),
      admin: await signInAs(base, 'u-admin', [{ role: 'admin', fleets: '*' }]),
      otherEditor: await signInAs(base, 'u-other-editor', [{ role: 'editor', fleets: 'other-*' }]),
    },
  }
})

afterAll(() => {
  proxyStream?.close()
})

type Answer = Readonly<{ status: number; contentType: string; body: unknown; text: string }>

/** One request as a client sends it; an event stream is cut after its headers. */
async function send(method: string, req: Req, headers: Headers): Promise<Answer> {
  const abort = new AbortController()
  const allHeaders: Headers = { ...headers, ...(req.headers ?? {}) }
  let body: string | undefined
  if (req.body !== undefined) {
    body = JSON.stringify(req.body)
    allHeaders['content-type'] = 'application/json'
  }
  const res = await fetch(`${t.server.baseUrl}${req.path}`, { method, headers: allHeaders, redirect: 'manual', signal: abort.signal, ...(body === undefined ? {} : { body }) })
  const contentType = res.headers.get('content-type') ?? ''
  if (contentType.startsWith('text/event-stream')) {
    abort.abort()
    return { status: res.status, contentType, body: null, text: '' }
  }
  const text = await res.text()
  let parsed: unknown
  try {
    parsed = text ? JSON.parse(text) : null
  } catch {
    parsed = text
  }
  return { status: res.status, contentType, body: parsed, text }
}

const ERROR_SHAPE = { error: { code: expect.any(String), message: expect.any(String), issues: expect.any(Array) } }

function expectRefused(answer: Answer, status: number, code: string, who: string): void {
  expect({ who, status: answer.status }, answer.text).toEqual({ who, status })
  expect(answer.body).toMatchObject(ERROR_SHAPE)
  expect((answer.body as { error: { code: string } }).error.code, who).toBe(code)
}

let counter = 0
const nextN = () => ++counter

type Caller = Readonly<{ who: string; headers: Headers }>

/** Callers one step too small for the route, and how each is refused. */
function tooSmall(spec: Spec, mode: 'token' | 'session'): Array<Caller & { status: number; code: string }> {
  const forbidden = (who: string, headers: Headers) => ({ who, headers, status: 403, code: 'AUTH.FORBIDDEN' })
  const p = principals
  if (mode === 'token') {
    switch (`${spec.min}/${spec.scope}`) {
      case 'viewer/fleet':
        return [forbidden('API token, editor of other-*', bearer(p.token.otherEditor))]
      // A proxy of a fleet the caller may not read does not exist for it: no hint that the node id is in use.
      case 'viewer/proxy':
        return [{ who: 'API token, editor of other-*', headers: bearer(p.token.otherEditor), status: 404, code: 'PROXY.NOT_FOUND' }]
      case 'viewer/list':
        return []
      case 'editor/fleet':
        return [forbidden('API token, viewer of *', bearer(p.token.viewer)), forbidden('API token, editor of other-*', bearer(p.token.otherEditor))]
      case 'admin/fleet':
        return [forbidden('API token, editor of *', bearer(p.token.editor)), forbidden('API token, editor of other-*', bearer(p.token.otherEditor))]
      case 'admin/global':
        return [forbidden('API token, editor of *', bearer(p.token.editor)), forbidden(`API token, admin of ${FLEET}* only`, bearer(p.token.edgeAdmin))]
    }
  } else {
    switch (`${spec.min}/${spec.scope}`) {
      case 'viewer/fleet':
        return [forbidden('session, editor of other-*', p.session.otherEditor)]
      case 'viewer/proxy':
        return [{ who: 'session, editor of other-*', headers: p.session.otherEditor, status: 404, code: 'PROXY.NOT_FOUND' }]
      case 'viewer/list':
        return []
      case 'editor/fleet':
        return [forbidden(`session, viewer of ${FLEET}*`, p.session.edgeViewer), forbidden('session, editor of other-*', p.session.otherEditor)]
      case 'admin/fleet':
        return [forbidden(`session, editor of ${FLEET}*`, p.session.edgeEditor)]
      case 'admin/global':
        return [forbidden(`session, editor of ${FLEET}*`, p.session.edgeEditor), forbidden(`session, admin of ${FLEET}* only`, p.session.edgeAdmin)]
    }
  }
  throw new Error(`no too-small callers for ${spec.min}/${spec.scope}`)
}

/** The smallest caller that is enough: a global-role token, or a user with the role on `edge*` only. */
function enough(spec: Spec, mode: 'token' | 'session'): Caller {
  const p = principals
  if (spec.min === 'public') throw new Error('public')
  if (mode === 'token') return { who: `API token, ${spec.min} of *`, headers: bearer(p.token[spec.min]) }
  if (spec.scope === 'global') return { who: 'session, admin of *', headers: p.session.admin }
  const user = { viewer: p.session.edgeViewer, editor: p.session.edgeEditor, admin: p.session.edgeAdmin }[spec.min]
  return { who: `session, ${spec.min} of ${FLEET}*`, headers: user }
}

/** No credentials, a bearer token nobody issued, and a session cookie nobody signed in with. */
function unauthenticated(): Caller[] {
  return [
    { who: 'no credentials', headers: {} },
    { who: 'unknown bearer token', headers: bearer('lgt_nobody-issued-this-token-0000000000') },
    { who: 'unknown session cookie', headers: { cookie: 'legation_session=lgs_nobody-signed-in-with-this', origin: t.server.baseUrl } },
  ]
}

describe('every /api/v1 route', () => {
  it('the table lists exactly the methods the route files export', () => {
    expect(ROUTES.length).toBeGreaterThan(30)
    const exported = ROUTES.map((r) => r.key).sort()
    expect(exported, 'a route file has a method the table lacks, or the table has one no file exports').toEqual(Object.keys(TABLE).sort())
    expect(ROUTES.filter((r) => r.wrapper === 'unrecognized export form')).toEqual([])
  })

  it('exactly the public routes are withPublicApi; every other one is withApi or a listed hand-written handler', () => {
    expect(ROUTES.filter((r) => r.wrapper === 'withPublicApi').map((r) => r.key).sort()).toEqual([...PUBLIC_ROUTES].sort())
    expect(Object.entries(TABLE).filter(([, s]) => s.min === 'public').map(([k]) => k).sort()).toEqual([...PUBLIC_ROUTES].sort())
    expect(ROUTES.filter((r) => r.wrapper !== 'withApi' && r.wrapper !== 'withPublicApi').map((r) => `${r.key} (${r.wrapper})`)).toEqual(CUSTOM_HANDLERS.map((k) => `${k} (function)`))
  })

  it.each(ROUTES.filter((r) => PUBLIC_ROUTES.includes(r.key)).map((r) => [r.key, r] as const))('%s answers without credentials (public)', async (key, route) => {
    const spec = TABLE[key]
    expect(spec, `no table entry for ${key}`).toBeDefined()
    const req = await spec!.request(nextN())
    // A browser's unauthenticated call: same origin, no cookie, no token.
    const answer = await send(route.method, req, { origin: t.server.baseUrl })
    expect(answer.status, answer.text).toBe(spec!.ok)
    if (answer.status >= 400) {
      expect(answer.body).toMatchObject(ERROR_SHAPE)
      expect((answer.body as { error: { code: string } }).error.code).not.toBe('AUTH.UNAUTHENTICATED')
    }
  })

  it.each(ROUTES.filter((r) => !PUBLIC_ROUTES.includes(r.key)).map((r) => [r.key, r] as const))('%s: 401 without credentials, 403 one role too small, 2xx with the right role', async (key, route) => {
    const spec = TABLE[key]
    expect(spec, `no table entry for ${key}: add its smallest role to TABLE`).toBeDefined()
    for (const mode of ['token', 'session'] as const) {
      // Made first, so that every refusal below is of a request that would otherwise succeed.
      const req = await spec!.request(nextN())
      for (const caller of unauthenticated()) expectRefused(await send(route.method, req, caller.headers), 401, 'AUTH.UNAUTHENTICATED', caller.who)
      // (The event feed's answer to a proxy token is checked on its own below: it is 401 today.)
      if (mode === 'token' && key !== 'GET /api/v1/events') {
        expectRefused(await send(route.method, req, bearer(principals.token.edgeProxy)), 403, 'AUTH.FORBIDDEN', `proxy token of ${FLEET}`)
      }
      for (const caller of tooSmall(spec!, mode)) expectRefused(await send(route.method, req, caller.headers), caller.status, caller.code, caller.who)
      const caller = enough(spec!, mode)
      const answer = await send(route.method, req, caller.headers)
      expect({ who: caller.who, status: answer.status }, answer.text).toEqual({ who: caller.who, status: spec!.ok })
    }
  })
})

describe('lists show only the fleets a caller may read', () => {
  it('an editor of other-* sees none of edge in fleets, proxies, summaries, activity and audit', async () => {
    const other = apiClient(t.server.baseUrl, principals.token.otherEditor)
    const fleets = await other<{ fleets: Array<{ name: string }> }>('GET', '/api/v1/fleets')
    expect(fleets.body.fleets.map((f) => f.name)).toEqual(['other-x'])
    const proxies = await other<{ proxies: Array<{ nodeId: string }> }>('GET', '/api/v1/proxies')
    expect(proxies.status).toBe(200)
    expect(proxies.text).not.toContain(PROXY_NODE)
    const summary = await other('GET', '/api/v1/proxies/summary')
    expect(summary.status).toBe(200)
    expect(summary.text).not.toContain(`"${FLEET}"`)
    const activity = await other<{ items: Array<{ fleet: string | null }> }>('GET', '/api/v1/activity')
    expect(activity.body.items.length).toBeGreaterThan(0)
    expect(activity.body.items.filter((i) => i.fleet !== 'other-x')).toEqual([])
    const audit = await other<{ entries: Array<{ fleet: string | null }> }>('GET', '/api/v1/audit')
    expect(audit.body.entries.length).toBeGreaterThan(0)
    // Sign-ins, users and tokens have no fleet: only a global role reads them.
    expect(audit.body.entries.filter((e) => e.fleet !== 'other-x')).toEqual([])
    // …and the same lists do show edge to a viewer of everything.
    const viewer = apiClient(t.server.baseUrl, principals.token.viewer)
    expect((await viewer<{ fleets: Array<{ name: string }> }>('GET', '/api/v1/fleets')).body.fleets.map((f) => f.name)).toContain(FLEET)
    expect((await viewer('GET', '/api/v1/proxies')).text).toContain(PROXY_NODE)
  })

  it('the event feed carries only events of fleets the caller may read', async () => {
    const feeds = [
      { who: 'editor of other-*', headers: bearer(principals.token.otherEditor) },
      { who: `viewer of ${FLEET}*`, headers: principals.session.edgeViewer },
    ].map((f) => ({ ...f, feed: openFeed(f.headers) }))
    try {
      for (const f of feeds) await f.feed.connected
      await putCluster(FLEET, 'feed-edge')
      await putCluster('other-x', 'feed-other')
      // Events arrive in order: once the other-x editor has the later other-x change, an edge event
      // it wrongly carried would be there too; the edge viewer gets one more edge change for the same reason.
      await waitFor(() => feeds[0]!.feed.text().includes('feed-other'), { what: 'the other-x editor got the other-x event' })
      await putCluster(FLEET, 'feed-edge-2')
      await waitFor(() => feeds[1]!.feed.text().includes('feed-edge-2'), { what: 'the edge viewer got the second edge event' })
      expect(feeds[0]!.feed.text()).not.toContain(`"fleet":"${FLEET}"`)
      expect(feeds[1]!.feed.text()).not.toContain('"fleet":"other-x"')
    } finally {
      for (const f of feeds) f.feed.close()
    }
  })
})

/** Reads an SSE feed into a string until closed. */
function openFeed(headers: Headers): { connected: Promise<void>; text: () => string; close: () => void } {
  const abort = new AbortController()
  let text = ''
  const connected = (async () => {
    const res = await fetch(`${t.server.baseUrl}/api/v1/events`, { headers, signal: abort.signal })
    expect(res.status).toBe(200)
    const reader = res.body!.getReader()
    const decoder = new TextDecoder()
    const first = await reader.read()
    text += decoder.decode(first.value ?? new Uint8Array(), { stream: true })
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read()
          if (done) return
          text += decoder.decode(value, { stream: true })
        }
      } catch {
        // aborted
      }
    })()
  })()
  return { connected, text: () => text, close: () => abort.abort() }
}

describe('the event feed (GET /api/v1/events)', () => {
  it('refuses a caller without credentials with 401 in the API’s error shape, and streams to a viewer', async () => {
    const none = await send('GET', { path: '/api/v1/events' }, {})
    expectRefused(none, 401, 'AUTH.UNAUTHENTICATED', 'no credentials')
    expect(none.contentType).toContain('application/json')
    const viewer = await send('GET', { path: '/api/v1/events' }, bearer(principals.token.viewer))
    expect(viewer.status).toBe(200)
    expect(viewer.contentType).toContain('text/event-stream')
  })

  // Like every withApi route: a valid proxy token is refused 403 AUTH.FORBIDDEN, not taken for an invalid one.
  it('refuses a proxy token with 403 like every other route', async () => {
    expectRefused(await send('GET', { path: '/api/v1/events' }, bearer(principals.token.edgeProxy)), 403, 'AUTH.FORBIDDEN', `proxy token of ${FLEET}`)
  })
})

describe('REST discovery of Secrets (POST /v3/discovery:secrets)', () => {
  const request = { node: { id: 'rest-edge-1', cluster: FLEET }, resource_names: ['edge-cert'], type_url: 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret' }
  const discover = (headers: Headers) => send('POST', { path: '/v3/discovery:secrets', body: request }, headers)

  it('401 without a token, 401 for an unknown one, 403 for an API token (even an admin’s) and for another fleet’s proxy token', async () => {
    const none = await discover({})
    expectRefused(none, 401, 'AUTH.UNAUTHENTICATED', 'no token')
    expect(none.text).not.toContain(KEY_BODY)
    expectRefused(await discover(bearer('lgp_nobody-issued-this-proxy-token-000000')), 401, 'AUTH.UNAUTHENTICATED', 'unknown token')
    for (const [who, token] of [
      ['admin API token', principals.token.admin],
      ['viewer API token', principals.token.viewer],
      ['proxy token of other-*', principals.token.otherProxy],
    ] as const) {
      const answer = await discover(bearer(token))
      expectRefused(answer, 403, 'AUTH.FORBIDDEN', who)
      expect(answer.text).not.toContain(KEY_BODY)
    }
    // A session cookie is no proxy credential either.
    expectRefused(await discover(principals.session.admin), 401, 'AUTH.UNAUTHENTICATED', 'admin session cookie')
  })

  it('200 with the secret and its private key for the fleet’s proxy token', async () => {
    const answer = await discover(bearer(principals.token.edgeProxy))
    expect(answer.status, answer.text).toBe(200)
    const body = answer.body as { resources: Array<{ name: string; tls_certificate: { private_key: { inline_string: string } } }> }
    expect(body.resources).toHaveLength(1)
    expect(body.resources[0]!.name).toBe('edge-cert')
    expect(body.resources[0]!.tls_certificate.private_key.inline_string).toBe(KEY_PEM)
  })
})
