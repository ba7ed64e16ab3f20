import type { SnapshotResource, SnapshotType } from '../snapshot/types'
import type { WireAny } from '../xds-types/wire'
import { sortByName, type Subscription } from './subscription'

/**
 * What a SotW subscription selects from one snapshot type, sorted by name, with the pieces a response
 * and the stream's `returned` are made of. Computed once per (snapshot type, subscription) and shared
 * by every stream with that subscription (#13 item 1): with 1,000 proxies subscribed to the same 1,000
 * load assignments, a push used to sort, map and copy the same 1,000 resources 1,000 times, and each
 * stream kept its own 1,000-entry `returned` map. Immutable: nobody modifies what it holds.
 */
export type Selection = Readonly<{
  resources: readonly SnapshotResource[]
  /** The resources' Anys, in order: a response's `resources` (its encoding is shared too: encode-response.ts). */
  anys: readonly WireAny[]
  names: readonly string[]
  /** name → resource: what a client that got this selection holds. */
  returned: ReadonlyMap<string, SnapshotResource>
}>

const wildcardSelections = new WeakMap<SnapshotType, Selection>()
const namedSelections = new WeakMap<SnapshotType, WeakMap<ReadonlySet<string>, Selection>>()

function selectionFrom(picked: readonly SnapshotResource[]): Selection {
  const resources = sortByName(picked)
  return { resources, anys: resources.map((r) => r.any), names: resources.map((r) => r.name), returned: new Map(resources.map((r) => [r.name, r])) }
}

/**
 * The selection of `sub` in `type`. Named subscriptions are shared by the identity of their name set,
 * so streams should hold interned sets (internNames) to share one selection; any set still gives the
 * right answer.
 */
export function selectionOf(type: SnapshotType, sub: Subscription): Selection {
  if (sub.wildcard) {
    let selection = wildcardSelections.get(type)
    if (!selection) wildcardSelections.set(type, (selection = selectionFrom([...type.resources.values()])))
    return selection
  }
  let byNames = namedSelections.get(type)
  if (!byNames) namedSelections.set(type, (byNames = new WeakMap()))
  let selection = byNames.get(sub.names)
  if (!selection) byNames.set(sub.names, (selection = selectionFrom([...sub.names].flatMap((n) => type.resources.get(n) ?? []))))
  return selection
}

const interned = new Map<string, WeakRef<ReadonlySet<string>>>()
const forget = new FinalizationRegistry<string>((key) => {
  if (interned.get(key)?.deref() === undefined) interned.delete(key)
})

/**
 * One set object per distinct set of names (while any stream holds it), so that streams subscribed to
 * the same names share their selections. Called when a stream's subscription changes, not per push.
 */
export function internNames(names: ReadonlySet<string>): ReadonlySet<string> {
  if (names.size === 0) return names
  const key = JSON.stringify([...names].sort())
  const known = interned.get(key)?.deref()
  if (known) return known
  interned.set(key, new WeakRef(names))
  forget.register(names, key)
  return names
}
