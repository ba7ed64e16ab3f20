import { readFile, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import * as grpc from '@grpc/grpc-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureDevCa, issueCertificate, type PemPair } from '../../../server/tls/dev-ca'
import { setupTestServer } from '../../support/test-server'
import { waitFor } from '../../support/wait-for'
import { CLUSTER_TYPE_URL, getProxy } from '../../support/xds-fleet'
import { openSotwStream } from '../../support/xds-protocol-client'

let dataDir: string
let ca: PemPair

// Registered before the server, so the data dir exists when it starts and is removed after it stops.
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'legation-tls-'))
})
afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true })
})
const t = setupTestServer('xds_tls', () => ({ LEGATION_DATA_DIR: dataDir, LEGATION_XDS_TLS: 'mtls', LEGATION_XDS_IDENTITY: 'node-id' }))
beforeAll(async () => {
  ca = { certPem: await readFile(path.join(dataDir, 'tls', 'ca.pem'), 'utf8'), keyPem: await readFile(path.join(dataDir, 'tls', 'ca-key.pem'), 'utf8') }
})

async function clientCredentials(commonName: string | null, fleet = 'demo'): Promise<grpc.ChannelCredentials> {
  if (commonName === null) return grpc.credentials.createSsl(Buffer.from(ca.certPem))
  // The certificate names the node id and the fleet the proxy asks for by node.cluster.
  const leaf = await issueCertificate(ca, { commonName, usage: 'client', uris: [`spiffe://legation.test/fleet/${fleet}/proxy/${commonName}`] })
  return grpc.credentials.createSsl(Buffer.from(ca.certPem), Buffer.from(leaf.keyPem), Buffer.from(leaf.certPem))
}

describe('xDS over mutual TLS', () => {
  it('serves a proxy whose certificate names its node id', async () => {
    const stream = openSotwStream(t.xdsPort, await clientCredentials('tls-good'))
    try {
      stream.send({ node: { id: 'tls-good', cluster: 'demo' }, type_url: CLUSTER_TYPE_URL })
      const res = await stream.next()
      expect(res.resources).toHaveLength(1)
    } finally {
      stream.close()
    }
  })

  it('refuses a certificate that does not name the fleet the proxy claims by node.cluster (#16 item 12)', async () => {
    const stream = openSotwStream(t.xdsPort, await clientCredentials('tls-fleet-hopper', 'other'))
    stream.send({ node: { id: 'tls-fleet-hopper', cluster: 'demo' }, type_url: CLUSTER_TYPE_URL })
    const status = await stream.status
    expect(status.code).toBe(grpc.status.PERMISSION_DENIED)
    expect(status.details).toContain("does not name fleet 'demo'")
  })

  it.each([
    ['a certificate for another node id', 'someone-else', 'tls-impostor', "not the node id 'tls-impostor'", "'someone-else'"],
    ['a proxy without a client certificate', null, 'tls-anonymous', 'presented no client certificate', 'presented no client certificate'],
  ] as const)('refuses %s with PERMISSION_DENIED, and shows the refusal', async (_label, commonName, nodeId, details, closeReason) => {
    const stream = openSotwStream(t.xdsPort, await clientCredentials(commonName))
    stream.send({ node: { id: nodeId, cluster: 'demo' }, type_url: CLUSTER_TYPE_URL })
    const status = await stream.status
    expect(status.code).toBe(grpc.status.PERMISSION_DENIED)
    expect(status.details).toContain(details)
    const proxy = await waitFor(
      async () => {
        const p = await getProxy(t.api, nodeId)
        expect(p?.state).toBe('DISCONNECTED')
        return p!
      },
      { what: `${nodeId} listed as refused` },
    )
    expect(proxy.closeReason).toContain(closeReason)
  })

  it('never serves a certificate from another CA, even one naming the node id', async () => {
    const otherCa = await createOtherCa()
    const forged = await issueCertificate(otherCa, { commonName: 'tls-forged', usage: 'client' })
    const stream = openSotwStream(t.xdsPort, grpc.credentials.createSsl(Buffer.from(ca.certPem), Buffer.from(forged.keyPem), Buffer.from(forged.certPem)))
    stream.send({ node: { id: 'tls-forged', cluster: 'demo' }, type_url: CLUSTER_TYPE_URL })
    // The call ends without a response: wait for its end, then nothing may be queued.
    expect((await stream.status).code).not.toBe(grpc.status.OK)
    await expect(stream.next()).rejects.toThrow(/stream ended/)
  })

  it('refuses a plaintext client at the handshake', async () => {
    const stream = openSotwStream(t.xdsPort, grpc.credentials.createInsecure())
    stream.send({ node: { id: 'tls-plaintext', cluster: 'demo' }, type_url: CLUSTER_TYPE_URL })
    expect((await stream.status).code).toBe(grpc.status.UNAVAILABLE)
    expect(await getProxy(t.api, 'tls-plaintext')).toBeNull()
  })
})

/** A second, unrelated CA: its certificates must not be accepted. */
async function createOtherCa(): Promise<PemPair> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'legation-other-ca-'))
  try {
    const { ca: other } = await ensureDevCa(dir, ['localhost'])
    return other
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
