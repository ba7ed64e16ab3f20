import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { TEST_PASSWORD } from '../../support/credentials'
import { apiClient, type ApiResponse } from '../../support/http'
import { setupTestServer } from '../../support/test-server'

/*
 * Signing in as a new installation does it: no LEGATION_BOOTSTRAP_TOKEN, so the only way in is the
 * one-time setup token from the log. Then the ways a credential stops working (wrong password,
 * throttling, sign-out, disabled user, revoked and expired tokens, idle and absolute session limits)
 * and who the audit log names as the actor.
 */

const IDLE_MINUTES = 30
const t = setupTestServer('auth_sign_in', { LEGATION_BOOTSTRAP_TOKEN: undefined, LEGATION_SESSION_IDLE_MINUTES: String(IDLE_MINUTES) })

type Headers = Record<string, string>
type ErrorBody = { error: { code: string; message: string; issues: Array<{ path: string; message: string }> } }

/** A request as the console's browser sends it: the session cookie (if any) and its own origin. */
function asBrowser(cookie: string | null) {
  return <T = Record<string, unknown>>(method: string, path: string, body?: unknown, headers: Headers = {}): Promise<ApiResponse<T>> =>
    apiClient(t.server.baseUrl, null)<T>(method, path, { ...(body === undefined ? {} : { body }), headers: { origin: t.server.baseUrl, ...(cookie === null ? {} : { cookie }), ...headers } })
}
const anonymous = () => asBrowser(null)
const sessionOf = (res: ApiResponse): string => (res.headers.get('set-cookie') ?? '').split(';')[0]!

async function signIn(username: string, password = TEST_PASSWORD): Promise<ApiResponse<ErrorBody>> {
  return anonymous()<ErrorBody>('POST', '/api/v1/auth/sign-in', { username, password })
}
async function signedIn(username: string): Promise<string> {
  const res = await signIn(username)
  expect(res.status, res.text).toBe(200)
  return sessionOf(res)
}

let root: ReturnType<typeof asBrowser>

async function createUser(username: string, grants = [{ role: 'editor', fleets: '*' }]): Promise<string> {
  const res = await root<{ id: string }>('POST', '/api/v1/users', { username, password: TEST_PASSWORD, grants })
  expect(res.status, res.text).toBe(201)
  return res.body.id
}

async function sql(text: string, values: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: t.db.url })
  await client.connect()
  try {
    return await client.query(text, values)
  } finally {
    await client.end()
  }
}

describe('first start: the setup token from the log', () => {
  it('is printed once at start, and nothing but setup and sign-in answers before it is used', async () => {
    const lines = t.server.logs().filter((l) => String(l['msg']).startsWith('No user exists yet'))
    expect(lines).toHaveLength(1)
    expect(lines[0]!['setupToken']).toMatch(/^setup_[A-Za-z0-9_-]{20,}$/)
    const me = await anonymous()<{ principal: unknown; setupRequired: boolean }>('GET', '/api/v1/auth/me')
    expect(me.body).toMatchObject({ principal: null, setupRequired: true })
    expect((await anonymous()('GET', '/api/v1/fleets')).status).toBe(401)
  })

  it('refuses a wrong setup token with 401 naming the field, and creates nobody', async () => {
    const res = await anonymous()<ErrorBody>('POST', '/api/v1/auth/setup', { token: 'setup_guessed-wrong', username: 'guesser', password: TEST_PASSWORD })
    expect(res.status).toBe(401)
    expect(res.body.error).toMatchObject({ code: 'AUTH.UNAUTHENTICATED', issues: [{ path: 'token' }] })
    expect(res.headers.get('set-cookie')).toBeNull()
    expect((await anonymous()<{ setupRequired: boolean }>('GET', '/api/v1/auth/me')).body.setupRequired).toBe(true)
  })

  it('creates exactly one admin, even when used twice at the same moment, and never again', async () => {
    const token = String(t.server.logs().find((l) => String(l['msg']).startsWith('No user exists yet'))!['setupToken'])
    const setup = (username: string) => anonymous()<{ user: { username: string } } & ErrorBody>('POST', '/api/v1/auth/setup', { token, username, password: TEST_PASSWORD })
    const both = await Promise.all([setup('root'), setup('root-twin')])
    const won = both.filter((r) => r.status === 201)
    expect(won, both.map((r) => `${r.status} ${r.text}`).join('\n')).toHaveLength(1)
    const lost = both.find((r) => r.status !== 201)!
    expect([401, 409]).toContain(lost.status)
    expect(lost.body.error.code).toMatch(/^AUTH\./)
    expect(lost.headers.get('set-cookie')).toBeNull()

    root = asBrowser(sessionOf(won[0]!))
    const me = await root<{ principal: { kind: string; name: string; grants: unknown[] }; setupRequired: boolean }>('GET', '/api/v1/auth/me')
    expect(me.body).toMatchObject({ principal: { kind: 'user', name: won[0]!.body.user.username, grants: [{ role: 'admin', fleets: '*' }] }, setupRequired: false })

    const again = await setup('root-later')
    expect([401, 409]).toContain(again.status)
    expect(again.headers.get('set-cookie')).toBeNull()
    const users = await root<{ users: Array<{ username: string }> }>('GET', '/api/v1/users')
    expect(users.body.users.map((u) => u.username)).toEqual([won[0]!.body.user.username])
    const audit = await root<{ entries: Array<{ action: string }> }>('GET', '/api/v1/audit')
    expect(audit.body.entries.filter((e) => e.action === 'auth.setup')).toHaveLength(1)
  })
})

