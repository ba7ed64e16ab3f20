import { afterAll, describe, expect, it } from 'vitest'
import { setupTestServer } from '../../support/test-server'
import { waitFor } from '../../support/wait-for'
import { createEchoFleet, echoFleetResources } from '../../support/xds-client'
import { CLUSTER_TYPE_URL, putEchoDraft } from '../../support/xds-fleet'
import { openSotwStream, type ProtocolStream, type ReceivedSotwResponse, type SotwRequestInput } from '../../support/xds-protocol-client'

/**
 * #12 item 2 for Envoy proxies: the draft is checked against each connected Envoy's release by the
 * feature table (server/predict/envoy-features.ts); proxies are grouped by version.
 */
const t = setupTestServer('predict-envoy')
const { api } = t
const FLEET = 'predict-envoy'
const BACKENDS = [{ address: '127.0.0.1', port: 9 }]

type Verdict = { type: string; name: string; message: string; proxies: number }
type Prediction = {
  rejectingProxies: number
  clients: Array<{ userAgentName: string; userAgentVersion: string; proxies: number; checked: boolean; reason: string | null; rejections: Verdict[]; ignored: Verdict[] }>
}

const streams: Array<ProtocolStream<SotwRequestInput, ReceivedSotwResponse>> = []
afterAll(() => {
  for (const s of streams) s.close()
})

/** A raw ADS stream that introduces itself the way Envoy does (user_agent_name 'envoy') and subscribes to every cluster. */
async function connectEnvoy(nodeId: string, version: string, as: 'string' | 'build' = 'string'): Promise<void> {
  const stream = openSotwStream(t.xdsPort)
  streams.push(stream)
  // Envoy itself sends its release as user_agent_build_version (a SemanticVersion), not as text.
  const [major_number, minor_number, patch] = version.split('.').map(Number)
  const agent = as === 'build' ? { user_agent_build_version: { version: { major_number, minor_number, patch } } } : { user_agent_version: version }
  stream.send({ node: { id: nodeId, cluster: FLEET, user_agent_name: 'envoy', ...agent } as never, type_url: CLUSTER_TYPE_URL })
  await stream.next()
}

const predict = async (): Promise<Prediction> => {
  const res = await api<Prediction>('GET', `/api/v1/fleets/${FLEET}/draft/predict`)
  expect(res.status, res.text).toBe(200)
  return res.body
}
const client = (p: Prediction, version: string) => p.clients.find((c) => c.userAgentName === 'envoy' && c.userAgentVersion === version)

describe('NACK prediction for Envoy proxies, by release', () => {
  it('a Maglev load_balancing_policy: rejected by the Envoys older than 1.26.0, not by 1.26.0; a newer field is reported as ignored; an unparsable version is not checked', async () => {
    await createEchoFleet(api, FLEET, BACKENDS)
    await connectEnvoy('envoy-old-1', '1.25.0')
    await connectEnvoy('envoy-old-2', '1.25.0')
    await connectEnvoy('envoy-new', '1.26.0', 'build')
    await connectEnvoy('envoy-odd', 'main-build')
    await waitFor(async () => expect((await predict()).clients.reduce((n, c) => n + c.proxies, 0)).toBe(4), { what: 'four Envoys in the prediction' })

    const clean = await predict()
    expect(clean.rejectingProxies).toBe(0)
    expect(client(clean, '1.25.0')).toMatchObject({ proxies: 2, checked: true, reason: null, rejections: [], ignored: [] })
    expect(client(clean, 'main-build')).toMatchObject({ proxies: 1, checked: false, rejections: [] })
    expect(client(clean, 'main-build')!.reason).toMatch(/'main-build' not understood/)

    await putEchoDraft(
      api,
      FLEET,
      echoFleetResources(BACKENDS, {
        load_balancing_policy: { policies: [{ typed_extension_config: { name: 'maglev', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.load_balancing_policies.maglev.v3.Maglev' } } }] },
        outlier_detection: { always_eject_one_host: true },
      }),
    )
    const bad = await predict()
    expect(bad.rejectingProxies).toBe(2)
    const old = client(bad, '1.25.0')!
    expect(old.checked).toBe(true)
    expect(old.rejections).toHaveLength(1)
    expect(old.rejections[0]).toMatchObject({ type: 'Cluster', name: 'echo-backend', proxies: 2 })
    expect(old.rejections[0]!.message).toMatch(/^envoy 1\.25\.0 would reject: typed_config envoy\.extensions\.load_balancing_policies\.maglev\.v3\.Maglev needs Envoy ≥ 1\.26\.0 \(changelogs\/1\.26\.0\.yaml/)
    // The newer release accepts the policy; both would silently drop the 1.31.0 outlier detection field.
    const fresh = client(bad, '1.26.0')!
    expect(fresh).toMatchObject({ proxies: 1, checked: true, rejections: [] })
    for (const c of [old, fresh]) {
      expect(c.ignored).toHaveLength(1)
      expect(c.ignored[0]!.message).toMatch(/would ignore: field envoy\.config\.cluster\.v3\.OutlierDetection\.always_eject_one_host needs Envoy ≥ 1\.31\.0/)
    }
    expect(client(bad, 'main-build')).toMatchObject({ checked: false, rejections: [] })
  })
})
