import type * as grpc from '@grpc/grpc-js'
import { spawn } from 'node:child_process'
import { mkdtemp, mkdir, rm, stat, readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { TEST_ADMIN_TOKEN } from '../../support/credentials'
import { callEcho, startEchoBackend, type EchoBackend } from '../../support/echo-backend'
import { PROJECT_ROOT } from '../../support/server'
import { setupTestServer } from '../../support/test-server'
import { waitFor } from '../../support/wait-for'
import { commitRejectedCluster, createXdsEchoClient, echoFleetResources } from '../../support/xds-client'
import { CLUSTER_TYPE_URL } from '../../support/xds-fleet'
import { openSotwStream } from '../../support/xds-protocol-client'

/**
 * #14 item 5: the `legation` command, run as a user runs it (node bin/legation.mjs, a child process)
 * against the real server: apply a folder of YAML, diff, commit, wait for a real gRPC xDS client
 * (@grpc/grpc-js-xds, which ACKs and NACKs like Envoy) to converge, and wait failing on a version it NACKs.
 */
const t = setupTestServer('cli')
const { api } = t
const FLEET = 'cli-edge'

let home: string
let backend: EchoBackend
const clients: grpc.Client[] = []

type Run = Readonly<{ code: number | null; stdout: string; stderr: string }>

/** Runs the CLI with a private HOME (so `login` writes there), and LEGATION_URL/TOKEN only when given. */
function legation(args: readonly string[], env: Record<string, string> = { LEGATION_URL: t.server.baseUrl, LEGATION_TOKEN: TEST_ADMIN_TOKEN }): Promise<Run> {
  const base = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined && !e[0].startsWith('LEGATION_') && e[0] !== 'XDG_CONFIG_HOME'))
  const childEnv: Record<string, string> = { ...base, HOME: home, ...env }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'bin', 'legation.mjs'), ...args], { cwd: home, env: childEnv as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    child.once('error', reject)
    child.once('close', (code) => resolve({ code, stdout, stderr }))
  })
}

const doc = (type: string, name: string, resource: unknown) => ({ type, name, resource })

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'legation-cli-'))
  backend = await startEchoBackend('cli-backend')
})
afterAll(async () => {
  for (const c of clients) c.close()
  await backend?.stop()
  if (home) await rm(home, { recursive: true, force: true })
})

