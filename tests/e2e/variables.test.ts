import { describe, expect, it } from 'vitest'
import { DEMO_RESOURCES } from '../../server/config/demo'
import { seriousViolations } from '../support/axe'
import { setupConsole } from '../support/console-fixture'

/**
 * #14 item 4 in Chromium: an operator sets a variable and a secret on the Variables page, uses the
 * variable in a resource, reviews both on the Changes page (the secret's value nowhere on screen),
 * commits, and sees the substituted value in what the fleet serves.
 */
const UI_TIMEOUT = 20_000
const fx = setupConsole('variables-e2e', { uiTimeoutMs: UI_TIMEOUT })
const { api } = fx
const SECRET = 'e2e-secret-8d41f0'
const service = DEMO_RESOURCES.find((r) => r.type === 'Cluster' && r.name === 'service')!.resource

describe('fleet variables in the console', () => {
  it('are set on the Variables page, reviewed on the Changes page and served once committed', async () => {
    const base = fx.server.baseUrl
    await fx.page.goto(`${base}/fleets/demo/variables`)
    await fx.page.getByTestId('no-variables').waitFor({ timeout: UI_TIMEOUT })
    const form = fx.page.getByTestId('variable-form')
    await form.getByLabel('Name').fill('CONNECT_TIMEOUT')
    await form.getByLabel('Value').fill('4s')
    await form.getByRole('button', { name: 'Save to draft' }).click()
    await fx.waitForToast('Variable CONNECT_TIMEOUT saved to the draft')
    await form.getByLabel('Name').fill('STAT_SECRET')
    await form.getByLabel('Value').fill(SECRET)
    await fx.page.getByTestId('variable-secret').check()
    await form.getByRole('button', { name: 'Save to draft' }).click()
    await fx.waitForToast('Variable STAT_SECRET saved to the draft')
    const rows = fx.page.getByTestId('variable-row')
    await expect.poll(async () => rows.count(), { timeout: UI_TIMEOUT }).toBe(2)
    expect(await rows.nth(0).innerText()).toContain('4s')
    expect(await rows.nth(1).innerText()).toContain('secret')
    expect(await fx.page.content()).not.toContain(SECRET)
    expect(await seriousViolations(fx.page)).toEqual([])
    await fx.screenshot('variables-page')

    // A bad name is refused at its field, by the form before any request.
    await form.getByLabel('Name').fill('1-bad')
    await form.getByRole('button', { name: 'Save to draft' }).click()
    await form.getByTestId('field-error').first().waitFor({ timeout: UI_TIMEOUT })

    // Used in a resource: a duration field given as "${CONNECT_TIMEOUT}".
    const put = await api('PUT', '/api/v1/fleets/demo/draft/clusters/service', { body: { ...service, connect_timeout: '${CONNECT_TIMEOUT}', alt_stat_name: '${STAT_SECRET}' } })
    expect(put.status, put.text).toBe(200)

    await fx.page.goto(`${base}/fleets/demo/changes`)
    const changes = fx.page.getByTestId('variable-changes')
    await changes.waitFor({ timeout: UI_TIMEOUT })
    const listed = await changes.getByTestId('variable-change').allInnerTexts()
    expect(listed).toHaveLength(2)
    expect(listed[0]).toMatch(/CONNECT_TIMEOUT\s+added\s+4s/)
    expect(listed[1]).toMatch(/STAT_SECRET\s+added\s+\(secret: value not shown\)/)
    // The resource diff shows the substituted value; the secret only as its marker.
    const diffText = await fx.page.getByTestId('changes-list').innerText()
    expect(diffText).toContain('connect_timeout: 4s')
    expect(diffText).toMatch(/alt_stat_name: <set:[0-9a-f]{8}>/)
    expect(await fx.page.content()).not.toContain(SECRET)

    await fx.page.getByTestId('commit-message').fill('connect timeout from a variable')
    await fx.page.getByTestId('commit-button').click()
    await fx.page.getByText('v2 committed').waitFor({ timeout: UI_TIMEOUT })

    const served = await api<{ resources: Array<{ type: string; name: string; resource: { connect_timeout?: string } }> }>('GET', '/api/v1/fleets/demo/effective')
    expect(served.body.resources.find((r) => r.type === 'Cluster' && r.name === 'service')!.resource.connect_timeout).toBe('4s')
    expect(fx.pageErrors).toEqual([])
  })
})
