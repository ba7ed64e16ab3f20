import type protobuf from 'protobufjs'
import type { EffectiveConfig, VariablesView, VariableView } from '../contract'
import { renderStored, revealForDisplay } from '../config/render'
import { redactSealedText, type ValueCipher } from '../config/sealed-values'
import { resourceKey, type ResourceJson } from '../config/resource-types'
import { checkVariableName, checkVariableValue, MAX_VARIABLES_PER_FLEET, type VariableSet } from '../config/variables'
import { LegationError } from '../errors'
import type { Db } from '../store/db'
import { bumpDraftRevision, fleetIdOrThrow } from '../store/drafts'
import { inTransaction, lockFleetOrThrow, notifyEvent, recordAudit } from '../store/tx'
import { fleetOrThrow, versionRowOrThrow } from '../store/versions'
import { readDraftConfig, readDraftVariables, readFleetTemplate, readVersionConfig, toVariableSet, writeDraftVariables } from '../store/variables'

/** A variable as the API shows it: a secret's value never leaves the server. */
export function variableViews(set: VariableSet): VariableView[] {
  return Object.entries(set)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, v]) => ({ name, value: v.secret ? null : v.value, secret: v.secret }))
}

export async function listVariables(options: { db: Db; fleet: string }): Promise<VariablesView> {
  const f = await fleetIdOrThrow(options.db, options.fleet)
  const [own, template] = await Promise.all([readDraftVariables(options.db, f.id), readFleetTemplate(options.db, f.id)])
  const inherited = template?.versionId ? toVariableSet((await options.db.version.findUnique({ where: { id: template.versionId }, select: { variables: true } }))?.variables) : {}
  return {
    fleet: options.fleet,
    draftRevision: f.draftRevision,
    template: template ? { fleet: template.fleet, version: template.number } : null,
    variables: variableViews(own),
    inherited: variableViews(inherited),
  }
}

function ifMatchOrThrow(ifMatch: number | undefined, current: number): void {
  if (ifMatch !== undefined && ifMatch !== current) {
    throw new LegationError('DRAFT.CONFLICT', `the draft changed since you read it (revision ${ifMatch}, now ${current}); reload the variables and apply your edit again`, [], { currentRevision: current })
  }
}

/**
 * Sets a draft variable (a change to the draft like a resource's: committed with it, versioned,
 * diffed). A secret value is sealed at rest and never shown again. The audit records the name, never a value.
 */
export async function putVariable(options: { db: Db; cipher: ValueCipher; fleet: string; name: string; value: string; secret: boolean; actor: string; ifMatch?: number }): Promise<VariablesView> {
  const { db, cipher, fleet, name, value, secret, actor } = options
  const badName = checkVariableName(name)
  if (badName) throw new LegationError('REQUEST.INVALID', badName, [{ path: 'name', message: badName }])
  const badValue = checkVariableValue(value)
  if (badValue) throw new LegationError('REQUEST.INVALID', badValue, [{ path: 'value', message: badValue }])
  await inTransaction(db, async (tx) => {
    const locked = await lockFleetOrThrow(tx, fleet)
    ifMatchOrThrow(options.ifMatch, locked.draft_revision)
    const current = await readDraftVariables(tx, locked.id)
    const stored = { value: secret ? cipher.seal(value) : value, secret }
    const before = current[name]
    if (!before && Object.keys(current).length >= MAX_VARIABLES_PER_FLEET) {
      throw new LegationError('REQUEST.INVALID', `fleet '${fleet}' has ${MAX_VARIABLES_PER_FLEET} variables already, the most a fleet may have`, [{ path: 'name', message: 'too many variables' }])
    }
    if (before && before.value === stored.value && before.secret === stored.secret) return
    await writeDraftVariables(tx, locked.id, { ...current, [name]: stored })
    const draftRevision = await bumpDraftRevision(tx, locked.id)
    await recordAudit(tx, { actor, action: before ? 'variable.update' : 'variable.create', fleetName: fleet, target: `variable/${name}`, detail: { secret } })
    await notifyEvent(tx, { kind: 'draft.changed', fleet, draftRevision, change: 'put', actor, at: new Date().toISOString() })
  })
  return listVariables({ db, fleet })
}

export async function deleteVariable(options: { db: Db; fleet: string; name: string; actor: string; ifMatch?: number }): Promise<VariablesView> {
  const { db, fleet, name, actor } = options
  await inTransaction(db, async (tx) => {
    const locked = await lockFleetOrThrow(tx, fleet)
    ifMatchOrThrow(options.ifMatch, locked.draft_revision)
    const current = await readDraftVariables(tx, locked.id)
    if (!current[name]) throw new LegationError('VARIABLE.NOT_FOUND', `fleet '${fleet}' has no variable '${name}' in its draft`)
    const { [name]: _removed, ...rest } = current
    await writeDraftVariables(tx, locked.id, rest)
    const draftRevision = await bumpDraftRevision(tx, locked.id)
    await recordAudit(tx, { actor, action: 'variable.delete', fleetName: fleet, target: `variable/${name}` })
    await notifyEvent(tx, { kind: 'draft.changed', fleet, draftRevision, change: 'delete', actor, at: new Date().toISOString() })
  })
  return listVariables({ db, fleet })
}

/**
 * What a fleet serves for a version (or would for its draft): template and own resources merged,
 * placeholders substituted (secrets as `<set:…>`), sealed values as `<set:…>`.
 */
export async function effectiveConfig(options: { db: Db; root: protobuf.Root; fleet: string; version: number | 'draft' }): Promise<EffectiveConfig> {
  const { db, root, fleet } = options
  let config
  let number: number | null = null
  if (options.version === 'draft') {
    const f = await fleetIdOrThrow(db, fleet)
    config = await readDraftConfig(db, f.id)
  } else {
    const f = await fleetOrThrow(db, fleet)
    const row = await versionRowOrThrow(db, f, fleet, options.version)
    config = await readVersionConfig(db, row.id)
    number = options.version
  }
  const rendered = renderStored(root, config, { reveal: revealForDisplay, body: redactSealedText })
  const own = new Set(config.resources.map((r) => resourceKey(r)))
  return {
    fleet,
    version: number,
    template: config.template?.ref ?? null,
    variables: variableViews(rendered.variables),
    resources: rendered.resources.map((r) => ({ type: r.type, name: r.name, hash: r.hash, resource: JSON.parse(r.body) as ResourceJson, fromTemplate: !own.has(resourceKey(r)) })),
    issues: rendered.issues,
  }
}
