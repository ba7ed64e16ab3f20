import { describe, expect, it } from 'vitest'
import { seriousViolations } from '../support/axe'
import { setupConsole } from '../support/console-fixture'
import { signInAs } from '../support/credentials'
import { apiClient } from '../support/http'

/**
 * #15 items 4 and 5 in Chromium: the YAML editor completes Envoy field names, enum values and
 * `@type` URLs and explains a field on hover (from GET /schema/{message}); a save refused because
 * someone else changed the resource meanwhile offers the three-way merge when the edits touch
 * different fields, and lists the fields when they do not.
 */
const UI = 15_000
const fx = setupConsole('editor_assist', { screenshotPrefix: 'editor-', uiTimeoutMs: UI })
const { api, expectError, screenshot, waitForToast } = fx

const editor = () => fx.page.getByTestId('code-editor')
const popup = () => fx.page.locator('.cm-tooltip-autocomplete')
const options = async (): Promise<string[]> => (await popup().locator('li[role="option"] .cm-completionLabel').allInnerTexts()).map((t) => t.trim())
/** Clicks the completion entry labelled exactly `label` once it is listed. */
async function pick(label: string): Promise<void> {
  await expect.poll(options, { timeout: UI }).toContain(label)
  await popup().locator('li[role="option"]').filter({ has: fx.page.locator('.cm-completionLabel').getByText(label, { exact: true }) }).first().click()
}

/** Empties the editor line showing `text`, leaving the cursor at its start. */
async function clearLine(text: string | RegExp): Promise<void> {
  await editor().locator('.cm-line', { hasText: text }).first().click()
  await fx.page.keyboard.press('Home')
  await fx.page.keyboard.press('Shift+End')
  await fx.page.keyboard.press('Backspace')
}

async function editorText(): Promise<string> {
  return editor().locator('.cm-content').innerText()
}

function cluster(name: string): Record<string, unknown> {
  return {
    name,
    connect_timeout: '1s',
    type: 'STATIC',
    lb_policy: 'ROUND_ROBIN',
    load_assignment: { cluster_name: name, endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: '127.0.0.1', port_value: 8080 } } } }] }] },
  }
}

/** Someone else (another user, through the API) changes the cluster while the page holds its edit. */
async function theyChange(name: string, change: Record<string, unknown>): Promise<number> {
  const current = await api<{ revision: number; resource: Record<string, unknown> }>('GET', `/api/v1/fleets/demo/draft/clusters/${name}`)
  const other = await signInAs(fx.server.baseUrl, 'e2e-colleague')
  const res = await apiClient(fx.server.baseUrl, null)('PUT', `/api/v1/fleets/demo/draft/clusters/${name}`, { body: { ...current.body.resource, ...change }, headers: { ...other, 'if-match': `"${current.body.revision}"` } })
  expect(res.status, res.text).toBe(200)
  return (res.body as { revision: number }).revision
}

describe('console: the YAML editor knows Envoy', () => {
  it('completes lb_policy and then its values while typing in the cluster editor', async () => {
    await fx.page.goto(`${fx.server.baseUrl}/fleets/demo/resources/clusters/service?view=yaml`)
    await editor().locator('.cm-content').waitFor({ timeout: UI })
    await clearLine(/^lb_policy: ROUND_ROBIN$/)
    await fx.page.keyboard.type('lb_po')
    await popup().waitFor({ timeout: UI })
    await expect.poll(options, { timeout: UI }).toContain('lb_policy')
    // The field's type is shown next to it, its docs beside the list.
    expect(await popup().locator('li[aria-selected]').innerText()).toContain('enum LbPolicy')
    await fx.page.locator('.cm-completionInfo').waitFor({ timeout: UI })
    expect(await fx.page.locator('.cm-completionInfo').innerText()).toContain('The load balancer type to use when picking a host in the cluster.')
    await screenshot('1-complete-field', false)
    expect(await seriousViolations(fx.page)).toEqual([])

    // Enter takes it; the enum's values are offered at once.
    await fx.page.keyboard.press('Enter')
    await expect.poll(options, { timeout: UI }).toEqual(expect.arrayContaining(['ROUND_ROBIN', 'LEAST_REQUEST', 'RING_HASH', 'RANDOM', 'MAGLEV']))
    await screenshot('2-complete-enum', false)
    expect(await seriousViolations(fx.page)).toEqual([])
    await fx.page.keyboard.type('LEAST')
    await expect.poll(options, { timeout: UI }).toEqual(['LEAST_REQUEST'])
    await fx.page.keyboard.press('Enter')
    await popup().waitFor({ state: 'hidden', timeout: UI })
    expect(await editorText()).toMatch(/^lb_policy: LEAST_REQUEST$/m)
    await fx.page.locator('[data-testid="syntax-status"][data-ok="true"]').waitFor({ timeout: UI })
  })

  it('hovering a field name shows its proto type and comment', async () => {
    await fx.page.mouse.move(0, 0)
    await editor().locator('.cm-line', { hasText: /^connect_timeout:/ }).locator('text=connect_timeout').hover()
    const hover = fx.page.getByTestId('schema-hover')
    await hover.waitFor({ timeout: UI })
    const text = await hover.innerText()
    expect(text).toContain('connect_timeout')
    expect(text).toContain('Duration')
    expect(text).toContain('google.protobuf.Duration')
    expect(text).toContain('The timeout for new network connections to hosts in the cluster.')
    await screenshot('3-hover-field', false)
  })

  it('offers the transport sockets’ type URLs for @type under transport_socket, not HTTP filters', async () => {
    await fx.page.mouse.move(0, 0)
    await clearLine(/^lb_policy: LEAST_REQUEST$/)
    await fx.page.keyboard.type('transport_so')
    await pick('transport_socket') // transport_socket:\n  (indented)
    await fx.page.keyboard.type('typed_co')
    await pick('typed_config')
    await fx.page.keyboard.type('@ty')
    await pick('@type') // "@type": , then the type URLs
    await expect.poll(options, { timeout: UI }).toContain('type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext')
    expect(await options()).not.toContain('type.googleapis.com/envoy.extensions.filters.http.router.v3.Router')
    await fx.page.keyboard.type('UpstreamTlsCon')
    await expect.poll(async () => (await options())[0], { timeout: UI }).toBe('type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext')
    await screenshot('4-complete-type-url', false)
    await pick('type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext')
    expect(await editorText()).toContain('transport_socket:\n  typed_config:\n    "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext')
    // …and inside it, the fields of UpstreamTlsContext.
    await fx.page.keyboard.press('Enter')
    await fx.page.keyboard.type('s')
    await expect.poll(options, { timeout: UI }).toContain('sni')
    await fx.page.keyboard.press('Escape')
    // A typo is marked while typing (the debounced check), before any save.
    await fx.page.keyboard.press('Home')
    await fx.page.keyboard.press('Shift+End')
    await fx.page.keyboard.type('snii: x')
    await fx.page.keyboard.press('Escape')
    await fx.page.getByTestId('check-issues').waitFor({ timeout: UI })
    await editor().locator('.cm-lintRange-error').first().waitFor({ timeout: UI })
    await screenshot('5-checked-while-typing', false)
    // Leave the page without keeping the edits.
    await fx.page.getByTestId('discard-edits').click()
    await fx.page.getByTestId('discard-edits-dialog').getByTestId('confirm-button').click()
    await fx.page.locator('[data-testid="resource-editor"][data-dirty="false"]').waitFor({ timeout: UI })
  })
})

