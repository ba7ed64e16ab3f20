import type { ResourceJson } from '../config/resource-types'
import type { ConfigDumpEntry } from '../contract'
import type protobuf from 'protobufjs'
import { renderForDisplay } from '../config/render'
import type { TypeStatus } from '../contract/proxy-state'
import { isXdsTypeUrl, resourceTypeOf } from '../xds-types/type-urls'
import type { Db } from './db'
import { readVersionConfig } from './variables'

/**
 * What Legation last sent to a proxy, per type (a config-dump equivalent): the resources named in the
 * last response, read from the immutable version it was built from.
 */
export async function buildConfigDump(options: { db: Db; root: protobuf.Root; fleet: string | null; types: Readonly<Record<string, TypeStatus>> }): Promise<ConfigDumpEntry[]> {
  if (!options.fleet) return []
  const fleet = await options.db.fleet.findUnique({ where: { name: options.fleet }, select: { id: true } })
  if (!fleet) return []
  const versionIds = new Map<number, string | null>()
  const entries: ConfigDumpEntry[] = []
  for (const t of Object.values(options.types)) {
    if (!isXdsTypeUrl(t.typeUrl) || t.sentFromVersion === undefined || t.versionSent === undefined) continue
    if (!versionIds.has(t.sentFromVersion)) {
      const v = await options.db.version.findUnique({ where: { fleetId_number: { fleetId: fleet.id, number: t.sentFromVersion } }, select: { id: true } })
      versionIds.set(t.sentFromVersion, v?.id ?? null)
    }
    const type = resourceTypeOf(t.typeUrl)
    const names = new Set(t.resourceNames)
    const approximate = (t.resourceCount ?? t.resourceNames.length) > t.resourceNames.length
    // As served: with a template or variables, rendered (secrets and sealed values as <set:…>).
    const resources = renderForDisplay(options.root, await readVersionConfig(options.db, versionIds.get(t.sentFromVersion) ?? null))
      .filter((r) => r.type === type && (approximate || names.has(r.name)))
      .map((r) => ({ name: r.name, resource: JSON.parse(r.body) as ResourceJson }))
    entries.push({ typeUrl: t.typeUrl, type, fromVersion: t.sentFromVersion, versionInfo: t.versionSent, approximate, resources })
  }
  return entries
}
