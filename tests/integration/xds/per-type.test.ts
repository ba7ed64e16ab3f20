import * as grpc from '@grpc/grpc-js'
import { describe, expect, it } from 'vitest'
import { setupTestServer } from '../../support/test-server'
import { waitFor } from '../../support/wait-for'
import { CLUSTER_TYPE_URL, LISTENER_TYPE_URL, getProxy } from '../../support/xds-fleet'
import { openPerTypeStream, type ReceivedDeltaResponse, type ReceivedSotwResponse } from '../../support/xds-protocol-client'

const t = setupTestServer('xds_per_type')
const { api } = t
const node = { id: 'per-type-1', cluster: 'demo', user_agent_name: 'protocol-test' }

describe('per-type xDS services', () => {
  it('serves CDS and LDS on their own streams, with type_url implied, and shows one proxy', async () => {
    const cds = openPerTypeStream(t.xdsPort, 'CDS')
    const lds = openPerTypeStream(t.xdsPort, 'LDS')
    try {
      cds.send({ node, resource_names: [] })
      const clusters = await cds.next()
      expect(clusters.type_url).toBe(CLUSTER_TYPE_URL)
      expect(clusters.resources).toHaveLength(1)
      cds.send({ version_info: clusters.version_info, response_nonce: clusters.nonce })

      lds.send({ node, type_url: LISTENER_TYPE_URL })
      const listeners = await lds.next()
      expect(listeners.type_url).toBe(LISTENER_TYPE_URL)
      lds.send({ version_info: listeners.version_info, response_nonce: listeners.nonce, type_url: LISTENER_TYPE_URL })

      const proxy = await waitFor(
        async () => {
          const p = await getProxy(api, node.id)
          expect(p?.state).toBe('SYNCED')
          expect(Object.keys(p!.types).sort()).toEqual([CLUSTER_TYPE_URL, LISTENER_TYPE_URL].sort())
          return p!
        },
        { what: 'one proxy with both types, SYNCED' },
      )
      expect((proxy as unknown as { stream: string }).stream.split(' + ').sort()).toEqual(['CDS', 'LDS'])
      const list = await api<{ proxies: Array<{ nodeId: string }> }>('GET', '/api/v1/proxies?fleet=demo')
      expect(list.body.proxies.filter((p) => p.nodeId === node.id)).toHaveLength(1)
    } finally {
      cds.close()
      lds.close()
    }
  })

  it('refuses a request for another type on a per-type stream', async () => {
    const cds = openPerTypeStream<ReceivedSotwResponse>(t.xdsPort, 'CDS')
    cds.send({ node: { ...node, id: 'per-type-2' }, type_url: LISTENER_TYPE_URL })
    const status = await cds.status
    expect(status.code).toBe(grpc.status.INVALID_ARGUMENT)
    expect(status.details).toContain('serves type.googleapis.com/envoy.config.cluster.v3.Cluster only')
  })

  it('serves delta on a per-type service too', async () => {
    const cds = openPerTypeStream<ReceivedDeltaResponse>(t.xdsPort, 'CDS', 'delta')
    try {
      cds.send({ node: { ...node, id: 'per-type-3' }, resource_names_subscribe: ['*'] })
      const res = await cds.next()
      expect(res.type_url).toBe(CLUSTER_TYPE_URL)
      expect(res.resources.map((r) => r.name)).toEqual(['service'])
      expect(res.resources[0]?.version).toMatch(/^[0-9a-f]{64}$/)
    } finally {
      cds.close()
    }
  })

  it('refuses an oversized request (over the 16 MiB limit) with RESOURCE_EXHAUSTED', async () => {
    const cds = openPerTypeStream<ReceivedSotwResponse>(t.xdsPort, 'CDS')
    cds.send({ node: { ...node, id: 'per-type-big' }, resource_names: Array.from({ length: 17 }, (_, i) => `${i}-${'x'.repeat(1024 * 1024)}`) })
    const status = await cds.status
    expect(status.code).toBe(grpc.status.RESOURCE_EXHAUSTED)
  })
})
