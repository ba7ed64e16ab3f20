import type { JsonValue } from '@/server/contract'
import { deepEqual, isObject, type JsonObject, type MutableJsonObject } from '../forms/json'

/**
 * A three-way merge of one resource's JSON (#15 "conflicts merge when they can"): `base` is the
 * revision an edit started from, `mine` this browser's edit, `theirs` what someone else saved since.
 *
 * - A value one side changed and the other did not takes that side's value (a field added, changed
 *   or removed).
 * - Both sides changed the same value to the same thing: that value.
 * - Both changed a mapping: its keys are merged one by one, recursively.
 * - Both changed a list: merged item by item only when base, mine and theirs have the same length
 *   (an item inserted or removed shifts every index after it, so matching by position would pair
 *   the wrong items); otherwise the whole list is a conflict. A list only one side touched is that
 *   side's list, whatever its length.
 * - Anything else both changed differently (a scalar, a removal against a change) is a conflict at
 *   its path; with any conflict there is no merged result, and the existing choices apply.
 */
export type MergeConflict = Readonly<{
  /** Like the server's issue paths: `load_assignment.endpoints[0].lb_endpoints`. */
  path: string
  reason: 'both-changed' | 'list-lengths'
  base: JsonValue | undefined
  mine: JsonValue | undefined
  theirs: JsonValue | undefined
}>

export type MergeResult = Readonly<{ ok: true; merged: JsonObject }> | Readonly<{ ok: false; conflicts: readonly MergeConflict[] }>

function joinPath(path: string, segment: string | number): string {
  if (typeof segment === 'number') return `${path}[${segment}]`
  if (!/^[A-Za-z_@][\w@]*$/.test(segment)) return `${path}[${JSON.stringify(segment)}]`
  return path === '' ? segment : `${path}.${segment}`
}

/** `undefined` in and out means "absent". */
function mergeValue(base: JsonValue | undefined, mine: JsonValue | undefined, theirs: JsonValue | undefined, path: string, conflicts: MergeConflict[]): JsonValue | undefined {
  if (deepEqual(mine, theirs)) return mine
  if (deepEqual(base, mine)) return theirs
  if (deepEqual(base, theirs)) return mine
  if (isObject(mine) && isObject(theirs) && (base === undefined || isObject(base))) return mergeObjects(base ?? {}, mine, theirs, path, conflicts)
  if (Array.isArray(mine) && Array.isArray(theirs) && Array.isArray(base)) {
    const [b, m, t] = [base as readonly JsonValue[], mine as readonly JsonValue[], theirs as readonly JsonValue[]]
    if (b.length === m.length && m.length === t.length) return m.map((item, i) => mergeValue(b[i], item, t[i], joinPath(path, i), conflicts) ?? null)
    conflicts.push({ path, reason: 'list-lengths', base, mine, theirs })
    return undefined
  }
  conflicts.push({ path, reason: 'both-changed', base, mine, theirs })
  return undefined
}

/** Their keys in their order, then keys only mine has: the merge reads as a diff against theirs. */
function mergeObjects(base: JsonObject, mine: JsonObject, theirs: JsonObject, path: string, conflicts: MergeConflict[]): JsonObject {
  const out: MutableJsonObject = {}
  const keys = [...Object.keys(theirs), ...Object.keys(mine).filter((k) => !(k in theirs)), ...Object.keys(base).filter((k) => !(k in theirs) && !(k in mine))]
  for (const key of keys) {
    const merged = mergeValue(base[key], mine[key], theirs[key], joinPath(path, key), conflicts)
    if (merged !== undefined) out[key] = merged
  }
  return out
}

export function mergeThreeWay(base: JsonObject, mine: JsonObject, theirs: JsonObject): MergeResult {
  const conflicts: MergeConflict[] = []
  const merged = mergeObjects(base, mine, theirs, '', conflicts)
  return conflicts.length === 0 ? { ok: true, merged } : { ok: false, conflicts }
}
