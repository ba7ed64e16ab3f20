import { webcrypto } from 'node:crypto'
import * as grpc from '@grpc/grpc-js'
import * as x509 from '@peculiar/x509'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadEnvoyRoot } from '../../../proto/loader'
import { decodeMessage } from '../../../server/config/proto-json'
import { loadXdsServices } from '../../../server/transport/grpc/service-definitions'
import { TEST_ADMIN_TOKEN } from '../../support/credentials'
import { apiClient, type ApiResponse } from '../../support/http'
import { setupTestServer } from '../../support/test-server'
import { waitFor } from '../../support/wait-for'
import { CLUSTER_TYPE_URL } from '../../support/xds-fleet'
import type { ReceivedSotwResponse } from '../../support/xds-protocol-client'

/*
 * The private keys of a fleet (a Secret, a key inline in a cluster's TLS context, a generic secret)
 * are written once through the API and then appear nowhere but in what an authenticated proxy of
 * the fleet receives: not in any API answer (draft, versions, diffs, config dump, proxies, activity,
 * audit), not in the event feed, not in CSDS, not in the server's log. xDS streams need a proxy
 * token here (LEGATION_XDS_AUTH=token), as docs/security.md advises for production.
 */

const SECRET_TYPE_URL = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret'
const FLEET = 'vault'
const NODE = 'vault-proxy-1'

const t = setupTestServer('auth_secret_material', { LEGATION_XDS_AUTH: 'token' })

x509.cryptoProvider.set(webcrypto as unknown as Crypto)

type KeyMaterial = Readonly<{ keyPem: string; certPem: string; needles: readonly string[]; joined: string }>

/** A real key pair and self-signed certificate, and the strings that would betray the key if seen. */
async function generateKeyMaterial(cn: string): Promise<KeyMaterial> {
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' }
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair
  const cert = await x509.X509CertificateGenerator.createSelfSigned({ serialNumber: '01', name: `CN=${cn}`, notBefore: new Date(Date.now() - 60_000), notAfter: new Date(Date.now() + 86_400_000), keys, signingAlgorithm: alg })
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey))
  const body = pkcs8.toString('base64')
  const keyPem = `-----BEGIN PRIVATE KEY-----\n${body.match(/.{1,64}/g)!.join('\n')}\n-----END PRIVATE KEY-----\n`
  // PKCS#8 of a P-256 key: a header every such key shares (36 bytes, ending in OCTET STRING 04 20), the
  // 32-byte private scalar (base64 characters 48-90), then the public key, which the certificate shows
  // too. So only the scalar's characters betray the key: on either side of the PEM's first line break,
  // joined (a text with its line breaks removed), and inside the PEM base64-encoded (as `inline_bytes`).
  if (pkcs8[34] !== 0x04 || pkcs8[35] !== 0x20) throw new Error('unexpected PKCS#8 layout')
  return { keyPem, certPem: cert.toString('pem'), needles: [body.slice(48, 64), body.slice(64, 88), Buffer.from(keyPem).toString('base64').slice(104, 152)], joined: body.slice(48, 88) }
}

let server: KeyMaterial // the Secret 'server-cert' at versions 1 and 3
let rotated: KeyMaterial // 'server-cert' at version 2
let upstream: KeyMaterial // inline in cluster 'tls-upstream'
const GENERIC_SECRET = 'generic-secret-value-7f3a9c1e5b2d4f60' // Secret 'api-key', generic_secret

/** Where a text betrays secret material: the needles found, and any PEM private key header. */
function leaks(text: string): string[] {
  const unbroken = text.replace(/\\r|\\n|\r|\n/g, '')
  const found = [server, rotated, upstream].flatMap((m, i) => [...m.needles.filter((n) => text.includes(n)), ...(unbroken.includes(m.joined) ? [m.joined] : [])].map((n) => `key ${i}: …${n.slice(0, 8)}…`))
  if (text.includes(GENERIC_SECRET)) found.push('generic secret')
  if (/BEGIN [A-Z ]*PRIVATE KEY/.test(text)) found.push('a PEM private key header')
  return found
}

