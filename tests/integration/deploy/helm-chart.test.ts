import { execFile } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse, parseAllDocuments } from 'yaml'
import { EnvSchema, parseEnv } from '../../../server/env'
import { PROJECT_ROOT } from '../../support/server'

/**
 * #13 item 4: deploy/helm/legation rendered with `helm template` (no cluster), linted with
 * `helm lint --strict`, and every rendered Kubernetes object checked against the API schemas of
 * Kubernetes 1.30 by kubectl-validate (sigs.k8s.io/kubectl-validate embeds them, so nothing is
 * downloaded at run time; unknown fields and wrong types fail). The ServiceMonitor is a CRD whose
 * schema is not available offline: its wiring is checked field by field instead. Both tools come from
 * scripts/install-chart-tools.sh (.ci/run runs it); a missing tool fails the test, it never skips.
 */
const CHART = path.join(PROJECT_ROOT, 'deploy', 'helm', 'legation')
const KUBE_VERSION = '1.30.0'
const TOOLS_DIR = process.env['LEGATION_TOOLS_DIR'] ?? path.join(os.homedir(), '.cache', 'legation-tools')
const run = promisify(execFile)

type Obj = { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string> }; spec?: Record<string, unknown>; data?: Record<string, string> }
type EnvVar = { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }
type Probe = { httpGet: { path: string; port: string } }
type Container = {
  name: string
  image: string
  ports: Array<{ name: string; containerPort: number }>
  env: EnvVar[]
  readinessProbe: Probe
  livenessProbe: Probe
  startupProbe: Probe
  resources: { requests: Record<string, string>; limits: Record<string, string> }
  securityContext: { runAsNonRoot?: boolean; readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean; capabilities?: { drop: string[] } }
}
type PodSpec = { containers: Container[]; securityContext: { runAsNonRoot: boolean; runAsUser: number }; volumes: Array<{ name: string }> }
type Deployment = Obj & { spec: { replicas: number; selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> }; spec: PodSpec } } }
type Service = Obj & { spec: { selector: Record<string, string>; ports: Array<{ name: string; port: number; targetPort: string; appProtocol?: string }> } }
type ServiceMonitor = Obj & { spec: { selector: { matchLabels: Record<string, string> }; endpoints: Array<{ port: string; path: string; authorization?: { type: string; credentials: { name: string; key: string } } }> } }

function tool(name: string): string {
  const inCache = path.join(TOOLS_DIR, 'bin', name)
  if (existsSync(inCache)) return inCache
  const onPath = (process.env['PATH'] ?? '').split(path.delimiter).map((d) => path.join(d, name)).find((p) => existsSync(p))
  if (onPath) return onPath
  throw new Error(`${name} is not installed (looked in ${path.dirname(inCache)} and on PATH): run scripts/install-chart-tools.sh`)
}

let helm: string
let kubectlValidate: string
let workDir: string

beforeAll(async () => {
  helm = tool('helm')
  kubectlValidate = tool('kubectl-validate')
  workDir = await mkdtemp(path.join(os.tmpdir(), 'legation-helm-'))
})
afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true })
})

const SECRET_KEY = Buffer.alloc(32, 9).toString('base64')
const REQUIRED = ['--set', 'database.url=postgres://legation:s3cret@db.example.com:5432/legation', '--set', `secretKey.value=${SECRET_KEY}`]

async function helmTemplate(args: readonly string[]): Promise<Obj[]> {
  const { stdout } = await run(helm, ['template', 'rel', CHART, '--namespace', 'legation', '--kube-version', KUBE_VERSION, ...args], { maxBuffer: 16 * 1024 * 1024 })
  return parseAllDocuments(stdout)
    .map((d) => d.toJSON() as Obj | null)
    .filter((o): o is Obj => o !== null)
}

async function helmTemplateError(args: readonly string[]): Promise<string> {
  try {
    await helmTemplate(args)
  } catch (err) {
    return (err as { stderr?: string }).stderr ?? String(err)
  }
  throw new Error(`helm template ${args.join(' ')} rendered; expected it to fail`)
}

/** kubectl-validate on the objects (one file), against the Kubernetes 1.30 schemas; resolves with its errors per object. */
async function validate(objects: readonly Obj[], label: string): Promise<string[]> {
  const file = path.join(workDir, `${label}.yaml`)
  await writeFile(file, objects.map((o) => JSON.stringify(o)).join('\n---\n'))
  const result = await run(kubectlValidate, [file, '--version', KUBE_VERSION.split('.').slice(0, 2).join('.'), '--output', 'json']).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }))
  const report = JSON.parse(result.stdout) as Record<string, Array<{ status: string; message?: string }>>
  const statuses = report[file] ?? []
  expect(statuses, `kubectl-validate checked every object of ${label}`).toHaveLength(objects.length)
  return statuses.flatMap((s, i) => (s.status === 'Success' ? [] : [`${objects[i]!.kind}/${objects[i]!.metadata.name}: ${s.message ?? s.status}`]))
}

