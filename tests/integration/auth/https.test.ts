import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import https from 'node:https'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureDevCa } from '../../../server/tls/dev-ca'
import { TEST_PASSWORD, adminHeaders } from '../../support/credentials'
import { setupTestServer } from '../../support/test-server'

/** LEGATION_HTTPS_CERT/KEY: the console and API over HTTPS, with Secure session cookies and HSTS. */
let dir = ''
let caPem = ''
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'legation-https-'))
  const ca = await ensureDevCa(dir, ['127.0.0.1', 'localhost'])
  caPem = ca.ca.certPem
  await writeFile(path.join(dir, 'cert.pem'), ca.server.certPem)
  await writeFile(path.join(dir, 'key.pem'), ca.server.keyPem)
})
afterAll(async () => rm(dir, { recursive: true, force: true }))

const t = setupTestServer('auth_https', () => ({ LEGATION_HTTPS_CERT: path.join(dir, 'cert.pem'), LEGATION_HTTPS_KEY: path.join(dir, 'key.pem') }))

function request(method: string, url: string, headers: Record<string, string>, body?: unknown): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method, headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ca: caPem }, (res) => {
      let text = ''
      res.on('data', (c: Buffer) => (text += c.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }))
    })
    req.on('error', reject)
    req.end(body === undefined ? undefined : JSON.stringify(body))
  })
}

describe('the console over HTTPS', () => {
  it('serves the API over TLS with HSTS, and sets the session cookie Secure', async () => {
    const base = t.server.baseUrl.replace('http://', 'https://')
    const fleets = await request('GET', `${base}/api/v1/fleets`, adminHeaders())
    expect(fleets.status).toBe(200)
    expect(fleets.headers['strict-transport-security']).toBe('max-age=31536000')
    expect((await request('POST', `${base}/api/v1/users`, adminHeaders(), { username: 'tls-user', password: TEST_PASSWORD, grants: [{ role: 'viewer', fleets: '*' }] })).status).toBe(201)
    const signIn = await request('POST', `${base}/api/v1/auth/sign-in`, { origin: base }, { username: 'tls-user', password: TEST_PASSWORD })
    expect(signIn.status, signIn.text).toBe(200)
    expect(String(signIn.headers['set-cookie'])).toMatch(/legation_session=.*; HttpOnly; SameSite=Lax; .*Secure/)
  })
})
