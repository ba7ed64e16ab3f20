import { beforeAll, describe, expect, it } from 'vitest'
import { adminHeaders } from '../../support/credentials'
import { expectApiError, rawRequest } from '../../support/raw-http'
import { setupTestServer } from '../../support/test-server'

/**
 * #16 item 4: `%2E%2E` in a resource name was answered with a 308 to the parent path (Next
 * normalises dot segments), so a client following it turned `DELETE …/draft/clusters/%2E%2E` into
 * `DELETE …/draft` (draft discarded) and `…/%2E%2E/%2E%2E` into `DELETE /fleets/x` (fleet deleted).
 * Dot segments in API paths are a 400 in the API's error shape; no API path answers a write with a redirect.
 */
const t = setupTestServer('hostile_dots')
const { api } = t
const FLEET = 'dots'
const cluster = (name: string) => ({ name, type: 'STRICT_DNS', connect_timeout: '1s', load_assignment: { cluster_name: name, endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 'c.internal', port_value: 80 } } } }] }] } })

beforeAll(async () => {
  expect((await api('POST', '/api/v1/fleets', { body: { name: FLEET } })).status).toBe(201)
  expect((await api('PUT', `/api/v1/fleets/${FLEET}/draft/clusters/keep`, { body: cluster('keep') })).status).toBe(201)
})

async function fleetAndDraftIntact(): Promise<void> {
  const fleet = await api('GET', `/api/v1/fleets/${FLEET}`)
  expect(fleet.status, 'the fleet still exists').toBe(200)
  const kept = await api('GET', `/api/v1/fleets/${FLEET}/draft/clusters/keep`)
  expect(kept.status, 'the draft still has its cluster').toBe(200)
}

const DOT_PATHS = [
  `/api/v1/fleets/${FLEET}/draft/clusters/%2E%2E`,
  `/api/v1/fleets/${FLEET}/draft/clusters/%2e%2e`,
  `/api/v1/fleets/${FLEET}/draft/clusters/.%2E`,
  `/api/v1/fleets/${FLEET}/draft/clusters/%2e.`,
  `/api/v1/fleets/${FLEET}/draft/clusters/..`,
  `/api/v1/fleets/${FLEET}/draft/clusters/%2E%2E/%2E%2E`,
  `/api/v1/fleets/${FLEET}/draft/clusters/%2E`,
  `/api/v1/fleets/${FLEET}/draft/clusters/.`,
  `/api/v1/fleets/${FLEET}/draft/./clusters/keep`,
  `/api/v1/fleets/${FLEET}/draft/clusters/%2E%2E?format=yaml`,
]

describe('dot segments in /api/ paths', () => {
  for (const method of ['DELETE', 'PUT', 'POST', 'PATCH', 'GET']) {
    it(`${method}: 400 in the API's error shape, never a redirect, nothing changed`, async () => {
      for (const path of DOT_PATHS) {
        const res = await rawRequest(t.server.baseUrl, method, path, method === 'GET' || method === 'DELETE' ? {} : { body: JSON.stringify(cluster('..')) })
        expect(res.headers.location, `${method} ${path} must not redirect`).toBeUndefined()
        const error = expectApiError(res, 400, 'REQUEST.BAD_PATH')
        expect(error.message).toMatch(/dot segment/)
      }
      await fleetAndDraftIntact()
    })
  }

  it('a client that follows redirects (fetch, curl -L) deletes nothing', async () => {
    for (const path of [`/api/v1/fleets/${FLEET}/draft/clusters/%2E%2E`, `/api/v1/fleets/${FLEET}/draft/clusters/%2E%2E/%2E%2E`]) {
      // fetch keeps %2E escapes on the wire (it only resolves literal dots).
      const res = await fetch(`${t.server.baseUrl}${path}`, { method: 'DELETE', headers: adminHeaders(), redirect: 'follow' })
      expect(res.redirected).toBe(false)
      expect(res.status).toBe(400)
    }
    await fleetAndDraftIntact()
  })
})

describe('no API path answers a write with a redirect', () => {
  const variants = [`/api/v1/fleets/${FLEET}/`, `/api/v1/fleets/${FLEET}/draft/clusters/keep/`, `/api/v1//fleets/${FLEET}`, `/api/v1/fleets//${FLEET}/draft`, `//api/v1/fleets/${FLEET}`]
  for (const method of ['DELETE', 'PUT', 'POST', 'PATCH']) {
    it(`${method} on non-canonical paths`, async () => {
      for (const path of variants) {
        const res = await rawRequest(t.server.baseUrl, method, path)
        expect(res.status >= 300 && res.status < 400, `${method} ${path} answered ${res.status} → ${String(res.headers.location)}`).toBe(false)
      }
      await fleetAndDraftIntact()
    })
  }
})
