import * as grpc from '@grpc/grpc-js'
import { describe, expect, it } from 'vitest'
import { expectApiError, rawRequest } from '../../support/raw-http'
import { setupTestServer } from '../../support/test-server'
import { waitFor } from '../../support/wait-for'
import { CLUSTER_TYPE_URL, type ProxyView } from '../../support/xds-fleet'
import { openSotwStream, type SotwRequestInput } from '../../support/xds-protocol-client'

/**
 * #16 item 7: one client must not freeze the server. An 8 KB node id made every proxy-status write
 * of the replica fail and retry forever (the change notification carrying it is over Postgres'
 * 8,000-byte NOTIFY limit), so proxies connecting afterwards were served but never appeared in the
 * API. The node is now bounded when the stream opens: INVALID_ARGUMENT naming the field and its limit.
 */
const t = setupTestServer('hostile_oversize_node')

async function refusal(first: SotwRequestInput): Promise<grpc.StatusObject> {
  const stream = openSotwStream(t.xdsPort)
  stream.send(first)
  // A stream that is served instead gets a response: fail at once rather than wait for a status.
  return Promise.race([stream.status, stream.next().then((r) => (stream.close(), Promise.reject(new Error(`served ${r.type_url}, not refused`))))])
}

async function proxyIds(): Promise<string[]> {
  const res = await t.api<{ proxies: ProxyView[] }>('GET', '/api/v1/proxies')
  expect(res.status).toBe(200)
  return res.body.proxies.map((p) => p.nodeId)
}

describe('a node over the size limits', () => {
  it('is refused with INVALID_ARGUMENT naming node.id and its limit; a proxy connecting afterwards appears in the API', async () => {
    const status = await refusal({ node: { id: 'x'.repeat(8192), cluster: 'demo' }, type_url: CLUSTER_TYPE_URL })
    expect(status.code).toBe(grpc.status.INVALID_ARGUMENT)
    expect(status.details).toBe('node.id is 8192 bytes; the limit is 1024 bytes')

    const normal = openSotwStream(t.xdsPort)
    normal.send({ node: { id: 'after-the-big-one', cluster: 'demo' }, type_url: CLUSTER_TYPE_URL })
    expect((await normal.next()).type_url).toBe(CLUSTER_TYPE_URL)
    const ids = await waitFor(async () => ((await proxyIds()).includes('after-the-big-one') ? proxyIds() : null), { what: 'the normal proxy in /api/v1/proxies' })
    // The refused stream was never recorded: nothing of it can poison a write.
    expect(ids.filter((id) => id.length > 1024)).toEqual([])
    normal.close()
  })

  it('bounds node.cluster, the metadata (encoded), the user agent and the locality alike', async () => {
    const base = { id: 'bounded-1', cluster: 'demo' }
    const cases: Array<[SotwRequestInput['node'], string]> = [
      [{ ...base, cluster: 'c'.repeat(2000) }, 'node.cluster is 2000 bytes; the limit is 1024 bytes'],
      [{ ...base, metadata: { fields: { blob: { stringValue: 'm'.repeat(70_000) } } } } as SotwRequestInput['node'], 'node.metadata is'],
      [{ ...base, user_agent_name: 'u'.repeat(300) }, 'node.user_agent_name is 300 bytes; the limit is 256 bytes'],
      [{ ...base, user_agent_version: 'v'.repeat(300) }, 'node.user_agent_version is 300 bytes; the limit is 256 bytes'],
      [{ ...base, locality: { region: 'r'.repeat(300) } }, 'node.locality.region is 300 bytes; the limit is 256 bytes'],
    ]
    for (const [node, details] of cases) {
      const status = await refusal({ node, type_url: CLUSTER_TYPE_URL }).catch((err: Error) => Promise.reject(new Error(`${details}: ${err.message}`)))
      expect(status.code, details).toBe(grpc.status.INVALID_ARGUMENT)
      expect(status.details).toContain(details)
    }
    expect(await proxyIds()).not.toContain('bounded-1')
  })

  it('is answered 400 by the REST gateway, in the API error shape', async () => {
    const post = (node: unknown) => rawRequest(t.server.baseUrl, 'POST', '/v3/discovery:clusters', { body: JSON.stringify({ node }), headers: { authorization: '' } })
    const tooLong = expectApiError(await post({ id: 'x'.repeat(8192), cluster: 'demo' }), 400, 'REQUEST.INVALID')
    expect(tooLong.message).toBe('node.id is 8192 bytes; the limit is 1024 bytes')
    expect(tooLong.issues).toEqual([{ path: 'node.id', message: 'at most 1024 bytes' }])
    const metadata = expectApiError(await post({ id: 'rest-1', cluster: 'demo', metadata: { blob: 'm'.repeat(70_000) } }), 400, 'REQUEST.INVALID')
    expect(metadata.issues[0]?.path).toBe('node.metadata')
    expect((await post({ id: 'rest-1', cluster: 'demo' })).status).toBe(200)
  })
})
