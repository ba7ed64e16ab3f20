import type protobuf from 'protobufjs'
import type { BootstrapDefaults } from '../config/bootstrap'
import type { FleetSelector } from '../config/fleet-match'
import type { ResourceType } from '../config/resource-types'
import type { ValueCipher } from '../config/sealed-values'
import type { ProxyState } from '../contract'
import type { EventBus } from '../events/bus'
import { listActivity } from '../store/activity'
import { listAudit } from '../store/audit'
import { buildConfigDump } from '../store/config-dump'
import type { Db } from '../store/db'
import { getDraft, getDraftResourceOrThrow } from '../store/drafts'
import { getFleetOrThrow, listFleets } from '../store/fleets'
import { getFleetConvergence, getProxyOrThrow, listProxies, listProxyEvents, summarizeProxies } from '../store/proxies'
import { getVersionOrThrow, listVersions } from '../store/versions'
import { fleetBootstrap, type FleetBootstrapOptions } from './bootstrap'
import { commitDraft } from './commit'
import { diffDraft, diffVersions } from './diffs'
import { deleteDraftResource, discardDraft, putDraftResource } from './draft-resources'
import { createFleet, deleteFleet, updateFleet } from './fleets'
import { rollbackToVersion } from './rollback'

export type ServiceDeps = Readonly<{
  db: Db
  root: protobuf.Root
  bus: EventBus
  cipher: ValueCipher
  /** Where generated Envoy bootstraps point proxies (from LEGATION_XDS_PUBLIC_HOST/PORT and XDS_PORT). */
  bootstrapDefaults: BootstrapDefaults
}>

/**
 * The application's use cases, bound to their dependencies: the one door to the backend for the
 * HTTP API (Next route handlers, through server/runtime.ts) and the console's server components.
 * Each write (commit, rollback, draft edits, fleets, import) is a function in this folder that owns
 * its transaction, validation, sealing, audit and notification; server/store only reads and writes rows.
 */
export function createServices(deps: ServiceDeps) {
  const { db, root, cipher } = deps
  return {
    fleets: {
      list: () => listFleets({ db }),
      get: (name: string) => getFleetOrThrow({ db, name }),
      create: (input: { name: string; description: string; selector?: FleetSelector | null; actor: string }) => createFleet({ db, ...input }),
      update: (input: { name: string; description?: string; selector?: FleetSelector | null; actor: string }) => updateFleet({ db, ...input }),
      delete: (input: { name: string; actor: string }) => deleteFleet({ db, ...input }),
      bootstrap: (input: Omit<FleetBootstrapOptions, 'db' | 'defaults'>) => fleetBootstrap({ db, defaults: deps.bootstrapDefaults, ...input }),
    },
    drafts: {
      get: (fleet: string, type?: ResourceType) => getDraft({ db, fleet, ...(type ? { type } : {}) }),
      getResource: (input: { fleet: string; type: ResourceType; name: string }) => getDraftResourceOrThrow({ db, ...input }),
      putResource: (input: { fleet: string; type: ResourceType; name: string; input: unknown; actor: string; ifMatch?: number; createOnly?: boolean }) => putDraftResource({ db, root, cipher, ...input }),
      deleteResource: (input: { fleet: string; type: ResourceType; name: string; actor: string; ifMatch?: number; force?: boolean }) => deleteDraftResource({ db, ...input }),
      diff: (fleet: string) => diffDraft({ db, root, fleet }),
      discard: (input: { fleet: string; actor: string }) => discardDraft({ db, ...input }),
    },
    versions: {
      commit: (input: { fleet: string; message: string; actor: string; ifMatch?: number }) => commitDraft({ db, root, ...input }),
      list: (input: { fleet: string; limit?: number; before?: number }) => listVersions({ db, ...input }),
      get: (input: { fleet: string; number: number }) => getVersionOrThrow({ db, ...input }),
      diff: (input: { fleet: string; from: number; to: number }) => diffVersions({ db, ...input }),
      rollback: (input: { fleet: string; number: number; actor: string; message?: string; ifMatch?: number }) => rollbackToVersion({ db, ...input }),
    },
    proxies: {
      list: (input: { fleet?: string; state?: ProxyState }) => listProxies({ db, ...input }),
      get: async (nodeId: string) => {
        const { proxy, history } = await getProxyOrThrow({ db, nodeId })
        return { proxy, history, configDump: await buildConfigDump({ db, fleet: proxy.fleet, types: proxy.types }) }
      },
      convergence: (input: { fleet: string; versions: readonly number[] }) => getFleetConvergence({ db, ...input }),
      summary: () => summarizeProxies({ db }),
      events: (input: { nodeId: string; limit?: number }) => listProxyEvents({ db, ...input }),
    },
    activity: {
      list: (input: { fleet?: string; limit?: number }) => listActivity({ db, ...input }),
    },
    audit: {
      list: (input: { fleet?: string; limit?: number }) => listAudit({ db, ...input }),
    },
  }
}

export type Services = ReturnType<typeof createServices>
