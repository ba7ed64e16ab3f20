import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { type Browser, type Page } from 'playwright-core'
import { launchChromium } from '../support/browser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { PROJECT_ROOT, startServer, type ServerHandle } from '../support/server'

const SCREENSHOTS = path.join(PROJECT_ROOT, 'tests', 'e2e', 'screenshots')
const UI_TIMEOUT = 15_000
const PORT_PATH = 'localities.0.endpoints.0.port'
const ADDRESS_PATH = 'localities.0.endpoints.0.address'
const CERT = '-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBa\n-----END CERTIFICATE-----\n'
const PRIVATE_KEY = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC\n-----END PRIVATE KEY-----\n'

let db: TestDatabase
let server: ServerHandle
let browser: Browser
let page: Page
const pageErrors: string[] = []
/** Refusals the steps provoke on purpose (bad port, unknown field, conflict, referenced delete). */
const expectedRefusals: RegExp[] = []

async function api<T>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: T }> {
  const res = await fetch(`${server.baseUrl}${url}`, {
    method,
    headers: { 'content-type': 'application/json', 'x-legation-actor': 'e2e-other', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const text = await res.text()
  return { status: res.status, json: (text ? JSON.parse(text) : null) as T }
}

const screenshot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `resources-${name}.png`), fullPage: true })
const row = (name: string) => page.locator(`[data-testid="resource-row"][data-name="${name}"]`)
const field = (name: string) => page.locator(`[data-field="${name}"]`)
const input = (name: string) => page.locator(`[name="${name}"]`)

async function waitForToast(text: string): Promise<void> {
  await page.getByTestId('toast').filter({ hasText: text }).first().waitFor({ timeout: UI_TIMEOUT })
}

async function dismissToasts(): Promise<void> {
  for (const button of await page.getByTestId('toast').getByRole('button', { name: 'Dismiss' }).all()) await button.click().catch(() => undefined)
}

