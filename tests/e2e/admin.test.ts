import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { launchConsolePage, recordPageErrors } from '../support/browser'
import { SCREENSHOTS } from '../support/console-fixture'
import { TEST_PASSWORD } from '../support/credentials'
import { apiClient } from '../support/http'
import { setupTestServer } from '../support/test-server'

/**
 * The admin console in a real Chromium, on a new installation: no LEGATION_BOOTSTRAP_TOKEN and no
 * user, so the only way in is the setup page with the one-time token from the server's log. Then
 * the first admin (root) creates a user with a role per fleet glob, who signs in in a context of
 * their own; an API token is created, used and revoked; and the audit page names who did all of it.
 * The steps build on each other, in order.
 */
const UI = 15_000
const t = setupTestServer('e2e_admin', { LEGATION_BOOTSTRAP_TOKEN: undefined })

const errors: string[] = []
const expected: RegExp[] = []
let browser: Browser | undefined
let admin: Page // root's tab
let editor: Page // edge-editor's tab, in a context (cookie jar) of its own

const VIEWPORT = { width: 1440, height: 900 }
const base = () => t.server.baseUrl
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `admin-${name}.png`) })

beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true })
  ;({ browser, page: admin } = await launchConsolePage(errors, expected))
  await admin.setViewportSize(VIEWPORT)
  editor = await (await browser.newContext({ viewport: VIEWPORT, colorScheme: 'light' })).newPage()
  recordPageErrors(editor, errors, expected)
})
afterEach(async ({ task }) => {
  if (task.result?.state !== 'fail') return
  const name = task.name.slice(0, 40).replace(/\W+/g, '-')
  await shot(admin, `failed-${name}`).catch(() => undefined)
  await shot(editor, `failed-${name}-editor`).catch(() => undefined)
})
afterAll(async () => {
  await browser?.close()
})

/** A call to the API with the cookies of `page`'s context, from the console's own origin (as its scripts make them). */
async function asPage<T = Record<string, unknown>>(page: Page, method: string, url: string, data?: unknown): Promise<{ status: number; body: T }> {
  const res = await page.request.fetch(`${base()}${url}`, { method, headers: { origin: base() }, ...(data === undefined ? {} : { data }) })
  return { status: res.status(), body: (await res.json().catch(() => null)) as T }
}

/** A cluster of the fleet's draft, with a connect timeout that changes per version. */
const cluster = (timeout: string) => ({
  name: 'api',
  connect_timeout: timeout,
  type: 'STATIC',
  load_assignment: { cluster_name: 'api', endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: '127.0.0.1', port_value: 8080 } } } }] }] },
})

/** A fleet with two versions and a change waiting: an editor is offered commit, discard and rollback on it. */
async function seedFleet(name: string): Promise<void> {
  expect((await asPage(admin, 'POST', '/api/v1/fleets', { name })).status).toBe(201)
  for (const [i, timeout] of ['1s', '2s', '3s'].entries()) {
    expect((await asPage(admin, 'PUT', `/api/v1/fleets/${name}/draft/clusters/api`, cluster(timeout))).status).toBe(i === 0 ? 201 : 200)
    if (i < 2) expect((await asPage(admin, 'POST', `/api/v1/fleets/${name}/commit`, { message: `api timeout ${timeout}` })).status).toBe(201)
  }
}

const userRow = (username: string): Locator => admin.locator(`[data-testid="user-row"][data-username="${username}"]`)
const tokenRow = (name: string): Locator => admin.locator(`[data-testid="token-row"][data-name="${name}"]`)
const toast = (page: Page, text: string): Promise<void> => page.getByTestId('toast').filter({ hasText: text }).first().waitFor({ timeout: UI })
const navLink = (page: Page, name: string): Locator => page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name, exact: true })

/** Fills the sign-in (or setup) form and submits it. */
async function submitCredentials(page: Page, values: { token?: string; username: string; password: string }): Promise<void> {
  if (values.token !== undefined) await page.getByLabel('Setup token').fill(values.token)
  await page.getByLabel('User name').fill(values.username)
  await page.getByLabel(/^Password/).fill(values.password)
  await page.locator('form button[type="submit"]').click()
}

