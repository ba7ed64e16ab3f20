import type * as grpc from '@grpc/grpc-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callEcho, startEchoBackend, type EchoBackend } from '../../support/echo-backend'
import { setupTestServer } from '../../support/test-server'
import { waitFor } from '../../support/wait-for'
import { createEchoFleet, createXdsEchoClient, echoFleetResources } from '../../support/xds-client'
import { commitDraft, putEchoDraft } from '../../support/xds-fleet'
import { openSotwStream, type ProtocolStream, type ReceivedSotwResponse, type SotwRequestInput } from '../../support/xds-protocol-client'

/**
 * #12 item 2: before a commit, the draft is checked against the fleet's connected clients by their
 * own validators (@grpc/grpc-js-xds's decoders for gRPC Node clients); the prediction then comes true.
 */
const t = setupTestServer('predict')
const { api } = t
const FLEET = 'predict'

type Prediction = {
  draftRevision: number
  rejectingProxies: number
  clients: Array<{ userAgentName: string; proxies: number; checked: boolean; reason: string | null; rejections: Array<{ type: string; name: string; message: string; proxies: number }> }>
}

let backend: EchoBackend
const clients: grpc.Client[] = []
let otherClient: ProtocolStream<SotwRequestInput, ReceivedSotwResponse> | undefined
beforeAll(async () => {
  backend = await startEchoBackend('backend-1')
})
afterAll(async () => {
  otherClient?.close()
  for (const c of clients) c.close()
  await backend?.stop()
})

const predict = async (): Promise<Prediction> => {
  const res = await api<Prediction>('GET', `/api/v1/fleets/${FLEET}/draft/predict`)
  expect(res.status, res.text).toBe(200)
  return res.body
}

describe('NACK prediction for the fleet’s clients', () => {
  it('a MAGLEV cluster: predicted rejected by the two grpc-js clients with their own message, and the commit is NACKed with it', async () => {
    await createEchoFleet(api, FLEET, [backend])
    for (const nodeId of ['g-1', 'g-2']) clients.push(createXdsEchoClient({ xdsPort: t.xdsPort, nodeId, fleet: FLEET, target: 'echo' }))
    for (const c of clients) expect(await callEcho(c, 15_000)).toBe('backend-1')
    // A client Legation has no validator for: listed as not checked, never as fine.
    otherClient = openSotwStream(t.xdsPort)
    otherClient.send({ node: { id: 'other-1', cluster: FLEET, user_agent_name: 'gRPC Go', user_agent_version: '1.75.0' } as never, type_url: 'type.googleapis.com/envoy.config.cluster.v3.Cluster' })
    await otherClient.next()

    const clean = await waitFor(
      async () => {
        const p = await predict()
        expect(p.clients.reduce((n, c) => n + c.proxies, 0)).toBe(3)
        return p
      },
      { what: 'three proxies in the prediction' },
    )
    expect(clean.rejectingProxies).toBe(0)
    expect(clean.clients.find((c) => c.userAgentName === 'gRPC Node Pure JS')).toMatchObject({ proxies: 2, checked: true, rejections: [] })
    expect(clean.clients.find((c) => c.userAgentName === 'gRPC Go')).toMatchObject({ proxies: 1, checked: false })

    await putEchoDraft(api, FLEET, echoFleetResources([backend], { lb_policy: 'MAGLEV' }))
    const bad = await predict()
    expect(bad.rejectingProxies).toBe(2)
    const grpcNode = bad.clients.find((c) => c.userAgentName === 'gRPC Node Pure JS')!
    expect(grpcNode.rejections).toHaveLength(1)
    expect(grpcNode.rejections[0]).toMatchObject({ type: 'Cluster', name: 'echo-backend', proxies: 2 })
    expect(grpcNode.rejections[0]!.message).toMatch(/MAGLEV/)

    // The prediction comes true: both clients NACK the commit with the validator's own words.
    const version = await commitDraft(api, FLEET, 'maglev')
    const rollout = await waitFor(
      async () => {
        const r = await api<{ rejections: Array<{ nodeId: string; message: string }> }>('GET', `/api/v1/fleets/${FLEET}/versions/${version}/rollout`)
        expect(r.body.rejections.map((x) => x.nodeId).sort()).toEqual(['g-1', 'g-2'])
        return r.body
      },
      { what: 'both clients rejected the version', timeoutMs: 20_000 },
    )
    for (const r of rollout.rejections) expect(r.message).toContain(grpcNode.rejections[0]!.message)
  })
})
