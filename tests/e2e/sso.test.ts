import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'
import Provider from 'oidc-provider'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../support/browser'
import { freePort } from '../support/server'
import { setupTestServer } from '../support/test-server'

/**
 * Single sign-on end to end: a certified OpenID Connect provider (oidc-provider, with its
 * development login and consent pages) runs in the test; Legation is configured for it; Chromium
 * signs in through it. Groups map to roles: `platform` → admin, `edge-team` → editor of edge-*;
 * a user of neither group is refused.
 */
const GROUPS: Record<string, string[]> = { alice: ['platform'], erin: ['edge-team'], mallory: ['visitors'] }
const CLIENT = { client_id: 'legation', client_secret: 'legation-test-client-secret' }

let legationPort = 0
let issuer = ''
let providerServer: Server | undefined

beforeAll(async () => {
  legationPort = await freePort()
  const provider = new Provider('http://127.0.0.1:0', {
    clients: [{ ...CLIENT, redirect_uris: [`http://127.0.0.1:${legationPort}/api/v1/auth/oidc/callback`], grant_types: ['authorization_code'], response_types: ['code'] }],
    scopes: ['openid', 'profile', 'groups'],
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'], groups: ['groups'] },
    findAccount: (_ctx, id) => ({ accountId: id, claims: () => ({ sub: id, name: `${id} (SSO)`, preferred_username: id, groups: GROUPS[id] ?? [] }) }),
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['legation-e2e-cookie-key'] },
  })
  // The issuer must be the URL the provider is reached at: listen first, then set it.
  providerServer = await new Promise<Server>((resolve) => {
    const s = provider.listen(0, '127.0.0.1', () => resolve(s))
  })
  const { port } = providerServer.address() as AddressInfo
  issuer = `http://127.0.0.1:${port}`
  ;(provider as unknown as { issuer: string }).issuer = issuer
})

afterAll(async () => {
  await new Promise<void>((resolve) => (providerServer ? providerServer.close(() => resolve()) : resolve()))
})

const t = setupTestServer('e2e_sso', () => ({
  PORT: String(legationPort),
  LEGATION_OIDC_ISSUER: issuer,
  LEGATION_OIDC_CLIENT_ID: CLIENT.client_id,
  LEGATION_OIDC_CLIENT_SECRET: CLIENT.client_secret,
  LEGATION_OIDC_REDIRECT_URL: `http://127.0.0.1:${legationPort}/api/v1/auth/oidc/callback`,
  LEGATION_OIDC_SCOPES: 'openid profile groups',
  LEGATION_OIDC_ROLE_MAP: 'platform=admin,edge-team=editor:edge-*',
  LEGATION_OIDC_LABEL: 'Test SSO',
}))

let browser: Browser | undefined
beforeAll(async () => {
  browser = await launchChromium()
  // A local admin exists (break-glass), so the console offers sign-in rather than first-run setup.
  expect((await t.api('POST', '/api/v1/users', { body: { username: 'root', password: 'correct horse battery staple', grants: [{ role: 'admin', fleets: '*' }] } })).status).toBe(201)
})
afterAll(async () => browser?.close())

/**
 * Signs in through the provider's development pages, starting at `from` (a page that leads to the
 * sign-in page, or the SSO start itself); resolves with the page and the callback URL the browser was sent to.
 */
async function signInWithSso(login: string, from = '/login'): Promise<{ page: Page; callback: string }> {
  const page = await browser!.newPage()
  let callback = ''
  page.on('request', (req) => {
    if (req.url().includes('/api/v1/auth/oidc/callback')) callback = req.url()
  })
  await page.goto(`${t.server.baseUrl}${from}`)
  if (!from.startsWith('/api/')) await page.getByRole('link', { name: 'Sign in with Test SSO' }).click()
  await page.locator('input[name="login"]').fill(login)
  await page.locator('input[name="password"]').fill('anything')
  await page.locator('button[type="submit"]').click()
  // The provider asks for consent once per client.
  await page.locator('button[type="submit"]').click()
  await page.waitForURL((url) => !url.href.startsWith(issuer))
  return { page, callback }
}