describe('first start: the setup page and the one-time token from the log', () => {
  it('shows /setup while no user exists; a wrong token is refused, the logged one creates the first admin', async () => {
    const line = t.server.logs().find((l) => String(l['msg']).startsWith('No user exists yet'))
    const token = String(line?.['setupToken'])
    expect(token).toMatch(/^setup_[A-Za-z0-9_-]{20,}$/)
    expect(String(line?.['setupUrl'])).toBe(`${base()}/setup`)

    // Any console page sends a new installation to the setup page.
    await admin.goto(`${base()}/fleets/demo/resources`)
    await admin.waitForURL(`${base()}/setup`, { timeout: UI })
    await admin.getByRole('heading', { name: 'Set up Legation' }).waitFor({ timeout: UI })
    // …and so does the sign-in page: there is nobody to sign in yet.
    await editor.goto(`${base()}/login`)
    await editor.waitForURL(`${base()}/setup`, { timeout: UI })

    expected.push(/^401 POST .*\/api\/v1\/auth\/setup$/)
    await submitCredentials(admin, { token: 'setup_guessed-wrong-0123456789abcdef', username: 'root', password: TEST_PASSWORD })
    await expect.poll(() => admin.getByRole('alert').first().textContent(), { timeout: UI }).toContain('the setup token is wrong')
    expect(admin.url()).toBe(`${base()}/setup`)

    await admin.getByLabel('Setup token').fill(token)
    await admin.locator('form button[type="submit"]').click()
    await admin.waitForURL(`${base()}/`, { timeout: UI })
    await expect.poll(() => admin.getByTestId('signed-in-user').textContent(), { timeout: UI }).toBe('root')
    // The first admin is admin of every fleet: users and tokens are in the navigation.
    await navLink(admin, 'Users').waitFor({ timeout: UI })
    await navLink(admin, 'Tokens').waitFor({ timeout: UI })
  })

  it('refuses the same token a second time, in a tab that had the setup page open, and says to sign in', async () => {
    // editor's tab is still on /setup, loaded before the first admin existed.
    const token = String(t.server.logs().find((l) => String(l['msg']).startsWith('No user exists yet'))?.['setupToken'])
    expected.push(/^409 POST .*\/api\/v1\/auth\/setup$/)
    await submitCredentials(editor, { token, username: 'root-twin', password: TEST_PASSWORD })
    const alert = editor.getByRole('alert').first()
    await expect.poll(() => alert.textContent(), { timeout: UI }).toContain('already set up')
    // The way on is offered where the refusal is.
    await alert.getByRole('link', { name: 'Go to sign-in' }).click()
    await editor.waitForURL(`${base()}/login`, { timeout: UI })
    await editor.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: UI })
    // The setup page is gone for good.
    await editor.goto(`${base()}/setup`)
    await editor.waitForURL(`${base()}/login`, { timeout: UI })

    const users = await asPage<{ users: Array<{ username: string; grants: unknown[] }> }>(admin, 'GET', '/api/v1/users')
    expect(users.body.users.map((u) => [u.username, u.grants])).toEqual([['root', [{ role: 'admin', fleets: '*' }]]])
    expect((await apiClient(base(), null)('POST', '/api/v1/auth/setup', { body: { token, username: 'root-later', password: TEST_PASSWORD } })).status).toBe(409)
  })

  it('signs the admin out and in again on the sign-in page', async () => {
    await admin.getByRole('button', { name: 'Sign out' }).click()
    await admin.waitForURL(`${base()}/login`, { timeout: UI })
    await submitCredentials(admin, { username: 'root', password: TEST_PASSWORD })
    await admin.waitForURL(`${base()}/`, { timeout: UI })
    await expect.poll(() => admin.getByTestId('signed-in-user').textContent(), { timeout: UI }).toBe('root')
  })
})

