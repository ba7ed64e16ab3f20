import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase } from '../../support/database'
import { expectApiError, rawRequest } from '../../support/raw-http'
import { startServer, type ServerHandle } from '../../support/server'
import { startTcpRelay, viaRelay, type TcpRelay } from '../../support/tcp-relay'
import { setupTestServer } from '../../support/test-server'
import { waitFor } from '../../support/wait-for'

/**
 * #16 item 13: inputs that were answered with a 500 or a non-JSON error now get a 4xx (or a 503
 * while the database is down) in the API's error shape, and change nothing.
 */
const t = setupTestServer('hostile_errors')
const { api } = t
const FLEET = 'errs'
const cluster = (name: string, extra: Record<string, unknown> = {}) => ({ name, type: 'STATIC', connect_timeout: '1s', ...extra })
const is4xx = (s: number) => s >= 400 && s < 500

type Fleet = { name: string; description: string; draftRevision: number }

beforeAll(async () => {
  expect((await api('POST', '/api/v1/fleets', { body: { name: FLEET } })).status).toBe(201)
  expect((await api('PUT', `/api/v1/fleets/${FLEET}/draft/clusters/c`, { body: cluster('c') })).status).toBe(201)
  expect((await api('POST', `/api/v1/fleets/${FLEET}/commit`, { body: { message: 'one' } })).status).toBe(201)
})

async function draftRevision(): Promise<number> {
  const res = await api<Fleet>('GET', `/api/v1/fleets/${FLEET}`)
  expect(res.status).toBe(200)
  return res.body.draftRevision
}

/** YAML whose aliases expand to 9^10 strings. */
function aliasBomb(): string {
  const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
  let prev = 'a'
  for (const n of 'bcdefghij') {
    lines.push(`${n}: &${n} [${Array(9).fill(`*${prev}`).join(',')}]`)
    prev = n
  }
  return lines.join('\n') + '\n'
}

describe('hostile bodies', () => {
  it('a YAML alias bomb: 400, nothing stored', async () => {
    const before = await draftRevision()
    for (const [method, path] of [['POST', '/api/v1/fleets'], ['PUT', `/api/v1/fleets/${FLEET}/draft/clusters/c`], ['POST', `/api/v1/fleets/${FLEET}/draft/clusters`]] as const) {
      const res = await rawRequest(t.server.baseUrl, method, path, { body: aliasBomb(), headers: { 'content-type': 'application/yaml' } })
      const error = expectApiError(res, 400, 'REQUEST.BAD_BODY')
      expect(error.message).toMatch(/alias/i)
    }
    expect(await draftRevision()).toBe(before)
  })

  it('JSON nested 5,000 deep: 400 naming the limit, nothing stored', async () => {
    const before = await draftRevision()
    const deep = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000)
    const bodies = [
      ['PUT', `/api/v1/fleets/${FLEET}/draft/clusters/c`, `{"name":"c","type":"STATIC","connect_timeout":"1s","metadata":{"filter_metadata":{"x":${deep}}}}`],
      ['POST', '/api/v1/fleets', `{"name":"deep","description":${deep}}`],
      ['POST', `/api/v1/fleets/${FLEET}/commit`, `{"message":${deep}}`],
      ['POST', '/api/v1/fleets', '['.repeat(5000) + ']'.repeat(5000)],
    ] as const
    for (const [method, path, body] of bodies) {
      const res = await rawRequest(t.server.baseUrl, method, path, { body })
      const error = expectApiError(res, 400, 'REQUEST.BAD_BODY')
      expect(error.message).toMatch(/nested deeper than \d+/)
    }
    // The same as YAML.
    const yaml = `name: deep\ndescription: ${'['.repeat(5000)}${']'.repeat(5000)}\n`
    expectApiError(await rawRequest(t.server.baseUrl, 'POST', '/api/v1/fleets', { body: yaml, headers: { 'content-type': 'application/yaml' } }), 400, 'REQUEST.BAD_BODY')
    expect(await draftRevision()).toBe(before)
    expect((await api('GET', '/api/v1/fleets/deep')).status).toBe(404)
  })

  it('NUL characters in a body: 400 naming where, nothing stored', async () => {
    const before = await draftRevision()
    const cases = [
      ['POST', '/api/v1/fleets', JSON.stringify({ name: 'nul', description: 'a\u0000b' }), 'description'],
      ['PUT', `/api/v1/fleets/${FLEET}/draft/clusters/c`, JSON.stringify(cluster('c', { alt_stat_name: 'x\u0000' })), 'alt_stat_name'],
      ['PUT', `/api/v1/fleets/${FLEET}/draft/clusters/c`, JSON.stringify(cluster('c', { metadata: { filter_metadata: { 'k\u0000': { a: 1 } } } })), 'metadata'],
      ['POST', `/api/v1/fleets/${FLEET}/commit`, JSON.stringify({ message: 'm\u0000' }), 'message'],
    ] as const
    for (const [method, path, body, where] of cases) {
      const error = expectApiError(await rawRequest(t.server.baseUrl, method, path, { body }), 400, 'REQUEST.BAD_BODY')
      expect(error.message).toMatch(/NUL/)
      expect(error.issues[0]?.path).toContain(where)
    }
    expect(await draftRevision()).toBe(before)
    expect((await api('GET', '/api/v1/fleets/nul')).status).toBe(404)
  })
})