const only = <T extends Obj>(objects: readonly Obj[], kind: string, name?: string): T => {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name))
  expect(found.map((o) => o.metadata.name), `one ${kind}${name ? ` ${name}` : ''}`).toHaveLength(1)
  return found[0] as T
}
const subsetOf = (small: Record<string, string>, big: Record<string, string>) => Object.entries(small).every(([k, v]) => big[k] === v)
const envOf = (c: Container) => new Map(c.env.map((e) => [e.name, e]))

/** What every rendering must hold, whatever the values: the objects fit together as Kubernetes wires them. */
function expectWiredTogether(objects: readonly Obj[]): { deployment: Deployment; container: Container; http: Service; xds: Service } {
  const deployment = only<Deployment>(objects, 'Deployment')
  const pod = deployment.spec.template
  const [container] = pod.spec.containers as [Container]
  expect(Object.keys(deployment.spec.selector.matchLabels).length).toBeGreaterThan(0)
  expect(subsetOf(deployment.spec.selector.matchLabels, pod.metadata.labels), 'the Deployment selects its own pods').toBe(true)
  const http = only<Service>(objects, 'Service', 'rel-legation-http')
  const xds = only<Service>(objects, 'Service', 'rel-legation-xds')
  for (const service of [http, xds]) expect(subsetOf(service.spec.selector, pod.metadata.labels), `${service.metadata.name} selects the pods`).toBe(true)
  const pdb = only<Obj & { spec: { selector: { matchLabels: Record<string, string> }; maxUnavailable: number } }>(objects, 'PodDisruptionBudget')
  expect(subsetOf(pdb.spec.selector.matchLabels, pod.metadata.labels), 'the PodDisruptionBudget covers the pods').toBe(true)
  expect(pdb.spec.maxUnavailable).toBe(1)

  // Ports: the Services target the container's named ports, which are the ones the server binds.
  const env = envOf(container)
  const portNamed = (name: string) => container.ports.find((p) => p.name === name)?.containerPort
  expect(portNamed('http')).toBe(Number(env.get('PORT')?.value))
  expect(portNamed('grpc-xds')).toBe(Number(env.get('XDS_PORT')?.value))
  expect(http.spec.ports).toEqual([expect.objectContaining({ name: 'http', targetPort: 'http', appProtocol: 'http' })])
  expect(xds.spec.ports).toEqual([expect.objectContaining({ name: 'grpc-xds', targetPort: 'grpc-xds', appProtocol: 'grpc' })])
  expect(env.get('HOST')?.value).toBe('0.0.0.0')
  expect(env.get('XDS_HOST')?.value).toBe('0.0.0.0')

  // Probes: ready = /readyz (fails without the database), alive = /healthz.
  expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' })
  expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' })
  expect(container.startupProbe.httpGet).toEqual({ path: '/healthz', port: 'http' })

  // Non-root, read-only root filesystem, requests and a memory limit.
  expect(pod.spec.securityContext.runAsNonRoot).toBe(true)
  expect(pod.spec.securityContext.runAsUser).toBeGreaterThan(0)
  expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } })
  expect(Object.keys(container.resources.requests).sort()).toEqual(['cpu', 'memory'])
  expect(container.resources.limits['memory']).toBeDefined()

  // Every variable set is one the server reads, and the server accepts the plain ones.
  const known = Object.keys(EnvSchema.shape)
  expect(container.env.map((e) => e.name).filter((n) => !known.includes(n))).toEqual([])
  const plain = Object.fromEntries(container.env.flatMap((e) => (e.value === undefined ? [] : [[e.name, e.value]])))
  expect(() => parseEnv({ ...plain, DATABASE_URL: 'postgres://placeholder/db' })).not.toThrow()
  // The settings that are secrets never appear as plain values.
  for (const name of ['DATABASE_URL', 'LEGATION_SECRET_KEY', 'LEGATION_BOOTSTRAP_TOKEN', 'LEGATION_METRICS_TOKEN']) expect(env.get(name)?.value, name).toBeUndefined()
  expect(env.get('DATABASE_URL')?.valueFrom?.secretKeyRef).toBeDefined()
  expect(env.get('LEGATION_SECRET_KEY')?.valueFrom?.secretKeyRef).toBeDefined()
  return { deployment, container, http, xds }
}

