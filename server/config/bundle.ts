import YAML from 'yaml'
import { compareResources, type ResourceJson, type ResourceType } from './resource-types'

/**
 * A bundle: a fleet's whole config as text, one YAML document per resource
 *
 *   ---
 *   type: Cluster
 *   name: service
 *   resource:
 *     name: service
 *     …                  (the Envoy v3 resource as canonical proto3 JSON, snake_case)
 *
 * in (type, name) order. Export writes it, the bulk draft PUT reads it (also as a JSON array of the
 * same objects). A resource's body is the canonical JSON the store keeps, so export → import →
 * export gives the same bytes. Sealed values appear as the API shows them (`<set:fingerprint>`).
 */
export type BundleEntry = Readonly<{ type: ResourceType; name: string; resource: ResourceJson }>

/** Renders stored bodies (canonical JSON text, already redacted) as a bundle. */
export function renderBundle(resources: ReadonlyArray<Readonly<{ type: ResourceType; name: string; body: string }>>): string {
  return [...resources]
    .sort(compareResources)
    .map((r) => `---\n${YAML.stringify({ type: r.type, name: r.name, resource: JSON.parse(r.body) as unknown }, { lineWidth: 0 })}`)
    .join('')
}