describe('signing in', () => {
  it('answers a wrong password exactly as an unknown user name: 401, same message, no cookie', async () => {
    await createUser('alice')
    const wrong = await signIn('alice', 'not the password at all')
    const unknown = await signIn('nobody-here', 'not the password at all')
    expect(wrong.status).toBe(401)
    expect(unknown.status).toBe(401)
    expect(wrong.body).toEqual(unknown.body)
    expect(wrong.body.error.code).toBe('AUTH.UNAUTHENTICATED')
    expect(wrong.headers.get('set-cookie')).toBeNull()
    expect(unknown.headers.get('set-cookie')).toBeNull()
  })

  it('locks a user name after 5 failures: 429 with a clear message, even with the right password; other users go on', async () => {
    await createUser('bob')
    for (let i = 1; i <= 5; i++) expect((await signIn('bob', `wrong password ${i}`)).status, `failure ${i}`).toBe(401)
    const locked = await signIn('bob')
    expect(locked.status, locked.text).toBe(429)
    expect(locked.body.error.code).toBe('AUTH.LOCKED')
    expect(locked.body.error.message).toMatch(/too many failed sign-ins.*try again in \d+ minutes?/)
    expect(locked.headers.get('set-cookie')).toBeNull()
    // An unknown name locks the same way: the lock gives no hint which names exist.
    for (let i = 2; i <= 5; i++) expect((await signIn('nobody-here', `wrong password ${i}`)).status).toBe(401)
    const lockedUnknown = await signIn('nobody-here')
    expect(lockedUnknown.status).toBe(429)
    expect(lockedUnknown.body.error.message).toBe(locked.body.error.message)
    expect((await signIn('alice')).status).toBe(200)
    const audit = await root<{ entries: Array<{ action: string; actor: string }> }>('GET', '/api/v1/audit?limit=1000')
    expect(audit.body.entries.filter((e) => e.action === 'auth.sign-in-failed' && e.actor === 'bob')).toHaveLength(5)
  })

  it('ends the session at sign-out: the cookie is cleared and stops working', async () => {
    const alice = asBrowser(await signedIn('alice'))
    expect((await alice('GET', '/api/v1/fleets')).status).toBe(200)
    const out = await alice('POST', '/api/v1/auth/sign-out')
    expect(out.status).toBe(204)
    expect(out.headers.get('set-cookie')).toMatch(/^legation_session=;.*Max-Age=0/)
    const after = await alice<ErrorBody>('GET', '/api/v1/fleets')
    expect(after.status).toBe(401)
    expect(after.body.error.code).toBe('AUTH.UNAUTHENTICATED')
    expect((await alice<{ principal: unknown }>('GET', '/api/v1/auth/me')).body.principal).toBeNull()
  })

  it('ends a disabled user’s sessions at once; the user cannot sign in until enabled again', async () => {
    const id = await createUser('carol')
    const carol = asBrowser(await signedIn('carol'))
    expect((await carol('GET', '/api/v1/fleets')).status).toBe(200)
    expect((await root('PATCH', `/api/v1/users/${id}`, { disabled: true })).status).toBe(200)
    expect((await carol('GET', '/api/v1/fleets')).status).toBe(401)
    const refused = await signIn('carol')
    expect(refused.status).toBe(401)
    expect(refused.body.error.message).toBe('wrong user name or password')
    expect((await root('PATCH', `/api/v1/users/${id}`, { disabled: false })).status).toBe(200)
    expect((await carol('GET', '/api/v1/fleets')).status, 'the old session stays ended').toBe(401)
    expect((await asBrowser(await signedIn('carol'))('GET', '/api/v1/fleets')).status).toBe(200)
  })
})

