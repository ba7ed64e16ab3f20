import type protobuf from 'protobufjs'
import type { ResourceType } from '../config/resource-types'
import type { EventBus } from '../events/bus'
import type { ValueCipher } from '../config/sealed-values'
import type { FleetSelector } from '../config/fleet-match'
import type { Db } from '../store/db'
import { deleteDraftResource, diffDraft, discardDraft, getDraft, getDraftResourceOrThrow, putDraftResource } from '../store/drafts'
import { createFleet, deleteFleet, getFleetOrThrow, listFleets, updateFleet } from '../store/fleets'
import { listAudit } from '../store/audit'
import { buildConfigDump } from '../store/config-dump'
import { getFleetConvergence, getProxyOrThrow, listProxies, listProxyEvents, summarizeProxies } from '../store/proxies'
import { listActivity } from '../store/activity'
import type { ProxyState } from '../contract/proxy-state'
import { commitDraft, diffVersions, getVersionOrThrow, listVersions, rollbackToVersion } from '../store/versions'

export type ServiceDeps = Readonly<{ db: Db; root: protobuf.Root; bus: EventBus; cipher: ValueCipher }>

/**
 * The application's operations, bound to their dependencies. This object is what the HTTP API
 * (Next route handlers) reaches through server/runtime.ts; it is the one door to the backend.
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