describe('a user with a role per fleet glob: editor of edge-*, viewer elsewhere', () => {
  beforeAll(async () => {
    await seedFleet('edge-1')
    await seedFleet('core')
  })

  it('is created by the admin on the users page', async () => {
    await navLink(admin, 'Users').click()
    await admin.waitForURL(`${base()}/settings/users`, { timeout: UI })
    await userRow('root').waitFor({ timeout: UI })
    await admin.getByTestId('new-user').click()
    const dialog = admin.getByTestId('create-user-dialog')
    await dialog.getByLabel('User name').fill('edge-editor')
    await dialog.getByLabel('Display name (optional)').fill('Edge team')
    await dialog.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD)
    const rows = dialog.getByTestId('grant-row')
    await rows.nth(0).getByTestId('grant-role').selectOption('editor')
    await rows.nth(0).getByTestId('grant-fleets').fill('edge-*')
    await dialog.getByTestId('add-grant').click()
    await rows.nth(1).getByTestId('grant-role').selectOption('viewer')
    await rows.nth(1).getByTestId('grant-fleets').fill('*')
    // A role reads like the fleets beside it, not greyed out as if it could not be changed.
    const background = (l: Locator) => l.evaluate((el) => getComputedStyle(el).backgroundColor)
    expect(await background(rows.nth(0).getByTestId('grant-role'))).toBe(await background(rows.nth(0).getByTestId('grant-fleets')))
    await shot(admin, 'user-dialog')
    await dialog.getByTestId('dialog-submit').click()
    await toast(admin, 'User edge-editor created')
    await dialog.waitFor({ state: 'detached', timeout: UI })

    const row = userRow('edge-editor')
    await row.waitFor({ timeout: UI })
    expect((await row.getByTestId('grants').innerText()).replace(/\s+/g, ' ')).toBe('editor on edge-* viewer on *')
    expect(await row.innerText()).toContain('Edge team')
    expect(await row.innerText()).toContain('never')
    const created = await asPage<{ users: Array<{ username: string; grants: unknown[] }> }>(admin, 'GET', '/api/v1/users')
    expect(created.body.users.find((u) => u.username === 'edge-editor')?.grants).toEqual([
      { role: 'editor', fleets: 'edge-*' },
      { role: 'viewer', fleets: '*' },
    ])
    await shot(admin, 'users')
  })

  it('signs in in a second context (after one wrong password), and is not offered users or tokens', async () => {
    expected.push(/^401 POST .*\/api\/v1\/auth\/sign-in$/)
    await submitCredentials(editor, { username: 'edge-editor', password: 'not the password at all' })
    await expect.poll(() => editor.getByRole('alert').first().textContent(), { timeout: UI }).toContain('wrong user name or password')
    expect(editor.url()).toBe(`${base()}/login`)

    await editor.getByLabel(/^Password/).fill(TEST_PASSWORD)
    await editor.locator('form button[type="submit"]').click()
    await editor.waitForURL(`${base()}/`, { timeout: UI })
    await expect.poll(() => editor.getByTestId('signed-in-user').textContent(), { timeout: UI }).toBe('edge-editor')
    await navLink(editor, 'Audit').waitFor({ timeout: UI })
    expect(await navLink(editor, 'Users').count()).toBe(0)
    expect(await navLink(editor, 'Tokens').count()).toBe(0)
    // Typed in by hand, the admin pages say what they need instead of failing.
    await editor.goto(`${base()}/settings/users`)
    await editor.getByTestId('admin-only').waitFor({ timeout: UI })
  })

  it('sees edge-1 editable: New resource, commit, rollback', async () => {
    await editor.goto(`${base()}/fleets/edge-1/resources/clusters`)
    await editor.getByTestId('new-resource').waitFor({ timeout: UI })
    expect(await editor.getByTestId('read-only-badge').count()).toBe(0)
    expect(await editor.getByTestId('row-edit').count()).toBe(1)

    await editor.goto(`${base()}/fleets/edge-1/versions`)
    await editor.locator('[data-testid="version-row"][data-version="1"]').getByTestId('rollback-button').waitFor({ timeout: UI })

    await editor.goto(`${base()}/fleets/edge-1/changes`)
    await editor.getByTestId('commit-message').fill('edge timeout 3s')
    await editor.getByTestId('commit-button').click()
    await editor.getByTestId('commit-success').waitFor({ timeout: UI })
    const versions = await asPage<{ versions: Array<{ number: number; author: string }> }>(admin, 'GET', '/api/v1/fleets/edge-1/versions')
    expect(versions.body.versions[0]).toMatchObject({ number: 3, author: 'edge-editor' })
  })

  it('sees core read-only: no New resource, no commit, no rollback (the admin is offered all three there)', async () => {
    // The same pages as root first: what edge-editor misses is there to miss.
    await admin.goto(`${base()}/fleets/core/changes`)
    await admin.getByTestId('commit-panel').waitFor({ timeout: UI })
    await admin.goto(`${base()}/fleets/core/versions`)
    await admin.locator('[data-testid="version-row"][data-version="1"]').getByTestId('rollback-button').waitFor({ timeout: UI })

    await editor.goto(`${base()}/fleets/core/resources/clusters`)
    await editor.getByTestId('read-only-badge').waitFor({ timeout: UI })
    expect(await editor.getByTestId('new-resource').count()).toBe(0)
    // The cluster's row offers viewing, not editing or deleting.
    expect(await editor.locator('[data-testid="row-actions"][data-read-only="true"]').getByTestId('row-view').count()).toBe(1)
    expect(await editor.getByTestId('row-edit').count()).toBe(0)

    await editor.goto(`${base()}/fleets/core/changes`)
    await editor.getByTestId('read-only-notice').waitFor({ timeout: UI })
    expect(await editor.getByTestId('changes-list').count()).toBe(1)
    expect(await editor.getByTestId('commit-panel').count()).toBe(0)
    expect(await editor.getByTestId('commit-button').count()).toBe(0)
    expect(await editor.getByTestId('discard-draft').count()).toBe(0)

    await editor.goto(`${base()}/fleets/core/versions`)
    await editor.locator('[data-testid="version-row"][data-version="1"]').waitFor({ timeout: UI })
    expect(await editor.getByTestId('rollback-button').count()).toBe(0)
  })

  it('gets 403 from the API when it writes core anyway, and nothing changes', async () => {
    expected.push(/^403 (PUT|POST) .*\/api\/v1\/fleets\/core\//)
    const attempts = await editor.evaluate(async (body) => {
      const send = async (method: string, url: string, data: unknown) => {
        const res = await fetch(url, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(data) })
        return { status: res.status, body: (await res.json()) as { error: { code: string; message: string } } }
      }
      return {
        put: await send('PUT', '/api/v1/fleets/core/draft/clusters/api', body),
        commit: await send('POST', '/api/v1/fleets/core/commit', { message: 'from edge-editor' }),
        rollback: await send('POST', '/api/v1/fleets/core/versions/1/rollback', {}),
      }
    }, cluster('9s'))
    for (const attempt of [attempts.put, attempts.commit, attempts.rollback]) {
      expect(attempt.status).toBe(403)
      expect(attempt.body.error.code).toBe('AUTH.FORBIDDEN')
    }
    expect(attempts.put.body.error.message).toContain('core')
    const core = await asPage<{ activeVersion: { number: number }; pendingChanges: number }>(admin, 'GET', '/api/v1/fleets/core')
    expect(core.body).toMatchObject({ activeVersion: { number: 2 }, pendingChanges: 1 })
    const draft = await asPage<{ resource: { connect_timeout: string } }>(admin, 'GET', '/api/v1/fleets/core/draft/clusters/api')
    expect(draft.body.resource.connect_timeout).toBe('3s')
  })

  it('is disabled by the admin: the open tab is sent to sign-in at its next step, and signing in is refused', async () => {
    await admin.goto(`${base()}/settings/users`)
    await userRow('edge-editor').getByTestId('edit-user').click()
    const dialog = admin.getByTestId('edit-user-dialog')
    await dialog.getByLabel('Disabled').check()
    await dialog.getByTestId('dialog-submit').click()
    await toast(admin, 'User edge-editor updated')
    expect(await admin.getByTestId('toast').filter({ hasText: 'User edge-editor updated' }).innerText()).toContain('Their sessions have ended')
    await expect.poll(() => userRow('edge-editor').getAttribute('data-disabled'), { timeout: UI }).toBe('true')

    // edge-editor's tab still shows core; the next page it asks for is the sign-in page, which names that page to come back to.
    await navLink(editor, 'Resources').click()
    await editor.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('next') === '/fleets/core/resources/listeners', { timeout: UI })
    const signInUrl = editor.url()
    // A disabled user is told what anyone with a wrong password is told: nothing about the account.
    await submitCredentials(editor, { username: 'edge-editor', password: TEST_PASSWORD })
    await expect.poll(() => editor.getByRole('alert').first().textContent(), { timeout: UI }).toContain('wrong user name or password')
    expect(editor.url()).toBe(signInUrl)
  })
})

