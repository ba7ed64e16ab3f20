import { afterAll, describe, expect, it } from 'vitest'
import { setupConsole } from '../support/console-fixture'
import { CLUSTER_TYPE_URL } from '../support/xds-fleet'
import { openSotwStream, type ProtocolStream, type ReceivedSotwResponse, type SotwRequestInput } from '../support/xds-protocol-client'

/**
 * #11 item 7 in the console: the overview's activity feed keeps the signal. Many proxies connect, one
 * NACKs (three times), many more connect: the NACK is still shown (with its count), the connects are
 * one line, and the kind chips show changes, NACKs or connections only, following the live feed.
 */
const UI_TIMEOUT = 15_000
const fx = setupConsole('activity_e2e', { uiTimeoutMs: UI_TIMEOUT })
const streams: Array<ProtocolStream<SotwRequestInput, ReceivedSotwResponse>> = []
afterAll(() => streams.forEach((s) => s.close()))

async function connect(nodeId: string): Promise<{ stream: ProtocolStream<SotwRequestInput, ReceivedSotwResponse>; nonce: string }> {
  const stream = openSotwStream(fx.xdsPort)
  streams.push(stream)
  stream.send({ node: { id: nodeId, cluster: 'demo' }, type_url: CLUSTER_TYPE_URL })
  return { stream, nonce: (await stream.next()).nonce }
}

const nack = (nonce: string, message: string): SotwRequestInput => ({ type_url: CLUSTER_TYPE_URL, response_nonce: nonce, error_detail: { code: 3, message } })
const items = (kind?: string) => fx.page.getByTestId('activity-panel').locator(kind ? `[data-testid="activity-item"][data-kind="${kind}"]` : '[data-testid="activity-item"]')
const kindsShown = async () => [...new Set(await items().evaluateAll((els) => els.map((e) => e.getAttribute('data-kind'))))].sort()

describe('console: activity feed', () => {
  it('shows a NACK through a connection storm, the storm as one line', async () => {
    for (let i = 0; i < 10; i++) await connect(`early-${i}`)
    const { stream, nonce } = await connect('nacker')
    for (let i = 0; i < 3; i++) stream.send(nack(nonce, 'cluster demo: unknown lb_policy MAGLEV_X'))
    for (let i = 0; i < 40; i++) await connect(`late-${String(i).padStart(2, '0')}`)

    await fx.page.goto(`${fx.server.baseUrl}/`)
    const nackItem = items('nack').first()
    await nackItem.waitFor({ timeout: UI_TIMEOUT })
    expect(await nackItem.innerText()).toContain('MAGLEV_X')
    await expect.poll(() => nackItem.getByTestId('activity-count').innerText(), { timeout: UI_TIMEOUT }).toBe('×3')
    // 51 proxies connected within seconds: one line.
    await expect.poll(() => items('connected').allInnerTexts(), { timeout: UI_TIMEOUT }).toEqual([expect.stringContaining('51 proxies connected')])
    await fx.markPage()
    await fx.screenshot('activity-01-storm')
  })

  it('filters by kind with the chips, and a filtered feed stays live', async () => {
    const panel = fx.page.getByTestId('activity-panel')
    await panel.getByTestId('activity-filter-nacks').click()
    await expect.poll(kindsShown, { timeout: UI_TIMEOUT }).toEqual(['nack'])
    expect(await panel.getByTestId('activity-filter-nacks').getAttribute('aria-pressed')).toBe('true')

    // A new NACK shows up in the NACKs view without a reload.
    const { stream, nonce } = await connect('second-nacker')
    stream.send(nack(nonce, 'listener: port in use'))
    await expect.poll(() => items('nack').allInnerTexts(), { timeout: UI_TIMEOUT }).toContainEqual(expect.stringContaining('second-nacker rejected Cluster: listener: port in use'))
    expect(await kindsShown()).toEqual(['nack'])

    await panel.getByTestId('activity-filter-connections').click()
    await expect.poll(kindsShown, { timeout: UI_TIMEOUT }).toEqual(['connected'])

    await panel.getByTestId('activity-filter-changes').click()
    await expect.poll(async () => (await kindsShown()).every((k) => ['commit', 'rollback', 'import', 'draft', 'fleet'].includes(k ?? '')) && (await items().count()) > 0, { timeout: UI_TIMEOUT }).toBe(true)

    await panel.getByTestId('activity-filter-all').click()
    await expect.poll(kindsShown, { timeout: UI_TIMEOUT }).toEqual(expect.arrayContaining(['connected', 'nack']))
    expect(await fx.samePage()).toBe('same page')
    await fx.screenshot('activity-02-filters')
    expect(fx.pageErrors).toEqual([])
  })
})