describe('the Helm chart deploy/helm/legation', () => {
  it('lints clean (helm lint --strict) and names the image and version of this repository', async () => {
    const { stdout } = await run(helm, ['lint', CHART, '--strict', '--kube-version', KUBE_VERSION, ...REQUIRED])
    expect(stdout).toContain('0 chart(s) failed')
    const chart = parse(readFileSync(path.join(CHART, 'Chart.yaml'), 'utf8')) as { appVersion: string }
    const pkg = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }
    expect(chart.appVersion).toBe(pkg.version)
  })

  it('refuses to render without a database and a secret key, and ships no default for either', async () => {
    const values = parse(readFileSync(path.join(CHART, 'values.yaml'), 'utf8')) as Record<string, Record<string, unknown>>
    expect(values['database']).toMatchObject({ existingSecret: '', url: '' })
    expect(values['secretKey']).toMatchObject({ existingSecret: '', value: '' })
    expect(await helmTemplateError([])).toContain('set database.existingSecret')
    expect(await helmTemplateError(['--set', 'database.url=postgres://db/legation'])).toContain('set secretKey.existingSecret')
    expect(await helmTemplateError(['--set', 'database.url=postgres://db/legation', '--set', 'secretKey.value=c2hvcnQ='])).toContain('base64 of 32 bytes')
  })

  it('renders valid Kubernetes objects with the required values only: two replicas, secrets in its own Secret', async () => {
    const objects = await helmTemplate(REQUIRED)
    expect(objects.map((o) => `${o.apiVersion} ${o.kind}`).sort()).toEqual(['apps/v1 Deployment', 'policy/v1 PodDisruptionBudget', 'v1 Secret', 'v1 Service', 'v1 Service', 'v1 ServiceAccount'])
    expect(await validate(objects, 'required-values')).toEqual([])
    const { deployment, container } = expectWiredTogether(objects)
    expect(deployment.spec.replicas).toBe(2)
    expect(container.image).toBe('legation:0.1.0')
    const secret = only(objects, 'Secret')
    const env = envOf(container)
    for (const [name, value] of [
      ['DATABASE_URL', 'postgres://legation:s3cret@db.example.com:5432/legation'],
      ['LEGATION_SECRET_KEY', SECRET_KEY],
    ] as const) {
      const ref = env.get(name)!.valueFrom!.secretKeyRef!
      expect(ref.name).toBe(secret.metadata.name)
      expect(Buffer.from(secret.data![ref.key]!, 'base64').toString()).toBe(value)
    }
    expect(env.has('LEGATION_METRICS_TOKEN')).toBe(false)
  })

  it('renders the HA values (ci/ha-values.yaml): three replicas, existing Secrets only, a ServiceMonitor with the metrics token', async () => {
    const objects = await helmTemplate(['--values', path.join(CHART, 'ci', 'ha-values.yaml')])
    const monitor = only<ServiceMonitor>(objects, 'ServiceMonitor')
    expect(monitor.apiVersion).toBe('monitoring.coreos.com/v1')
    const native = objects.filter((o) => o !== monitor)
    expect(native.map((o) => o.kind).sort()).toEqual(['Deployment', 'PodDisruptionBudget', 'Service', 'Service', 'ServiceAccount'])
    expect(await validate(native, 'ha-values')).toEqual([])
    const { deployment, container, http, xds } = expectWiredTogether(objects)
    expect(deployment.spec.replicas).toBe(3)
    expect(container.image).toBe('registry.example.com/legation:0.1.0')

    const env = envOf(container)
    expect(env.get('DATABASE_URL')!.valueFrom!.secretKeyRef).toEqual({ name: 'legation-database', key: 'url' })
    expect(env.get('LEGATION_SECRET_KEY')!.valueFrom!.secretKeyRef).toEqual({ name: 'legation-keys', key: 'LEGATION_SECRET_KEY' })
    expect(env.get('LEGATION_BOOTSTRAP_TOKEN')!.valueFrom!.secretKeyRef).toEqual({ name: 'legation-keys', key: 'LEGATION_BOOTSTRAP_TOKEN' })
    const metricsToken = env.get('LEGATION_METRICS_TOKEN')!.valueFrom!.secretKeyRef
    expect(metricsToken).toEqual({ name: 'legation-keys', key: 'LEGATION_METRICS_TOKEN' })
    expect(env.get('LEGATION_XDS_PUBLIC_HOST')?.value).toBe('xds.legation.example.com')
    expect(env.get('LEGATION_XDS_AUTH')?.value).toBe('token')

    // The ServiceMonitor selects the HTTP Service only, scrapes its port at /metrics, and sends the
    // token the server checks.
    expect(monitor.metadata.labels).toMatchObject({ release: 'prometheus' })
    expect(subsetOf(monitor.spec.selector.matchLabels, http.metadata.labels!)).toBe(true)
    expect(subsetOf(monitor.spec.selector.matchLabels, xds.metadata.labels!)).toBe(false)
    expect(monitor.spec.endpoints).toHaveLength(1)
    const [endpoint] = monitor.spec.endpoints as [ServiceMonitor['spec']['endpoints'][number]]
    expect(http.spec.ports.map((p) => p.name)).toContain(endpoint.port)
    expect(endpoint.path).toBe('/metrics')
    expect(endpoint.authorization).toEqual({ type: 'Bearer', credentials: metricsToken })
  })

  it('is checked for real: a misspelt field in the rendered objects fails kubectl-validate', async () => {
    const objects = await helmTemplate([...REQUIRED, '--set-json', 'extraVolumeMounts=[{"name":"data","mountPth":"/x"}]'])
    expect((await validate(objects, 'misspelt')).join('\n')).toMatch(/Deployment\/rel-legation: .*mountPth/)
  })
})
