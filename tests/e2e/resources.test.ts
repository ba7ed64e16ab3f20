import { describe, expect, it } from 'vitest'
import { setupConsole } from '../support/console-fixture'
import { signInAs } from '../support/credentials'
import { apiClient } from '../support/http'

const UI_TIMEOUT = 15_000
const PORT_PATH = 'localities.0.endpoints.0.port'
const ADDRESS_PATH = 'localities.0.endpoints.0.address'
const CERT = '-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBa\n-----END CERTIFICATE-----\n'
const PRIVATE_KEY = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC\n-----END PRIVATE KEY-----\n'

const fx = setupConsole('resources', { screenshotPrefix: 'resources-', uiTimeoutMs: UI_TIMEOUT })
const { api, dismissToasts, expectError, screenshot, waitForToast } = fx
const row = (name: string) => fx.page.locator(`[data-testid="resource-row"][data-name="${name}"]`)
const field = (name: string) => fx.page.locator(`[data-field="${name}"]`)
const input = (name: string) => fx.page.locator(`[name="${name}"]`)

/** In the YAML editor, replaces the line showing `from` with `to`, and waits until the text parses. */
async function replaceEditorLine(from: string, to: string): Promise<void> {
  await fx.page.getByTestId('code-editor').getByText(from).click()
  await fx.page.keyboard.press('Home')
  await fx.page.keyboard.press('Shift+End')
  await fx.page.keyboard.type(to)
  await fx.page.locator('[data-testid="syntax-status"][data-ok="true"]').waitFor({ timeout: UI_TIMEOUT })
}

