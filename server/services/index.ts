import type protobuf from 'protobufjs'
import { actorOf, can, globalRole, roleOn, type Principal } from '../access/principal'
import type { BootstrapDefaults } from '../config/bootstrap'
import type { FleetSelector } from '../config/fleet-match'
import type { ResourceKey, ResourceType } from '../config/resource-types'
import type { TopologyDetail } from '../config/topology'
import type { ValueCipher } from '../config/sealed-values'
import { SEARCH_LIMIT_DEFAULT, type ActivityFilter, type ActivityRange, type AuditFilter, type DraftCheckInput, type Grant, type ProxyState, type Role, type StagedRolloutAction } from '../contract'
import type { ControlPlanePort } from '../config/analysis'
import type { OnVersionActivated } from '../config/activated-version'
import { LegationError } from '../errors'
import type { EventBus } from '../events/bus'
import { listActivity } from '../store/activity'
import { listAudit } from '../store/audit'
import { buildConfigDump } from '../store/config-dump'
import type { Db } from '../store/db'
import { getDraft, getDraftResourceOrThrow } from '../store/drafts'
import { getFleetOrThrow, listFleets } from '../store/fleets'
import { getProxyOrThrow, listProxies, listProxiesPage, listProxyEvents, summarizeProxies, type ProxyPageOptions } from '../store/proxies'
import { getVersionOrThrow, listVersions } from '../store/versions'
import { createAuthService, DEFAULT_AUTH_SETTINGS, type AuthService, type AuthSettings } from './auth'
import { createOidcService, type OidcSettings } from './oidc'
import { fleetBootstrap, type FleetBootstrapOptions } from './bootstrap'
import { checkDraft } from './check-draft'
import { commitDraft } from './commit'
import { diffDraft, diffVersions } from './diffs'
import { exportBundle, replaceDraftWithBundle, type BundleInputDocument, type ExportSource } from './draft-bundle'
import { importIntoDraft } from './import-draft'
import { deleteDraftResource, discardDraft, putDraftResource } from './draft-resources'
import { createFleet, deleteFleet, updateFleet } from './fleets'
import { rollbackToVersion } from './rollback'
import { predictDraft } from './predict'
import { actOnStagedRollout, getStagedRollout, listStagedRollouts, startStagedRollout } from './staged-rollouts'
import type { RolloutStage } from '../config/rollout-plan'
import { searchEverything } from './search'
import { draftResourceLinks, fleetTopology } from './topology'
import { deleteVariable, effectiveConfig, listVariables, putVariable } from './variables'
import { proxyDrift, versionRollout } from './rollout'
import { convergenceCurve, xdsActivity } from './charts'
import { describeEnvoyMessage } from './schema'
import { nodesOnActiveVersion, readFleetConvergence } from '../store/rollout'

export type ServiceDeps = Readonly<{
  db: Db
  root: protobuf.Root
  bus: EventBus
  cipher: ValueCipher
  /** Where generated Envoy bootstraps point proxies (from LEGATION_XDS_PUBLIC_HOST/PORT and XDS_PORT). */
  bootstrapDefaults: BootstrapDefaults
  auth?: AuthSettings
  /** Single sign-on; unset: local users only. */
  oidc?: OidcSettings
  /** A rollout with proxies still missing this long after the commit is reported stalled. */
  rolloutStallMs?: number
  /** This control plane's own ports (xDS, HTTP), known once bound: the config analysis reports endpoints on them. */
  controlPlanePorts?: () => readonly ControlPlanePort[]
  /** This replica's snapshot engine, told of each version a commit or rollback here activates (server/config/activated-version.ts). */
  onVersionActivated?: OnVersionActivated
}>

const DEFAULT_ROLLOUT_STALL_MS = 60_000

/** The one authorisation check: every use case below starts with it. */
function require(principal: Principal, need: Role, fleet: string | null): void {
  if (can(principal, need, fleet)) return
  const has = fleet === null ? globalRole(principal) : roleOn(principal, fleet)
  const where = fleet === null ? 'on every fleet' : `on fleet '${fleet}'`
  const what = principal.kind === 'proxy-token' ? 'a proxy token only fetches xDS config' : `you have ${has ? `the ${has} role` : 'no role'} ${where}`
  throw new LegationError('AUTH.FORBIDDEN', `this needs the ${need} role ${where}; ${what}`)
}

/** Reference data that is the same for every fleet (the Envoy schema): any role on any fleet will do. */
function requireAnyRole(principal: Principal): void {
  if (principal.kind !== 'proxy-token' && principal.grants.length > 0) return
  throw new LegationError('AUTH.FORBIDDEN', principal.kind === 'proxy-token' ? 'a proxy token only fetches xDS config' : 'this needs a role on at least one fleet; you have none')
}