describe('legation CLI against a started server', () => {
  it('login: a bad token exits non-zero with the API\'s message and stores nothing; a good one is stored 0600', async () => {
    const refused = await fetch(`${t.server.baseUrl}/api/v1/fleets`, { headers: { authorization: 'Bearer lgt_not-a-real-token-0000000000000000' } })
    const apiMessage = ((await refused.json()) as { error: { message: string } }).error.message
    const bad = await legation(['login', '--url', t.server.baseUrl, '--token', 'lgt_not-a-real-token-0000000000000000'], {})
    expect(bad.code).not.toBe(0)
    expect(bad.stderr).toContain(apiMessage)
    expect(bad.stderr).toContain(String(refused.status))
    await expect(stat(path.join(home, '.config', 'legation', 'config.json'))).rejects.toThrow()

    const ok = await legation(['login', '--url', `${t.server.baseUrl}/`, '--token', TEST_ADMIN_TOKEN], {})
    expect(ok.code, ok.stderr).toBe(0)
    const file = path.join(home, '.config', 'legation', 'config.json')
    expect((await stat(file)).mode & 0o777).toBe(0o600)
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ url: t.server.baseUrl, token: TEST_ADMIN_TOKEN })

    // The stored login is used without any environment; LEGATION_TOKEN overrides it.
    const created = await api('POST', '/api/v1/fleets', { body: { name: FLEET, description: 'from the CLI test' } })
    expect(created.status, created.text).toBe(201)
    const fleets = await legation(['fleets'], {})
    expect(fleets.code, fleets.stderr).toBe(0)
    expect(fleets.stdout).toMatch(/^NAME\s+ACTIVE\s+PENDING\s+DESCRIPTION/)
    expect(fleets.stdout).toMatch(new RegExp(`${FLEET}\\s+-\\s+0\\s+from the CLI test`))
    const overridden = await legation(['fleets'], { LEGATION_TOKEN: 'lgt_not-a-real-token-0000000000000000' })
    expect(overridden.code).not.toBe(0)
    expect(overridden.stderr).toContain(apiMessage)
  })

  it('apply a folder of YAML (dry run, then for real), diff, commit, and wait until a gRPC xDS client runs it', async () => {
    const r = echoFleetResources([backend])
    const dir = path.join(home, 'fleet')
    await mkdir(path.join(dir, 'clusters'), { recursive: true })
    await writeFile(path.join(dir, 'listener.yaml'), stringify(doc('Listener', 'echo', r.listener)))
    await writeFile(path.join(dir, 'route.yml'), stringify(doc('RouteConfiguration', 'echo-route', r.route)))
    // Two documents in one file, in a subfolder.
    await writeFile(path.join(dir, 'clusters', 'echo.yaml'), `${stringify(doc('Cluster', 'echo-backend', r.cluster))}---\n${stringify(doc('ClusterLoadAssignment', 'echo-backend', r.endpoints))}`)
    await writeFile(path.join(dir, 'README.md'), 'not a bundle file\n')

    const dry = await legation(['apply', '-f', dir, '--fleet', FLEET, '--dry-run', '-o', 'json'])
    expect(dry.code, dry.stderr).toBe(0)
    expect(JSON.parse(dry.stdout)).toMatchObject({ fleet: FLEET, dryRun: true, counts: { added: 4, modified: 0, removed: 0, unchanged: 0 } })
    expect((await api<{ resources: unknown[] }>('GET', `/api/v1/fleets/${FLEET}/draft`)).body.resources).toEqual([])

    const applied = await legation(['apply', '-f', dir, '--fleet', FLEET])
    expect(applied.code, applied.stderr).toBe(0)
    expect(applied.stdout).toContain('4 added, 0 changed, 0 removed, 0 unchanged')
    expect(applied.stdout).toMatch(/added\s+Cluster\s+echo-backend/)
    expect(applied.stdout).toContain('+connect_timeout: 1s')
    const draft = await api<{ resources: Array<{ type: string; name: string }> }>('GET', `/api/v1/fleets/${FLEET}/draft`)
    expect(draft.body.resources.map((x) => `${x.type}/${x.name}`).sort()).toEqual(['Cluster/echo-backend', 'ClusterLoadAssignment/echo-backend', 'Listener/echo', 'RouteConfiguration/echo-route'])

    const diff = await legation(['diff', FLEET, '--exit-code'])
    expect(diff.code, 'diff --exit-code: 1 with changes').toBe(1)
    expect(diff.stdout).toContain('against no version yet: 4 added')
    expect(diff.stdout).toMatch(/added\s+RouteConfiguration\s+echo-route/)

    const commit = await legation(['commit', FLEET, '-m', 'from the CLI'])
    expect(commit.code, commit.stderr).toBe(0)
    expect(commit.stdout).toContain(`committed ${FLEET} v1`)
    const versions = await api<{ versions: Array<{ number: number; message: string }> }>('GET', `/api/v1/fleets/${FLEET}/versions`)
    expect(versions.body.versions.map((v) => [v.number, v.message])).toEqual([[1, 'from the CLI']])
    const clean = await legation(['diff', FLEET, '--exit-code'])
    expect(clean.code).toBe(0)
    expect(clean.stdout).toContain(`draft of ${FLEET} is the same as v1`)

    const client = createXdsEchoClient({ xdsPort: t.xdsPort, nodeId: 'cli-proxy-1', fleet: FLEET, target: 'echo' })
    clients.push(client)
    expect(await callEcho(client, 15_000)).toBe('cli-backend')
    const waited = await legation(['wait', FLEET, '--version', '1', '--timeout', '30s', '--interval', '200ms'])
    expect(waited.code, `${waited.stdout}\n${waited.stderr}`).toBe(0)
    expect(waited.stdout).toContain('v1: converged, 1/1 proxies on it')

    const status = await legation(['status', FLEET, '-o', 'json'])
    expect(status.code, status.stderr).toBe(0)
    const s = JSON.parse(status.stdout) as { versions: Array<{ number: number; convergence: { onVersion: number; proxies: number } }>; rollout: { version: number; state: string } }
    expect(s.rollout).toMatchObject({ version: 1, state: 'converged' })
    expect(s.versions[0]).toMatchObject({ number: 1, convergence: { onVersion: 1, proxies: 1 } })
  })

  it('wait fails on a version the client NACKs (MAGLEV), naming the proxy and printing its text; rollback, then wait succeeds', async () => {
    const v2 = await commitRejectedCluster(api, FLEET, [backend])
    expect(v2).toBe(2)
    const failed = await legation(['wait', FLEET, '--version', String(v2), '--timeout', '30s', '--interval', '200ms'])
    expect(failed.code, `${failed.stdout}\n${failed.stderr}`).toBe(2)
    const rollout = await api<{ state: string; rejections: Array<{ nodeId: string; message: string }> }>('GET', `/api/v1/fleets/${FLEET}/versions/${v2}/rollout`)
    expect(rollout.body.state).toBe('rejected')
    const nack = rollout.body.rejections[0]!
    expect(nack.nodeId).toBe('cli-proxy-1')
    expect(nack.message.length).toBeGreaterThan(0)
    expect(failed.stderr).toContain(`v${v2} was rejected by 1 proxy: cli-proxy-1: ${nack.message}`)
    expect(failed.stdout).toContain(`rejected by cli-proxy-1 (Cluster/echo-backend), still on v1: ${nack.message}`)

    const rolledBack = await legation(['rollback', FLEET, '1', '--discard-draft', '-o', 'json'])
    expect(rolledBack.code, rolledBack.stderr).toBe(0)
    const v3 = (JSON.parse(rolledBack.stdout) as { number: number; rollbackOf: number }).number
    expect(JSON.parse(rolledBack.stdout)).toMatchObject({ number: 3, rollbackOf: 1 })
    const waited = await legation(['wait', FLEET, '--timeout', '30s', '--interval', '200ms', '-o', 'yaml'])
    expect(waited.code, `${waited.stdout}\n${waited.stderr}`).toBe(0)
    expect(waited.stdout).toContain(`version: ${v3}`)
    expect(waited.stdout).toContain('state: converged')
  })

  it('wait times out (exit 4) while a connected proxy has not ACKed the version, naming it', async () => {
    // A raw ADS stream that takes the clusters and never answers: connected, pending on the active version.
    const raw = openSotwStream(t.xdsPort)
    try {
      raw.send({ node: { id: 'cli-silent', cluster: FLEET }, type_url: CLUSTER_TYPE_URL })
      expect((await raw.next()).type_url).toBe(CLUSTER_TYPE_URL)
      const active = await waitFor(
        async () => {
          const r = await api<{ version: number; state: string; missing: Array<{ nodeId: string }> }>('GET', `/api/v1/fleets/${FLEET}/versions/3/rollout`)
          return r.body.missing.some((m) => m.nodeId === 'cli-silent') ? r.body : null
        },
        { what: 'the silent proxy counted as missing', timeoutMs: 15_000 },
      )
      expect(active.state).toBe('converging')
      const timedOut = await legation(['wait', FLEET, '--timeout', '1s', '--interval', '200ms'])
      expect(timedOut.code, `${timedOut.stdout}\n${timedOut.stderr}`).toBe(4)
      expect(timedOut.stderr).toContain('error: timed out after 1s: 1/2 proxies on v3')
      expect(timedOut.stdout).toMatch(/not on it: cli-silent \(pending, /)
    } finally {
      raw.close()
    }
  })

  it('get, export and import read and write what the API has; a bad document is named by its file and line', async () => {
    const cluster = await legation(['get', FLEET, 'clusters', 'echo-backend'])
    expect(cluster.code, cluster.stderr).toBe(0)
    expect(cluster.stdout).toContain('connect_timeout: 1s')
    expect(cluster.stdout, 'the rollback restored the round-robin cluster').not.toContain('MAGLEV')
    const missing = await legation(['get', FLEET, 'cds', 'nope'])
    expect(missing.code).toBe(1)
    const apiMissing = await api<{ error: { message: string } }>('GET', `/api/v1/fleets/${FLEET}/draft/clusters/nope`)
    expect(missing.stderr).toContain(apiMissing.body.error.message)

    const exported = await legation(['export', FLEET, '--version', '1'])
    expect(exported.code, exported.stderr).toBe(0)
    expect(exported.stdout).toBe((await api('GET', `/api/v1/fleets/${FLEET}/export?version=1`)).text)
    const file = path.join(home, 'exported.yaml')
    await writeFile(file, exported.stdout)
    const imported = await legation(['import', FLEET, '-f', file])
    expect(imported.code, imported.stderr).toBe(0)
    expect(imported.stdout).toContain('0 added, 0 changed, 0 removed, 4 unchanged')
    // --if-match with a revision the draft has moved past: the API's 409, nothing written.
    const stale = await legation(['apply', '-f', file, '--fleet', FLEET, '--if-match', '1'])
    expect(stale.code).toBe(1)
    expect(stale.stderr).toContain('(409 DRAFT.CONFLICT)')

    const bad = path.join(home, 'bad')
    await mkdir(bad, { recursive: true })
    await writeFile(path.join(bad, 'a.yaml'), exported.stdout)
    await writeFile(path.join(bad, 'b.yaml'), `# a comment\n${stringify(doc('Cluster', 'other', { name: 'other', type: 'STATIC', connect_timeout: 'soon' }))}`)
    const refused = await legation(['apply', '-f', bad, '--fleet', FLEET])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('connect_timeout')
    expect(refused.stderr).toContain(`${path.join(bad, 'b.yaml')}:2`)
    const syntax = path.join(home, 'syntax.yaml')
    await writeFile(syntax, 'type: Cluster\nname: [unclosed\n')
    const unparsable = await legation(['apply', '-f', syntax, '--fleet', FLEET])
    expect(unparsable.code).toBe(1)
    expect(unparsable.stderr).toMatch(new RegExp(`${syntax.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: `))
    // Nothing was written by the refused applies.
    const after = await legation(['diff', FLEET, '--exit-code'])
    expect(after.code, after.stdout).toBe(0)
  })

  it('import -f envoy.yaml --fleet: a dry run prints the diff and the findings, then the import; a broken file exits 1 naming its line', async () => {
    const fleet = 'cli-import'
    expect((await api('POST', '/api/v1/fleets', { body: { name: fleet } })).status).toBe(201)
    const file = path.join(PROJECT_ROOT, 'tests', 'fixtures', 'import', 'front-proxy.yaml')
    const dry = await legation(['import', '-f', file, '--fleet', fleet, '--dry-run', '--split-routes', '--split-endpoints'])
    expect(dry.code, dry.stderr).toBe(0)
    expect(dry.stdout).toContain('as an Envoy bootstrap: 6 resources')
    expect(dry.stdout).toContain('dry run, nothing written')
    expect(dry.stdout).toContain('6 added, 0 changed, 0 removed, 0 unchanged')
    expect(dry.stdout).toMatch(/added\s+RouteConfiguration\s+local_route/)
    expect(dry.stdout).toMatch(/warning\s+IMPORT\.BOOTSTRAP_ONLY\s+layered_runtime \(line \d+\)/)
    expect(dry.stdout).toMatch(/info\s+IMPORT\.DNS_ENDPOINTS_INLINE\s+static_resources\.clusters\[0\]\.load_assignment/)
    expect((await api<{ resources: unknown[] }>('GET', `/api/v1/fleets/${fleet}/draft`)).body.resources).toEqual([])

    const done = await legation(['import', '-f', file, '--fleet', fleet, '--split-routes', '-o', 'json'])
    expect(done.code, done.stderr).toBe(0)
    expect(JSON.parse(done.stdout)).toMatchObject({ format: 'bootstrap', dryRun: false, counts: { added: 5 } })
    const draft = await api<{ resources: Array<{ type: string; name: string }> }>('GET', `/api/v1/fleets/${fleet}/draft`)
    expect(draft.body.resources.map((r) => `${r.type}/${r.name}`).sort()).toEqual(['Cluster/service1', 'Cluster/service2', 'Listener/listener_0', 'Listener/listener_tcp', 'RouteConfiguration/local_route'])

    const broken = path.join(home, 'broken-envoy.yaml')
    await writeFile(broken, 'static_resources:\n  clusters:\n  - name: a\n   type: STATIC\n')
    const refused = await legation(['import', '-f', broken, '--fleet', fleet])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain(broken)
    expect(refused.stderr).toMatch(/line 4, column \d+/)
  })
})
