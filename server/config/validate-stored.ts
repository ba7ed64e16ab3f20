import type protobuf from 'protobufjs'
import type { StoredResource } from './diff'
import type { ConfigIssue } from './issues'
import { checkListenerAddresses, checkReferences } from './references'
import { checkedOf, memoEntryOf } from './resource-memo'
import type { ConfigResource } from './resource-types'

/**
 * validateConfig (server/config/validate.ts) over stored resources, each resource's own checks
 * remembered by content (resource-memo.ts): a commit re-reads and re-encodes only what changed since,
 * and runs the whole-config checks (references, listener addresses) over all of it. Same issues,
 * in the same order, as validateConfig of the parsed bodies. `remember(r)` false: a body with clear
 * secret material, checked without a memo entry. Also returns the parsed bodies, for the analysis.
 */
export function validateStoredConfig(root: protobuf.Root, stored: readonly StoredResource[], remember: (r: StoredResource) => boolean = () => true): { issues: ConfigIssue[]; resources: ConfigResource[] } {
  const entries = stored.map((r) => memoEntryOf(root, r, remember(r)))
  const checked = entries.map((e) => checkedOf(root, e))
  const inputs = entries.map((e) => e.parsed)
  const readIssues = checked.flatMap((c) => c.readIssues)
  // A resource that does not read cannot be encoded: report its problems and the references.
  if (readIssues.length > 0) return { issues: [...readIssues, ...checkReferences(inputs), ...checkListenerAddresses(inputs)], resources: inputs }
  const canonical = checked.map((c) => c.canonical!)
  const encodeIssues = checked.flatMap((c) => (c.encodeIssue ? [c.encodeIssue] : []))
  return { issues: [...encodeIssues, ...checkReferences(canonical), ...checkListenerAddresses(inputs)], resources: inputs }
}
