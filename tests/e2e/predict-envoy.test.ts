import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setupConsole } from '../support/console-fixture'
import { createEchoFleet, echoFleetResources } from '../support/xds-client'
import { CLUSTER_TYPE_URL, putEchoDraft } from '../support/xds-fleet'
import { openSotwStream, type ProtocolStream, type ReceivedSotwResponse, type SotwRequestInput } from '../support/xds-protocol-client'

/**
 * #12 item 2 for Envoy, in Chromium: the Changes page names the Envoy release that would reject the
 * draft (by the feature table), what an older Envoy would accept without applying, and an Envoy of
 * unknown version as not checked, with why.
 */
const UI_TIMEOUT = 20_000
const FLEET = 'edge'
const BACKENDS = [{ address: '127.0.0.1', port: 9 }]
const fx = setupConsole('predict-envoy-e2e', { uiTimeoutMs: UI_TIMEOUT })
const { api } = fx
const streams: Array<ProtocolStream<SotwRequestInput, ReceivedSotwResponse>> = []

beforeAll(async () => {
  await createEchoFleet(api, FLEET, BACKENDS)
  for (const [id, version] of [['envoy-a', '1.25.0'], ['envoy-b', '']] as const) {
    const s = openSotwStream(fx.xdsPort)
    streams.push(s)
    s.send({ node: { id, cluster: FLEET, user_agent_name: 'envoy', user_agent_version: version } as never, type_url: CLUSTER_TYPE_URL })
    await s.next()
  }
})
afterAll(() => {
  for (const s of streams) s.close()
})

describe('Changes page: what the connected Envoys would reject', () => {
  it('a Maglev load_balancing_policy: would be rejected by the envoy 1.25.0 proxy, with the minimum version and the changelog', async () => {
    await putEchoDraft(
      api,
      FLEET,
      echoFleetResources(BACKENDS, {
        load_balancing_policy: { policies: [{ typed_extension_config: { name: 'maglev', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.load_balancing_policies.maglev.v3.Maglev' } } }] },
        outlier_detection: { always_eject_one_host: true },
      }),
    )
    await fx.page.goto(`${fx.server.baseUrl}/fleets/${FLEET}/changes`)
    await fx.page.locator('[data-testid="client-predictions"][data-rejecting="1"]').waitFor({ timeout: UI_TIMEOUT })
    expect(await fx.page.getByTestId('client-predictions').textContent()).toContain('Would be rejected by 1 connected proxy')
    const rejection = (await fx.page.getByTestId('client-rejection').textContent()) ?? ''
    expect(rejection).toContain('1 proxy (envoy 1.25.0)')
    expect(rejection).toContain('echo-backend')
    expect(rejection).toContain('typed_config envoy.extensions.load_balancing_policies.maglev.v3.Maglev needs Envoy ≥ 1.26.0 (changelogs/1.26.0.yaml')
    expect(await fx.page.getByTestId('client-predictions-ignored').textContent()).toMatch(/envoy 1\.25\.0.*always_eject_one_host needs Envoy ≥ 1\.31\.0/)
    expect(await fx.page.getByTestId('client-predictions-unchecked').textContent()).toMatch(/1 proxy \(envoy \): Envoy version unknown/)
  })
})
