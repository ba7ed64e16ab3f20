import * as grpc from '@grpc/grpc-js'
import { describe, expect, it } from 'vitest'
import { setupTestServer } from '../../support/test-server'
import { waitFor } from '../../support/wait-for'
import { CLUSTER_TYPE_URL, getProxy } from '../../support/xds-fleet'
import { openSotwStream } from '../../support/xds-protocol-client'

/** LEGATION_XDS_AUTH=token: every xDS stream must carry a proxy token of the fleet it lands in. */
const t = setupTestServer('xds_proxy_tokens', { LEGATION_XDS_AUTH: 'token' })

async function proxyToken(name: string, fleets: string, kind: 'proxy' | 'api' = 'proxy'): Promise<string> {
  const res = await t.api<{ secret: string }>('POST', '/api/v1/tokens', { body: { name, kind, grants: [{ role: 'viewer', fleets }] } })
  expect(res.status, res.text).toBe(201)
  return res.body.secret
}

function streamWith(token: string | null) {
  const metadata = new grpc.Metadata()
  if (token !== null) metadata.set('authorization', `Bearer ${token}`)
  return openSotwStream(t.xdsPort, undefined, metadata)
}

describe('proxy tokens on gRPC xDS streams', () => {
  it.each([
    ['no token', null, grpc.status.UNAUTHENTICATED, /requires a proxy token/],
    ['an unknown token', 'lgp_unknown', grpc.status.UNAUTHENTICATED, /requires a proxy token/],
    ['a proxy token of another fleet', 'other', grpc.status.PERMISSION_DENIED, /not a proxy token for fleet 'demo'/],
    ['an API token', 'api', grpc.status.PERMISSION_DENIED, /not a proxy token for fleet 'demo'/],
  ] as const)('refuses a stream with %s, and lists the proxy as refused', async (label, kind, code, details) => {
    const token = kind === 'other' ? await proxyToken('other-fleet-proxies', 'other-*') : kind === 'api' ? await proxyToken('ci', '*', 'api') : kind
    const nodeId = `refused-${label.replace(/\W+/g, '-')}`
    const stream = streamWith(token)
    stream.send({ node: { id: nodeId, cluster: 'demo' }, type_url: CLUSTER_TYPE_URL })
    const status = await stream.status
    expect(status.code).toBe(code)
    expect(status.details).toMatch(details)
    const shown = await waitFor(async () => {
      const p = await getProxy(t.api, nodeId)
      expect(p?.state).toBe('DISCONNECTED')
      return p
    })
    expect(shown.closeReason).toMatch(details)
  })

  it('serves a stream with a proxy token of its fleet', async () => {
    const stream = streamWith(await proxyToken('demo-proxies', 'demo'))
    try {
      stream.send({ node: { id: 'tokened-envoy', cluster: 'demo' }, type_url: CLUSTER_TYPE_URL })
      const res = await stream.next()
      expect(res.resources.length).toBeGreaterThan(0)
    } finally {
      stream.close()
    }
  })
})