describe('single sign-on with OpenID Connect (authorization code + PKCE)', () => {
  it('signs a platform member in as admin, with the actor and roles from the provider', async () => {
    const { page, callback } = await signInWithSso('alice')
    await expect.poll(() => page.getByTestId('signed-in-user').textContent(), { timeout: 20_000 }).toBe('alice')
    const me = (await (await page.request.get(`${t.server.baseUrl}/api/v1/auth/me`)).json()) as { principal: { name: string; grants: unknown[] } }
    expect(me.principal).toEqual({ kind: 'user', name: 'alice', grants: [{ role: 'admin', fleets: '*' }] })

    // The authorization code and state were good once: replaying the callback is refused.
    expect(callback).toContain('code=')
    const replay = await page.request.get(callback, { maxRedirects: 0 })
    expect(replay.status()).toBe(401)
    expect(((await replay.json()) as { error: { message: string } }).error.message).toMatch(/unknown, already used or too old/)

    const users = await t.api<{ users: Array<{ username: string; source: string; grants: unknown[] }> }>('GET', '/api/v1/users')
    expect(users.body.users.find((u) => u.username === 'alice')).toMatchObject({ source: 'oidc', grants: [{ role: 'admin', fleets: '*' }] })
    const audit = await t.api<{ entries: Array<{ actor: string; action: string }> }>('GET', '/api/v1/audit?limit=50')
    expect(audit.body.entries.some((e) => e.actor === 'alice' && e.action === 'auth.sign-in')).toBe(true)
    await page.close()
  })

  it('maps edge-team to editor of edge-* only: it may not create a fleet elsewhere', async () => {
    const { page } = await signInWithSso('erin')
    await expect.poll(() => page.getByTestId('signed-in-user').textContent(), { timeout: 20_000 }).toBe('erin')
    const origin = t.server.baseUrl
    const elsewhere = await page.request.post(`${origin}/api/v1/fleets`, { data: { name: 'core-1' }, headers: { origin } })
    expect(elsewhere.status()).toBe(403)
    const me = (await (await page.request.get(`${origin}/api/v1/auth/me`)).json()) as { principal: { grants: unknown[] } }
    expect(me.principal.grants).toEqual([{ role: 'editor', fleets: 'edge-*' }])
    await page.close()
  })

  it('leads a deep link followed while signed out back to it, and never to another site', async () => {
    const deep = '/audit?action=auth.*'
    const { page } = await signInWithSso('alice', deep)
    await page.waitForURL(`${t.server.baseUrl}${deep}`, { timeout: 20_000 })
    await expect.poll(() => page.getByTestId('audit-action-filter').inputValue(), { timeout: 20_000 }).toBe('auth.*')
    await page.close()

    // A `next` that is not a path of this console (browsers read `/\host` as `//host`) is kept as '/' with the login, so the callback goes there.
    const { page: elsewhere } = await signInWithSso('alice', `/api/v1/auth/oidc/start?next=${encodeURIComponent('/\\evil.example/phish')}`)
    await elsewhere.waitForURL(`${t.server.baseUrl}/`, { timeout: 20_000 })
    await expect.poll(() => elsewhere.getByTestId('signed-in-user').textContent(), { timeout: 20_000 }).toBe('alice')
    await elsewhere.close()
  })

  it('refuses a user whose groups map to no role, saying so', async () => {
    const page = await browser!.newPage()
    const answers: number[] = []
    page.on('response', (res) => {
      if (res.url().includes('/api/v1/auth/oidc/callback')) answers.push(res.status())
    })
    await page.goto(`${t.server.baseUrl}/login`)
    await page.getByRole('link', { name: 'Sign in with Test SSO' }).click()
    await page.locator('input[name="login"]').fill('mallory')
    await page.locator('input[name="password"]').fill('anything')
    await page.locator('button[type="submit"]').click()
    await page.locator('button[type="submit"]').click()
    await expect.poll(() => answers, { timeout: 20_000 }).toEqual([403])
    expect(await page.content()).toContain('none of your groups')
    await page.close()
  })
})
