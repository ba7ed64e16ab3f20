import { readFileSync } from 'node:fs'
import path from 'node:path'
import type protobuf from 'protobufjs'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { loadEnvoyRoot } from '../../proto/loader'
import { DEMO_FLEET, DEMO_RESOURCES } from '../../server/config/demo'
import { readProtoJson } from '../../server/config/proto-json'
import { EnvSchema, parseEnv } from '../../server/env'
import { adminHeaders } from '../support/credentials'
import { PROJECT_ROOT } from '../support/server'
import { setupTestServer } from '../support/test-server'

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
  profiles?: string[]
  networks?: Record<string, { aliases?: string[] } | null>
}
type SocketAddress = { address: string; port_value: number }
type Bootstrap = {
  node: { id: string; cluster: string }
  static_resources: { clusters: Array<{ name: string; load_assignment: { endpoints: Array<{ lb_endpoints: Array<{ endpoint: { address: { socket_address: SocketAddress } } }> }> } }> }
  admin: { address: { socket_address: SocketAddress } }
}

const BOOTSTRAP = 'envoy.config.bootstrap.v3.Bootstrap'
const DEMO_QUERY = 'node_id=envoy-1&xds_host=legation&xds_port=18000'

// Unset the public-address settings so the defaults under test come from the request alone.
const t = setupTestServer('bootstrap', { LEGATION_XDS_PUBLIC_HOST: undefined, LEGATION_XDS_PUBLIC_PORT: undefined })
const root: protobuf.Root = loadEnvoyRoot()

/** GET as an admin (the endpoint, like every route, needs a principal that may read the fleet). */
const get = (pathAndQuery: string, headers: Record<string, string> = adminHeaders()) => fetch(`${t.server.baseUrl}${pathAndQuery}`, { headers })

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

