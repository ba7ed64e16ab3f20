import { mkdtemp, rm } from 'node:fs/promises'
import type * as grpc from '@grpc/grpc-js'
import os from 'node:os'
import path from 'node:path'
import { expect } from 'vitest'
import { apiClient, type ApiClient } from './http'
import { startServer, type ServerHandle } from './server'
import { waitFor } from './wait-for'
import { callEcho } from './echo-backend'
import { CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, expectSyncedOnEveryType, getProxy, xdsPortOf, type ProxyView } from './xds-fleet'

/** Replicas sharing a database must share the sealing key (README, LEGATION_SECRET_KEY). */
export const REPLICA_SECRET_KEY = Buffer.alloc(32, 7).toString('base64')

export type Replica = ServerHandle &
  Readonly<{
    name: string
    api: ApiClient
    xdsPort: number
    /** The start of the replica id it writes on its proxies' status rows (server/main.ts: host-pid-random). */
    replicaIdPrefix: string
    dataDir: string
  }>

/**
 * Starts one replica per name, all at once as an orchestrator starts a deployment's replicas, each
 * with its own data folder and `envOf(name)` on top of the shared secret key.
 */
export async function startReplicas(names: readonly string[], envOf: (name: string) => Record<string, string | undefined>): Promise<Replica[]> {
  const dataDirs = await Promise.all(names.map((name) => mkdtemp(path.join(os.tmpdir(), `legation-ha-${name}-`))))
  const started = await Promise.allSettled(names.map((name, i) => startServer({ env: { LEGATION_SECRET_KEY: REPLICA_SECRET_KEY, LEGATION_DATA_DIR: dataDirs[i]!, ...envOf(name) } })))
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected')
  if (failed) {
    // None may outlive a failed start.
    await Promise.all(started.map((s) => (s.status === 'fulfilled' ? s.value.stop('SIGKILL') : null)))
    await Promise.all(dataDirs.map((d) => rm(d, { recursive: true, force: true })))
    throw failed.reason
  }
  return started.map((s, i) => {
    const server = (s as PromiseFulfilledResult<ServerHandle>).value
    return { ...server, name: names[i]!, dataDir: dataDirs[i]!, api: apiClient(server.baseUrl), xdsPort: xdsPortOf(server), replicaIdPrefix: `${os.hostname()}-${server.process.pid}-` }
  })
}

/** Stops the replicas still running (SIGKILL if they do not stop) and removes their data folders; resolves with the exit codes. */
export async function stopReplicas(replicas: readonly Replica[]): Promise<Array<number | null>> {
  const codes = await Promise.all(replicas.map((r) => r.stop()))
  await Promise.all(replicas.map((r) => rm(r.dataDir, { recursive: true, force: true })))
  return codes
}

/** Which replica a replica id belongs to, by name. */
export function replicaNamed(replicas: readonly Replica[], replicaId: string): string | undefined {
  return replicas.find((r) => replicaId.startsWith(r.replicaIdPrefix))?.name
}

/** Waits until every replica serves `version` of `fleet` over xDS (GET /fleets/{fleet}: serving). */
export async function waitUntilServing(replicas: readonly Replica[], fleet: string, version: number, timeoutMs = 15_000): Promise<void> {
  await Promise.all(
    replicas.map((r) =>
      waitFor(
        async () => {
          const res = await r.api<{ serving: { servingVersion: number | null; rejected: unknown } }>('GET', `/api/v1/fleets/${fleet}`)
          expect(res.body.serving, `replica ${r.name} serves ${fleet} v${version}`).toEqual(expect.objectContaining({ servingVersion: version, rejected: null }))
          return true
        },
        { what: `replica ${r.name} serving ${fleet} version ${version}`, timeoutMs },
      ),
    ),
  )
}

/** Waits until the client's calls reach the backend named `backend` (its xDS config routes there). */
export const waitForEcho = (client: grpc.Client, backend: string, what = 'calls'): Promise<true> =>
  waitFor(
    async () => {
      expect(await callEcho(client, 1000)).toBe(backend)
      return true as const
    },
    { what: `${what} reach ${backend}`, timeoutMs: 20_000 },
  )

/** The proxy as `api` shows it once it is SYNCED on every echo type with `version` ACKed. */
export const waitForSynced = (api: ApiClient, nodeId: string, version: number): Promise<ProxyView> =>
  waitFor(
    async () => {
      const p = await getProxy(api, nodeId)
      expectSyncedOnEveryType(p)
      expect(p.types[CLUSTER_LOAD_ASSIGNMENT_TYPE_URL]?.ackedFromVersion).toBe(version)
      return p
    },
    { what: `${nodeId} SYNCED on version ${version}`, timeoutMs: 20_000 },
  )
