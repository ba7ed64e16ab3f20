import { readFile, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import * as grpc from '@grpc/grpc-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureDevCa, issueCertificate, type PemPair } from '../../../server/tls/dev-ca'
import { createTestDatabase, type TestDatabase } from '../../support/database'
import { apiClient } from '../../support/http'
import { startServer, type ServerHandle } from '../../support/server'
import { waitFor } from '../../support/wait-for'
import { CLUSTER_TYPE_URL, getProxy, xdsPortOf } from '../../support/xds-fleet'
import { openSotwStream } from '../../support/xds-protocol-client'

let db: TestDatabase
let server: ServerHandle
let dataDir: string
let ca: PemPair

beforeAll(async () => {
  db = await createTestDatabase('xds_tls')
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'legation-tls-'))
  server = await startServer({ env: { DATABASE_URL: db.url, LEGATION_DATA_DIR: dataDir, LEGATION_XDS_TLS: 'mtls', LEGATION_XDS_IDENTITY: 'node-id' } })
  ca = { certPem: await readFile(path.join(dataDir, 'tls', 'ca.pem'), 'utf8'), keyPem: await readFile(path.join(dataDir, 'tls', 'ca-key.pem'), 'utf8') }
})
afterAll(async () => {
  expect(await server?.stop()).toBe(0)
  await db?.drop()
  if (dataDir) await rm(dataDir, { recursive: true, force: true })
})

async function clientCredentials(commonName: string | null): Promise<grpc.ChannelCredentials> {
  if (commonName === null) return grpc.credentials.createSsl(Buffer.from(ca.certPem))
  const leaf = await issueCertificate(ca, { commonName, usage: 'client', uris: [`spiffe://legation.test/proxy/${commonName}`] })
  return grpc.credentials.createSsl(Buffer.from(ca.certPem), Buffer.from(leaf.keyPem), Buffer.from(leaf.certPem))
}

describe('xDS over mutual TLS', () => {
  it('serves a proxy whose certificate names its node id', async () => {
    const stream = openSotwStream(xdsPortOf(server), await clientCredentials('tls-good'))
    try {
      stream.send({ node: { id: 'tls-good', cluster: 'demo' }, type_url: CLUSTER_TYPE_URL })
      const res = await stream.next()
      expect(res.resources).toHaveLength(1)
    } finally {
      stream.close()
    }
  })

  it('refuses a certificate for another node id with PERMISSION_DENIED, and shows the refusal', async () => {
    const stream = openSotwStream(xdsPortOf(server), await clientCredentials('someone-else'))
    stream.send({ node: { id: 'tls-impostor', cluster: 'demo' }, type_url: CLUSTER_TYPE_URL })
    const status = await stream.status
    expect(status.code).toBe(grpc.status.PERMISSION_DENIED)
    expect(status.details).toContain("not the node id 'tls-impostor'")
    const proxy = await waitFor(
      async () => {
        const p = await getProxy(apiClient(server.baseUrl), 'tls-impostor')
        expect(p?.state).toBe('DISCONNECTED')
        return p!
      },
      { what: 'the refused proxy is listed' },
    )
    expect(proxy.closeReason).toContain("'someone-else'")
  })

  it('refuses a proxy without a client certificate with PERMISSION_DENIED, and shows why', async () => {
    const stream = openSotwStream(xdsPortOf(server), await clientCredentials(null))
    stream.send({ node: { id: 'tls-anonymous', cluster: 'demo' }, type_url: CLUSTER_TYPE_URL })
    const status = await stream.status
    expect(status.code).toBe(grpc.status.PERMISSION_DENIED)
    expect(status.details).toContain('presented no client certificate')
    const proxy = await waitFor(
      async () => {
        const p = await getProxy(apiClient(server.baseUrl), 'tls-anonymous')
        expect(p?.state).toBe('DISCONNECTED')
        return p!
      },
      { what: 'tls-anonymous listed as refused' },
    )
    expect(proxy.closeReason).toContain('presented no client certificate')
  })

  it('never serves a certificate from another CA, even one naming the node id', async () => {
    const otherCa = await createOtherCa()
    const forged = await issueCertificate(otherCa, { commonName: 'tls-forged', usage: 'client' })
    const stream = openSotwStream(xdsPortOf(server), grpc.credentials.createSsl(Buffer.from(ca.certPem), Buffer.from(forged.keyPem), Buffer.from(forged.certPem)))
    stream.send({ node: { id: 'tls-forged', cluster: 'demo' }, type_url: CLUSTER_TYPE_URL })
    await expect(stream.next(3000)).rejects.toThrow()
    expect((await stream.status).code).not.toBe(grpc.status.OK)
  })

  it('refuses a plaintext client at the handshake', async () => {
    const stream = openSotwStream(xdsPortOf(server), grpc.credentials.createInsecure())
    stream.send({ node: { id: 'tls-plaintext', cluster: 'demo' }, type_url: CLUSTER_TYPE_URL })
    expect((await stream.status).code).toBe(grpc.status.UNAVAILABLE)
    expect(await getProxy(apiClient(server.baseUrl), 'tls-plaintext')).toBeNull()
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