describe('console: resources, forms, editor and changes', () => {
  it('lists the demo clusters with what matters', async () => {
    await fx.page.goto(`${fx.server.baseUrl}/fleets/demo/resources/clusters`)
    await row('service').waitFor({ timeout: UI_TIMEOUT })
    const text = await row('service').innerText()
    expect(text).toContain('STRICT_DNS')
    expect(text).toContain('ROUND_ROBIN')
    expect(text).toContain('0.25s')
    expect(text).toContain('service1:8080')
    await screenshot('01-clusters')

    await fx.page.locator('[data-testid="kind-tabs"] a[data-kind="listeners"]').click()
    await row('listener_0').waitFor({ timeout: UI_TIMEOUT })
    expect(await row('listener_0').innerText()).toMatch(/0\.0\.0\.0:10000[\s\S]*HTTP[\s\S]*local_route/)
    await fx.page.locator('[data-testid="kind-tabs"] a[data-kind="routes"]').click()
    await row('local_route').waitFor({ timeout: UI_TIMEOUT })
    expect(await row('local_route').innerText()).toMatch(/prefix \/[\s\S]*service/)
    await screenshot('01b-routes')
  })

  it('edits the endpoint through the form; a bad port is shown at the port field, then fixed and saved', async () => {
    await fx.page.goto(`${fx.server.baseUrl}/fleets/demo/resources/clusters`)
    await row('service').getByTestId('row-edit').click()
    await fx.page.getByTestId('cluster-form').waitFor({ timeout: UI_TIMEOUT })
    expect(await fx.page.getByTestId('resource-editor').getAttribute('data-view')).toBe('form')
    expect(await input(ADDRESS_PATH).inputValue()).toBe('service1')
    await screenshot('02-cluster-form')

    await input(ADDRESS_PATH).fill('service2')
    await input(PORT_PATH).fill('70000')
    expectError(/^422 PUT .*\/draft\/clusters\/service$/)
    // Enter submits the form.
    await input(PORT_PATH).press('Enter')
    const portError = field(PORT_PATH).getByTestId('field-error')
    await portError.waitFor({ timeout: UI_TIMEOUT })
    expect(await portError.innerText()).toContain('65535')
    expect(await input(PORT_PATH).getAttribute('aria-invalid')).toBe('true')
    expect(await fx.page.getByTestId('save-error').innerText()).toContain('marked at the fields')
    await screenshot('03-bad-port')

    await input(PORT_PATH).fill('8080')
    await fx.page.getByTestId('save-resource').click()
    await waitForToast('Saved cluster service')
    await fx.page.waitForURL(/\/resources\/clusters$/, { timeout: UI_TIMEOUT })
    await expect.poll(async () => row('service').innerText(), { timeout: UI_TIMEOUT }).toContain('service2:8080')
    await screenshot('04-saved')
    const saved = await api<{ resource: { load_assignment: { endpoints: Array<{ lb_endpoints: Array<{ endpoint: { address: { socket_address: unknown } } }> }> } } }>('GET', '/api/v1/fleets/demo/draft/clusters/service')
    expect(saved.body.resource.load_assignment.endpoints[0]!.lb_endpoints[0]!.endpoint.address.socket_address).toEqual({ address: 'service2', port_value: 8080 })
  })

  it('shows the diff on Changes and commits it as version 2', async () => {
    await dismissToasts()
    await fx.page.goto(`${fx.server.baseUrl}/fleets/demo/changes`)
    const card = fx.page.locator('[data-testid="resource-change"][data-name="service"]')
    await card.waitFor({ timeout: UI_TIMEOUT })
    expect(await card.innerText()).toContain('service2')
    expect(await card.getAttribute('data-change')).toBe('modified')
    await screenshot('05-changes')

    await fx.page.locator('[data-testid="diff-view-toggle"] [data-format="side-by-side"]').click()
    await fx.page.locator('[data-testid="patch"][data-format="side-by-side"]').first().waitFor({ timeout: UI_TIMEOUT })
    await screenshot('05b-changes-side-by-side')

    // A message is required.
    await fx.page.getByTestId('commit-button').click()
    await fx.page.getByTestId('commit-form').getByTestId('field-error').waitFor({ timeout: UI_TIMEOUT })
    await fx.page.getByTestId('commit-message').fill('Move the demo service to service2')
    await fx.page.getByTestId('commit-button').click()
    await waitForToast('v2 committed')
    await fx.page.getByTestId('no-changes').waitFor({ timeout: UI_TIMEOUT })
    await screenshot('06-committed')

    const versions = await api<{ versions: Array<{ number: number; message: string; active: boolean }> }>('GET', '/api/v1/fleets/demo/versions')
    expect(versions.body.versions[0]).toMatchObject({ number: 2, message: 'Move the demo service to service2', active: true })
  })

  it('shows a YAML syntax error inline, then the API’s refusal of an unknown field at its line', async () => {
    await dismissToasts()
    await fx.page.goto(`${fx.server.baseUrl}/fleets/demo/resources/clusters`)
    await row('service').getByTestId('row-edit-yaml').click()
    const editor = fx.page.getByTestId('code-editor')
    await editor.locator('.cm-content').waitFor({ timeout: UI_TIMEOUT })
    expect(await fx.page.getByTestId('resource-editor').getAttribute('data-view')).toBe('yaml')
    expect(await editor.locator('.cm-content').innerText()).toContain('address: service2')
    await screenshot('07-yaml-editor')

    await editor.locator('.cm-content').click()
    await fx.page.keyboard.press('Control+End')
    await fx.page.keyboard.type('oops: a: b')
    await fx.page.locator('[data-testid="syntax-status"][data-ok="false"]').waitFor({ timeout: UI_TIMEOUT })
    await editor.locator('.cm-lintRange-error').first().waitFor({ timeout: UI_TIMEOUT })
    await editor.locator('.cm-gutter-lint .cm-lint-marker-error').first().waitFor({ timeout: UI_TIMEOUT })
    // The form cannot take text that does not parse.
    await fx.page.getByTestId('view-form').click()
    expect(await fx.page.getByTestId('editor-notice').innerText()).toContain('Fix the YAML first')
    await screenshot('08-yaml-syntax-error')

    // Replace the broken line with a misspelt field: valid YAML, refused by the API.
    await replaceEditorLine('oops: a: b', 'conect_timeout: 1s')
    expectError(/^422 PUT .*\/draft\/clusters\/service$/)
    await fx.page.getByTestId('save-resource').click()
    const issue = fx.page.getByTestId('editor-issue').first()
    await issue.waitFor({ timeout: UI_TIMEOUT })
    expect(await issue.innerText()).toContain('conect_timeout')
    const lines = (await editor.locator('.cm-content').innerText()).split('\n')
    expect(Number(await issue.getAttribute('data-line'))).toBe(lines.findIndex((l) => l.startsWith('conect_timeout')) + 1)
    await editor.locator('.cm-lintRange-error').first().waitFor({ timeout: UI_TIMEOUT })
    // Hovering the underlined key shows the server's message.
    await editor.locator('.cm-lintRange-error').first().hover()
    await fx.page.locator('.cm-tooltip-lint').waitFor({ timeout: UI_TIMEOUT })
    expect(await fx.page.locator('.cm-tooltip-lint').innerText()).toContain('unknown field')
    await screenshot('09-unknown-field-inline')
  })

  it('keeps unsaved edits across a reload and converts them between YAML and the form', async () => {
    await fx.page.reload()
    await fx.page.getByTestId('restored-banner').waitFor({ timeout: UI_TIMEOUT })
    const editor = fx.page.getByTestId('code-editor')
    expect(await editor.locator('.cm-content').innerText()).toContain('conect_timeout: 1s')
    await screenshot('10-restored')
    // Replace the misspelt field with one the form has no control for…
    await replaceEditorLine('conect_timeout: 1s', 'dns_lookup_family: V4_ONLY')
    // …edit in the form: the text edit comes along…
    await fx.page.getByTestId('view-form').click()
    await fx.page.getByTestId('cluster-form').waitFor({ timeout: UI_TIMEOUT })
    expect(await input('localities.0.endpoints.0.address').inputValue()).toBe('service2')
    await input('connectTimeout').fill('2s')
    await screenshot('10b-form-after-yaml')
    // …and back in YAML, both edits are there.
    await fx.page.getByTestId('view-yaml').click()
    await editor.locator('.cm-content').waitFor({ timeout: UI_TIMEOUT })
    const text = await editor.locator('.cm-content').innerText()
    expect(text).toContain('dns_lookup_family: V4_ONLY')
    expect(text).toContain('connect_timeout: 2s')
  })

  it('on a conflict, offers to overwrite with the user’s version', async () => {
    // Someone else saves the cluster meanwhile.
    const current = await api<{ revision: number; resource: Record<string, unknown> }>('GET', '/api/v1/fleets/demo/draft/clusters/service')
    const other = await signInAs(fx.server.baseUrl, 'e2e-other')
    const theirs = await apiClient(fx.server.baseUrl, null)('PUT', '/api/v1/fleets/demo/draft/clusters/service', { body: { ...current.body.resource, lb_policy: 'LEAST_REQUEST' }, headers: { ...other, 'if-match': `"${current.body.revision}"` } })
    expect(theirs.status).toBe(200)
    await fx.page.getByTestId('changed-banner').waitFor({ timeout: UI_TIMEOUT })

    expectError(/^409 PUT .*\/draft\/clusters\/service$/)
    await fx.page.getByTestId('save-resource').click()
    const dialog = fx.page.getByTestId('conflict-dialog')
    await dialog.waitFor({ timeout: UI_TIMEOUT })
    await dialog.getByTestId('conflict-diff').waitFor({ timeout: UI_TIMEOUT })
    expect(await dialog.innerText()).toContain('e2e-other')
    await screenshot('11-conflict')
    await dialog.getByTestId('conflict-overwrite').click()
    await waitForToast('Saved cluster service')
    const after = await api<{ resource: Record<string, unknown> }>('GET', '/api/v1/fleets/demo/draft/clusters/service')
    // Theirs (LEAST_REQUEST) was overwritten with this browser's version.
    expect(after.body.resource).toMatchObject({ connect_timeout: '2s', lb_policy: 'ROUND_ROBIN', dns_lookup_family: 'V4_ONLY' })
  })

  it('refuses to delete a referenced cluster and names who refers to it', async () => {
    await dismissToasts()
    await fx.page.goto(`${fx.server.baseUrl}/fleets/demo/resources/clusters`)
    await row('service').getByTestId('row-delete').click()
    const dialog = fx.page.getByTestId('delete-dialog')
    await dialog.waitFor({ timeout: UI_TIMEOUT })
    expectError(/^409 DELETE .*\/draft\/clusters\/service$/)
    await dialog.getByTestId('confirm-button').click()
    await dialog.getByTestId('delete-referrers').waitFor({ timeout: UI_TIMEOUT })
    expect(await dialog.getByTestId('delete-referrers').innerText()).toContain('local_route')
    await screenshot('12-delete-referenced')
    await fx.page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden', timeout: UI_TIMEOUT })
  })

  it('creates a cluster with the form', async () => {
    await fx.page.getByTestId('new-resource').click()
    await fx.page.getByTestId('cluster-form').waitFor({ timeout: UI_TIMEOUT })
    await input('name').fill('api')
    await input('type').selectOption('STATIC')
    await input(ADDRESS_PATH).fill('10.0.0.7')
    await input(PORT_PATH).fill('9000')
    await input('localities.0.region').fill('eu-west-1')
    await screenshot('17-new-cluster')
    await fx.page.getByTestId('save-resource').click()
    await waitForToast('Saved cluster api')
    await row('api').waitFor({ timeout: UI_TIMEOUT })
    expect(await row('api').innerText()).toMatch(/STATIC[\s\S]*eu-west-1[\s\S]*10\.0\.0\.7:9000/)
    const created = await api<{ resource: unknown }>('GET', '/api/v1/fleets/demo/draft/clusters/api')
    expect(created.body.resource).toEqual({
      name: 'api',
      type: 'STATIC',
      connect_timeout: '1s',
      lb_policy: 'ROUND_ROBIN',
      load_assignment: { cluster_name: 'api', endpoints: [{ locality: { region: 'eu-west-1' }, lb_endpoints: [{ endpoint: { address: { socket_address: { address: '10.0.0.7', port_value: 9000 } } } }] }] },
    })
  })

  it('never shows a secret’s private key, and keeps it on save', async () => {
    const secret = { name: 'web-cert', tls_certificate: { certificate_chain: { inline_string: CERT }, private_key: { inline_string: PRIVATE_KEY } } }
    expect((await api('POST', '/api/v1/fleets/demo/draft/secrets', { body: secret })).status).toBe(201)
    await dismissToasts()
    await fx.page.goto(`${fx.server.baseUrl}/fleets/demo/resources/secrets`)
    await row('web-cert').waitFor({ timeout: UI_TIMEOUT })
    expect(await row('web-cert').innerText()).toContain('TLS certificate')
    expect(await fx.page.locator('body').innerText()).not.toContain('MIIEvQ')

    await row('web-cert').getByTestId('row-edit').click()
    const editor = fx.page.getByTestId('code-editor')
    await editor.locator('.cm-content').waitFor({ timeout: UI_TIMEOUT })
    const text = await editor.locator('.cm-content').innerText()
    expect(text).toContain('BEGIN CERTIFICATE')
    // The API shows a sealed private key as a fingerprint marker only.
    const marker = /<set:[0-9a-f]{8}>/.exec(text)?.[0]
    expect(marker).toBeDefined()
    expect(text).not.toContain('MIIEvQ')
    expect(await fx.page.getByTestId('view-form').count()).toBe(0)
    await screenshot('18-secret-editor')
    await fx.page.getByTestId('save-resource').click()
    await waitForToast('Saved secret web-cert')
    const saved = await api<{ resource: typeof secret }>('GET', '/api/v1/fleets/demo/draft/secrets/web-cert')
    // Saving the marker back keeps the stored key.
    expect(saved.body.resource.tls_certificate.private_key.inline_string).toBe(marker)

    await fx.page.goto(`${fx.server.baseUrl}/fleets/demo/changes`)
    const card = fx.page.locator('[data-testid="resource-change"][data-name="web-cert"]')
    await card.waitFor({ timeout: UI_TIMEOUT })
    expect(await card.innerText()).toContain('BEGIN CERTIFICATE')
    expect(await card.innerText()).not.toContain('MIIEvQ')
    await screenshot('19-changes-with-secret')
  })

  it('discards all changes after confirming', async () => {
    await fx.page.getByTestId('discard-draft').click()
    const dialog = fx.page.getByTestId('discard-draft-dialog')
    await dialog.waitFor({ timeout: UI_TIMEOUT })
    await screenshot('20-discard-all')
    await dialog.getByTestId('confirm-button').click()
    await waitForToast('Draft discarded')
    await fx.page.getByTestId('no-changes').waitFor({ timeout: UI_TIMEOUT })
    expect((await api('GET', '/api/v1/fleets/demo/draft/clusters/api')).status).toBe(404)
  })

  it('renders the forms and the editor in the dark theme and on a narrow screen, with no unexpected errors', async () => {
    await fx.page.emulateMedia({ colorScheme: 'dark' })
    await fx.page.goto(`${fx.server.baseUrl}/fleets/demo/resources/routes/local_route`)
    await fx.page.getByTestId('route-config-form').waitFor({ timeout: UI_TIMEOUT })
    await screenshot('13-dark-route-form')
    await fx.page.goto(`${fx.server.baseUrl}/fleets/demo/resources/listeners/listener_0`)
    await fx.page.getByTestId('listener-form').waitFor({ timeout: UI_TIMEOUT })
    expect(await input('routeConfigName').inputValue()).toBe('local_route')
    await screenshot('13b-dark-listener-form')
    await fx.page.goto(`${fx.server.baseUrl}/fleets/demo/resources/listeners/listener_0?view=yaml`)
    await fx.page.getByTestId('code-editor').locator('.cm-content').waitFor({ timeout: UI_TIMEOUT })
    await screenshot('14-dark-yaml')
    await fx.page.goto(`${fx.server.baseUrl}/fleets/demo/changes`)
    await fx.page.getByTestId('changes-summary').waitFor({ timeout: UI_TIMEOUT })
    await screenshot('15-dark-changes')

    await fx.page.emulateMedia({ colorScheme: 'light' })
    await fx.page.setViewportSize({ width: 420, height: 900 })
    await fx.page.goto(`${fx.server.baseUrl}/fleets/demo/resources/clusters/service`)
    await fx.page.getByTestId('cluster-form').waitFor({ timeout: UI_TIMEOUT })
    await screenshot('16-narrow-form')
    expect(fx.pageErrors).toEqual([])
  })
})