describe('console: a conflicting save merges when the edits touch different fields', () => {
  it('keeps both non-overlapping edits with "Save merged"', async () => {
    expect((await api('PUT', '/api/v1/fleets/demo/draft/clusters/orders', { body: cluster('orders') })).status).toBeLessThan(300)
    await fx.page.goto(`${fx.server.baseUrl}/fleets/demo/resources/clusters/orders?view=yaml`)
    await editor().locator('.cm-content').waitFor({ timeout: UI })
    await clearLine(/^connect_timeout: 1s$/)
    await fx.page.keyboard.type('connect_timeout: 3s')
    await fx.page.keyboard.press('Escape')
    await fx.page.locator('[data-testid="syntax-status"][data-ok="true"]').waitFor({ timeout: UI })

    const theirs = await theyChange('orders', { lb_policy: 'LEAST_REQUEST' })
    await fx.page.getByTestId('changed-banner').waitFor({ timeout: UI })
    expectError(/^409 PUT .*\/draft\/clusters\/orders$/)
    await fx.page.getByTestId('save-resource').click()
    const dialog = fx.page.getByTestId('conflict-dialog')
    await dialog.getByTestId('merge-result').waitFor({ timeout: UI })
    // The merge against theirs: only this browser's change is added.
    const changed = (await dialog.getByTestId('merge-result').locator('.d2h-ins, .d2h-del').allInnerTexts()).join('\n')
    expect(changed).toContain('connect_timeout: 3s')
    expect(changed).toContain('connect_timeout: 1s')
    expect(changed).not.toContain('lb_policy')
    expect(await dialog.innerText()).toContain('you changed different fields')
    await screenshot('6-merge-offered', false)
    expect(await seriousViolations(fx.page)).toEqual([])

    await dialog.getByTestId('conflict-save-merged').click()
    await waitForToast('Saved cluster orders')
    const after = await api<{ revision: number; resource: Record<string, unknown> }>('GET', '/api/v1/fleets/demo/draft/clusters/orders')
    expect(after.body.revision).toBe(theirs + 1)
    expect(after.body.resource).toMatchObject({ connect_timeout: '3s', lb_policy: 'LEAST_REQUEST', type: 'STATIC' })
  })

  it('lists the field both changed and keeps the other choices', async () => {
    await fx.page.goto(`${fx.server.baseUrl}/fleets/demo/resources/clusters/orders?view=yaml`)
    await editor().locator('.cm-content').waitFor({ timeout: UI })
    await clearLine(/^lb_policy: LEAST_REQUEST$/)
    await fx.page.keyboard.type('lb_policy: MAGLEV')
    await fx.page.keyboard.press('Escape')
    await fx.page.locator('[data-testid="syntax-status"][data-ok="true"]').waitFor({ timeout: UI })
    await theyChange('orders', { lb_policy: 'RANDOM' })
    await fx.page.getByTestId('changed-banner').waitFor({ timeout: UI })
    expectError(/^409 PUT .*\/draft\/clusters\/orders$/)
    await fx.page.getByTestId('save-resource').click()
    const dialog = fx.page.getByTestId('conflict-dialog')
    await dialog.getByTestId('merge-conflicts').waitFor({ timeout: UI })
    expect(await dialog.getByTestId('merge-conflict').getAttribute('data-path')).toBe('lb_policy')
    expect(await dialog.getByTestId('merge-conflict').innerText()).toContain('yours "MAGLEV", theirs "RANDOM"')
    expect(await dialog.getByTestId('conflict-save-merged').count()).toBe(0)
    await screenshot('7-merge-conflict', false)
    await dialog.getByTestId('conflict-overwrite').click()
    await waitForToast('Saved cluster orders')
    const after = await api<{ resource: Record<string, unknown> }>('GET', '/api/v1/fleets/demo/draft/clusters/orders')
    expect(after.body.resource).toMatchObject({ lb_policy: 'MAGLEV', connect_timeout: '3s' })
    expect(fx.pageErrors).toEqual([])
  })
})