/**
 * The application's use cases for one caller: the one door to the backend for the HTTP API, the
 * console's server components, the event feed and the xDS side. Each checks the caller's role first
 * (viewer reads, editor edits, admin administers), then runs a function of this folder that owns its
 * transaction, validation, sealing, audit and notification; server/store only reads and writes rows.
 */
function servicesFor(deps: ServiceDeps, auth: AuthService, principal: Principal) {
  const { db, root, cipher } = deps
  const actor = actorOf(principal)
  const ports = () => deps.controlPlanePorts?.() ?? []
  const activation = deps.onVersionActivated ? { onActivated: deps.onVersionActivated } : {}
  const readable = (fleet: string | null) => can(principal, 'viewer', fleet)
  const readableFleets = async (): Promise<string[] | undefined> => (globalRole(principal) ? undefined : (await listFleets({ db })).map((f) => f.name).filter((f) => readable(f)))
  const proxyOrThrow = async (nodeId: string) => {
    const found = await getProxyOrThrow({ db, nodeId })
    if (!readable(found.proxy.fleet)) throw new LegationError('PROXY.NOT_FOUND', `no proxy with node id '${nodeId}' has connected`)
    return found
  }
  return {
    principal,
    actor,
    /** Whether this caller may see an event of the feed (by its fleet; events of no fleet need a global role). */
    mayRead: readable,
    fleets: {
      list: async () => (await listFleets({ db })).filter((f) => readable(f.name)),
      get: (name: string) => (require(principal, 'viewer', name), getFleetOrThrow({ db, name })),
      create: (input: { name: string; description: string; selector?: FleetSelector | null; template?: string | null; confirmTakeover?: boolean }) => (require(principal, 'admin', input.name), createFleet({ db, ...input, actor })),
      update: (input: { name: string; description?: string; selector?: FleetSelector | null; template?: string | null; confirmTakeover?: boolean }) => (require(principal, 'admin', input.name), updateFleet({ db, ...input, actor })),
      delete: (input: { name: string }) => (require(principal, 'admin', input.name), deleteFleet({ db, ...input, actor })),
      bootstrap: (input: Omit<FleetBootstrapOptions, 'db' | 'defaults'>) => (require(principal, 'viewer', input.fleet), fleetBootstrap({ db, defaults: deps.bootstrapDefaults, ...input })),
      /** A version (default: the active one) or the draft as a bundle; sealed values as `<set:…>` markers. */
      export: (input: { fleet: string; source: ExportSource; format?: 'bundle' | 'bootstrap' }) => (require(principal, 'viewer', input.fleet), exportBundle({ db, ...input })),
      /** The draft as a graph: listener → … → endpoints and secrets, broken references and pending changes marked. */
      topology: (input: { fleet: string; focus?: ResourceKey; detail?: TopologyDetail }) => (require(principal, 'viewer', input.fleet), fleetTopology({ db, ...input })),
      /** Pushes, ACKs, NACKs and connected proxies over the last hour or day, per bucket (the fleet's activity chart). */
      xdsActivity: (input: { fleet: string; range: ActivityRange }) => (require(principal, 'viewer', input.fleet), xdsActivity({ db, ...input })),
    },
    drafts: {
      get: (fleet: string, type?: ResourceType) => (require(principal, 'viewer', fleet), getDraft({ db, fleet, ...(type ? { type } : {}) })),
      getResource: (input: { fleet: string; type: ResourceType; name: string }) => (require(principal, 'viewer', input.fleet), getDraftResourceOrThrow({ db, ...input })),
      /** What a draft resource refers to and which draft resources refer to it ("used by"). */
      links: (input: { fleet: string; type: ResourceType; name: string }) => (require(principal, 'viewer', input.fleet), draftResourceLinks({ db, ...input })),
      putResource: (input: { fleet: string; type: ResourceType; name: string; input: unknown; ifMatch?: number; createOnly?: boolean }) => (require(principal, 'editor', input.fleet), putDraftResource({ db, root, cipher, ...input, actor, controlPlanePorts: ports() })),
      deleteResource: (input: { fleet: string; type: ResourceType; name: string; ifMatch?: number; force?: boolean }) => (require(principal, 'editor', input.fleet), deleteDraftResource({ db, ...input, actor })),
      diff: (fleet: string) => (require(principal, 'viewer', fleet), diffDraft({ db, root, cipher, fleet, controlPlanePorts: ports() })),
      /** The draft checked against the fleet's connected clients' own validators (what they would NACK). */
      predict: (fleet: string) => (require(principal, 'viewer', fleet), predictDraft({ db, root, fleet })),
      /** A dry run of the commit's checks; editor, as it takes a resource body (the draft with it saved). */
      check: (input: { fleet: string; input: DraftCheckInput }) => (require(principal, 'editor', input.fleet), checkDraft({ db, root, cipher, ...input, controlPlanePorts: ports() })),
      discard: (input: { fleet: string }) => (require(principal, 'editor', input.fleet), discardDraft({ db, ...input, actor })),
      /** The whole draft replaced by a bundle, in one transaction (or, with dryRun, only the diff it would make). */
      replace: (input: { fleet: string; documents: readonly BundleInputDocument[]; ifMatch?: number; dryRun?: boolean }) => (require(principal, 'editor', input.fleet), replaceDraftWithBundle({ db, root, cipher, ...input, actor })),
      /** An Envoy config (static bootstrap, admin config dump) or a bundle into the draft, replacing or merging, in one transaction (dryRun: only what it would change, with findings). */
      import: (input: Omit<Parameters<typeof importIntoDraft>[0], 'db' | 'root' | 'cipher' | 'actor'>) => (require(principal, 'editor', input.fleet), importIntoDraft({ db, root, cipher, ...input, actor })),
    },
    variables: {
      list: (fleet: string) => (require(principal, 'viewer', fleet), listVariables({ db, fleet })),
      put: (input: { fleet: string; name: string; value: string; secret: boolean; ifMatch?: number }) => (require(principal, 'editor', input.fleet), putVariable({ db, cipher, ...input, actor })),
      delete: (input: { fleet: string; name: string; ifMatch?: number }) => (require(principal, 'editor', input.fleet), deleteVariable({ db, ...input, actor })),
      /** What the fleet serves for a version or its draft: template merged, variables substituted. */
      effective: (input: { fleet: string; version: number | 'draft' }) => (require(principal, 'viewer', input.fleet), effectiveConfig({ db, root, ...input })),
    },
    rollouts: {
      /** Commit the draft and roll the version out in stages. */
      start: (input: { fleet: string; message: string; stages: readonly RolloutStage[]; ifMatch?: number; acceptWarnings?: boolean; rollbackTo?: number; discardDraft?: boolean }) => (require(principal, 'editor', input.fleet), startStagedRollout({ db, root, cipher, ...input, actor, controlPlanePorts: ports() })),
      list: (fleet: string) => (require(principal, 'viewer', fleet), listStagedRollouts({ db, fleet })),
      get: (input: { fleet: string; id: string }) => (require(principal, 'viewer', input.fleet), getStagedRollout({ db, ...input })),
      act: (input: { fleet: string; id: string; action: StagedRolloutAction }) => (require(principal, 'editor', input.fleet), actOnStagedRollout({ db, ...input, actor })),
    },
    versions: {
      commit: (input: { fleet: string; message: string; ifMatch?: number; acceptWarnings?: boolean; expiresInSeconds?: number }) => (require(principal, 'editor', input.fleet), commitDraft({ db, root, cipher, ...input, actor, controlPlanePorts: ports(), ...activation })),
      list: (input: { fleet: string; limit?: number; before?: number }) => (require(principal, 'viewer', input.fleet), listVersions({ db, ...input })),
      get: (input: { fleet: string; number: number }) => (require(principal, 'viewer', input.fleet), getVersionOrThrow({ db, ...input })),
      diff: (input: { fleet: string; from: number; to: number }) => (require(principal, 'viewer', input.fleet), diffVersions({ db, root, ...input })),
      rollout: (input: { fleet: string; number: number }) => (require(principal, 'viewer', input.fleet), versionRollout({ db, ...input, stallAfterMs: deps.rolloutStallMs ?? DEFAULT_ROLLOUT_STALL_MS })),
      /** One point per proxy that reached or rejected the version, in time order (the convergence chart). */
      convergenceCurve: (input: { fleet: string; number: number }) => (require(principal, 'viewer', input.fleet), convergenceCurve({ db, ...input })),
      rollback: (input: { fleet: string; number: number; message?: string; ifMatch?: number; discardDraft?: boolean }) => (require(principal, 'editor', input.fleet), rollbackToVersion({ db, ...input, actor, ...activation })),
    },
    proxies: {
      /** One page of the list, filtered, searched and sorted in SQL (GET /proxies). */
      page: async (input: Omit<ProxyPageOptions, 'db' | 'readableFleets' | 'unassigned' | 'onActive'> & { onActive?: boolean }) => {
        const { onActive, ...filter } = input
        if (filter.fleet !== undefined) require(principal, 'viewer', filter.fleet)
        const fleets = await readableFleets()
        const on = onActive === undefined ? undefined : { nodes: [...(await nodesOnActiveVersion({ db, ...(filter.fleet ? { fleet: filter.fleet } : {}) }))], on: onActive }
        return listProxiesPage({ db, ...filter, ...(fleets ? { readableFleets: fleets, unassigned: readable(null) } : {}), ...(on ? { onActive: on } : {}) })
      },
      /** Every proxy: for the server's own use (CSDS); the API answers pages. */
      list: async (input: { fleet?: string; state?: ProxyState; onActive?: boolean }) => {
        const { onActive, ...filter } = input
        if (filter.fleet !== undefined) require(principal, 'viewer', filter.fleet)
        const proxies = (await listProxies({ db, ...filter })).filter((p) => readable(p.fleet))
        if (onActive === undefined) return proxies
        const on = await nodesOnActiveVersion({ db, ...(filter.fleet ? { fleet: filter.fleet } : {}) })
        return proxies.filter((p) => on.has(p.nodeId) === onActive && p.state !== 'DISCONNECTED')
      },
      drift: async (nodeId: string) => proxyDrift({ db, root, proxy: (await proxyOrThrow(nodeId)).proxy }),
      get: async (nodeId: string) => {
        const { proxy, history } = await proxyOrThrow(nodeId)
        return { proxy, history, configDump: await buildConfigDump({ db, root, fleet: proxy.fleet, types: proxy.types }) }
      },
      convergence: (input: { fleet: string; versions: readonly number[] }) => (require(principal, 'viewer', input.fleet), readFleetConvergence({ db, ...input })),
      summary: async () => (await summarizeProxies({ db })).filter((row) => readable(row.fleet)),
      events: async (input: { nodeId: string; limit?: number }) => (await proxyOrThrow(input.nodeId), listProxyEvents({ db, ...input })),
    },
    /** One Envoy message for the editor's completion and hover docs (GET /schema/{message}). */
    schema: (input: { message: string; categories: readonly string[] }) => (requireAnyRole(principal), describeEnvoyMessage({ root, ...input })),
    /** Search everywhere (the ⌘K palette): only what the caller may read; any signed-in caller, as the lists. */
    search: async (input: { q: string; limit?: number }) => {
      const fleets = (await listFleets({ db })).filter((f) => readable(f.name))
      return searchEverything({ db, q: input.q, limit: input.limit ?? SEARCH_LIMIT_DEFAULT, fleets, everyFleet: globalRole(principal) !== null, unassigned: readable(null) })
    },
    activity: {
      list: async (input: { fleet?: string; kind?: ActivityFilter; limit?: number }) => {
        if (input.fleet !== undefined) return (require(principal, 'viewer', input.fleet), listActivity({ db, ...input }))
        const fleets = await readableFleets()
        return listActivity({ db, ...input, ...(fleets ? { fleets } : {}) })
      },
    },
    audit: {
      list: async (input: AuditFilter & { limit?: number }) => {
        if (input.fleet !== undefined) return (require(principal, 'viewer', input.fleet), listAudit({ db, ...input }))
        const fleets = await readableFleets()
        return listAudit({ db, ...input, ...(fleets ? { fleets } : {}) })
      },
    },
    users: {
      list: () => (require(principal, 'admin', null), auth.listUsers()),
      create: (input: { username: string; displayName: string; password: string; grants: readonly Grant[] }) => (require(principal, 'admin', null), auth.createUser({ ...input, actor })),
      update: (input: { id: string; displayName?: string; password?: string; grants?: readonly Grant[]; disabled?: boolean }) => (require(principal, 'admin', null), auth.updateUser({ ...input, actor })),
      delete: (input: { id: string }) => (require(principal, 'admin', null), auth.deleteUser({ ...input, actor })),
    },
    tokens: {
      list: () => (require(principal, 'admin', null), auth.listTokens()),
      create: (input: { name: string; kind: 'api' | 'proxy'; grants: readonly Grant[]; expiresAt: Date | null }) => (require(principal, 'admin', null), auth.createToken({ ...input, actor })),
      revoke: (input: { id: string }) => (require(principal, 'admin', null), auth.revokeToken({ ...input, actor })),
    },
  }
}

export function createServices(deps: ServiceDeps) {
  const auth = createAuthService({ db: deps.db, ...(deps.auth ? { settings: deps.auth } : {}) })
  return {
    /** Sign-in, sessions, setup and bearer tokens: what runs before a caller is known. */
    auth,
    /** Single sign-on, when configured. */
    oidc: deps.oidc ? createOidcService({ db: deps.db, settings: deps.oidc, auth: deps.auth ?? DEFAULT_AUTH_SETTINGS }) : null,
    /** The use cases as `principal` may run them. */
    as: (principal: Principal) => servicesFor(deps, auth, principal),
  }
}

export type Services = ReturnType<typeof createServices>
export type CallerServices = ReturnType<typeof servicesFor>
