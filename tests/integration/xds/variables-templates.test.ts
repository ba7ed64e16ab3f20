import type * as grpc from '@grpc/grpc-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callEcho, startEchoBackend, type EchoBackend } from '../../support/echo-backend'
import { setupTestServer } from '../../support/test-server'
import { waitFor } from '../../support/wait-for'
import { createXdsEchoClient, echoFleetResources } from '../../support/xds-client'
import { commitDraft, putEchoDraft } from '../../support/xds-fleet'

/**
 * #14 item 4: a template fleet whose endpoints say `${BACKEND_PORT}`, two fleets built on it, each
 * with its own value: each fleet's gRPC xDS client reaches its own backend. Variables are committed,
 * rolled back and diffed with the resources; a secret one never leaves the server; an unknown one
 * refuses the commit at its field.
 */
const t = setupTestServer('variables')
const { api } = t
const SECRET = 'stat-token-5f1c9a-never-shown'

let staging: EchoBackend
let prod: EchoBackend
const clients: grpc.Client[] = []
beforeAll(async () => {
  staging = await startEchoBackend('staging-backend')
  prod = await startEchoBackend('prod-backend')
})
afterAll(async () => {
  for (const c of clients) c.close()
  await staging?.stop()
  await prod?.stop()
})

const ok = async <T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> => {
  const res = await api<T>(method, path, body === undefined ? {} : { body })
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.text}`)
  return res.body
}
const setVariable = (fleet: string, name: string, value: string, secret = false) => ok('PUT', `/api/v1/fleets/${fleet}/variables/${name}`, { value, secret })
const reaches = (client: grpc.Client, backend: EchoBackend, what: string) =>
  waitFor(async () => expect(await callEcho(client, 5_000)).toBe(backend.name), { what, timeoutMs: 30_000 })

describe('fleet variables and templates', () => {
  it('serve each fleet built on one template with its own values, roll back with the version, and keep secrets', async () => {
    // The template: the echo config with the endpoint's port and the cluster's stat name as variables.
    await ok('POST', '/api/v1/fleets', { name: 'base' })
    const template = echoFleetResources([{ address: '127.0.0.1', port: 1 }], { alt_stat_name: '${STAT_NAME}' })
    const endpoint = template.endpoints.endpoints[0]!.lb_endpoints[0]!.endpoint.address.socket_address as unknown as Record<string, unknown>
    endpoint['port_value'] = '${BACKEND_PORT}'
    await putEchoDraft(api, 'base', template)
    await setVariable('base', 'BACKEND_PORT', String(staging.port))
    await setVariable('base', 'STAT_NAME', 'echo')
    expect(await commitDraft(api, 'base', 'template v1')).toBe(1)

    // Two fleets on it: staging takes the template's port, prod overrides it and has a secret.
    await ok('POST', '/api/v1/fleets', { name: 'staging', template: 'base' })
    await ok('POST', '/api/v1/fleets', { name: 'prod', template: 'base' })
    await setVariable('prod', 'BACKEND_PORT', String(prod.port))
    await setVariable('prod', 'STAT_NAME', SECRET, true)
    expect(await commitDraft(api, 'staging', 'on base')).toBe(1)
    expect(await commitDraft(api, 'prod', 'on base, prod port')).toBe(1)

    const stagingClient = createXdsEchoClient({ xdsPort: t.xdsPort, nodeId: 'staging-1', fleet: 'staging', target: 'echo' })
    const prodClient = createXdsEchoClient({ xdsPort: t.xdsPort, nodeId: 'prod-1', fleet: 'prod', target: 'echo' })
    clients.push(stagingClient, prodClient)
    await reaches(stagingClient, staging, 'the staging client reaches the staging backend')
    await reaches(prodClient, prod, 'the prod client reaches the prod backend')

    // What each fleet serves, as the API shows it: substituted, the secret as a marker.
    const effective = await ok<{ template: string; resources: Array<{ type: string; name: string; fromTemplate: boolean; resource: Record<string, unknown> }> }>('GET', '/api/v1/fleets/prod/effective')
    expect(effective.template).toBe('base@1')
    const served = effective.resources.find((r) => r.type === 'ClusterLoadAssignment')!
    expect(served.fromTemplate).toBe(true)
    expect(JSON.stringify(served.resource)).toContain(`"port_value":${prod.port}`)
    expect(JSON.stringify(effective.resources.find((r) => r.type === 'Cluster')!.resource)).toMatch(/"alt_stat_name":"<set:[0-9a-f]{8}>"/)
    const variables = await ok<{ variables: Array<{ name: string; value: string | null; secret: boolean }>; inherited: Array<{ name: string }> }>('GET', '/api/v1/fleets/prod/variables')
    expect(variables.variables).toEqual([
      { name: 'BACKEND_PORT', value: String(prod.port), secret: false },
      { name: 'STAT_NAME', value: null, secret: true },
    ])
    expect(variables.inherited.map((v) => v.name)).toEqual(['BACKEND_PORT', 'STAT_NAME'])

    // A variable change is a commit; a rollback restores the variables with the resources.
    await setVariable('prod', 'BACKEND_PORT', String(staging.port))
    const diff = await ok<{ variables: Array<{ name: string; change: string; before: string | null; after: string | null }>; changes: Array<{ type: string; change: string }>; counts: { modified: number } }>('GET', '/api/v1/fleets/prod/draft/diff')
    expect(diff.variables).toEqual([{ name: 'BACKEND_PORT', change: 'modified', secret: false, before: String(prod.port), after: String(staging.port) }])
    // What the proxies would see change: the endpoints rendered from the template.
    expect(diff.changes.map((c) => `${c.type} ${c.change}`)).toEqual(['ClusterLoadAssignment modified'])
    expect(await commitDraft(api, 'prod', 'prod to the staging backend')).toBe(2)
    await reaches(prodClient, staging, 'the prod client follows its variable to the staging backend')
    await ok('POST', '/api/v1/fleets/prod/versions/1/rollback', { discardDraft: true })
    await reaches(prodClient, prod, 'the rollback restores the prod port')
    const restored = await ok<{ variables: Array<{ name: string; value: string | null }> }>('GET', '/api/v1/fleets/prod/variables')
    expect(restored.variables.find((v) => v.name === 'BACKEND_PORT')!.value).toBe(String(prod.port))

    // The secret is nowhere the API shows (variables, versions, diffs, effective config, export, audit).
    for (const path of ['/api/v1/fleets/prod/variables', '/api/v1/fleets/prod/versions/1', '/api/v1/fleets/prod/versions/1/diff/2', '/api/v1/fleets/prod/effective?version=draft', '/api/v1/fleets/prod/export', '/api/v1/audit?fleet=prod']) {
      const res = await api('GET', path)
      expect(res.status, `${path}: ${res.text}`).toBe(200)
      expect(res.text, path).not.toContain(SECRET)
    }
  })

  it('refuses a commit that uses an unknown variable, naming the resource and field; nothing is written', async () => {
    const before = await ok<{ activeVersion: { number: number } }>('GET', '/api/v1/fleets/base')
    const cluster = echoFleetResources([{ address: '127.0.0.1', port: 1 }]).cluster
    await ok('PUT', '/api/v1/fleets/base/draft/clusters/echo-backend', { ...cluster, alt_stat_name: '${NO_SUCH_VARIABLE}' })
    const refused = await api<{ error: { code: string; issues: Array<{ code: string; path: string; resource: { type: string; name: string }; message: string }> } }>('POST', '/api/v1/fleets/base/commit', { body: { message: 'unknown variable' } })
    expect(refused.status, refused.text).toBe(422)
    expect(refused.body.error.issues).toContainEqual(expect.objectContaining({ code: 'CONFIG.UNKNOWN_VARIABLE', path: 'alt_stat_name', resource: { type: 'Cluster', name: 'echo-backend' } }))
    expect(refused.body.error.issues.find((i) => i.code === 'CONFIG.UNKNOWN_VARIABLE')!.message).toContain('${NO_SUCH_VARIABLE}')
    expect((await ok<{ activeVersion: { number: number } }>('GET', '/api/v1/fleets/base')).activeVersion.number).toBe(before.activeVersion.number)
  })

  it('pins the template version at each commit: a template commit reaches a fleet on it only with that fleet’s next commit', async () => {
    await ok('DELETE', '/api/v1/fleets/base/draft')
    await setVariable('base', 'STAT_NAME', 'echo-v2')
    expect(await commitDraft(api, 'base', 'template v2')).toBe(2)
    const pending = await ok<{ template: { before: string; after: string } }>('GET', '/api/v1/fleets/staging/draft/diff')
    expect(pending.template).toEqual({ before: 'base@1', after: 'base@2' })
    expect((await ok<{ template: string }>('GET', '/api/v1/fleets/staging/effective')).template).toBe('base@1')
    expect(await commitDraft(api, 'staging', 'take template v2')).toBe(2)
    expect((await ok<{ template: string }>('GET', '/api/v1/fleets/staging/versions/2')).template).toBe('base@2')
    // A template in use cannot be deleted; nor can a template get a template itself.
    const del = await api<{ error: { code: string } }>('DELETE', '/api/v1/fleets/base')
    expect(del.status, del.text).toBe(409)
    expect(del.body.error.code).toBe('TEMPLATE.IN_USE')
    const chain = await api<{ error: { code: string; issues: Array<{ path: string }> } }>('PATCH', '/api/v1/fleets/base', { body: { template: 'staging' } })
    expect(chain.status, chain.text).toBe(422)
    expect(chain.body.error.issues[0]!.path).toBe('template')
  })
})
