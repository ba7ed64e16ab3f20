import { readFileSync } from 'node:fs'
import path from 'node:path'
import type protobuf from 'protobufjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { loadEnvoyRoot } from '../../proto/loader'
import { DEMO_FLEET, DEMO_RESOURCES } from '../../server/config/demo'
import { readProtoJson } from '../../server/config/proto-json'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { PROJECT_ROOT, startServer, type ServerHandle } from '../support/server'

// GET /api/v1/fleets/{fleet}/bootstrap against the real server, and docker-compose.yml read
// against what that endpoint returns: Docker cannot run here, so the demo's wiring (names, ports,
// the URL Envoy's bootstrap comes from) is checked by reading the file.

type ErrorBody = { error: { code: string; message: string; issues: Array<{ path: string; message: string }> } }
type Compose = { services: Record<string, ComposeService>; volumes?: Record<string, unknown>; version?: unknown }
type ComposeService = {
  image?: string
  build?: unknown
  command?: string | string[]
  environment?: Record<string, string>
  ports?: string[]
  volumes?: string[]
  hostname?: string
  healthcheck?: { test: string[] }
  depends_on?: Record<string, { condition: string }>
}
type SocketAddress = { address: string; port_value: number }
type Bootstrap = {
  node: { id: string; cluster: string }
  static_resources: { clusters: Array<{ name: string; load_assignment: { endpoints: Array<{ lb_endpoints: Array<{ endpoint: { address: { socket_address: SocketAddress } } }> }> } }> }
  admin: { address: { socket_address: SocketAddress } }
}

const BOOTSTRAP = 'envoy.config.bootstrap.v3.Bootstrap'
const DEMO_QUERY = 'node_id=envoy-1&xds_host=legation&xds_port=18000'

let db: TestDatabase
let server: ServerHandle
let root: protobuf.Root

beforeAll(async () => {
  db = await createTestDatabase('bootstrap')
  // Unset the public-address settings so the defaults under test come from the request alone.
  server = await startServer({ env: { DATABASE_URL: db.url, LEGATION_XDS_PUBLIC_HOST: undefined, LEGATION_XDS_PUBLIC_PORT: undefined } })
  root = loadEnvoyRoot()
})

afterAll(async () => {
  expect(await server?.stop()).toBe(0)
  await db?.drop()
})

const get = (pathAndQuery: string) => fetch(`${server.baseUrl}${pathAndQuery}`)

function socketAddressOfXdsCluster(b: Bootstrap): SocketAddress {
  const xds = b.static_resources.clusters.find((c) => c.name === 'xds_cluster')
  return xds!.load_assignment.endpoints[0]!.lb_endpoints[0]!.endpoint.address.socket_address
}

