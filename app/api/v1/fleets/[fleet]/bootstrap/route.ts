import { bootstrapDefaultsFromEnv, bootstrapToYaml, buildEnvoyBootstrap, hostnameOfHostHeader, parseBootstrapQuery } from '@/server/config/bootstrap'
import { withApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'

/**
 * An Envoy bootstrap that joins a proxy to this fleet over ADS: `envoy -c <this file>`.
 * YAML by default, JSON with `?format=json`. `?node_id=` (default `envoy-<fleet>`), `?xds_host=`
 * (default LEGATION_XDS_PUBLIC_HOST, else this request's Host name), `?xds_port=` (default
 * LEGATION_XDS_PUBLIC_PORT, else XDS_PORT, else 18000) and `?admin_port=` (default 19000).
 */
export const GET = withApi<{ fleet: string }>(async (req, { runtime, params }) => {
  const fleet = await runtime.services.fleets.get(params.fleet) // FLEET.NOT_FOUND → 404
  const query = parseBootstrapQuery({
    fleet: fleet.name,
    search: new URL(req.url).searchParams,
    defaults: bootstrapDefaultsFromEnv(process.env),
    requestHost: hostnameOfHostHeader(req.headers.get('host')),
  })
  const bootstrap = buildEnvoyBootstrap({ fleet: fleet.name, nodeId: query.node_id, xdsHost: query.xds_host, xdsPort: query.xds_port, adminPort: query.admin_port })
  const headers = { 'cache-control': 'no-store' }
  if (query.format === 'json') return Response.json(bootstrap, { headers })
  return new Response(bootstrapToYaml(bootstrap), { headers: { ...headers, 'content-type': 'application/yaml; charset=utf-8' } })
})
