import { describe, expect, it } from 'vitest'
import { expectApiError, rawRequest } from '../../support/raw-http'
import { setupTestServer } from '../../support/test-server'

/**
 * #16 item 10: an unknown `/v3/discovery:*` path was never answered (one hung for over ten minutes;
 * 2,000 of them held 2,000 file descriptors). Now: 404 at once, in the API's error shape.
 */
const t = setupTestServer('hostile_discovery_paths')

const UNKNOWN = ['/v3/discovery:foo', '/v3/discovery:', '/v3/discovery:listeners/extra', '/v3/discovery:Listeners', '/v3/discovery:runtime', '/v3/discovery:listeners%00']

describe('unknown /v3/discovery: paths', () => {
  it('are answered 404 at once, naming the paths that exist', async () => {
    for (const path of UNKNOWN) {
      for (const method of ['POST', 'GET']) {
        const res = await rawRequest(t.server.baseUrl, method, path, { body: method === 'POST' ? '{"node":{"id":"n","cluster":"demo"}}' : undefined, timeoutMs: 2000 })
        const error = expectApiError(res, 404, 'XDS.UNKNOWN_PATH')
        expect(error.message).toContain('/v3/discovery:listeners')
      }
    }
  })

  it('many at once are all answered (nothing is held open)', async () => {
    const answers = await Promise.all(Array.from({ length: 300 }, (_, i) => rawRequest(t.server.baseUrl, 'POST', `/v3/discovery:x${i}`, { body: '{}', timeoutMs: 5000 })))
    expect(answers.map((a) => a.status)).toEqual(Array(300).fill(404))
    // The known paths still work.
    const known = await rawRequest(t.server.baseUrl, 'POST', '/v3/discovery:clusters', { body: '{"node":{"id":"n","cluster":"demo"}}', headers: { authorization: '' } })
    expect(known.status).toBe(200)
  })
})
