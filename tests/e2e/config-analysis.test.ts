import { describe, expect, it } from 'vitest'
import { setupConsole } from '../support/console-fixture'

/*
 * Config analysis in the console (#12 item 1), in Chromium against the real server and the demo
 * fleet: a route /api moved after the demo's catch-all `prefix: /` is reported while it is being
 * edited (form and YAML editor, before saving), on the Changes page, and the commit asks for
 * confirmation before it goes through. A new resource's YAML editor marks the server's problems.
 */

const UI_TIMEOUT = 15_000
const fx = setupConsole('config_analysis', { screenshotPrefix: 'analysis-', uiTimeoutMs: UI_TIMEOUT })
const { api, expectError, screenshot, waitForToast } = fx
const input = (name: string) => fx.page.locator(`[name="${name}"]`)
const finding = (testId: string, code: string) => fx.page.locator(`[data-testid="${testId}"] [data-testid="analysis-finding"][data-code="${code}"]`)

describe('console: config analysis', () => {
  it('warns in the route form and the YAML editor that /api after the catch-all never matches, before saving', async () => {
    await fx.page.goto(`${fx.server.baseUrl}/fleets/demo/resources/routes/local_route`)
    await fx.page.getByTestId('route-config-form').waitFor({ timeout: UI_TIMEOUT })
    // The demo route configuration has nothing to report.
    expect(await fx.page.getByTestId('resource-findings').count()).toBe(0)

    // "Add route" puts the new route before the catch-all; moved below it, it can never match.
    await fx.page.getByRole('button', { name: 'Add route' }).click()
    await expect.poll(() => fx.page.getByTestId('route-card').count()).toBe(2)
    await input('virtualHosts.0.routes.0.matchValue').fill('/api')
    await input('virtualHosts.0.routes.0.cluster').selectOption('service')
    await fx.page.getByRole('button', { name: 'Move route 1 down' }).click()
    expect(await input('virtualHosts.0.routes.1.matchValue').inputValue()).toBe('/api')
    const inForm = finding('resource-findings', 'ROUTE.SHADOWED')
    await inForm.waitFor({ timeout: UI_TIMEOUT })
    expect(await inForm.getAttribute('data-severity')).toBe('warning')
    expect(await inForm.getAttribute('data-path')).toBe('virtual_hosts[0].routes[1].match.prefix')
    expect(await inForm.innerText()).toMatch(/never matches: route 1 \(routes\[0\]\) of virtual host 'local_service' \(prefix '\/'\)/i)
    await screenshot('01-form-warning')

    // The same edit, unsaved, in the YAML editor: the matcher is underlined as a warning.
    await fx.page.getByTestId('view-yaml').click()
    const editor = fx.page.getByTestId('code-editor')
    await editor.locator('.cm-content').waitFor({ timeout: UI_TIMEOUT })
    expect(await editor.locator('.cm-content').innerText()).toContain('prefix: /api')
    await editor.locator('.cm-lintRange-warning').first().waitFor({ timeout: UI_TIMEOUT })
    expect(await editor.locator('.cm-lintRange-warning').first().innerText()).toBe('prefix')
    await editor.locator('.cm-gutter-lint .cm-lint-marker-warning').first().waitFor({ timeout: UI_TIMEOUT })
    await editor.locator('.cm-lintRange-warning').first().hover()
    await fx.page.locator('.cm-tooltip-lint').waitFor({ timeout: UI_TIMEOUT })
    expect(await fx.page.locator('.cm-tooltip-lint').innerText()).toContain('never matches')
    await screenshot('02-yaml-warning')

    // Nothing was saved by the check.
    const draft = await api<{ resource: { virtual_hosts: Array<{ routes: unknown[] }> } }>('GET', '/api/v1/fleets/demo/draft/routes/local_route')
    expect(draft.body.resource.virtual_hosts[0]!.routes).toHaveLength(1)

    await fx.page.getByTestId('save-resource').click()
    await waitForToast('Saved route configuration local_route')
  })

  it('lists the warning on the Changes page, and the commit asks for confirmation', async () => {
    await fx.page.goto(`${fx.server.baseUrl}/fleets/demo/changes`)
    const onChanges = finding('analysis-findings', 'ROUTE.SHADOWED')
    await onChanges.waitFor({ timeout: UI_TIMEOUT })
    expect(await onChanges.innerText()).toContain('local_route')
    expect(await fx.page.getByTestId('analysis-findings').innerText()).toContain('1 warning')

    await fx.page.getByTestId('commit-message').fill('Add /api')
    const button = fx.page.getByTestId('commit-button')
    expect(await button.isDisabled()).toBe(true)
    await fx.page.getByTestId('accept-warnings').waitFor({ timeout: UI_TIMEOUT })
    await screenshot('03-changes-confirm')
    await fx.page.getByTestId('accept-warnings-checkbox').check()
    expect(await button.isDisabled()).toBe(false)
    await button.click()
    await waitForToast('v2 committed')

    const audit = await api<{ entries: Array<{ action: string; detail: { acceptedWarnings?: string[] } }> }>('GET', '/api/v1/audit?fleet=demo')
    expect(audit.body.entries.find((e) => e.action === 'version.commit')?.detail.acceptedWarnings).toEqual(['ROUTE.SHADOWED RouteConfiguration/local_route virtual_hosts[0].routes[1].match.prefix'])
  })

  it("marks the server's problems in a new resource's YAML editor", async () => {
    await fx.page.goto(`${fx.server.baseUrl}/fleets/demo/resources/new/clusters?view=yaml`)
    const editor = fx.page.getByTestId('code-editor')
    await editor.locator('.cm-content').waitFor({ timeout: UI_TIMEOUT })
    const replace = async (from: RegExp, to: string) => {
      await editor.locator('.cm-line', { hasText: from }).click()
      await fx.page.keyboard.press('Home')
      await fx.page.keyboard.press('Shift+End')
      await fx.page.keyboard.type(to)
      await fx.page.locator('[data-testid="syntax-status"][data-ok="true"]').waitFor({ timeout: UI_TIMEOUT })
    }
    await replace(/^name: (""|'')$/, 'name: fresh')
    await replace(/^connect_timeout: 1s$/, 'conect_timeout: 1s')
    expectError(/^422 POST .*\/draft\/clusters$/)
    await fx.page.getByTestId('save-resource').click()
    await fx.page.getByTestId('save-error').waitFor({ timeout: UI_TIMEOUT })
    const issues = fx.page.getByTestId('editor-issue')
    await issues.first().waitFor({ timeout: UI_TIMEOUT })
    expect(await issues.allInnerTexts()).toEqual(expect.arrayContaining([expect.stringContaining('conect_timeout')]))
    // Every problem listed is underlined in the text.
    await editor.locator('.cm-lintRange-error').first().waitFor({ timeout: UI_TIMEOUT })
    expect(await editor.locator('.cm-lintRange-error').count()).toBe(await issues.count())
    await screenshot('04-new-resource-marks')
    expect(fx.pageErrors).toEqual([])
  })
})
