import pg from 'pg'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { signInAs, type Grant } from '../../support/credentials'
import { setupTestServer } from '../../support/test-server'
import { waitFor } from '../../support/wait-for'

/*
 * What happens to what a caller holds open when its credential stops working: an event stream
 * (GET /api/v1/events) is checked again at every heartbeat and ends, and a console page asked for
 * without a session sends the browser to sign in with the page as `next`. The real server, real
 * HTTP; the heartbeat is short so that "ends within a bounded time" is a few seconds.
 */
const HEARTBEAT_MS = 200
const IDLE_MINUTES = 30
/** A stream must end within this long of its credential ending: a few heartbeats, and the check. */
const ENDS_WITHIN_MS = 10 * HEARTBEAT_MS + 2_000

const t = setupTestServer('auth_session_end', { LEGATION_EVENTS_HEARTBEAT_MS: String(HEARTBEAT_MS), LEGATION_SESSION_IDLE_MINUTES: String(IDLE_MINUTES), LEGATION_DEMO: 'false' })

type Headers = Record<string, string>

type Feed = Readonly<{
  text: () => string
  /** Heartbeats received so far. */
  pings: () => number
  /** The server ended the stream (not us). */
  ended: () => boolean
  close: () => void
}>

const open: Feed[] = []
afterEach(() => {
  for (const feed of open.splice(0)) feed.close()
})

/** Opens the event feed with these credentials and reads it in the background; fails unless it is 200. */
async function openFeed(headers: Headers): Promise<Feed> {
  const abort = new AbortController()
  const res = await fetch(`${t.server.baseUrl}/api/v1/events`, { headers, signal: abort.signal })
  expect(res.status, await (res.ok ? Promise.resolve('') : res.text())).toBe(200)
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/)
  let text = ''
  let ended = false
  const reader = res.body!.getReader()
  const decoder = new TextDecoder()
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read()
        if (done) return void (ended = true)
        text += decoder.decode(value, { stream: true })
      }
    } catch {
      /* aborted by close() */
    }
  })()
  const feed: Feed = { text: () => text, pings: () => text.split(': ping\n').length - 1, ended: () => ended, close: () => abort.abort() }
  open.push(feed)
  await waitFor(() => text.includes(': connected'), { what: 'the feed says it is connected' })
  return feed
}

/** The feed stays open across several heartbeats, so each of them re-checked the caller and let it be. */
async function staysOpen(feed: Feed, heartbeats = 3): Promise<void> {
  const from = feed.pings()
  await waitFor(() => feed.pings() >= from + heartbeats, { what: `${heartbeats} more heartbeats` })
  expect(feed.ended()).toBe(false)
}

/** The server ends the stream within ENDS_WITHIN_MS; a new connection with the same credentials is refused with 401. */
async function endsAndIsRefused(feed: Feed, headers: Headers): Promise<void> {
  const since = Date.now()
  await waitFor(() => feed.ended(), { timeoutMs: ENDS_WITHIN_MS, what: 'the server ends the stream' })
  expect(Date.now() - since).toBeLessThan(ENDS_WITHIN_MS)
  const again = await fetch(`${t.server.baseUrl}/api/v1/events`, { headers })
  expect(again.status).toBe(401)
  expect(((await again.json()) as { error: { code: string } }).error.code).toBe('AUTH.UNAUTHENTICATED')
}

async function userId(username: string): Promise<string> {
  const users = await t.api<{ users: Array<{ id: string; username: string }> }>('GET', '/api/v1/users')
  return users.body.users.find((u) => u.username === username)!.id
}

async function sql<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: t.db.url })
  await client.connect()
  try {
    return (await client.query<R>(text, values)).rows
  } finally {
    await client.end()
  }
}

/** A change to the fleet's draft, made with the admin token: a draft.changed event of that fleet. */
async function changeDraft(fleet: string, name: string): Promise<void> {
  const cluster = { name, connect_timeout: '1s', type: 'STATIC', load_assignment: { cluster_name: name, endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: '127.0.0.1', port_value: 8080 } } } }] }] } }
  const res = await t.api('PUT', `/api/v1/fleets/${fleet}/draft/clusters/${name}`, { body: cluster })
  expect(res.status, res.text).toBe(201)
}
const eventsOf = (feed: Feed, fleet: string): number => feed.text().split(`"fleet":"${fleet}"`).length - 1

beforeAll(async () => {
  for (const name of ['edge-1', 'core']) expect((await t.api('POST', '/api/v1/fleets', { body: { name } })).status).toBe(201)
})