/** Every API answer this file gets, to be searched at the end as well as on the spot. */
const answers: Array<{ what: string; text: string }> = []
function recording(token: string | null) {
  return async <T = Record<string, unknown>>(method: string, path: string, options?: { body?: unknown; headers?: Record<string, string> }): Promise<ApiResponse<T>> => {
    const res = await apiClient(t.server.baseUrl, token)<T>(method, path, options)
    answers.push({ what: `${method} ${path} → ${res.status}`, text: res.text })
    expect(leaks(res.text), `${method} ${path}`).toEqual([])
    return res
  }
}
const api = recording(TEST_ADMIN_TOKEN)

function tlsCertificate(m: KeyMaterial) {
  return { certificate_chain: { inline_string: m.certPem }, private_key: { inline_string: m.keyPem } }
}
const UPSTREAM_CLUSTER = () => ({
  name: 'tls-upstream',
  connect_timeout: '1s',
  type: 'STATIC',
  load_assignment: { cluster_name: 'tls-upstream', endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: '127.0.0.1', port_value: 8443 } } } }] }] },
  transport_socket: {
    name: 'envoy.transport_sockets.tls',
    typed_config: { '@type': 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext', common_tls_context: { tls_certificates: [tlsCertificate(upstream)] } },
  },
})

/** The event feed, read as the console reads it, from before the first change to the end of the file. */
let feedText = ''
const feedAbort = new AbortController()