describe('console: resources, forms, editor and changes', () => {
  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true })
    db = await createTestDatabase('resources')
    server = await startServer({ env: { DATABASE_URL: db.url } })
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1360, height: 900 }, colorScheme: 'light' })
    page.on('pageerror', (err) => pageErrors.push(err.message))
    page.on('console', (msg) => {
      // The browser logs every 4xx it gets; the response handler below decides which are expected.
      if (msg.type() === 'error' && !/status of 4\d\d/.test(msg.text())) pageErrors.push(msg.text())
    })
    page.on('response', (res) => {
      const line = `${res.status()} ${res.request().method()} ${res.url()}`
      if (res.status() >= 400 && !expectedRefusals.some((re) => re.test(line))) pageErrors.push(line)
    })
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    await db?.drop()
  })

  it('lists the demo clusters with what matters', async () => {
    await page.goto(`${server.baseUrl}/fleets/demo/resources/clusters`)
    await row('service').waitFor({ timeout: UI_TIMEOUT })
    const text = await row('service').innerText()
    expect(text).toContain('STRICT_DNS')
    expect(text).toContain('ROUND_ROBIN')
    expect(text).toContain('0.25s')
    expect(text).toContain('service1:8080')
    await screenshot('01-clusters')

    await page.locator('[data-testid="kind-tabs"] a[data-kind="listeners"]').click()
    await row('listener_0').waitFor({ timeout: UI_TIMEOUT })
    expect(await row('listener_0').innerText()).toMatch(/0\.0\.0\.0:10000[\s\S]*HTTP[\s\S]*local_route/)
    await page.locator('[data-testid="kind-tabs"] a[data-kind="routes"]').click()
    await row('local_route').waitFor({ timeout: UI_TIMEOUT })
    expect(await row('local_route').innerText()).toMatch(/prefix \/[\s\S]*service/)
    await screenshot('01b-routes')
  })

  it('edits the endpoint through the form; a bad port is shown at the port field, then fixed and saved', async () => {
    await page.goto(`${server.baseUrl}/fleets/demo/resources/clusters`)
    await row('service').getByTestId('row-edit').click()
    await page.getByTestId('cluster-form').waitFor({ timeout: UI_TIMEOUT })
    expect(await page.getByTestId('resource-editor').getAttribute('data-view')).toBe('form')
    expect(await input(ADDRESS_PATH).inputValue()).toBe('service1')
    await screenshot('02-cluster-form')

    await input(ADDRESS_PATH).fill('service2')
    await input(PORT_PATH).fill('70000')
    expectedRefusals.push(/^422 PUT .*\/draft\/clusters\/service$/)
    // Enter submits the form.
    await input(PORT_PATH).press('Enter')
    const portError = field(PORT_PATH).getByTestId('field-error')
    await portError.waitFor({ timeout: UI_TIMEOUT })
    expect(await portError.innerText()).toContain('65535')
    expect(await input(PORT_PATH).getAttribute('aria-invalid')).toBe('true')
    expect(await page.getByTestId('save-error').innerText()).toContain('marked at the fields')
    await screenshot('03-bad-port')

    await input(PORT_PATH).fill('8080')
    await page.getByTestId('save-resource').click()
    await waitForToast('Saved cluster service')
    await page.waitForURL(/\/resources\/clusters$/, { timeout: UI_TIMEOUT })
    await expect.poll(async () => row('service').innerText(), { timeout: UI_TIMEOUT }).toContain('service2:8080')
    await screenshot('04-saved')
    const saved = await api<{ resource: { load_assignment: { endpoints: Array<{ lb_endpoints: Array<{ endpoint: { address: { socket_address: unknown } } }> }> } } }>('GET', '/api/v1/fleets/demo/draft/clusters/service')
    expect(saved.json.resource.load_assignment.endpoints[0]!.lb_endpoints[0]!.endpoint.address.socket_address).toEqual({ address: 'service2', port_value: 8080 })
  })

  it('shows the diff on Changes and commits it as version 2', async () => {
    await dismissToasts()
    await page.goto(`${server.baseUrl}/fleets/demo/changes`)
    const card = page.locator('[data-testid="resource-change"][data-name="service"]')
    await card.waitFor({ timeout: UI_TIMEOUT })
    expect(await card.innerText()).toContain('service2')
    expect(await card.getAttribute('data-change')).toBe('modified')
    await screenshot('05-changes')

    await page.locator('[data-testid="diff-view-toggle"] [data-format="side-by-side"]').click()
    await page.locator('[data-testid="patch"][data-format="side-by-side"]').first().waitFor({ timeout: UI_TIMEOUT })
    await screenshot('05b-changes-side-by-side')

    // A message is required.
    await page.getByTestId('commit-button').click()
    await page.getByTestId('commit-form').getByTestId('field-error').waitFor({ timeout: UI_TIMEOUT })
    await page.getByTestId('commit-message').fill('Move the demo service to service2')
    await page.getByTestId('commit-button').click()
    await waitForToast('v2 committed')
    await page.getByTestId('no-changes').waitFor({ timeout: UI_TIMEOUT })
    await screenshot('06-committed')

    const versions = await api<{ versions: Array<{ number: number; message: string; active: boolean }> }>('GET', '/api/v1/fleets/demo/versions')
    expect(versions.json.versions[0]).toMatchObject({ number: 2, message: 'Move the demo service to service2', active: true })
  })

  it('shows a YAML syntax error inline, then the API’s refusal of an unknown field at its line', async () => {
    await dismissToasts()
    await page.goto(`${server.baseUrl}/fleets/demo/resources/clusters`)
    await row('service').getByTestId('row-edit-yaml').click()
    const editor = page.getByTestId('code-editor')
    await editor.locator('.cm-content').waitFor({ timeout: UI_TIMEOUT })
    expect(await page.getByTestId('resource-editor').getAttribute('data-view')).toBe('yaml')
    expect(await editor.locator('.cm-content').innerText()).toContain('address: service2')
    await screenshot('07-yaml-editor')

    await editor.locator('.cm-content').click()
    await page.keyboard.press('Control+End')
    await page.keyboard.type('oops: a: b')
    await page.locator('[data-testid="syntax-status"][data-ok="false"]').waitFor({ timeout: UI_TIMEOUT })
    await editor.locator('.cm-lintRange-error').first().waitFor({ timeout: UI_TIMEOUT })
    await editor.locator('.cm-gutter-lint .cm-lint-marker-error').first().waitFor({ timeout: UI_TIMEOUT })
    // The form cannot take text that does not parse.
    await page.getByTestId('view-form').click()
    expect(await page.getByTestId('editor-notice').innerText()).toContain('Fix the YAML first')
    await screenshot('08-yaml-syntax-error')

    // Replace the broken line with a misspelt field: valid YAML, refused by the API.
    await editor.getByText('oops: a: b').click()
    await page.keyboard.press('Home')
    await page.keyboard.press('Shift+End')
    await page.keyboard.type('conect_timeout: 1s')
    await page.locator('[data-testid="syntax-status"][data-ok="true"]').waitFor({ timeout: UI_TIMEOUT })
    expectedRefusals.push(/^422 PUT .*\/draft\/clusters\/service$/)
    await page.getByTestId('save-resource').click()
    const issue = page.getByTestId('editor-issue').first()
    await issue.waitFor({ timeout: UI_TIMEOUT })
    expect(await issue.innerText()).toContain('conect_timeout')
    const lines = (await editor.locator('.cm-content').innerText()).split('\n')
    expect(Number(await issue.getAttribute('data-line'))).toBe(lines.findIndex((l) => l.startsWith('conect_timeout')) + 1)
    await editor.locator('.cm-lintRange-error').first().waitFor({ timeout: UI_TIMEOUT })
    // Hovering the underlined key shows the server's message.
    await editor.locator('.cm-lintRange-error').first().hover()
    await page.locator('.cm-tooltip-lint').waitFor({ timeout: UI_TIMEOUT })
    expect(await page.locator('.cm-tooltip-lint').innerText()).toContain('unknown field')
    await screenshot('09-unknown-field-inline')
  })

  it('keeps unsaved edits across a reload and converts them between YAML and the form', async () => {
    await page.reload()
    await page.getByTestId('restored-banner').waitFor({ timeout: UI_TIMEOUT })
    const editor = page.getByTestId('code-editor')
    expect(await editor.locator('.cm-content').innerText()).toContain('conect_timeout: 1s')
    await screenshot('10-restored')
    // Replace the misspelt field with one the form has no control for…
    await editor.getByText('conect_timeout: 1s').click()
    await page.keyboard.press('Home')
    await page.keyboard.press('Shift+End')
    await page.keyboard.type('dns_lookup_family: V4_ONLY')
    await page.locator('[data-testid="syntax-status"][data-ok="true"]').waitFor({ timeout: UI_TIMEOUT })
    // …edit in the form: the text edit comes along…
    await page.getByTestId('view-form').click()
    await page.getByTestId('cluster-form').waitFor({ timeout: UI_TIMEOUT })
    expect(await input('localities.0.endpoints.0.address').inputValue()).toBe('service2')
    await input('connectTimeout').fill('2s')
    await screenshot('10b-form-after-yaml')
    // …and back in YAML, both edits are there.
    await page.getByTestId('view-yaml').click()
    await editor.locator('.cm-content').waitFor({ timeout: UI_TIMEOUT })
    const text = await editor.locator('.cm-content').innerText()
    expect(text).toContain('dns_lookup_family: V4_ONLY')
    expect(text).toContain('connect_timeout: 2s')
  })

  it('on a conflict, offers to overwrite with the user’s version', async () => {
    // Someone else saves the cluster meanwhile.
    const current = await api<{ revision: number; resource: Record<string, unknown> }>('GET', '/api/v1/fleets/demo/draft/clusters/service')
    const theirs = await api('PUT', '/api/v1/fleets/demo/draft/clusters/service', { ...current.json.resource, lb_policy: 'LEAST_REQUEST' }, { 'if-match': `"${current.json.revision}"` })
    expect(theirs.status).toBe(200)
    await page.getByTestId('changed-banner').waitFor({ timeout: UI_TIMEOUT })

    expectedRefusals.push(/^409 PUT .*\/draft\/clusters\/service$/)
    await page.getByTestId('save-resource').click()
    const dialog = page.getByTestId('conflict-dialog')
    await dialog.waitFor({ timeout: UI_TIMEOUT })
    await dialog.getByTestId('conflict-diff').waitFor({ timeout: UI_TIMEOUT })
    expect(await dialog.innerText()).toContain('e2e-other')
    await screenshot('11-conflict')
    await dialog.getByTestId('conflict-overwrite').click()
    await waitForToast('Saved cluster service')
    const after = await api<{ resource: Record<string, unknown> }>('GET', '/api/v1/fleets/demo/draft/clusters/service')
    // Theirs (LEAST_REQUEST) was overwritten with this browser's version.
    expect(after.json.resource).toMatchObject({ connect_timeout: '2s', lb_policy: 'ROUND_ROBIN', dns_lookup_family: 'V4_ONLY' })
  })

  it('refuses to delete a referenced cluster and names who refers to it', async () => {
    await dismissToasts()
    await page.goto(`${server.baseUrl}/fleets/demo/resources/clusters`)
    await row('service').getByTestId('row-delete').click()
    const dialog = page.getByTestId('delete-dialog')
    await dialog.waitFor({ timeout: UI_TIMEOUT })
    expectedRefusals.push(/^409 DELETE .*\/draft\/clusters\/service$/)
    await dialog.getByTestId('confirm-button').click()
    await dialog.getByTestId('delete-referrers').waitFor({ timeout: UI_TIMEOUT })
    expect(await dialog.getByTestId('delete-referrers').innerText()).toContain('local_route')
    await screenshot('12-delete-referenced')
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden', timeout: UI_TIMEOUT })
  })

  it('creates a cluster with the form', async () => {
    await page.getByTestId('new-resource').click()
    await page.getByTestId('cluster-form').waitFor({ timeout: UI_TIMEOUT })
    await input('name').fill('api')
    await input('type').selectOption('STATIC')
    await input(ADDRESS_PATH).fill('10.0.0.7')
    await input(PORT_PATH).fill('9000')
    await input('localities.0.region').fill('eu-west-1')
    await screenshot('17-new-cluster')
    await page.getByTestId('save-resource').click()
    await waitForToast('Saved cluster api')
    await row('api').waitFor({ timeout: UI_TIMEOUT })
    expect(await row('api').innerText()).toMatch(/STATIC[\s\S]*eu-west-1[\s\S]*10\.0\.0\.7:9000/)
    const created = await api<{ resource: unknown }>('GET', '/api/v1/fleets/demo/draft/clusters/api')
    expect(created.json.resource).toEqual({
      name: 'api',
      type: 'STATIC',
      connect_timeout: '1s',
      lb_policy: 'ROUND_ROBIN',
      load_assignment: { cluster_name: 'api', endpoints: [{ locality: { region: 'eu-west-1' }, lb_endpoints: [{ endpoint: { address: { socket_address: { address: '10.0.0.7', port_value: 9000 } } } }] }] },
    })
  })

  it('never shows a secret’s private key, and keeps it on save', async () => {
    const secret = { name: 'web-cert', tls_certificate: { certificate_chain: { inline_string: CERT }, private_key: { inline_string: PRIVATE_KEY } } }
    expect((await api('POST', '/api/v1/fleets/demo/draft/secrets', secret)).status).toBe(201)
    await dismissToasts()
    await page.goto(`${server.baseUrl}/fleets/demo/resources/secrets`)
    await row('web-cert').waitFor({ timeout: UI_TIMEOUT })
    expect(await row('web-cert').innerText()).toContain('TLS certificate')
    expect(await page.locator('body').innerText()).not.toContain('MIIEvQ')

    await row('web-cert').getByTestId('row-edit').click()
    const editor = page.getByTestId('code-editor')
    await editor.locator('.cm-content').waitFor({ timeout: UI_TIMEOUT })
    const text = await editor.locator('.cm-content').innerText()
    expect(text).toContain('BEGIN CERTIFICATE')
    // The API shows a sealed private key as a fingerprint marker only.
    const marker = /<set:[0-9a-f]{8}>/.exec(text)?.[0]
    expect(marker).toBeDefined()
    expect(text).not.toContain('MIIEvQ')
    expect(await page.getByTestId('view-form').count()).toBe(0)
    await screenshot('18-secret-editor')
    await page.getByTestId('save-resource').click()
    await waitForToast('Saved secret web-cert')
    const saved = await api<{ resource: typeof secret }>('GET', '/api/v1/fleets/demo/draft/secrets/web-cert')
    // Saving the marker back keeps the stored key.
    expect(saved.json.resource.tls_certificate.private_key.inline_string).toBe(marker)

    await page.goto(`${server.baseUrl}/fleets/demo/changes`)
    const card = page.locator('[data-testid="resource-change"][data-name="web-cert"]')
    await card.waitFor({ timeout: UI_TIMEOUT })
    expect(await card.innerText()).toContain('BEGIN CERTIFICATE')
    expect(await card.innerText()).not.toContain('MIIEvQ')
    await screenshot('19-changes-with-secret')
  })

  it('discards all changes after confirming', async () => {
    await page.getByTestId('discard-draft').click()
    const dialog = page.getByTestId('discard-draft-dialog')
    await dialog.waitFor({ timeout: UI_TIMEOUT })
    await screenshot('20-discard-all')
    await dialog.getByTestId('confirm-button').click()
    await waitForToast('Draft discarded')
    await page.getByTestId('no-changes').waitFor({ timeout: UI_TIMEOUT })
    expect((await api('GET', '/api/v1/fleets/demo/draft/clusters/api')).status).toBe(404)
  })

  it('renders the forms and the editor in the dark theme and on a narrow screen, with no unexpected errors', async () => {
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.goto(`${server.baseUrl}/fleets/demo/resources/routes/local_route`)
    await page.getByTestId('route-config-form').waitFor({ timeout: UI_TIMEOUT })
    await screenshot('13-dark-route-form')
    await page.goto(`${server.baseUrl}/fleets/demo/resources/listeners/listener_0`)
    await page.getByTestId('listener-form').waitFor({ timeout: UI_TIMEOUT })
    expect(await input('routeConfigName').inputValue()).toBe('local_route')
    await screenshot('13b-dark-listener-form')
    await page.goto(`${server.baseUrl}/fleets/demo/resources/listeners/listener_0?view=yaml`)
    await page.getByTestId('code-editor').locator('.cm-content').waitFor({ timeout: UI_TIMEOUT })
    await screenshot('14-dark-yaml')
    await page.goto(`${server.baseUrl}/fleets/demo/changes`)
    await page.getByTestId('changes-summary').waitFor({ timeout: UI_TIMEOUT })
    await screenshot('15-dark-changes')

    await page.emulateMedia({ colorScheme: 'light' })
    await page.setViewportSize({ width: 420, height: 900 })
    await page.goto(`${server.baseUrl}/fleets/demo/resources/clusters/service`)
    await page.getByTestId('cluster-form').waitFor({ timeout: UI_TIMEOUT })
    await screenshot('16-narrow-form')
    expect(pageErrors).toEqual([])
  })
})
