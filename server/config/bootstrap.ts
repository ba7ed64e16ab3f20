import { Document, isScalar, visit } from 'yaml'
import { z } from 'zod'
import type { JsonValue } from './resource-types'

// The Envoy bootstrap a proxy starts from to get its config from Legation over ADS, in the shape of
// Envoy's own examples/dynamic-config-cp/envoy.yaml: one static cluster for the control plane,
// everything else (listeners, clusters and, through them, routes and endpoints) from ADS.
// https://www.envoyproxy.io/docs/envoy/latest/configuration/overview/xds_api#aggregated-discovery-service

/** The static cluster that points at Legation; ADS references it by this name. */
export const XDS_CLUSTER_NAME = 'xds_cluster'
/** Same default as server/env.ts XDS_PORT and go-control-plane's example server. */
export const DEFAULT_XDS_PORT = 18000
/** Envoy's conventional admin port (the Envoy examples and docs use 19000). */
export const DEFAULT_ADMIN_PORT = 19000

export type EnvoyBootstrapOptions = Readonly<{ fleet: string; nodeId: string; xdsHost: string; xdsPort: number; adminPort: number }>

/** A fresh object per use: a shared one would come out of YAML as an anchor and alias (`&a1`, `*a1`). */
const adsConfigSource = (): Record<string, JsonValue> => ({ ads: {}, resource_api_version: 'V3' })

/**
 * An `envoy.config.bootstrap.v3.Bootstrap` in proto3 JSON with proto (snake_case) field names.
 * `node.cluster` is the fleet: that is how Legation knows which fleet's snapshot a proxy gets.
 */
export function buildEnvoyBootstrap(options: EnvoyBootstrapOptions): Record<string, JsonValue> {
  const { fleet, nodeId, xdsHost, xdsPort, adminPort } = options
  return {
    node: { id: nodeId, cluster: fleet },
    dynamic_resources: {
      ads_config: {
        api_type: 'GRPC',
        transport_api_version: 'V3',
        grpc_services: [{ envoy_grpc: { cluster_name: XDS_CLUSTER_NAME } }],
        // The node is only needed once per stream; Legation keeps it from the first request
        // (xds_protocol "Node" note: later requests may omit it).
        set_node_on_first_message_only: true,
      },
      lds_config: adsConfigSource(),
      cds_config: adsConfigSource(),
    },
    static_resources: {
      clusters: [
        {
          name: XDS_CLUSTER_NAME,
          type: 'STRICT_DNS',
          connect_timeout: '1s',
          // gRPC needs HTTP/2 to the control plane.
          typed_extension_protocol_options: {
            'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': {
              '@type': 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
              explicit_http_config: { http2_protocol_options: {} },
            },
          },
          // The ADS stream is idle most of the time; keepalives notice a control plane that went
          // away without a FIN (a killed container, a dropped NAT entry) within about 45 s, so
          // Envoy reconnects instead of waiting on a dead connection. The Envoy docs recommend
          // TCP keepalive on the xDS cluster (configuration/overview/xds_api "management server").
          upstream_connection_options: { tcp_keepalive: { keepalive_time: 30, keepalive_interval: 5, keepalive_probes: 3 } },
          load_assignment: {
            cluster_name: XDS_CLUSTER_NAME,
            endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: xdsHost, port_value: xdsPort } } } }] }],
          },
        },
      ],
    },
    admin: { address: { socket_address: { address: '0.0.0.0', port_value: adminPort } } },
  }
}

/**
 * YAML for Envoy's `-c`. Envoy turns YAML into JSON with yaml-cpp, which reads plain `yes`, `on`,
 * `y`, `off`… as booleans (YAML 1.1), so a fleet named `on` would break `node.cluster`. The
 * yaml package's 1.1 schema quotes exactly those strings. Values with a colon (an IPv6 xds_host
 * such as `::1`) are quoted too, since plain scalars starting with `:` are where YAML parsers differ.
 * lineWidth 0 keeps long values on one line; no anchors, so the file reads the same as the JSON.
 */