describe('hostile paths and queries', () => {
  it('version numbers ≥ 2^31: 4xx in the API shape', async () => {
    for (const [method, path] of [
      ['GET', `/api/v1/fleets/${FLEET}/versions/2147483648`],
      ['GET', `/api/v1/fleets/${FLEET}/versions/99999999999999999999`],
      ['GET', `/api/v1/fleets/${FLEET}/versions/1/diff/2147483648`],
      ['GET', `/api/v1/fleets/${FLEET}/versions/2147483648/diff/1`],
      ['POST', `/api/v1/fleets/${FLEET}/versions/2147483648/rollback`],
      ['GET', `/api/v1/fleets/${FLEET}/versions?before=2147483648`],
      ['GET', `/api/v1/fleets/${FLEET}/versions?limit=2147483648`],
    ] as const) {
      expectApiError(await rawRequest(t.server.baseUrl, method, path), is4xx)
    }
  })

  it('NUL bytes in a path or query: 400', async () => {
    for (const [method, path] of [
      ['GET', `/api/v1/fleets/${FLEET}/draft/clusters/a%00b`],
      ['DELETE', `/api/v1/fleets/${FLEET}/draft/clusters/a%00b`],
      ['GET', `/api/v1/fleets/a%00`],
      ['GET', '/api/v1/proxies?fleet=%00'],
      ['GET', '/api/v1/proxies/a%00b'],
      ['GET', `/api/v1/audit?actor=%00x`],
    ] as const) {
      expectApiError(await rawRequest(t.server.baseUrl, method, path), 400, 'REQUEST.BAD_PATH')
    }
  })

  it("malformed % escapes: 400 in the API's shape, not Next's plain text", async () => {
    for (const [method, path] of [
      ['GET', `/api/v1/fleets/${FLEET}/draft/clusters/a%zz`],
      ['DELETE', `/api/v1/fleets/${FLEET}/draft/clusters/a%zz`],
      ['GET', `/api/v1/fleets/${FLEET}/draft/clusters/%`],
      ['GET', `/api/v1/fleets/${FLEET}/draft/clusters/%C3%28`],
      ['GET', `/api/v1/fleets/%E0%A4%A`],
    ] as const) {
      const error = expectApiError(await rawRequest(t.server.baseUrl, method, path), 400, 'REQUEST.BAD_PATH')
      expect(error.message).toMatch(/escape|UTF-8/)
    }
    expect((await api('GET', `/api/v1/fleets/${FLEET}/draft/clusters/c`)).status).toBe(200)
  })
})

describe('routes Next answers itself', () => {
  it("a path that is no API route, or a method the route lacks: 404/405 in the API's shape, not Next's page", async () => {
    for (const [method, path, status, code] of [
      ['GET', '/api/v1/nope', 404, 'REQUEST.NOT_FOUND'],
      ['DELETE', `/api/v1/fleets/${FLEET}/draft/clusters/c/extra`, 404, 'REQUEST.NOT_FOUND'],
      ['POST', `/api/v1/fleets/${FLEET}`, 405, 'REQUEST.METHOD_NOT_ALLOWED'],
      ['PUT', `/api/v1/fleets/${FLEET}/commit`, 405, 'REQUEST.METHOD_NOT_ALLOWED'],
    ] as const) {
      const res = await rawRequest(t.server.baseUrl, method, path, { body: '{}' })
      expectApiError(res, status, code)
      expect(res.headers['content-type']).toContain('application/json')
    }
    expect(expectApiError(await rawRequest(t.server.baseUrl, 'PUT', `/api/v1/fleets/${FLEET}/commit`), 405).message).toContain('PUT is not allowed')
    // HEAD gets the status without a body.
    const head = await rawRequest(t.server.baseUrl, 'HEAD', '/api/v1/nope')
    expect(head.status).toBe(404)
    expect(head.text).toBe('')
  })
})

describe('the database is down', () => {
  let relay: TcpRelay | undefined
  let server: ServerHandle | undefined
  let drop: (() => Promise<void>) | undefined
  afterAll(async () => {
    await relay?.restore().catch(() => undefined)
    await server?.stop('SIGKILL')
    await relay?.close()
    await drop?.()
  })

  it("every API call answers 503 SERVICE.UNAVAILABLE in the API's shape, and works again after", async () => {
    const db = await createTestDatabase('errors_outage')
    drop = db.drop
    const target = new URL(db.url)
    relay = await startTcpRelay({ host: target.hostname, port: Number(target.port || 5432) })
    server = await startServer({ env: { DATABASE_URL: viaRelay(db.url, relay) } })
    const base = server.baseUrl
    expect((await rawRequest(base, 'GET', '/api/v1/fleets')).status).toBe(200)

    await relay.cut()
    for (const [method, path, body] of [
      ['GET', '/api/v1/fleets', undefined],
      ['GET', '/api/v1/fleets/demo', undefined],
      ['POST', '/api/v1/fleets', JSON.stringify({ name: 'during-outage' })],
      ['PUT', '/api/v1/fleets/demo/draft/clusters/c', JSON.stringify(cluster('c'))],
      ['GET', '/api/v1/proxies', undefined],
      ['GET', '/api/v1/auth/me', undefined],
    ] as const) {
      const res = await rawRequest(base, method, path, body === undefined ? {} : { body })
      const error = expectApiError(res, 503, 'SERVICE.UNAVAILABLE')
      expect(error.message).toMatch(/database/)
      // Like /readyz: the answer names no host or port.
      expect(res.text).not.toContain(String(relay.port))
      expect(res.text).not.toContain('127.0.0.1')
    }

    await relay.restore()
    await waitFor(async () => (await rawRequest(base, 'GET', '/api/v1/fleets')).status === 200, { timeoutMs: 20_000, what: 'the API answers again' })
  })
})