describe('API tokens in the console', () => {
  let secret = ''

  it('creates a token whose secret is shown once, in a dialog', async () => {
    await navLink(admin, 'Tokens').click()
    await admin.waitForURL(`${base()}/settings/tokens`, { timeout: UI })
    await admin.getByTestId('tokens-panel').waitFor({ timeout: UI })
    await admin.getByTestId('new-token').click()
    const dialog = admin.getByTestId('create-token-dialog')
    await dialog.getByLabel('Name').fill('ci-deploy')
    await dialog.getByTestId('grant-role').selectOption('editor')
    await dialog.getByTestId('grant-fleets').fill('edge-*')
    await dialog.getByTestId('dialog-submit').click()

    const shown = admin.getByTestId('token-secret-dialog')
    await shown.waitFor({ timeout: UI })
    secret = await shown.getByTestId('token-secret').inputValue()
    expect(secret).toMatch(/^lgt_[A-Za-z0-9_-]{40,}$/)
    expect(await shown.getByTestId('token-secret-warning').innerText()).toContain('only time')
    expect(await shown.locator('pre').innerText()).toContain(`Authorization: Bearer ${secret}`)
    // The whole command is in sight, not cut off at the dialog's edge.
    expect(await shown.locator('pre').evaluate((pre) => pre.scrollWidth <= pre.clientWidth)).toBe(true)
    await shot(admin, 'token-secret')
    await shown.getByTestId('close-secret').click()
    await shown.waitFor({ state: 'detached', timeout: UI })

    const row = tokenRow('ci-deploy')
    await row.waitFor({ timeout: UI })
    expect(await row.getAttribute('data-status')).toBe('active')
    expect(await row.getByTestId('token-last-used').innerText()).toBe('never')
    // Gone from the page and from the API: only its hash is kept.
    expect(await admin.content()).not.toContain(secret)
    expect(JSON.stringify((await asPage(admin, 'GET', '/api/v1/tokens')).body)).not.toContain(secret)
  })

  it('works as a Bearer token, within its grants; the list shows when it was last used', async () => {
    const bearer = apiClient(base(), secret)
    const fleets = await bearer<{ fleets: Array<{ name: string }> }>('GET', '/api/v1/fleets')
    expect(fleets.status).toBe(200)
    expect(fleets.body.fleets.map((f) => f.name).sort()).toEqual(['edge-1'])
    expect((await bearer('POST', '/api/v1/fleets/core/commit', { body: { message: 'from ci' } })).status).toBe(403)
    // A token is for automation: it does not open the console.
    const page = await fetch(`${base()}/settings/tokens`, { headers: { authorization: `Bearer ${secret}` }, redirect: 'manual' })
    expect(page.status).toBe(307)
    expect(page.headers.get('location')).toMatch(/\/login\?next=%2Fsettings%2Ftokens$/)

    await admin.reload()
    await expect.poll(() => tokenRow('ci-deploy').getByTestId('token-last-used').innerText(), { timeout: UI }).toMatch(/ago|just now|seconds?/)
  })

  it('is revoked in the console (confirmed), and then answers 401', async () => {
    await tokenRow('ci-deploy').getByTestId('revoke-token').click()
    const confirm = admin.getByTestId('revoke-token-dialog')
    expect(await confirm.innerText()).toContain('refused from now on (401)')
    await confirm.getByTestId('confirm-button').click()
    await toast(admin, 'Token ci-deploy revoked')
    await expect.poll(() => tokenRow('ci-deploy').getAttribute('data-status'), { timeout: UI }).toBe('revoked')
    expect(await tokenRow('ci-deploy').getByTestId('revoke-token').count()).toBe(0)

    const refused = await apiClient(base(), secret)<{ error: { code: string } }>('GET', '/api/v1/fleets')
    expect(refused.status).toBe(401)
    expect(refused.body.error.code).toBe('AUTH.UNAUTHENTICATED')
    await shot(admin, 'tokens')
  })
})