async function openFeed(): Promise<void> {
  const res = await fetch(`${t.server.baseUrl}/api/v1/events`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` }, signal: feedAbort.signal })
  expect(res.status).toBe(200)
  const reader = res.body!.getReader()
  const decoder = new TextDecoder()
  feedText += decoder.decode((await reader.read()).value)
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read()
        if (done) return
        feedText += decoder.decode(value, { stream: true })
      }
    } catch {
      // closed at the end
    }
  })()
}

/** A state-of-the-world ADS stream carrying `authorization: Bearer <token>` metadata, as a proxy with a proxy token opens it. */
function openAds(token: string | null) {
  const method = loadXdsServices().ads['StreamAggregatedResources']!
  const client = new grpc.Client(`127.0.0.1:${t.xdsPort}`, grpc.credentials.createInsecure())
  const metadata = new grpc.Metadata()
  if (token !== null) metadata.set('authorization', `Bearer ${token}`)
  const call = client.makeBidiStreamRequest(method.path, method.requestSerialize, method.responseDeserialize, metadata) as grpc.ClientDuplexStream<unknown, ReceivedSotwResponse>
  const received: ReceivedSotwResponse[] = []
  let final: grpc.StatusObject | null = null
  call.on('data', (r: ReceivedSotwResponse) => received.push(r))
  call.on('error', () => undefined)
  call.on('status', (s: grpc.StatusObject) => {
    final = s
    client.close()
  })
  return {
    send: (req: Record<string, unknown>) => void call.write(req),
    /** The first response of `typeUrl` not taken yet. */
    next: (typeUrl: string) =>
      waitFor(
        () => {
          if (final) throw new Error(`stream ended: ${grpc.status[final.code]} ${final.details}`)
          const at = received.findIndex((r) => r.type_url === typeUrl)
          return at >= 0 && received.splice(at, 1)[0]
        },
        { what: `a ${typeUrl} response` },
      ),
    status: () => waitFor(() => final, { what: 'the stream’s status' }),
    received: () => received,
    close: () => call.cancel(),
  }
}

/** CSDS as an operator's tool calls it (admin API token in the metadata); bytes shown as text so a key in them can be found. */
function fetchClientStatus(): Promise<string> {
  const method = loadXdsServices().csds['FetchClientStatus']!
  const client = new grpc.Client(`127.0.0.1:${t.xdsPort}`, grpc.credentials.createInsecure())
  const metadata = new grpc.Metadata()
  metadata.set('authorization', `Bearer ${TEST_ADMIN_TOKEN}`)
  return new Promise((resolve, reject) =>
    client.makeUnaryRequest(method.path, method.requestSerialize, method.responseDeserialize, { node_matchers: [{ node_id: { exact: NODE } }] }, metadata, (err, res) => {
      client.close()
      if (err) reject(err)
      else resolve(JSON.stringify(res, (_k, v: unknown) => (v && typeof v === 'object' && (v as { type?: string }).type === 'Buffer' ? Buffer.from((v as { data: number[] }).data).toString('latin1') : v)))
    }),
  )
}

let proxyToken: string
let otherProxyToken: string
let proxy: ReturnType<typeof openAds> | undefined

beforeAll(async () => {
  ;[server, rotated, upstream] = await Promise.all([generateKeyMaterial('vault.test'), generateKeyMaterial('vault-rotated.test'), generateKeyMaterial('upstream.test')])
  await openFeed()
  proxyToken = (await api<{ secret: string }>('POST', '/api/v1/tokens', { body: { name: 'vault-proxies', kind: 'proxy', grants: [{ role: 'viewer', fleets: FLEET }] } })).body.secret
  otherProxyToken = (await api<{ secret: string }>('POST', '/api/v1/tokens', { body: { name: 'demo-proxies', kind: 'proxy', grants: [{ role: 'viewer', fleets: 'demo' }] } })).body.secret
})

afterAll(() => {
  proxy?.close()
  feedAbort.abort()
})

describe('secret material', () => {
  it('is written through the API and never answered back: draft, YAML, diff, commit, versions, rollback', async () => {
    expect((await api('POST', '/api/v1/fleets', { body: { name: FLEET } })).status).toBe(201)
    const put = await api<{ resource: { tls_certificate: { private_key: { inline_string: string } } } }>('PUT', `/api/v1/fleets/${FLEET}/draft/secrets/server-cert`, { body: { name: 'server-cert', tls_certificate: tlsCertificate(server) } })
    expect(put.status, put.text).toBe(201)
    expect(put.body.resource.tls_certificate.private_key.inline_string).toMatch(/^<set:[0-9a-f]+>$/)
    expect((await api('PUT', `/api/v1/fleets/${FLEET}/draft/secrets/api-key`, { body: { name: 'api-key', generic_secret: { secret: { inline_string: GENERIC_SECRET } } } })).status).toBe(201)
    expect((await api('POST', `/api/v1/fleets/${FLEET}/draft/clusters`, { body: UPSTREAM_CLUSTER() })).status).toBe(201)
    // A refused write does not echo the key in its problems either.
    const refused = await api('PUT', `/api/v1/fleets/${FLEET}/draft/secrets/broken`, { body: { name: 'broken', tls_certificate: { ...tlsCertificate(server), not_a_field: true } } })
    expect(refused.status).toBe(422)

    for (const path of ['draft', 'draft/secrets', 'draft/secrets/server-cert', 'draft/secrets/server-cert?format=yaml', 'draft/secrets/api-key?format=yaml', 'draft/clusters', 'draft/clusters/tls-upstream', 'draft/clusters/tls-upstream?format=yaml', 'draft/diff']) {
      expect((await api('GET', `/api/v1/fleets/${FLEET}/${path}`)).status, path).toBe(200)
    }
    expect((await api('POST', `/api/v1/fleets/${FLEET}/commit`, { body: { message: 'keys' } })).status).toBe(201)
    expect((await api('PUT', `/api/v1/fleets/${FLEET}/draft/secrets/server-cert`, { body: { name: 'server-cert', tls_certificate: tlsCertificate(rotated) } })).status).toBe(200)
    const diff = await api('GET', `/api/v1/fleets/${FLEET}/draft/diff`)
    expect(diff.text).toContain('server-cert')
    expect((await api('POST', `/api/v1/fleets/${FLEET}/commit`, { body: { message: 'rotate' } })).status).toBe(201)
    expect((await api('POST', `/api/v1/fleets/${FLEET}/versions/1/rollback`, { body: { message: 'back to the first key' } })).status).toBe(201)
    for (const path of ['', '/versions', '/versions/1', '/versions/2', '/versions/3', '/versions/1/diff/2', '/versions/2/diff/3', '/draft', '/bootstrap']) {
      expect((await api('GET', `/api/v1/fleets/${FLEET}${path}`)).status, path).toBe(200)
    }
    const v1 = await api('GET', `/api/v1/fleets/${FLEET}/versions/1`)
    expect(v1.text).toContain('<set:')
  })

  it('is served over gRPC SDS (and inline in CDS) only to a stream with the fleet’s proxy token', async () => {
    for (const [token, code] of [
      [null, grpc.status.UNAUTHENTICATED],
      [otherProxyToken, grpc.status.PERMISSION_DENIED],
      [TEST_ADMIN_TOKEN, grpc.status.PERMISSION_DENIED],
    ] as const) {
      const refused = openAds(token)
      refused.send({ node: { id: 'vault-intruder', cluster: FLEET }, resource_names: ['server-cert'], type_url: SECRET_TYPE_URL })
      expect((await refused.status()).code).toBe(code)
      expect(refused.received()).toEqual([])
    }

    proxy = openAds(proxyToken)
    proxy.send({ node: { id: NODE, cluster: FLEET, user_agent_name: 'secret-material' }, type_url: CLUSTER_TYPE_URL })
    // The rollback reaches the snapshot cache shortly after it is answered: wait for version 3's key.
    const root = loadEnvoyRoot()
    let sds = await proxy.next(CLUSTER_TYPE_URL).then(async (cds) => {
      // The key inline in the cluster's TLS context reaches the proxy in clear (inside the nested Any's bytes).
      expect(cds.resources.map((r) => r.value.toString('latin1')).join('\n')).toContain(upstream.needles[1])
      proxy!.send({ type_url: CLUSTER_TYPE_URL, version_info: cds.version_info, response_nonce: cds.nonce })
      proxy!.send({ node: { id: NODE, cluster: FLEET }, resource_names: ['server-cert', 'api-key'], type_url: SECRET_TYPE_URL })
      return proxy!.next(SECRET_TYPE_URL)
    })
    const decode = (r: ReceivedSotwResponse) => r.resources.map((a) => decodeMessage(root, 'envoy.extensions.transport_sockets.tls.v3.Secret', a.value) as { name: string; tls_certificate?: { private_key: { inline_string: string } }; generic_secret?: { secret: { inline_string: string } } })
    while (!decode(sds).some((s) => s.tls_certificate?.private_key.inline_string === server.keyPem)) {
      proxy.send({ type_url: SECRET_TYPE_URL, version_info: sds.version_info, response_nonce: sds.nonce, resource_names: ['server-cert', 'api-key'] })
      sds = await proxy.next(SECRET_TYPE_URL)
    }
    const secrets = decode(sds)
    expect(secrets.find((s) => s.name === 'server-cert')?.tls_certificate?.private_key.inline_string).toBe(server.keyPem)
    expect(secrets.find((s) => s.name === 'api-key')?.generic_secret?.secret.inline_string).toBe(GENERIC_SECRET)
    proxy.send({ type_url: SECRET_TYPE_URL, version_info: sds.version_info, response_nonce: sds.nonce, resource_names: ['server-cert', 'api-key'] })
  })

  it('is served over REST only for the fleet’s proxy token', async () => {
    const request = { node: { id: 'vault-rest', cluster: FLEET }, resource_names: ['server-cert'] }
    const rest = (token: string | null) => apiClient(t.server.baseUrl, token)<{ resources: Array<{ tls_certificate: { private_key: { inline_string: string } } }> }>('POST', '/v3/discovery:secrets', { body: request })
    for (const token of [null, TEST_ADMIN_TOKEN, otherProxyToken]) {
      const refused = await rest(token)
      expect([401, 403]).toContain(refused.status)
      expect(leaks(refused.text)).toEqual([])
    }
    const served = await waitFor(async () => {
      const r = await rest(proxyToken)
      return r.status === 200 && r.body.resources[0]?.tls_certificate.private_key.inline_string === server.keyPem && r
    }, { what: 'the key of version 3 over REST' })
    expect(served.body.resources).toHaveLength(1)
  })

  it('is not in the clusters that REST discovery serves without a proxy token', async () => {
    // Listeners, routes, clusters and endpoints are open over REST by default (LEGATION_XDS_REST_AUTH=open);
    // a key inline in a cluster's TLS context must not ride along (docs/security.md: keys reach only
    // a proxy that proved it belongs to the fleet). Such clusters need the fleet's proxy token.
    const request = { body: { node: { id: 'vault-curl', cluster: FLEET } } }
    const open = await apiClient(t.server.baseUrl, null)('POST', '/v3/discovery:clusters', request)
    expect(open.status, open.text).toBe(401)
    expect(open.text).toContain('tls-upstream')
    expect(leaks(open.text)).toEqual([])
    const other = await apiClient(t.server.baseUrl, null)('POST', '/v3/discovery:clusters', { ...request, headers: { authorization: `Bearer ${otherProxyToken}` } })
    expect(other.status, other.text).toBe(403)
    expect(leaks(other.text)).toEqual([])
    const own = await apiClient(t.server.baseUrl, null)('POST', '/v3/discovery:clusters', { ...request, headers: { authorization: `Bearer ${proxyToken}` } })
    expect(own.status, own.text).toBe(200)
    expect(leaks(own.text)).not.toEqual([])
  })

  it('is not in the proxy’s config dump, the proxy lists, activity or audit', async () => {
    const dump = await waitFor(async () => {
      const res = await api<{ configDump: Array<{ typeUrl: string; resources: Array<{ name: string }> }> }>('GET', `/api/v1/proxies/${NODE}`)
      return res.status === 200 && res.body.configDump.some((e) => e.typeUrl === SECRET_TYPE_URL && e.resources.some((r) => r.name === 'server-cert')) && res
    }, { what: `the config dump of ${NODE} with its secrets` })
    expect(dump.text).toContain('<set:')
    for (const path of [`/api/v1/proxies/${NODE}/events`, '/api/v1/proxies', `/api/v1/proxies?fleet=${FLEET}`, '/api/v1/proxies/summary', '/api/v1/activity', `/api/v1/activity?fleet=${FLEET}`, '/api/v1/audit', `/api/v1/audit?fleet=${FLEET}&limit=1000`, '/api/v1/fleets']) {
      expect((await api('GET', path)).status, path).toBe(200)
    }
  })

  it('is not in CSDS', async () => {
    const status = await fetchClientStatus()
    expect(status).toContain('server-cert')
    expect(leaks(status)).toEqual([])
  })

  it('is in none of the answers above, the event feed or the server’s log', async () => {
    expect(answers.length).toBeGreaterThan(30)
    expect(answers.filter((a) => leaks(a.text).length > 0).map((a) => `${a.what}: ${leaks(a.text).join(', ')}`)).toEqual([])
    await waitFor(() => feedText.includes('"kind":"version.created"') && feedText.includes(FLEET), { what: 'the feed carried the fleet’s versions' })
    expect(leaks(feedText)).toEqual([])
    const log = t.server.logs().map((l) => JSON.stringify(l)).join('\n')
    expect(log).toContain('Legation is ready')
    expect(leaks(log)).toEqual([])
  })
})
