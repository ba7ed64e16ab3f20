import type protobuf from 'protobufjs'
import type { SnapshotCache } from '../cache/snapshot-cache'
import type { EventBus } from '../events/bus'
import type { Logger } from '../log'
import { getMetrics } from '../metrics'
import { prepareStoredSnapshot, snapshotTypeVersions, type PreparedSnapshot } from '../snapshot/build-snapshot'
import type { Db } from '../store/db'
import { listActiveVersions, listFleetsForMatching, readActiveVersion, recordVersionXds } from '../store/snapshots'
import { readVersionConfig } from '../store/variables'
import { listServingRollouts, servingRolloutOf, type StagedRolloutRow } from '../store/staged-rollouts'
import { inRollout } from '../config/rollout-plan'
import type { Snapshot } from '../snapshot/types'
import { renderStored, type StoredConfig } from '../config/render'
import type { ActivatedVersion, OnVersionActivated } from '../config/activated-version'
import type { FleetSelector } from '../config/fleet-match'
import type { SnapshotStatus } from '../contract'

export type { SnapshotStatus }
import { createKeyedDebouncer, type Clock } from './debouncer'
import { SEALED_PREFIX, unsealText, type ValueCipher } from '../config/sealed-values'

export type SnapshotSync = Readonly<{
  status: (fleet: string) => SnapshotStatus
  /** Compares every fleet's active version with the cache and rebuilds what differs. */
  reconcile: () => Promise<void>
  /** Whether a fleet of that name exists (with or without a committed version). */
  hasFleet: (name: string) => boolean
  /** Fleets that select their proxies by rule. */
  selectors: () => ReadonlyArray<{ fleet: string; selector: FleetSelector }>
  /** Serves a version a commit or rollback on this replica has just activated (server/config/activated-version.ts). */
  publishActivated: OnVersionActivated
  /** Resolves once no rebuild is pending (tests and shutdown). */
  idle: () => Promise<void>
  stop: () => void
}>

export type SnapshotSyncOptions = {
  db: Db
  /** Decrypts sealed private keys: the snapshot is the one place they exist in clear. */
  cipher: ValueCipher
  root: protobuf.Root
  cache: SnapshotCache
  bus: EventBus
  log: Logger
  /** A burst of commits within this quiet time gives one push. */
  quietMs?: number
  maxDelayMs?: number
  /** Safety net under LISTEN/NOTIFY: a missed notification is repaired within this period. */
  reconcileMs?: number
  clock?: Clock
}

/**
 * DB → cache. Loads every fleet's active version before streams are accepted (a restart never serves
 * an empty snapshot), then follows version events (Postgres NOTIFY via the bus), debounced per fleet,
 * with a periodic reconcile as a safety net. A snapshot that fails its consistency check is not
 * published: the last good one stays and the failure is published on the bus.
 */