describe('GET /api/v1/fleets/{fleet}/bootstrap', () => {
  it('returns YAML that parses against the Envoy Bootstrap proto', async () => {
    const res = await get(`/api/v1/fleets/demo/bootstrap?${DEMO_QUERY}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/yaml; charset=utf-8')
    const bootstrap = parse(await res.text()) as Bootstrap
    expect(readProtoJson(root, BOOTSTRAP, bootstrap).issues).toEqual([])
    expect(bootstrap.node).toEqual({ id: 'envoy-1', cluster: 'demo' })
    expect(socketAddressOfXdsCluster(bootstrap)).toEqual({ address: 'legation', port_value: 18000 })
    expect(bootstrap.admin.address.socket_address).toEqual({ address: '0.0.0.0', port_value: 19000 })
  })

  it('returns the same document as JSON with ?format=json', async () => {
    const yamlText = await (await get(`/api/v1/fleets/demo/bootstrap?${DEMO_QUERY}`)).text()
    const res = await get(`/api/v1/fleets/demo/bootstrap?${DEMO_QUERY}&format=json`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    expect(await res.json()).toEqual(parse(yamlText))
  })

  it('defaults node_id to envoy-<fleet>, xds_host to the Host name and xds_port to 18000 when XDS_PORT is 0', async () => {
    const bootstrap = (await (await get('/api/v1/fleets/demo/bootstrap?format=json')).json()) as Bootstrap
    expect(bootstrap.node.id).toBe('envoy-demo')
    expect(socketAddressOfXdsCluster(bootstrap)).toEqual({ address: '127.0.0.1', port_value: 18000 })
    expect(bootstrap.admin.address.socket_address.port_value).toBe(19000)
  })

  it('answers 404 FLEET.NOT_FOUND for an unknown fleet', async () => {
    const res = await get('/api/v1/fleets/nope/bootstrap')
    expect(res.status).toBe(404)
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    expect(((await res.json()) as ErrorBody).error.code).toBe('FLEET.NOT_FOUND')
  })

  it('answers 422 naming the parameter for a bad port', async () => {
    const res = await get('/api/v1/fleets/demo/bootstrap?xds_port=abc')
    expect(res.status).toBe(422)
    const body = (await res.json()) as ErrorBody
    expect(body.error.code).toBe('REQUEST.INVALID')
    expect(body.error.message).toContain('xds_port')
    expect(body.error.issues.map((i) => i.path)).toEqual(['xds_port'])
  })
})

describe('docker-compose.yml agrees with the bootstrap and the demo fleet', () => {
  const compose = parse(readFileSync(path.join(PROJECT_ROOT, 'docker-compose.yml'), 'utf8')) as Compose
  const services = compose.services
  const legation = services['legation']!
  const envoy = services['envoy']!
  const bootstrapJob = services['bootstrap']!
  const command = (s: ComposeService) => (Array.isArray(s.command) ? s.command.join(' ') : (s.command ?? ''))
  /** Container ports a service publishes, from "host:container" entries. */
  const publishedPorts = (s: ComposeService) => (s.ports ?? []).map((p) => Number(p.split(':').at(-1)))
  const demoCluster = DEMO_RESOURCES.find((r) => r.type === 'Cluster' && r.name === 'service')!.resource as unknown as Bootstrap['static_resources']['clusters'][number]
  const demoEndpoint = demoCluster.load_assignment.endpoints[0]!.lb_endpoints[0]!.endpoint.address.socket_address
  const demoListener = DEMO_RESOURCES.find((r) => r.type === 'Listener')!.resource as unknown as { address: { socket_address: SocketAddress } }

  const bootstrapUrl = new URL(command(bootstrapJob).match(/https?:\/\/[^\s'"]+/)![0])

  it('uses the Compose spec (no version key) and has every service of the demo', () => {
    expect(compose.version).toBeUndefined()
    expect(Object.keys(services).sort()).toEqual(['bootstrap', 'envoy', 'legation', 'postgres', 'service1', 'service2'])
  })

  it('fetches the bootstrap of the demo fleet from the legation service, asking for the address legation serves xDS on', () => {
    expect(bootstrapUrl.hostname).toBe('legation')
    expect(Number(bootstrapUrl.port)).toBe(Number(legation.environment!['PORT']))
    expect(publishedPorts(legation)).toContain(Number(bootstrapUrl.port))
    expect(bootstrapUrl.pathname).toBe(`/api/v1/fleets/${DEMO_FLEET.name}/bootstrap`)
    expect(bootstrapUrl.searchParams.get('xds_host')).toBe(legation.environment!['LEGATION_XDS_PUBLIC_HOST'])
    expect(bootstrapUrl.searchParams.get('xds_host')).toBe('legation')
    expect(bootstrapUrl.searchParams.get('xds_port')).toBe(legation.environment!['XDS_PORT'])
    expect(publishedPorts(legation)).toContain(Number(bootstrapUrl.searchParams.get('xds_port')))
    expect(legation.environment).toMatchObject({ HOST: '0.0.0.0', XDS_HOST: '0.0.0.0' })
  })

  it('the bootstrap that URL returns is valid and points Envoy at legation with an admin port Envoy publishes', async () => {
    const res = await get(`${bootstrapUrl.pathname}${bootstrapUrl.search}`)
    expect(res.status).toBe(200)
    const bootstrap = parse(await res.text()) as Bootstrap
    expect(readProtoJson(root, BOOTSTRAP, bootstrap).issues).toEqual([])
    expect(bootstrap.node.cluster).toBe(DEMO_FLEET.name)
    expect(socketAddressOfXdsCluster(bootstrap)).toEqual({ address: 'legation', port_value: Number(legation.environment!['XDS_PORT']) })
    expect(publishedPorts(envoy)).toContain(bootstrap.admin.address.socket_address.port_value)
  })

  it('hands the bootstrap to Envoy through a shared volume, in order', () => {
    const [volume, mountPoint] = bootstrapJob.volumes![0]!.split(':') as [string, string]
    expect(compose.volumes).toHaveProperty(volume)
    expect(command(bootstrapJob)).toContain(`${mountPoint}/envoy.yaml`)
    const envoyMount = envoy.volumes!.map((v) => v.split(':')).find(([name]) => name === volume)!
    expect(command(envoy)).toContain(`-c ${envoyMount[1]}/envoy.yaml`)
    expect(envoy.image).toMatch(/^envoyproxy\/envoy:v1\.33/)
    expect(envoy.depends_on).toMatchObject({ bootstrap: { condition: 'service_completed_successfully' }, legation: { condition: 'service_healthy' } })
    expect(bootstrapJob.depends_on).toMatchObject({ legation: { condition: 'service_healthy' } })
    expect(legation.depends_on).toMatchObject({ postgres: { condition: 'service_healthy' } })
  })

  it('publishes the demo listener port from Envoy', () => {
    expect(publishedPorts(envoy)).toContain(demoListener.address.socket_address.port_value)
    expect(publishedPorts(envoy)).toContain(10000)
  })

  it('runs the echo services at the demo cluster endpoint, and service2 to move traffic to', () => {
    expect(demoEndpoint).toEqual({ address: 'service1', port_value: 8080 })
    for (const name of ['service1', 'service2']) {
      const service = services[name]!
      expect(service.image).toMatch(/^jmalloc\/echo-server/)
      expect(Number(service.environment?.['PORT'] ?? 8080)).toBe(demoEndpoint.port_value)
    }
    expect(services[demoEndpoint.address]).toBeDefined()
  })

  it('checks legation readiness with node (the image has no curl) and reaches Postgres by service name', () => {
    const test = legation.healthcheck!.test.join(' ')
    expect(test).toContain(`http://127.0.0.1:${legation.environment!['PORT']}/readyz`)
    expect(legation.healthcheck!.test.slice(0, 2)).toEqual(['CMD', 'node'])
    expect(new URL(legation.environment!['DATABASE_URL']!).hostname).toBe('postgres')
    expect(services['postgres']!.image).toBe('postgres:17')
    expect(services['postgres']!.healthcheck!.test.join(' ')).toContain('pg_isready')
  })

  it('builds legation from the Dockerfile, which exposes the ports compose publishes', () => {
    expect(legation.build).toBe('.')
    const dockerfile = readFileSync(path.join(PROJECT_ROOT, 'Dockerfile'), 'utf8')
    const exposed = dockerfile.match(/^EXPOSE\s+(.+)$/m)![1]!.split(/\s+/).map(Number)
    for (const port of publishedPorts(legation)) expect(exposed).toContain(port)
    expect(dockerfile).toMatch(/^ENV[\s\S]*LEGATION_DATA_DIR=\/var\/lib\/legation/m)
    expect(dockerfile).toMatch(/^USER (?!root)\S+/m)
  })
})