describe('an open event stream whose credential stops working', () => {
  it('ends when its session is signed out (in another tab), and a reconnect gets 401', async () => {
    const headers = await signInAs(t.server.baseUrl, 'sse-sign-out')
    const feed = await openFeed(headers)
    await staysOpen(feed)
    const out = await fetch(`${t.server.baseUrl}/api/v1/auth/sign-out`, { method: 'POST', headers })
    expect(out.status).toBe(204)
    await endsAndIsRefused(feed, headers)
  })

  it('ends when the admin disables the user', async () => {
    const headers = await signInAs(t.server.baseUrl, 'sse-disabled')
    const feed = await openFeed(headers)
    await staysOpen(feed)
    expect((await t.api('PATCH', `/api/v1/users/${await userId('sse-disabled')}`, { body: { disabled: true } })).status).toBe(200)
    await endsAndIsRefused(feed, headers)
  })

  it('ends when its API token is revoked', async () => {
    const created = await t.api<{ token: { id: string }; secret: string }>('POST', '/api/v1/tokens', { body: { name: 'sse-ci', grants: [{ role: 'viewer', fleets: '*' }] } })
    expect(created.status, created.text).toBe(201)
    const headers = { authorization: `Bearer ${created.body.secret}` }
    const feed = await openFeed(headers)
    await staysOpen(feed)
    expect((await t.api('DELETE', `/api/v1/tokens/${created.body.token.id}`)).status).toBe(200)
    await endsAndIsRefused(feed, headers)
  })

  it('does not keep its session alive (the re-checks are no activity), and ends when the session idles out', async () => {
    const headers = await signInAs(t.server.baseUrl, 'sse-idle')
    const feed = await openFeed(headers)
    const id = await userId('sse-idle')
    // Ten minutes without a request: still valid (the limit is 30), and old enough that a request would record a new one.
    await sql(`UPDATE user_session SET last_seen_at = now() - interval '10 minutes' WHERE user_id = $1`, [id])
    const [before] = await sql<{ last_seen_at: Date }>('SELECT last_seen_at FROM user_session WHERE user_id = $1', [id])
    await staysOpen(feed, 5)
    const [after] = await sql<{ last_seen_at: Date }>('SELECT last_seen_at FROM user_session WHERE user_id = $1', [id])
    expect(after!.last_seen_at.getTime()).toBe(before!.last_seen_at.getTime())
    // A request is activity, and does record it (so the check above could have failed).
    expect((await fetch(`${t.server.baseUrl}/api/v1/fleets`, { headers })).status).toBe(200)
    const [touched] = await sql<{ last_seen_at: Date }>('SELECT last_seen_at FROM user_session WHERE user_id = $1', [id])
    expect(touched!.last_seen_at.getTime()).toBeGreaterThan(before!.last_seen_at.getTime() + 9 * 60_000)

    await sql(`UPDATE user_session SET last_seen_at = now() - interval '${IDLE_MINUTES + 1} minutes' WHERE user_id = $1`, [id])
    await endsAndIsRefused(feed, headers)
  })

  it('follows a role change: events of a fleet the user may no longer read stop, the stream goes on', async () => {
    const headers = await signInAs(t.server.baseUrl, 'sse-roles', [{ role: 'editor', fleets: '*' }])
    const feed = await openFeed(headers)
    await changeDraft('core', 'before-core')
    await waitFor(() => eventsOf(feed, 'core') > 0, { what: 'a core event while the user may read core' })
    const coreBefore = eventsOf(feed, 'core')

    const grants: Grant[] = [{ role: 'viewer', fleets: 'edge-*' }]
    expect((await t.api('PATCH', `/api/v1/users/${await userId('sse-roles')}`, { body: { grants } })).status).toBe(200)
    // Every heartbeat re-reads the principal; after a few, the stream filters with the new roles.
    await staysOpen(feed)
    await changeDraft('core', 'after-core')
    await changeDraft('edge-1', 'after-edge')
    // Events arrive in order: once the later edge-1 event is here, a core event sent to this stream would be too.
    await waitFor(() => eventsOf(feed, 'edge-1') > 0, { what: 'the edge-1 event the user may still read' })
    expect(eventsOf(feed, 'core')).toBe(coreBefore)
    expect(feed.ended()).toBe(false)
  })
})

describe('a console page asked for without a session', () => {
  const page = (path: string, headers: Headers = {}) => fetch(`${t.server.baseUrl}${path}`, { headers, redirect: 'manual' })
  const nextOf = (res: Response): string | null => new URL(res.headers.get('location') ?? '', t.server.baseUrl).searchParams.get('next')

  it('sends the browser to sign in with the page and its query as next', async () => {
    const res = await page('/audit?action=token.*&actor=root')
    expect(res.status).toBe(307)
    expect(new URL(res.headers.get('location')!, t.server.baseUrl).pathname).toBe('/login')
    expect(nextOf(res)).toBe('/audit?action=token.*&actor=root')
    expect(nextOf(await page('/fleets/edge-1/versions'))).toBe('/fleets/edge-1/versions')
  })

  it('does the same for a session that has ended', async () => {
    const headers = await signInAs(t.server.baseUrl, 'page-sign-out')
    expect((await page('/fleets/core/changes', headers)).status).toBe(200)
    expect((await fetch(`${t.server.baseUrl}/api/v1/auth/sign-out`, { method: 'POST', headers })).status).toBe(204)
    const res = await page('/fleets/core/changes', headers)
    expect(res.status).toBe(307)
    expect(nextOf(res)).toBe('/fleets/core/changes')
  })

  it('names the page the request was for, not a header a client sent, and no next for the overview', async () => {
    const res = await page('/proxies', { 'x-legation-request-path': '//evil.example/phish' })
    expect(nextOf(res)).toBe('/proxies')
    const overview = await page('/')
    expect(overview.status).toBe(307)
    expect(overview.headers.get('location')).toBe('/login')
  })
})