describe('docker-compose.yml agrees with the bootstrap, the demo fleet and the server settings', () => {
  const compose = parse(readFileSync(path.join(PROJECT_ROOT, 'docker-compose.yml'), 'utf8')) as Compose
  const services = compose.services
  const legation = services['legation']!
  const envoy = services['envoy']!
  const bootstrapJob = services['bootstrap']!
  const command = (s: ComposeService) => (Array.isArray(s.command) ? s.command.join(' ') : (s.command ?? ''))
  /** Container ports a service publishes, from "host:container" entries. */
  const publishedPorts = (s: ComposeService) => (s.ports ?? []).map((p) => Number(p.split(':').at(-1)))
  /** The settings the legation container starts with: the image's ENV lines, then compose's environment. */
  const dockerfile = readFileSync(path.join(PROJECT_ROOT, 'Dockerfile'), 'utf8')
  const imageEnv = Object.fromEntries([...dockerfile.matchAll(/^ENV\s+((?:.*\\\n)*.*)$/gm)].flatMap((m) => m[1]!.replace(/\\\n/g, ' ').trim().split(/\s+/).map((kv) => kv.split('=') as [string, string])))
  const legationEnv = parseEnv({ ...imageEnv, ...legation.environment })
  const demoCluster = DEMO_RESOURCES.find((r) => r.type === 'Cluster' && r.name === 'service')!.resource as unknown as Bootstrap['static_resources']['clusters'][number]
  const demoEndpoint = demoCluster.load_assignment.endpoints[0]!.lb_endpoints[0]!.endpoint.address.socket_address
  const demoListener = DEMO_RESOURCES.find((r) => r.type === 'Listener')!.resource as unknown as { address: { socket_address: SocketAddress } }

  const bootstrapUrl = new URL(command(bootstrapJob).match(/https?:\/\/[^\s'"]+/)![0])
  /** The names a service answers to on the compose network: its own and its aliases. */
  const namesOf = (name: string): string[] => [name, ...Object.values(services[name]!.networks ?? {}).flatMap((n) => n?.aliases ?? [])]
  const serviceNamed = (host: string): string | undefined => Object.keys(services).find((name) => namesOf(name).includes(host))
  /** The bearer token the bootstrap job sends (`$VAR`, `$$VAR` or `${VAR}` read from its environment), if any. */
  const jobToken = ((): string | undefined => {
    const token = command(bootstrapJob).match(/Authorization:\s*Bearer\s+([^\s'"]+)/i)?.[1]
    const variable = token?.match(/^\$?\$\{?(\w+)\}?$/)?.[1]
    return variable === undefined ? token : bootstrapJob.environment?.[variable]
  })()

  it('sets only variables the server knows (server/env.ts), with values it accepts', () => {
    const known = Object.keys(EnvSchema.shape).concat('NEXT_TELEMETRY_DISABLED')
    expect(Object.keys(legation.environment ?? {}).filter((name) => !known.includes(name))).toEqual([])
    expect(Object.keys(imageEnv).filter((name) => !known.includes(name))).toEqual([])
    expect(legationEnv.PORT).toBeGreaterThan(0)
    expect(legationEnv.XDS_PORT).toBeGreaterThan(0)
  })

  it('names only services that exist: in depends_on, in URLs and as the demo endpoint', () => {
    const referenced = new Set<string>([bootstrapUrl.hostname, new URL(legationEnv.DATABASE_URL!).hostname, demoEndpoint.address])
    if (legationEnv.LEGATION_XDS_PUBLIC_HOST) referenced.add(legationEnv.LEGATION_XDS_PUBLIC_HOST)
    referenced.add(bootstrapUrl.searchParams.get('xds_host')!)
    for (const service of Object.values(services)) for (const name of Object.keys(service.depends_on ?? {})) referenced.add(name)
    expect([...referenced].filter((name) => !serviceNamed(name))).toEqual([])
    // A condition the dependency can meet: healthy needs a healthcheck, completed needs a one-shot job.
    for (const [name, service] of Object.entries(services)) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        if (condition === 'service_healthy') expect(services[dependency]!.healthcheck, `${name} waits for ${dependency} to be healthy`).toBeDefined()
      }
    }
    // The start order the demo needs: Postgres, then legation, then the bootstrap fetch, then Envoy.
    expect(legation.depends_on).toMatchObject({ [new URL(legationEnv.DATABASE_URL!).hostname]: { condition: 'service_healthy' } })
    expect(bootstrapJob.depends_on).toMatchObject({ legation: { condition: 'service_healthy' } })
    expect(envoy.depends_on).toMatchObject({ bootstrap: { condition: 'service_completed_successfully' } })
  })

  it('fetches the bootstrap of the demo fleet from the port legation serves HTTP on, asking for the xDS address legation serves', () => {
    expect(bootstrapUrl.hostname).toBe('legation')
    expect(Number(bootstrapUrl.port)).toBe(legationEnv.PORT)
    expect(bootstrapUrl.pathname).toBe(`/api/v1/fleets/${DEMO_FLEET.name}/bootstrap`)
    // The xDS name is the legation service's (an alias, which the ha profile's second replica shares).
    expect(namesOf('legation')).toContain(bootstrapUrl.searchParams.get('xds_host'))
    expect(bootstrapUrl.searchParams.get('xds_host')).toBe(legationEnv.LEGATION_XDS_PUBLIC_HOST)
    expect(Number(bootstrapUrl.searchParams.get('xds_port'))).toBe(legationEnv.XDS_PORT)
    // Reachable from the other containers: bound to every interface, not the loopback default.
    expect(legationEnv).toMatchObject({ HOST: '0.0.0.0', XDS_HOST: '0.0.0.0' })
  })

  it('fetches the bootstrap with a token legation accepts (the endpoint answers 401 without one)', () => {
    expect(jobToken, 'the bootstrap job sends no Authorization header, so Envoy never gets its bootstrap').toBeDefined()
    expect(jobToken, 'the bootstrap job’s token is legation’s LEGATION_BOOTSTRAP_TOKEN').toBe(legationEnv.LEGATION_BOOTSTRAP_TOKEN)
  })

  it('the bootstrap that URL returns is valid and points Envoy at legation’s xDS port, with an admin port Envoy publishes', async () => {
    // With the test server's admin token, standing in for the token the job sends.
    const res = await get(`${bootstrapUrl.pathname}${bootstrapUrl.search}`)
    expect(res.status).toBe(200)
    const bootstrap = parse(await res.text()) as Bootstrap
    expect(readProtoJson(root, BOOTSTRAP, bootstrap).issues).toEqual([])
    expect(bootstrap.node.cluster).toBe(DEMO_FLEET.name)
    expect(socketAddressOfXdsCluster(bootstrap)).toEqual({ address: bootstrapUrl.searchParams.get('xds_host'), port_value: legationEnv.XDS_PORT })
    expect(serviceNamed(socketAddressOfXdsCluster(bootstrap).address)).toBe('legation')
    expect(publishedPorts(envoy)).toContain(bootstrap.admin.address.socket_address.port_value)
  })

  it('hands the bootstrap to Envoy through a shared volume: the file the job writes is the one Envoy reads', () => {
    const [volume, mountPoint] = bootstrapJob.volumes![0]!.split(':') as [string, string]
    expect(compose.volumes).toHaveProperty(volume)
    expect(command(bootstrapJob)).toContain(`${mountPoint}/envoy.yaml`)
    const envoyMount = envoy.volumes!.map((v) => v.split(':')).find(([name]) => name === volume)!
    expect(command(envoy)).toContain(`-c ${envoyMount[1]}/envoy.yaml`)
  })

  it('publishes the demo listener port from Envoy, and the HTTP and xDS ports the legation image exposes', () => {
    expect(publishedPorts(envoy)).toContain(demoListener.address.socket_address.port_value)
    const exposed = dockerfile.match(/^EXPOSE\s+(.+)$/m)![1]!.split(/\s+/).map(Number)
    for (const port of [legationEnv.PORT, legationEnv.XDS_PORT]) {
      expect(publishedPorts(legation)).toContain(port)
      expect(exposed).toContain(port)
    }
  })

  it('runs an echo service at the demo cluster endpoint, on the port it routes to', () => {
    const service = services[demoEndpoint.address]!
    expect(Number(service.environment?.['PORT'] ?? 8080)).toBe(demoEndpoint.port_value)
  })

  it('checks legation readiness on its HTTP port, and reaches Postgres with the credentials Postgres is given', () => {
    expect(legation.healthcheck!.test.join(' ')).toContain(`http://127.0.0.1:${legationEnv.PORT}/readyz`)
    // With a program the image has: node (the slim Node image has no curl or wget).
    expect(legation.healthcheck!.test.slice(0, 2)).toEqual(['CMD', 'node'])
    const db = new URL(legationEnv.DATABASE_URL!)
    const postgres = services[db.hostname]!.environment!
    expect({ user: db.username, password: db.password, database: db.pathname.slice(1) }).toEqual({ user: postgres['POSTGRES_USER'], password: postgres['POSTGRES_PASSWORD'], database: postgres['POSTGRES_DB'] })
  })

  it('the default demo runs one replica; `--profile ha` adds a second on the same database, secret key and xDS name', () => {
    // Without a profile: every service but the second replica, as before.
    expect(Object.entries(services).filter(([, s]) => s.profiles !== undefined).map(([name, s]) => [name, s.profiles])).toEqual([['legation-2', ['ha']]])
    const second = services['legation-2']!
    const known = Object.keys(EnvSchema.shape)
    expect(Object.keys(second.environment ?? {}).filter((name) => !known.includes(name))).toEqual([])
    const secondEnv = parseEnv({ ...imageEnv, ...second.environment })
    expect(second.build).toEqual(legation.build)
    // The settings replicas must share: the database, the admin token, the ports inside the container, the xDS name.
    const shared = (env: typeof legationEnv) => ({ DATABASE_URL: env.DATABASE_URL, LEGATION_BOOTSTRAP_TOKEN: env.LEGATION_BOOTSTRAP_TOKEN, PORT: env.PORT, XDS_PORT: env.XDS_PORT, LEGATION_XDS_PUBLIC_HOST: env.LEGATION_XDS_PUBLIC_HOST, HOST: env.HOST, XDS_HOST: env.XDS_HOST })
    expect(shared(secondEnv)).toEqual(shared(legationEnv))
    // The same sealing key: set alike, or the same volume on the data folder that holds secret.key.
    const dataVolume = (s: ComposeService) => s.volumes?.find((v) => v.split(':')[1] === imageEnv['LEGATION_DATA_DIR'])?.split(':')[0]
    if (secondEnv.LEGATION_SECRET_KEY === undefined || legationEnv.LEGATION_SECRET_KEY === undefined) {
      expect(dataVolume(legation)).toBeDefined()
      expect(dataVolume(second)).toBe(dataVolume(legation))
      expect(compose.volumes).toHaveProperty(dataVolume(legation)!)
    } else {
      expect(secondEnv.LEGATION_SECRET_KEY).toBe(legationEnv.LEGATION_SECRET_KEY)
    }
    // Envoy's xDS name resolves to both replicas (a STRICT_DNS cluster in its bootstrap).
    expect(namesOf('legation-2')).toContain(bootstrapUrl.searchParams.get('xds_host'))
    // Ready like the first, started after it (it creates secret.key), and no host port used twice.
    expect(second.healthcheck!.test.join(' ')).toContain(`http://127.0.0.1:${secondEnv.PORT}/readyz`)
    expect(second.depends_on).toMatchObject({ legation: { condition: 'service_healthy' }, [new URL(secondEnv.DATABASE_URL!).hostname]: { condition: 'service_healthy' } })
    expect(publishedPorts(second).sort()).toEqual([secondEnv.PORT, secondEnv.XDS_PORT].sort())
    const hostPorts = Object.values(services).flatMap((s) => (s.ports ?? []).map((p) => p.split(':').slice(0, -1).join(':')))
    expect(hostPorts.length).toBe(new Set(hostPorts).size)
  })

  it('runs legation as a user that may write its data dir (the embedded Postgres refuses root)', () => {
    expect(legation.build).toBe('.')
    const user = dockerfile.match(/^USER\s+(\S+)$/m)?.[1]
    expect(user).toBeDefined()
    expect(user).not.toBe('root')
    expect(dockerfile).toMatch(new RegExp(`install -d -o ${user} -g ${user} [^\\n]*${imageEnv['LEGATION_DATA_DIR']}(\\s|$)`))
  })
})
