import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { loadEnvoyRoot } from '../../../proto/loader'
import { decodeMessage } from '../../../server/config/proto-json'
import { openSotwStream } from '../../support/xds-protocol-client'
import { setupTestServer } from '../../support/test-server'
import { waitFor } from '../../support/wait-for'

const SECRET_TYPE_URL = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret'
const KEY_BODY = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7' // distinctive, never to be seen in clear
const KEY_PEM = `-----BEGIN PRIVATE KEY-----\n${KEY_BODY}\n-----END PRIVATE KEY-----\n`
const CERT_PEM = '-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQsw\n-----END CERTIFICATE-----\n'

const t = setupTestServer('xds_sds')
const { api } = t

async function rowsContaining(text: string): Promise<number> {
  const client = new pg.Client({ connectionString: t.db.url })
  await client.connect()
  try {
    const res = await client.query<{ n: string }>(
      `SELECT (SELECT count(*) FROM draft_resource WHERE body LIKE $1) + (SELECT count(*) FROM resource_blob WHERE body LIKE $1) + (SELECT count(*) FROM audit_event WHERE detail::text LIKE $1) AS n`,
      [`%${text}%`],
    )
    return Number(res.rows[0]?.n)
  } finally {
    await client.end()
  }
}

async function fetchSecret(name: string): Promise<Record<string, unknown>> {
  const stream = openSotwStream(t.xdsPort)
  try {
    stream.send({ node: { id: 'sds-client', cluster: 'tls-fleet', user_agent_name: 'test' }, resource_names: [name], type_url: SECRET_TYPE_URL })
    const res = await stream.next()
    expect(res.resources).toHaveLength(1)
    return decodeMessage(loadEnvoyRoot(), 'envoy.extensions.transport_sockets.tls.v3.Secret', res.resources[0]!.value) as Record<string, unknown>
  } finally {
    stream.close()
  }
}

describe('secrets (SDS) with write-only private keys', () => {
  it('accepts a TLS certificate secret and never returns its private key', async () => {
    expect((await api('POST', '/api/v1/fleets', { body: { name: 'tls-fleet' } })).status).toBe(201)
    const put = await api<{ resource: { tls_certificate: { private_key: { inline_string: string }; certificate_chain: { inline_string: string } } } }>('PUT', '/api/v1/fleets/tls-fleet/draft/secrets/server-cert', {
      body: { name: 'server-cert', tls_certificate: { certificate_chain: { inline_string: CERT_PEM }, private_key: { inline_string: KEY_PEM } } },
    })
    expect(put.status).toBe(201)
    expect(put.text).not.toContain(KEY_BODY)
    expect(put.body.resource.tls_certificate.private_key.inline_string).toMatch(/^<set:[0-9a-f]{8}>$/)
    expect(put.body.resource.tls_certificate.certificate_chain.inline_string).toBe(CERT_PEM)
    const yaml = await api('GET', '/api/v1/fleets/tls-fleet/draft/secrets/server-cert?format=yaml')
    expect(yaml.text).not.toContain(KEY_BODY)
    expect(await rowsContaining(KEY_BODY)).toBe(0)
  })

  it('keeps the stored key when the resource is saved back as the API showed it', async () => {
    const shown = await api<{ resource: Record<string, unknown>; revision: number }>('GET', '/api/v1/fleets/tls-fleet/draft/secrets/server-cert')
    const again = await api<{ revision: number }>('PUT', '/api/v1/fleets/tls-fleet/draft/secrets/server-cert', { body: shown.body.resource, headers: { 'if-match': `"${shown.body.revision}"` } })
    expect(again.status).toBe(200)
    expect(again.body.revision).toBe(shown.body.revision) // nothing changed
    const bogus = await api<{ error: { issues: Array<{ path: string }> } }>('PUT', '/api/v1/fleets/tls-fleet/draft/secrets/other', { body: { name: 'other', tls_certificate: { private_key: { inline_string: '<set:12345678>' } } } })
    expect(bogus.status).toBe(422)
    expect(bogus.body.error.issues[0]?.path).toBe('tls_certificate.private_key.inline_string')
  })

  it('serves the real key to a proxy over SDS (ADS), and still stores and shows none of it', async () => {
    const commit = await api('POST', '/api/v1/fleets/tls-fleet/commit', { body: { message: 'server cert' } })
    expect(commit.status).toBe(201)
    // The commit reaches the snapshot cache shortly after it is answered (debounced sync).
    const secret = await waitFor(() => fetchSecret('server-cert'), { what: 'the committed secret over SDS' })
    expect(secret).toMatchObject({ name: 'server-cert', tls_certificate: { private_key: { inline_string: KEY_PEM }, certificate_chain: { inline_string: CERT_PEM } } })
    expect(await rowsContaining(KEY_BODY)).toBe(0)
    const version = await api('GET', '/api/v1/fleets/tls-fleet/versions/1')
    expect(version.text).not.toContain(KEY_BODY)
    expect(version.text).toContain('<set:')
  })

  it('shows a changed key in diffs only as a different fingerprint', async () => {
    await api('PUT', '/api/v1/fleets/tls-fleet/draft/secrets/server-cert', { body: { name: 'server-cert', tls_certificate: { certificate_chain: { inline_string: CERT_PEM }, private_key: { inline_string: KEY_PEM.replace('BKcw', 'XXXX') } } } })
    const diff = await api<{ changes: Array<{ name: string; change: string; patch: string }> }>('GET', '/api/v1/fleets/tls-fleet/draft/diff')
    expect(diff.body.changes).toEqual([expect.objectContaining({ name: 'server-cert', change: 'modified' })])
    expect(diff.text).not.toContain(KEY_BODY)
    expect(diff.body.changes[0]?.patch).toMatch(/-\s+inline_string: <set:[0-9a-f]{8}>/)
  })
})