describe('the audit page', () => {
  const rows = (): Locator => admin.getByTestId('audit-row')
  /** `actor action target` of every row shown, once the table is not waiting for an answer. */
  const shownRows = async (): Promise<string[]> => {
    await admin.locator('[data-testid="audit-table"][data-loading="false"], [data-testid="audit-empty"]').first().waitFor({ timeout: UI })
    return rows().evaluateAll((trs) => trs.map((tr) => `${tr.getAttribute('data-actor')} ${tr.getAttribute('data-action')} ${tr.getAttribute('data-target')}`))
  }

  it('lists the sign-ins, the failed sign-in, the user and token changes, each with its actor', async () => {
    await navLink(admin, 'Audit').click()
    await admin.waitForURL(`${base()}/audit`, { timeout: UI })
    await rows().first().waitFor({ timeout: UI })
    const all = await shownRows()
    expect(all).toEqual(
      expect.arrayContaining([
        'root auth.setup user/root',
        'root auth.sign-out user/root',
        expect.stringMatching(/^root auth\.sign-in address\//),
        expect.stringMatching(/^edge-editor auth\.sign-in-failed address\//),
        expect.stringMatching(/^edge-editor auth\.sign-in address\//),
        'root user.create user/edge-editor',
        'root user.update user/edge-editor',
        'root token.create token/ci-deploy',
        'root token.revoke token/ci-deploy',
      ]),
    )
    // The refused setups and writes changed nothing, so they are not entries; root-twin never existed.
    expect(all.filter((r) => r.includes('root-twin'))).toEqual([])
    expect(all.filter((r) => r.startsWith('edge-editor ') && r.includes('core'))).toEqual([])
    // What the user got is said in the row; a failed sign-in's actor is only the name typed, and the row says so.
    expect(await admin.locator('[data-testid="audit-row"][data-action="user.create"]').getByTestId('audit-detail').innerText()).toBe('editor on edge-*, viewer on *')
    expect(await admin.locator('[data-testid="audit-row"][data-action="auth.sign-in-failed"]').first().getByTestId('audit-detail').innerText()).toContain('as typed')
    expect(await admin.locator('[data-testid="audit-row"][data-action="user.update"]').getByTestId('audit-detail').innerText()).toBe('changed disabled')
    // Targets such as address/127.0.0.1 and user/edge-editor stay on one line beside a long detail column.
    const targetLines = await admin.getByTestId('audit-target').evaluateAll((cells) =>
      cells.map((cell) => {
        const range = document.createRange()
        range.selectNodeContents(cell)
        return `${cell.textContent} ${range.getClientRects().length}`
      }),
    )
    expect(targetLines).toHaveLength(all.length)
    expect(targetLines.filter((line) => !line.endsWith(' 1'))).toEqual([])
    await shot(admin, 'audit')
  })

  it('narrows by actor and by action, keeps both in the URL, and keeps them over a reload', async () => {
    await admin.getByTestId('audit-actor-filter').fill('edge-editor')
    await admin.getByTestId('audit-actor-filter').press('Enter')
    await expect.poll(() => new URL(admin.url()).search, { timeout: UI }).toBe('?actor=edge-editor')
    await expect.poll(async () => [...new Set((await shownRows()).map((r) => r.split(' ')[0]))], { timeout: UI }).toEqual(['edge-editor'])
    const byEditor = (await shownRows()).map((r) => r.split(' ')[1])
    expect(byEditor).toEqual(['auth.sign-in-failed', 'version.commit', 'auth.sign-in', 'auth.sign-in-failed'])

    await admin.getByTestId('audit-action-filter').selectOption('auth.sign-in-failed')
    await expect.poll(() => new URL(admin.url()).search, { timeout: UI }).toBe('?actor=edge-editor&action=auth.sign-in-failed')
    await expect.poll(async () => (await shownRows()).map((r) => r.split(' ').slice(0, 2).join(' ')), { timeout: UI }).toEqual(['edge-editor auth.sign-in-failed', 'edge-editor auth.sign-in-failed'])

    await admin.reload()
    expect(await admin.getByTestId('audit-actor-filter').inputValue()).toBe('edge-editor')
    expect(await admin.getByTestId('audit-action-filter').inputValue()).toBe('auth.sign-in-failed')
    expect((await shownRows()).map((r) => r.split(' ').slice(0, 2).join(' '))).toEqual(['edge-editor auth.sign-in-failed', 'edge-editor auth.sign-in-failed'])
    await shot(admin, 'audit-filtered')

    // A family of actions, with no actor: both token changes, by root.
    await admin.getByTestId('audit-clear').click()
    await expect.poll(() => new URL(admin.url()).search, { timeout: UI }).toBe('')
    await admin.getByTestId('audit-action-filter').selectOption('token.*')
    await expect.poll(() => new URL(admin.url()).search, { timeout: UI }).toBe('?action=token.*')
    await expect.poll(() => shownRows(), { timeout: UI }).toEqual(['root token.revoke token/ci-deploy', 'root token.create token/ci-deploy'])
  })

  it('ran without errors in either browser context', () => {
    expect(errors).toEqual([])
  })
})