export function bootstrapToYaml(bootstrap: Record<string, JsonValue>): string {
  const doc = new Document(bootstrap, { version: '1.1', aliasDuplicateObjects: false })
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.value) && typeof pair.value.value === 'string' && pair.value.value.includes(':')) pair.value.type = 'QUOTE_DOUBLE'
    },
  })
  return doc.toString({ lineWidth: 0 })
}

// ---- request parameters -------------------------------------------------------------------

// DNS names (underscores allowed: Docker Compose service names may have them) or IPv4.
const HOST_LABEL = '[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?'
const HOSTNAME = new RegExp(`^${HOST_LABEL}(?:\\.${HOST_LABEL})*\\.?$`)
const Ipv6 = z.ipv6()

export const Port = z.coerce
  .number({ error: 'expected a port number' })
  .int('expected an integer port')
  .min(1, 'expected a port from 1 to 65535')
  .max(65535, 'expected a port from 1 to 65535')

export const XdsHost = z
  .string({ error: (iss) => (iss.input === undefined ? 'no xds_host given and the request has no Host header to take it from' : 'expected a host name') })
  .max(253, 'expected a host name of at most 253 characters')
  .refine((v) => HOSTNAME.test(v) || Ipv6.safeParse(v).success, 'expected a DNS name or an IP address (IPv6 without brackets)')

/** Any printable ASCII without spaces: enough for Istio-style ids (`sidecar~10.0.0.1~pod.ns~…`). */
const NodeId = z.string().min(1, 'expected a node id').max(255, 'expected a node id of at most 255 characters').regex(/^[\x21-\x7E]+$/, 'expected printable ASCII without spaces')

export const BootstrapQuery = z.object({
  format: z.enum(['yaml', 'json'], { error: "expected 'yaml' or 'json'" }).default('yaml'),
  node_id: NodeId,
  xds_host: XdsHost,
  xds_port: Port,
  admin_port: Port,
})
export type BootstrapQuery = z.infer<typeof BootstrapQuery>

export type BootstrapDefaults = Readonly<{ xdsHost: string | undefined; xdsPort: number }>

/** One id per fleet by default; give each proxy its own with `?node_id=` or Envoy's `--service-node`. */
export function defaultNodeId(fleet: string): string {
  return `envoy-${fleet}`
}

/**
 * Where proxies should dial: LEGATION_XDS_PUBLIC_HOST / LEGATION_XDS_PUBLIC_PORT (validated in
 * server/env.ts) name the address proxies can reach (behind NAT, a load balancer or a Compose
 * network); otherwise the port falls back to XDS_PORT and the host is left to the caller (the
 * request's Host header).
 */
export function bootstrapDefaults(settings: Readonly<{ publicHost?: string | undefined; publicPort?: number | undefined; xdsPort: number }>): BootstrapDefaults {
  // XDS_PORT=0 means "any free port": the bound port is not known here, so it is no use to a proxy.
  return { xdsHost: settings.publicHost, xdsPort: settings.publicPort ?? (settings.xdsPort > 0 ? settings.xdsPort : DEFAULT_XDS_PORT) }
}

/** The host name of a Host header, without the port and without IPv6 brackets; undefined if unusable. */
export function hostnameOfHostHeader(host: string | null | undefined): string | undefined {
  if (!host) return undefined
  try {
    const name = new URL(`http://${host}`).hostname
    return name.startsWith('[') && name.endsWith(']') ? name.slice(1, -1) : name || undefined
  } catch {
    return undefined
  }
}

/**
 * The query of GET /api/v1/fleets/{fleet}/bootstrap with its defaults applied. Throws ZodError
 * (→ 422 naming the parameter, in withApi) for a bad value.
 */
export function parseBootstrapQuery(options: { fleet: string; search: URLSearchParams; defaults: BootstrapDefaults; requestHost: string | undefined }): BootstrapQuery {
  const { fleet, search, defaults, requestHost } = options
  return BootstrapQuery.parse({
    format: search.get('format') ?? undefined,
    node_id: search.get('node_id') ?? defaultNodeId(fleet),
    xds_host: search.get('xds_host') ?? defaults.xdsHost ?? requestHost,
    xds_port: search.get('xds_port') ?? defaults.xdsPort,
    admin_port: search.get('admin_port') ?? DEFAULT_ADMIN_PORT,
  })
}
