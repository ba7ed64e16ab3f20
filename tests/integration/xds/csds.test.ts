import * as grpc from '@grpc/grpc-js'
import { describe, expect, it } from 'vitest'
import { loadEnvoyRoot } from '../../../proto/loader'
import { decodeMessage } from '../../../server/config/proto-json'
import { loadXdsServices } from '../../../server/transport/grpc/service-definitions'
import { TEST_ADMIN_TOKEN } from '../../support/credentials'
import { setupTestServer } from '../../support/test-server'
import { waitFor } from '../../support/wait-for'
import { CLUSTER_TYPE_URL, getProxy } from '../../support/xds-fleet'
import { openSotwStream } from '../../support/xds-protocol-client'

type GenericXdsConfig = { type_url: string; name: string; version_info: string; config_status: string; client_status: string; xds_config: { type_url: string; value: Buffer } | null; error_state: { details: string } | null }
type ClientStatusResponse = { config: Array<{ node: { id: string; cluster: string }; generic_xds_configs: GenericXdsConfig[] }> }

const t = setupTestServer('xds_csds')

/** CSDS shows every proxy's config, so it takes an admin API token in the call's metadata. */
function fetchClientStatus(request: unknown, token: string | null = TEST_ADMIN_TOKEN): Promise<ClientStatusResponse> {
  const method = loadXdsServices().csds['FetchClientStatus']!
  const client = new grpc.Client(`127.0.0.1:${t.xdsPort}`, grpc.credentials.createInsecure())
  const metadata = new grpc.Metadata()
  if (token !== null) metadata.set('authorization', `Bearer ${token}`)
  return new Promise((resolve, reject) =>
    client.makeUnaryRequest(method.path, method.requestSerialize, method.responseDeserialize, request, metadata, (err, res) => {
      client.close()
      if (err) reject(err)
      else resolve(res as ClientStatusResponse)
    }),
  )
}

describe('CSDS (envoy.service.status.v3)', () => {
  it('reports each connected proxy’s resources with their status, in Envoy’s shape', async () => {
    const stream = openSotwStream(t.xdsPort)
    try {
      stream.send({ node: { id: 'csds-envoy', cluster: 'demo' }, type_url: CLUSTER_TYPE_URL })
      const res = await stream.next()
      stream.send({ type_url: CLUSTER_TYPE_URL, version_info: res.version_info, response_nonce: res.nonce })
      await waitFor(async () => expect((await getProxy(t.api, 'csds-envoy'))?.state).toBe('SYNCED'), { what: 'csds-envoy SYNCED' })

      const status = await fetchClientStatus({ node_matchers: [{ node_id: { exact: 'csds-envoy' } }] })
      expect(status.config).toHaveLength(1)
      const [client] = status.config
      expect(client?.node).toMatchObject({ id: 'csds-envoy', cluster: 'demo' })
      const [cluster] = client!.generic_xds_configs
      expect(cluster).toMatchObject({ type_url: CLUSTER_TYPE_URL, name: 'service', version_info: res.version_info, config_status: 'SYNCED', client_status: 'ACKED' })
      expect(decodeMessage(loadEnvoyRoot(), 'envoy.config.cluster.v3.Cluster', cluster!.xds_config!.value)).toMatchObject({ name: 'service', type: 'STRICT_DNS' })

      const without = await fetchClientStatus({ node_matchers: [{ node_id: { prefix: 'csds-' } }], exclude_resource_contents: true })
      expect(without.config[0]?.generic_xds_configs[0]?.xds_config).toBeNull()
      expect((await fetchClientStatus({ node_matchers: [{ node_id: { exact: 'nobody' } }] })).config).toEqual([])
    } finally {
      stream.close()
    }
  })

  it('refuses callers without an admin token: UNAUTHENTICATED without one, PERMISSION_DENIED for a viewer token', async () => {
    await expect(fetchClientStatus({})).resolves.toBeDefined()
    await expect(fetchClientStatus({}, null)).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED })
    await expect(fetchClientStatus({}, 'lgt_not-a-token')).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED })
    const viewer = await t.api<{ secret: string }>('POST', '/api/v1/tokens', { body: { name: 'csds-viewer', grants: [{ role: 'viewer', fleets: '*' }] } })
    expect(viewer.status).toBe(201)
    await expect(fetchClientStatus({}, viewer.body.secret)).rejects.toMatchObject({ code: grpc.status.PERMISSION_DENIED })
  })
})
