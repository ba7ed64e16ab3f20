import type { StoredConfig } from '../config/render'
import type { VariableSet, VariableValue } from '../config/variables'
import type { Db, Prisma } from './db'
import { readDraftResources, readVersionResources } from './resources'
import type { Tx } from './tx'

type Reader = Db | Tx

/** A stored variable set (JSON) read defensively: anything that is not {value: string, secret: boolean} is skipped. */
export function toVariableSet(json: unknown): VariableSet {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return {}
  const out: Record<string, VariableValue> = {}
  for (const [name, v] of Object.entries(json as Record<string, unknown>)) {
    if (typeof v !== 'object' || v === null) continue
    const { value, secret } = v as { value?: unknown; secret?: unknown }
    if (typeof value === 'string') out[name] = { value, secret: secret === true }
  }
  return out
}

/** Sorted by name, so equal sets serialise (and hash) equally. */
export function sortedVariables(set: VariableSet): VariableSet {
  return Object.fromEntries(Object.entries(set).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}

export async function readDraftVariables(db: Reader, fleetId: string): Promise<VariableSet> {
  const row = await db.fleet.findUnique({ where: { id: fleetId }, select: { draftVariables: true } })
  return toVariableSet(row?.draftVariables)
}

export async function writeDraftVariables(tx: Tx, fleetId: string, set: VariableSet): Promise<void> {
  await tx.fleet.update({ where: { id: fleetId }, data: { draftVariables: sortedVariables(set) as Prisma.InputJsonValue } })
}

export type TemplateRef = Readonly<{ fleet: string; fleetId: string; versionId: string | null; number: number | null }>

/** The template fleet of a fleet, with its active version (null: none, or not committed yet). */
export async function readFleetTemplate(db: Reader, fleetId: string): Promise<TemplateRef | null> {
  const row = await db.fleet.findUnique({ where: { id: fleetId }, select: { templateFleet: { select: { id: true, name: true, activeVersion: { select: { id: true, number: true } } } } } })
  const t = row?.templateFleet
  if (!t) return null
  return { fleet: t.name, fleetId: t.id, versionId: t.activeVersion?.id ?? null, number: t.activeVersion?.number ?? null }
}

export const templateRefText = (t: { fleet: string; number: number | null }): string => `${t.fleet}@${t.number ?? 'none'}`

export async function versionParts(db: Reader, versionId: string): Promise<{ resources: StoredConfig['resources']; variables: VariableSet }> {
  const [resources, row] = await Promise.all([readVersionResources(db, versionId), db.version.findUnique({ where: { id: versionId }, select: { variables: true } })])
  return { resources, variables: toVariableSet(row?.variables) }
}

/** What the draft would serve: its resources and variables over its template's active version. */
export async function readDraftConfig(db: Reader, fleetId: string): Promise<StoredConfig & { templateRef: TemplateRef | null }> {
  const [resources, variables, templateRef] = await Promise.all([readDraftResources(db, fleetId), readDraftVariables(db, fleetId), readFleetTemplate(db, fleetId)])
  const template = templateRef ? { ref: templateRefText(templateRef), ...(templateRef.versionId ? await versionParts(db, templateRef.versionId) : { resources: [], variables: {} }) } : null
  return { resources, variables, template, templateRef }
}

/** What a version serves: its resources and variables over the template version it was committed on. */
export async function readVersionConfig(db: Reader, versionId: string | null): Promise<StoredConfig & { templateVersionId: string | null }> {
  if (!versionId) return { resources: [], variables: {}, template: null, templateVersionId: null }
  const row = await db.version.findUnique({ where: { id: versionId }, select: { variables: true, templateRef: true, templateVersionId: true } })
  const resources = await readVersionResources(db, versionId)
  const templateVersionId = row?.templateVersionId ?? null
  const template = row?.templateRef ? { ref: row.templateRef, ...(templateVersionId ? await versionParts(db, templateVersionId) : { resources: [], variables: {} }) } : null
  return { resources, variables: toVariableSet(row?.variables), template, templateVersionId }
}

export async function readVersionVariables(db: Reader, versionId: string | null): Promise<VariableSet> {
  if (!versionId) return {}
  return toVariableSet((await db.version.findUnique({ where: { id: versionId }, select: { variables: true } }))?.variables)
}
