import { computeSelectorTakeovers, describeSelector, selectorMatchesEveryNode, type FleetSelector, type SelectorTakeover } from '../config/fleet-match'
import { MAX_TAKEOVERS_LISTED, type FleetSummary, type SelectorTakeoverDetails } from '../contract'
import { LegationError } from '../errors'
import { listConnectedNodes } from '../store/connected-nodes'
import type { Db } from '../store/db'
import { deleteFleetRow, getFleetOrThrow, insertFleet, listDerivedFleets, listFleetSelectors, lockFleetSelectorsTx, setFleetTemplateTx, updateFleetRow } from '../store/fleets'
import { bumpDraftRevision } from '../store/drafts'
import { inTransaction, lockFleetOrThrow, notifyEvent, recordAudit, type Tx } from '../store/tx'
import type { Prisma } from '../store/db'

const quoteList = (names: readonly string[]): string => names.map((n) => `'${n}'`).join(', ')

/**
 * The selector rules of #16 item 11, checked under lockFleetSelectorsTx:
 *  - a selector that matches every proxy is allowed only on the only fleet, and while one exists no
 *    other fleet can be added (its proxies would be captured, or refused as ambiguous);
 *  - a selector that would take proxies connected to other fleets now (any replica) needs
 *    `confirmTakeover`; without it the answer lists them (409 FLEET.SELECTOR_TAKEOVER).
 * Returns what the selector takes (confirmed), for the audit.
 */
async function checkSelectorTx(tx: Tx, options: { fleet: string; selector: FleetSelector | null; creating: boolean; confirmTakeover: boolean }): Promise<SelectorTakeover[]> {
  const { fleet, selector, creating, confirmTakeover } = options
  const others = (await listFleetSelectors(tx)).filter((f) => f.name !== fleet)
  if (selector && selectorMatchesEveryNode(selector) && others.length > 0) {
    throw new LegationError(
      'FLEET.SELECTOR_TOO_BROAD',
      `the selector ${describeSelector(selector) || '{}'} matches every proxy, so fleet '${fleet}' would take all proxies of ${others.length === 1 ? 'fleet' : 'fleets'} ${quoteList(others.map((f) => f.name))}; ` +
        `a selector that matches everything is allowed only on the only fleet: give it a condition that names the proxies it is for`,
      [{ path: selector.nodeIdGlob === undefined ? 'selector' : 'selector.nodeIdGlob', message: 'matches every proxy' }],
      { otherFleets: others.map((f) => f.name) },
    )
  }
  const catchAll = others.find((f) => f.selector !== null && selectorMatchesEveryNode(f.selector))
  if (creating && catchAll) {
    throw new LegationError(
      'FLEET.SELECTOR_TOO_BROAD',
      `fleet '${catchAll.name}' selects every proxy (${describeSelector(catchAll.selector!)}), so fleet '${fleet}' would get none of its own; narrow that fleet's selector before adding another fleet`,
      [{ path: 'name', message: `fleet '${catchAll.name}' selects every proxy` }],
      { catchAllFleet: catchAll.name },
    )
  }
  if (!selector) return []
  const otherSelectors = others.flatMap((f) => (f.selector ? [{ fleet: f.name, selector: f.selector }] : []))
  const takeovers = computeSelectorTakeovers(fleet, selector, await listConnectedNodes(tx), otherSelectors)
  if (takeovers.length > 0 && !confirmTakeover) throw takeoverError(fleet, selector, takeovers)
  return takeovers
}

function takeoverError(fleet: string, selector: FleetSelector, takeovers: readonly SelectorTakeover[]): LegationError {
  const byFleet = new Map<string, SelectorTakeover[]>()
  for (const t of takeovers) byFleet.set(t.fromFleet, [...(byFleet.get(t.fromFleet) ?? []), t])
  const NAMED = 10
  const perFleet = [...byFleet].map(([from, list]) => {
    const names = list.slice(0, NAMED).map((t) => `'${t.nodeId}'${t.outcome === 'ambiguous' ? ' (then refused: also selected by ' + quoteList(t.alsoSelectedBy) + ')' : ''}`)
    return `from fleet '${from}': ${names.join(', ')}${list.length > NAMED ? ` and ${list.length - NAMED} more` : ''}`
  })
  const listed = takeovers.slice(0, MAX_TAKEOVERS_LISTED)
  const details: SelectorTakeoverDetails = { total: takeovers.length, takeovers: listed }
  return new LegationError(
    'FLEET.SELECTOR_TAKEOVER',
    `the selector ${describeSelector(selector)} of fleet '${fleet}' would take ${takeovers.length} connected ${takeovers.length === 1 ? 'proxy' : 'proxies'} from other fleets when they reconnect — ${perFleet.join('; ')}. ` +
      `Send "confirmTakeover": true to apply it anyway`,
    listed.map((t) => ({
      path: 'selector',
      message: t.outcome === 'moves' ? `takes proxy '${t.nodeId}' from fleet '${t.fromFleet}'` : `proxy '${t.nodeId}' of fleet '${t.fromFleet}' would be refused: also selected by ${quoteList(t.alsoSelectedBy)}`,
    })),
    details,
  )
}

