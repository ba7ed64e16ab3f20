import { bootstrapToYaml, buildEnvoyBootstrap, parseBootstrapQuery, type BootstrapDefaults } from '../config/bootstrap'
import type { Db } from '../store/db'
import { getFleetOrThrow } from '../store/fleets'

export type FleetBootstrapOptions = Readonly<{ db: Db; defaults: BootstrapDefaults; fleet: string; search: URLSearchParams; requestHost: string | undefined }>

/**
 * An Envoy bootstrap that joins a proxy to the fleet over ADS, as YAML (default) or JSON. Query
 * parameters override the configured public xDS address; a bad one is a ZodError (→ 422 naming it).
 */
export async function fleetBootstrap(options: FleetBootstrapOptions): Promise<{ format: 'yaml' | 'json'; body: string }> {
  const fleet = await getFleetOrThrow({ db: options.db, name: options.fleet }) // FLEET.NOT_FOUND → 404
  const query = parseBootstrapQuery({ fleet: fleet.name, search: options.search, defaults: options.defaults, requestHost: options.requestHost })
  const bootstrap = buildEnvoyBootstrap({ fleet: fleet.name, nodeId: query.node_id, xdsHost: query.xds_host, xdsPort: query.xds_port, adminPort: query.admin_port })
  return query.format === 'json' ? { format: 'json', body: JSON.stringify(bootstrap) } : { format: 'yaml', body: bootstrapToYaml(bootstrap) }
}
