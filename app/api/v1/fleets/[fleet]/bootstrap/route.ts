import { hostnameOfHostHeader } from '@/server/http/params'
import { withApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'

/**
 * An Envoy bootstrap that joins a proxy to this fleet over ADS: `envoy -c <this file>`.
 * YAML by default, JSON with `?format=json`. `?node_id=` (default `envoy-<fleet>`), `?xds_host=`
 * (default LEGATION_XDS_PUBLIC_HOST, else this request's Host name), `?xds_port=` (default
 * LEGATION_XDS_PUBLIC_PORT, else XDS_PORT, else 18000) and `?admin_port=` (default 19000).
 */
export const GET = withApi<{ fleet: string }>(async (req, { params, services }) => {
  const { format, body } = await services.fleets.bootstrap({ fleet: params.fleet, search: new URL(req.url).searchParams, requestHost: hostnameOfHostHeader(req.headers.get('host')) })
  const contentType = format === 'json' ? 'application/json' : 'application/yaml; charset=utf-8'
  return new Response(body, { headers: { 'cache-control': 'no-store', 'content-type': contentType } })
})