export async function startSnapshotSync(options: SnapshotSyncOptions): Promise<SnapshotSync> {
  const { db, root, cache, bus, log } = options
  const metrics = getMetrics()

  const statuses = new Map<string, SnapshotStatus>()
  const statusOf = (fleet: string): SnapshotStatus => statuses.get(fleet) ?? { servingVersion: null, servingSince: null, rejected: null }

  /** Builds the snapshot of one version: variables substituted, sealed values opened, checked like at commit. */
  const buildVersion = async (fleet: string, versionId: string, number: number, previous: Snapshot | null): Promise<PreparedSnapshot> => {
    // Outside the try: a database that drops mid-read is an outage to retry (the debouncer logs it,
    // the reconcile comes back), never a verdict on the version.
    const config = await readVersionConfig(db, versionId)
    return buildConfig(fleet, number, config, previous)
  }

  /**
   * The snapshot of a version's config, built incrementally against `previous` (a snapshot of the same
   * fleet, or null): only resources whose content changed are encoded again (prepareStoredSnapshot).
   */
  const buildConfig = (fleet: string, number: number, config: StoredConfig, previous: Snapshot | null): PreparedSnapshot => {
    try {
      const { cipher } = options
      // Variables are substituted here, when the snapshot is built (#14 item 4); a fleet without any is served as stored.
      const rendered = renderStored(root, config, { reveal: (v) => (v.secret ? cipher.unseal(v.value) : v.value), body: (text) => unsealText(text, cipher) })
      const secretNames = new Set(Object.entries(rendered.variables).flatMap(([name, v]) => (v.secret ? [name] : [])))
      const sealedKeys = [...config.resources, ...(config.template?.resources ?? [])].filter((r) => r.body.includes(SEALED_PREFIX)).map((r) => `${r.type}/${r.name}`)
      const usingSecrets = [...rendered.used].flatMap(([key, names]) => ([...names].some((n) => secretNames.has(n)) ? [key] : []))
      const sensitive = new Set([...sealedKeys, ...usingSecrets])
      return rendered.issues.length > 0 ? { snapshot: null, issues: rendered.issues } : prepareStoredSnapshot(root, { fleet, versionNumber: number, resources: rendered.resources, sensitive }, previous)
    } catch (err) {
      // A bug, or a sealed value this replica cannot open: still a version that is not served, and
      // it must show as such (serving.rejected, the event feed), not only as a log line.
      return { snapshot: null, issues: [{ code: 'PROTO.NOT_ENCODABLE', path: '', message: `the snapshot could not be built: ${(err as Error).message}` }] }
    }
  }

  const rebuildStable = async (fleet: string): Promise<void> => {
    // What is served before anything is read: a commit on this replica may publish a newer version
    // while the reads below are in flight, and then their answer must not replace it.
    const serving = cache.get(fleet)
    const active = await readActiveVersion({ db, fleet })
    if (cache.get(fleet) !== serving) {
      debouncer.trigger(fleet)
      return
    }
    if (!active) {
      if (cache.get(fleet)) log.info({ fleet }, 'fleet has no active version any more; keeping its last snapshot for connected proxies')
      return
    }
    if (cache.get(fleet)?.versionNumber === active.number) return
    // Versions are immutable: one refused already stays refused (the periodic reconcile would
    // otherwise log and publish the same rejection every time).
    if (statusOf(fleet).rejected?.version === active.number) return
    const at = new Date().toISOString()
    const started = performance.now()
    const prepared = await buildVersion(fleet, active.versionId, active.number, serving ?? null)
    const { snapshot } = prepared
    // A commit on this replica published a newer version while this one was read and built: keep it,
    // and look again (the rows are the truth).
    if (cache.get(fleet) !== serving) {
      debouncer.trigger(fleet)
      return
    }
    metrics.snapshotBuild.observe({ fleet }, (performance.now() - started) / 1000)
    if (!snapshot) {
      metrics.snapshotRejections.inc({ fleet })
      const issues = prepared.issues
      const rejected = { version: active.number, issues: issues.map((i) => ({ path: i.path, message: `${i.resource?.type ?? ''} ${i.resource?.name ?? ''}: ${i.message}`.trim() })), at }
      log.error({ fleet, version: active.number, servingVersion: statusOf(fleet).servingVersion, issues: rejected.issues }, `snapshot rejected: version ${active.number} of fleet '${fleet}' cannot be served; still serving the previous one`)
      statuses.set(fleet, { ...statusOf(fleet), rejected })
      bus.publish({ kind: 'snapshot.rejected', fleet, ...rejected })
      return
    }
    publish(snapshot, active.versionId, started, at)
    await recordVersionXds({ db, versionId: active.versionId, typeVersions: snapshotTypeVersions(snapshot) })
  }

  /** Serves a built snapshot of the fleet's active version to every stream of the fleet. */
  const publish = (snapshot: Snapshot, versionId: string, started: number, at: string): void => {
    const { fleet, versionNumber } = snapshot
    cache.set(snapshot)
    metrics.snapshotVersion.set({ fleet }, versionNumber)
    statuses.set(fleet, { servingVersion: versionNumber, servingSince: at, rejected: null })
    log.info({ fleet, version: versionNumber, versionId, resources: [...snapshot.types.values()].reduce((n, t) => n + t.resources.size, 0), buildMs: Math.round(performance.now() - started) }, 'snapshot published')
    bus.publish({ kind: 'snapshot.published', fleet, version: versionNumber, at })
  }

  /**
   * A commit or rollback on this replica has just activated a version (#13 item 1): its config is in
   * hand, so the snapshot is built and served now, not after this replica's own NOTIFY and a read of
   * the version (the NOTIFY still comes, finds the snapshot current, and does nothing). A version that
   * does not build is left to that path, which reports the rejection.
   */
  const publishActivated = (activated: ActivatedVersion): void => {
    const { fleet, number, versionId, config } = activated
    metrics.commitTimes.committed(fleet, number, activated.committedAtMs)
    fleetNames.add(fleet)
    const serving = cache.get(fleet)
    if (serving && serving.versionNumber >= number) return
    const at = new Date().toISOString()
    const started = performance.now()
    const { snapshot } = buildConfig(fleet, number, config, serving ?? null)
    if (!snapshot) return
    metrics.snapshotBuild.observe({ fleet }, (performance.now() - started) / 1000)
    publish(snapshot, versionId, started, at)
    recordVersionXds({ db, versionId, typeVersions: snapshotTypeVersions(snapshot) }).catch((err: unknown) => log.warn({ err, fleet, version: number }, 'could not record the xDS type versions of a published snapshot; the next rebuild records them'))
  }

  /** What each fleet's canary is now (#12 item 3): the rollout, its stage and state, and the snapshot built for its version. */
  const canaries = new Map<string, { key: string; toVersion: number; snapshot: Snapshot }>()
  const canaryKey = (r: StagedRolloutRow) => `${r.id}:${r.stage}:${r.state}`

  const rebuildCanary = async (fleet: string): Promise<void> => {
    const rollout = await servingRolloutOf(db, fleet)
    if (!rollout) {
      if (canaries.delete(fleet) || cache.canary(fleet)) {
        cache.setCanary(fleet, null)
        log.info({ fleet }, 'staged rollout ended: every proxy gets the active version')
      }
      return
    }
    const current = canaries.get(fleet)
    if (current?.key === canaryKey(rollout)) return
    let snapshot = current?.toVersion === rollout.toVersion ? current.snapshot : null
    if (!snapshot) {
      const prepared = await buildVersion(fleet, rollout.toVersionId, rollout.toVersion, cache.get(fleet) ?? null)
      if (!prepared.snapshot) {
        // Checked at commit like any version: only a bug or an unreadable sealed value lands here. Nobody gets it.
        log.error({ fleet, version: rollout.toVersion, issues: prepared.issues }, 'staged rollout: the new version cannot be built; every proxy keeps the active version')
        cache.setCanary(fleet, null)
        return
      }
      snapshot = prepared.snapshot
      await recordVersionXds({ db, versionId: rollout.toVersionId, typeVersions: snapshotTypeVersions(snapshot) })
    }
    const stages = rollout.stages
    const stage = rollout.stage
    canaries.set(fleet, { key: canaryKey(rollout), toVersion: rollout.toVersion, snapshot })
    cache.setCanary(fleet, { snapshot, includes: (node) => inRollout(stages, stage, node) })
    log.info({ fleet, version: rollout.toVersion, stage: stage + 1, state: rollout.state }, 'staged rollout: serving the new version to its stage')
  }

  /** The active version's snapshot first, then the rollout's (which may have just completed into it). */
  const rebuild = async (fleet: string): Promise<void> => {
    await rebuildStable(fleet)
    await rebuildCanary(fleet)
  }

  const debouncer = createKeyedDebouncer({
    quietMs: options.quietMs ?? 10,
    maxDelayMs: options.maxDelayMs ?? 500,
    ...(options.clock ? { clock: options.clock } : {}),
    run: rebuild,
    onError: (fleet, err) => log.error({ fleet, err }, 'snapshot rebuild failed; still serving the previous one'),
  })

  const fleetNames = new Set<string>()
  let selectors: Array<{ fleet: string; selector: FleetSelector }> = []
  const refreshFleetNames = async (): Promise<void> => {
    const fleets = await listFleetsForMatching({ db })
    fleetNames.clear()
    for (const f of fleets) fleetNames.add(f.name)
    selectors = fleets.flatMap((f) => (f.selector ? [{ fleet: f.name, selector: f.selector }] : []))
  }

  const reconcile = async (): Promise<void> => {
    await refreshFleetNames()
    const active = await listActiveVersions({ db })
    for (const ref of active) if (cache.get(ref.fleet)?.versionNumber !== ref.number) debouncer.trigger(ref.fleet)
    // Staged rollouts: a fleet whose canary is not what the rows say (a missed notification, a restart).
    const serving = new Map((await listServingRollouts(db)).map((r) => [r.fleet, canaryKey(r)]))
    for (const fleet of new Set([...serving.keys(), ...canaries.keys()])) if (serving.get(fleet) !== canaries.get(fleet)?.key) debouncer.trigger(fleet)
  }

  // Initial load, before the xDS server accepts streams.
  await refreshFleetNames()
  for (const ref of await listActiveVersions({ db })) await rebuild(ref.fleet)

  const unsubscribe = bus.subscribe((event) => {
    if (event.kind === 'fleet.created') fleetNames.add(event.fleet)
    // A fleet's selector lives in the database: re-read the matching rules on any fleet change.
    if (event.kind === 'fleet.created' || event.kind === 'fleet.updated' || event.kind === 'fleet.deleted') {
      refreshFleetNames().catch((err: unknown) => log.warn({ err }, 'could not refresh fleet selectors'))
    }
    if (event.kind === 'fleet.deleted') {
      fleetNames.delete(event.fleet)
      cache.delete(event.fleet)
      canaries.delete(event.fleet)
      metrics.snapshotVersion.remove({ fleet: event.fleet })
    }
    if (event.kind === 'rollout.changed') debouncer.trigger(event.fleet)
    if (event.kind === 'version.created') {
      // Heard before the version's snapshot is built, so before any proxy can reach it (commit → converged).
      metrics.commitTimes.committed(event.fleet, event.version, Date.parse(event.at))
      fleetNames.add(event.fleet)
      debouncer.trigger(event.fleet)
    }
  })
  const timer = setInterval(() => {
    reconcile().catch((err: unknown) => log.warn({ err }, 'snapshot reconcile failed'))
  }, options.reconcileMs ?? 30_000)
  timer.unref()

  return {
    reconcile,
    publishActivated,
    status: statusOf,
    hasFleet: (name) => fleetNames.has(name),
    selectors: () => selectors,
    idle: () => debouncer.idle(),
    stop() {
      clearInterval(timer)
      unsubscribe()
      debouncer.stop()
    },
  }
}