/** For other ways of adding a fleet (import): no fleet may be added while another selects every proxy. */
export async function checkFleetMayBeAddedTx(tx: Tx, name: string): Promise<void> {
  await lockFleetSelectorsTx(tx)
  await checkSelectorTx(tx, { fleet: name, selector: null, creating: true, confirmTakeover: false })
}

/** What a confirmed takeover took, for the audit (at most MAX_TAKEOVERS_LISTED proxies named). */
const takeoverDetail = (takeovers: readonly SelectorTakeover[]): Record<string, unknown> =>
  takeovers.length === 0 ? {} : { takeover: { total: takeovers.length, proxies: takeovers.slice(0, MAX_TAKEOVERS_LISTED).map((t) => ({ nodeId: t.nodeId, fromFleet: t.fromFleet, outcome: t.outcome })) } }

/** Create a fleet (empty draft, no version yet) → check its selector → audit → notify. */
export async function createFleet(options: { db: Db; name: string; description: string; selector?: FleetSelector | null; template?: string | null; confirmTakeover?: boolean; actor: string }): Promise<FleetSummary> {
  const { db, name, description, actor } = options
  const selector = options.selector ?? null
  await inTransaction(db, async (tx) => {
    await lockFleetSelectorsTx(tx)
    const takeovers = await checkSelectorTx(tx, { fleet: name, selector, creating: true, confirmTakeover: options.confirmTakeover === true })
    await insertFleet(tx, { name, description, selector })
    if (options.template) await setFleetTemplateTx(tx, await lockFleetOrThrow(tx, name), options.template)
    await recordAudit(tx, { actor, action: 'fleet.create', fleetName: name, target: `fleet/${name}`, ...(takeovers.length > 0 ? { detail: takeoverDetail(takeovers) as Prisma.InputJsonValue } : {}) })
    await notifyEvent(tx, { kind: 'fleet.created', fleet: name, actor, at: new Date().toISOString() })
  })
  return getFleetOrThrow({ db, name })
}

/** Change a fleet's description or selector (checked like at creation) → audit (with what changed) → notify. */
export async function updateFleet(options: { db: Db; name: string; description?: string; selector?: FleetSelector | null; template?: string | null; confirmTakeover?: boolean; actor: string }): Promise<FleetSummary> {
  const { db, name, description, selector, template, actor } = options
  const change = { ...(description === undefined ? {} : { description }), ...(selector === undefined ? {} : { selector }), ...(template === undefined ? {} : { template }) }
  await inTransaction(db, async (tx) => {
    if (selector !== undefined) await lockFleetSelectorsTx(tx)
    const locked = await lockFleetOrThrow(tx, name)
    const takeovers = selector === undefined ? [] : await checkSelectorTx(tx, { fleet: name, selector, creating: false, confirmTakeover: options.confirmTakeover === true })
    await updateFleetRow(tx, name, { ...(description === undefined ? {} : { description }), ...(selector === undefined ? {} : { selector }) })
    if (template !== undefined) {
      // The template is part of what the draft would serve: the draft changed, and the next commit takes it.
      await setFleetTemplateTx(tx, locked, template)
      const draftRevision = await bumpDraftRevision(tx, locked.id)
      await notifyEvent(tx, { kind: 'draft.changed', fleet: name, draftRevision, change: 'reset', actor, at: new Date().toISOString() })
    }
    await recordAudit(tx, { actor, action: 'fleet.update', fleetName: name, target: `fleet/${name}`, detail: { ...change, ...takeoverDetail(takeovers) } as Prisma.InputJsonValue })
    await notifyEvent(tx, { kind: 'fleet.updated', fleet: name, actor, at: new Date().toISOString() })
  })
  return getFleetOrThrow({ db, name })
}

/** Delete the fleet with its draft and its whole history; the audit log keeps the record. */
export async function deleteFleet(options: { db: Db; name: string; actor: string }): Promise<void> {
  const { db, name, actor } = options
  await inTransaction(db, async (tx) => {
    const fleet = await lockFleetOrThrow(tx, name)
    const derived = await listDerivedFleets(tx, fleet.id)
    if (derived.length > 0) {
      throw new LegationError('TEMPLATE.IN_USE', `fleet '${name}' is the template of ${derived.map((d) => `'${d}'`).join(', ')}; give ${derived.length === 1 ? 'that fleet' : 'those fleets'} another template (or none) first`, [{ path: 'name', message: 'used as a template' }], { derivedFleets: derived })
    }
    await deleteFleetRow(tx, fleet.id)
    await recordAudit(tx, { actor, action: 'fleet.delete', fleetName: name, target: `fleet/${name}` })
    await notifyEvent(tx, { kind: 'fleet.deleted', fleet: name, actor, at: new Date().toISOString() })
  })
}
