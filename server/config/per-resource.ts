import type { ConfigResource } from './resource-types'

/**
 * `fn` remembered per resource object. Resources read through memoEntryOf are the same objects from
 * one commit to the next while their content is unchanged, so a whole-config check built from
 * per-resource parts (references, the analysis) re-runs only the parts of what changed. Results
 * are shared: callers must not modify them.
 */
export function perResource<T>(fn: (r: ConfigResource) => T): (r: ConfigResource) => T {
  const results = new WeakMap<ConfigResource, T>()
  return (r) => {
    if (results.has(r)) return results.get(r) as T
    const result = fn(r)
    results.set(r, result)
    return result
  }
}