describe('tokens and session limits', () => {
  async function createToken(name: string, expiresAt?: string): Promise<{ id: string; secret: string }> {
    const res = await root<{ token: { id: string }; secret: string }>('POST', '/api/v1/tokens', { name, kind: 'api', grants: [{ role: 'viewer', fleets: '*' }], ...(expiresAt ? { expiresAt } : {}) })
    expect(res.status, res.text).toBe(201)
    return { id: res.body.token.id, secret: res.body.secret }
  }

  it('refuses a revoked token with 401 at once, and lists it as revoked', async () => {
    const token = await createToken('ci-revoked')
    const ci = apiClient(t.server.baseUrl, token.secret)
    expect((await ci('GET', '/api/v1/fleets')).status).toBe(200)
    expect((await root('DELETE', `/api/v1/tokens/${token.id}`)).status).toBe(200)
    const after = await ci<ErrorBody>('GET', '/api/v1/fleets')
    expect(after.status).toBe(401)
    expect(after.body.error).toMatchObject({ code: 'AUTH.UNAUTHENTICATED', message: expect.stringContaining('revoked') })
    const listed = await root<{ tokens: Array<{ id: string; revokedAt: string | null }> }>('GET', '/api/v1/tokens')
    expect(listed.body.tokens.find((x) => x.id === token.id)?.revokedAt).toEqual(expect.any(String))
  })

  it('refuses a token past its expiry with 401', async () => {
    const token = await createToken('ci-expiring', new Date(Date.now() + 3600_000).toISOString())
    const ci = apiClient(t.server.baseUrl, token.secret)
    expect((await ci('GET', '/api/v1/fleets')).status).toBe(200)
    // The hour passes (in the database, not in the test's time).
    await sql(`UPDATE api_token SET expires_at = now() - interval '1 second' WHERE id = $1`, [token.id])
    const after = await ci<ErrorBody>('GET', '/api/v1/fleets')
    expect(after.status).toBe(401)
    expect(after.body.error.code).toBe('AUTH.UNAUTHENTICATED')
  })

  it(`ends a session idle for longer than LEGATION_SESSION_IDLE_MINUTES (${IDLE_MINUTES}), and one past its absolute end`, async () => {
    await createUser('dave')
    const dave = asBrowser(await signedIn('dave'))
    const setLastSeen = (minutesAgo: number) => sql(`UPDATE user_session SET last_seen_at = now() - make_interval(mins => $1) WHERE user_id = (SELECT id FROM app_user WHERE username = 'dave')`, [minutesAgo])
    await setLastSeen(IDLE_MINUTES - 2)
    expect((await dave('GET', '/api/v1/fleets')).status, 'idle for less than the limit').toBe(200)
    await setLastSeen(IDLE_MINUTES + 1)
    expect((await dave('GET', '/api/v1/fleets')).status, 'idle for longer than the limit').toBe(401)
    expect((await sql(`SELECT 1 FROM user_session WHERE user_id = (SELECT id FROM app_user WHERE username = 'dave')`)).rowCount, 'the ended session is deleted').toBe(0)

    const again = asBrowser(await signedIn('dave'))
    expect((await again('GET', '/api/v1/fleets')).status).toBe(200)
    await sql(`UPDATE user_session SET expires_at = now() - interval '1 second' WHERE user_id = (SELECT id FROM app_user WHERE username = 'dave')`)
    expect((await again('GET', '/api/v1/fleets')).status, 'past its absolute end').toBe(401)
  })
})

describe('the actor of a change', () => {
  type AuditEntry = { actor: string; action: string; target: string }
  const CLUSTER = {
    name: 'service',
    connect_timeout: '3s',
    type: 'STRICT_DNS',
    load_assignment: { cluster_name: 'service', endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 'service1', port_value: 8080 } } } }] }] },
  }

  it('is the signed-in user or the token, never what X-Legation-Actor says', async () => {
    const alice = asBrowser(await signedIn('alice'))
    const spoof = { 'x-legation-actor': 'mallory' }
    expect((await alice('PUT', '/api/v1/fleets/demo/draft/clusters/service', CLUSTER, spoof)).status).toBe(200)
    const version = await alice<{ number: number; author: string }>('POST', '/api/v1/fleets/demo/commit', { message: 'by alice' }, spoof)
    expect(version.status, version.text).toBe(201)
    expect(version.body.author).toBe('alice')

    const token = await root<{ secret: string }>('POST', '/api/v1/tokens', { name: 'ci-bot', kind: 'api', grants: [{ role: 'editor', fleets: 'demo' }] })
    const ci = apiClient(t.server.baseUrl, token.body.secret)
    expect((await ci('PUT', '/api/v1/fleets/demo/draft/clusters/service', { body: { ...CLUSTER, connect_timeout: '4s' }, headers: spoof })).status).toBe(200)

    const audit = await root<{ entries: AuditEntry[] }>('GET', '/api/v1/audit?fleet=demo')
    const ours = audit.body.entries.filter((e) => e.target.endsWith('/service') || e.action === 'version.commit').slice(0, 3)
    expect(ours.map((e) => [e.action, e.actor])).toEqual([
      ['draft.update', 'token:ci-bot'],
      ['version.commit', 'alice'],
      ['draft.update', 'alice'],
    ])
    const all = await root<{ entries: AuditEntry[] }>('GET', '/api/v1/audit?limit=1000')
    expect(all.body.entries.filter((e) => e.actor.includes('mallory'))).toEqual([])
  })
})
