/**
 * Features of the Envoy v3 API by the first Envoy release that accepts them (#12 item 2), for NACK
 * prediction of Envoy proxies (server/predict/envoy.ts). Data only.
 *
 * Every entry cites its source: the release's changelog in envoyproxy/envoy (`changelogs/<version>.yaml`,
 * section `new_features` unless said otherwise), the entry's `area` and a few words quoted from its
 * `change` text, so `grep -n` in that file finds the line. Nothing here is guessed: a feature whose
 * release we could not find in a changelog is not listed. Only messages of the protos Legation ships
 * (@grpc/grpc-js-xds deps/envoy-api) are listed, since a draft cannot hold any other; the unit test
 * checks that every name resolves in that proto set.
 *
 * What an older Envoy does with each kind (the rule server/predict/envoy.ts implements):
 * - `extension`: a typed_config whose type URL no extension factory of that Envoy registers is
 *   rejected ("Didn't find a registered implementation for … with type URL …"), i.e. the update is
 *   NACKed; except where the API says a client may skip it: an HTTP filter with `is_optional`, a
 *   per-route `FilterConfig` with `is_optional` (itself new in 1.27.0), a cluster specifier plugin with
 *   `is_optional`, and `Cluster.load_balancing_policy`, whose `policies` are tried in order and the
 *   first one the client supports is used (cluster.proto LoadBalancingPolicy.policies).
 * - `field`: unknown fields in dynamic (xDS) config are NOT rejected by default: Envoy logs a warning,
 *   counts `server.dynamic_unknown_fields` and ignores the field (docs/root/operations/cli.rst,
 *   `--reject-unknown-dynamic-fields`: "By default, this flag is set false, disabling validation for
 *   fields beyond bootstrap. This allows newer xDS configurations to be delivered to older Envoys").
 *   So the feature is silently not applied — reported as "would ignore". Except when the field is a
 *   member of a oneof that protoc-gen-validate marks required: the older Envoy sees the oneof empty
 *   and rejects the resource. (With --reject-unknown-dynamic-fields every such field is rejected;
 *   Legation cannot see an Envoy's flags.)
 * - `enum-value`: proto3 keeps an unknown enum number; a field with `(validate.rules).enum.defined_only`
 *   then fails validation, so the resource is rejected.
 */

export type EnvoyFeatureSource = Readonly<{
  /** Path in envoyproxy/envoy. */
  file: string
  /** The changelog entry's `area`. */
  area: string
  /** Words quoted from the entry's `change` text. */
  quote: string
}>

export type EnvoyFeature = Readonly<
  (
    | { kind: 'extension'; /** Fully qualified message name of the typed_config. */ message: string }
    | { kind: 'field'; /** Fully qualified message name holding the field. */ message: string; field: string }
    | { kind: 'enum-value'; /** Fully qualified enum name. */ enum: string; value: string }
  ) & { since: string; source: EnvoyFeatureSource }
>

const changelog = (version: string, area: string, quote: string): EnvoyFeatureSource => ({ file: `changelogs/${version}.yaml`, area, quote })

export const ENVOY_FEATURES: readonly EnvoyFeature[] = [
  // Load balancing policy extensions (Cluster.load_balancing_policy).
  { kind: 'extension', message: 'envoy.extensions.load_balancing_policies.least_request.v3.LeastRequest', since: '1.25.0', source: changelog('1.25.0', 'upstream', 'added :ref:`least request extension') },
  { kind: 'extension', message: 'envoy.extensions.load_balancing_policies.random.v3.Random', since: '1.25.0', source: changelog('1.25.0', 'upstream', 'added :ref:`random extension') },
  { kind: 'extension', message: 'envoy.extensions.load_balancing_policies.round_robin.v3.RoundRobin', since: '1.25.0', source: changelog('1.25.0', 'upstream', 'added :ref:`round robin extension') },
  { kind: 'extension', message: 'envoy.extensions.load_balancing_policies.ring_hash.v3.RingHash', since: '1.26.0', source: changelog('1.26.0', 'upstream', 'Added :ref:`ring hash extension') },
  { kind: 'extension', message: 'envoy.extensions.load_balancing_policies.maglev.v3.Maglev', since: '1.26.0', source: changelog('1.26.0', 'upstream', 'Added :ref:`maglev extension') },
  { kind: 'extension', message: 'envoy.extensions.load_balancing_policies.cluster_provided.v3.ClusterProvided', since: '1.27.0', source: changelog('1.27.0', 'upstream', 'Added :ref:`cluster provided extension') },
  { kind: 'extension', message: 'envoy.extensions.load_balancing_policies.client_side_weighted_round_robin.v3.ClientSideWeightedRoundRobin', since: '1.32.0', source: changelog('1.32.0', 'load_balancing', 'Added a new WIP implementation of :ref:`client_side_weighted_round_robin') },

  // HTTP filters and their per-route configs.
  { kind: 'extension', message: 'envoy.extensions.filters.http.custom_response.v3.CustomResponse', since: '1.25.0', source: changelog('1.25.0', 'custom response http filter', 'added :ref:`custom response http filter') },
  { kind: 'extension', message: 'envoy.extensions.filters.http.compressor.v3.CompressorPerRoute', since: '1.25.0', source: changelog('1.25.0', 'compression', 'added :ref:`CompressorPerRoute proto') },
  { kind: 'extension', message: 'envoy.extensions.filters.http.header_mutation.v3.HeaderMutation', since: '1.26.0', source: changelog('1.26.0', 'http filter', 'Added :ref:`header mutation http filter') },
  { kind: 'extension', message: 'envoy.extensions.common.matching.v3.ExtensionWithMatcherPerRoute', since: '1.27.0', source: changelog('1.27.0', 'match_delegate', 'Added :ref:`per route configuration') },
  { kind: 'extension', message: 'envoy.extensions.filters.http.json_to_metadata.v3.JsonToMetadata', since: '1.28.0', source: changelog('1.28.0', 'http', 'Added :ref:`Json-To-Metadata filter') },
  { kind: 'extension', message: 'envoy.extensions.filters.http.set_filter_state.v3.Config', since: '1.28.0', source: changelog('1.28.0', 'filters', 'Added filters to update the filter state for :ref:`the HTTP requests') },
  { kind: 'extension', message: 'envoy.extensions.filters.http.basic_auth.v3.BasicAuth', since: '1.29.0', source: changelog('1.29.0', 'filters', 'Added :ref:`the Basic Auth filter') },
  { kind: 'extension', message: 'envoy.extensions.filters.http.basic_auth.v3.BasicAuthPerRoute', since: '1.30.0', source: changelog('1.30.0', 'filters', 'Added :ref:`per-route configuration support to the Basic Auth filter') },
  { kind: 'extension', message: 'envoy.extensions.filters.http.credential_injector.v3.CredentialInjector', since: '1.30.0', source: changelog('1.30.0', 'filters', 'Added the :ref:`credential injector filter') },
  { kind: 'extension', message: 'envoy.extensions.filters.http.thrift_to_metadata.v3.ThriftToMetadata', since: '1.31.0', source: changelog('1.31.0', 'thrift', 'Added implementation of :ref:`thrift to metadata') },

  // Network filters.
  { kind: 'extension', message: 'envoy.extensions.filters.network.set_filter_state.v3.Config', since: '1.28.0', source: changelog('1.28.0', 'filters', ':ref:`the TCP connections <config_network_filters_set_filter_state>`') },

  // Other typed extensions used inside listeners, routes and clusters.
  { kind: 'extension', message: 'envoy.extensions.http.stateful_session.header.v3.HeaderBasedSessionState', since: '1.24.0', source: changelog('1.24.0', 'http', 'Added :ref:`HeaderBasedSessionState') },
  { kind: 'extension', message: 'envoy.extensions.health_checkers.thrift.v3.Thrift', since: '1.24.0', source: changelog('1.24.0', 'health check', 'added :ref:`thrift health check') },
  { kind: 'extension', message: 'envoy.extensions.http.early_header_mutation.header_mutation.v3.HeaderMutation', since: '1.25.0', source: changelog('1.25.0', 'http', 'added support of :ref:`header mutation') },
  { kind: 'extension', message: 'envoy.config.route.v3.RouteList', since: '1.25.0', source: changelog('1.25.0', 'router', 'added :ref:`RouteList') },
  { kind: 'extension', message: 'envoy.extensions.matching.common_inputs.network.v3.FilterStateInput', since: '1.26.0', source: changelog('1.26.0', 'matching', 'Added :ref:`Filter State Input') },
  { kind: 'extension', message: 'envoy.extensions.matching.input_matchers.runtime_fraction.v3.RuntimeFraction', since: '1.27.0', source: changelog('1.27.0', 'matchers', 'Added :ref:`RuntimeFraction') },
  { kind: 'extension', message: 'envoy.extensions.formatter.cel.v3.Cel', since: '1.27.0', source: changelog('1.27.0', 'access_log', 'Added :ref:`CEL <envoy_v3_api_msg_extensions.formatter.cel.v3.Cel>` access log formatter') },
  { kind: 'extension', message: 'envoy.extensions.geoip_providers.maxmind.v3.MaxMindConfig', since: '1.28.0', source: changelog('1.28.0', 'geoip', 'Added support for :ref:`Maxmind geolocation provider') },
  { kind: 'extension', message: 'envoy.extensions.string_matcher.lua.v3.Lua', since: '1.30.0', source: changelog('1.30.0', 'string matcher', 'An implementation for :ref:`running a Lua script') },

  // Enum values checked with (validate.rules).enum.defined_only.
  { kind: 'enum-value', enum: 'envoy.config.core.v3.HeaderValueOption.HeaderAppendAction', value: 'OVERWRITE_IF_EXISTS', since: '1.27.0', source: changelog('1.27.0', 'http', 'Added ``OVERWRITE_IF_EXISTS`` header manipulation keyword') },

  // Fields in a required oneof: an older Envoy sees the oneof empty and rejects the resource.
  { kind: 'field', message: 'envoy.type.matcher.v3.StringMatcher', field: 'custom', since: '1.30.0', source: changelog('1.30.0', 'string matcher', 'Added an :ref:`extension point for custom string matcher implementations') },
  { kind: 'field', message: 'envoy.config.rbac.v3.Permission', field: 'uri_template', since: '1.30.0', source: changelog('1.30.0', 'rbac', 'Added :ref:`uri_template<envoy_v3_api_field_config.rbac.v3.Permission.uri_template>`') },

  // Fields an older Envoy ignores (the feature silently does nothing there).
  { kind: 'field', message: 'envoy.config.listener.v3.Listener', field: 'additional_addresses', since: '1.24.0', source: changelog('1.24.0', 'listener', 'added multiple listening addresses in single listener') },
  { kind: 'field', message: 'envoy.config.cluster.v3.Cluster.LbSubsetConfig', field: 'metadata_fallback_policy', since: '1.24.0', source: changelog('1.24.0', 'load balancer', 'added a new field to subset load balancer config: :ref:`metadata_fallback_policy') },
  { kind: 'field', message: 'envoy.config.core.v3.HealthCheck.HttpHealthCheck', field: 'method', since: '1.24.0', source: changelog('1.24.0', 'health check', 'added :ref:`method <envoy_v3_api_field_config.core.v3.HealthCheck.HttpHealthCheck.method>` support') },
  { kind: 'field', message: 'envoy.config.cluster.v3.Cluster.OriginalDstLbConfig', field: 'upstream_port_override', since: '1.24.0', source: changelog('1.24.0', 'cluster', 'added support to override original destination port') },
  { kind: 'field', message: 'envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager', field: 'append_x_forwarded_port', since: '1.25.0', source: changelog('1.25.0', 'http', 'added :ref:`append_x_forwarded_port') },
  { kind: 'field', message: 'envoy.config.route.v3.VirtualHost', field: 'include_is_timeout_retry_header', since: '1.25.0', source: changelog('1.25.0', 'router', 'added a :ref:`x-envoy-is-timeout-retry') },
  { kind: 'field', message: 'envoy.config.endpoint.v3.Endpoint.HealthCheckConfig', field: 'disable_active_health_check', since: '1.25.0', source: changelog('1.25.0', 'health_check', 'added an optional bool flag :ref:`disable_active_health_check') },
  { kind: 'field', message: 'envoy.config.route.v3.FilterConfig', field: 'is_optional', since: '1.27.0', source: changelog('1.27.0', 'http', 'Add support to the route/virtual host level') },
  { kind: 'field', message: 'envoy.config.route.v3.FilterConfig', field: 'disabled', since: '1.27.0', source: changelog('1.27.0', 'http', 'Added support for the route/virtual host level') },
  { kind: 'field', message: 'envoy.config.endpoint.v3.ClusterLoadAssignment.Policy', field: 'weighted_priority_health', since: '1.27.0', source: changelog('1.27.0', 'load_balancing', ':ref:`weighted_priority_health') },
  { kind: 'field', message: 'envoy.config.listener.v3.Listener', field: 'max_connections_to_accept_per_socket_event', since: '1.27.0', source: changelog('1.27.0', 'listeners', 'Added :ref:`max_connections_to_accept_per_socket_event') },
  { kind: 'field', message: 'envoy.extensions.filters.http.ratelimit.v3.RateLimitPerRoute', field: 'domain', since: '1.27.0', source: changelog('1.27.0', 'ratelimit', 'Added new configuration field :ref:`domain') },
  { kind: 'field', message: 'envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext', field: 'enforce_rsa_key_usage', since: '1.27.0', source: changelog('1.27.0', 'tls', ':ref:`enforce_rsa_key_usage') },
  { kind: 'field', message: 'envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter', field: 'disabled', since: '1.28.0', source: changelog('1.28.0', 'http', 'flag to disable a filter in the filter chain by default') },
  { kind: 'field', message: 'envoy.config.route.v3.VirtualHost', field: 'metadata', since: '1.28.0', source: changelog('1.28.0', 'router', 'Added ``metadata`` support for :ref:`virtual host') },
  { kind: 'field', message: 'envoy.config.route.v3.RouteConfiguration', field: 'metadata', since: '1.28.0', source: changelog('1.28.0', 'router', ':ref:`route configuration <envoy_v3_api_field_config.route.v3.RouteConfiguration.metadata>`') },
  { kind: 'field', message: 'envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext', field: 'disable_stateful_session_resumption', since: '1.28.0', source: changelog('1.28.0', 'tls', 'Added :ref:`disable_stateful_session_resumption') },
  { kind: 'field', message: 'envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.Tracing', field: 'spawn_upstream_span', since: '1.28.0', source: changelog('1.28.0', 'tracing', 'Added :ref:`spawn_upstream_span') },
  { kind: 'field', message: 'envoy.config.cluster.v3.TrackClusterStats', field: 'per_endpoint_stats', since: '1.29.0', source: changelog('1.29.0', 'stats', 'Added :ref:`per_endpoint_stats') },
  { kind: 'field', message: 'envoy.config.route.v3.InternalRedirectPolicy', field: 'response_headers_to_copy', since: '1.29.0', source: changelog('1.29.0', 'internal_redirects', ':ref:`response_headers_to_copy') },
  { kind: 'field', message: 'envoy.extensions.filters.http.ratelimit.v3.RateLimit', field: 'status_on_error', since: '1.29.0', source: changelog('1.29.0', 'ratelimit', 'Ratelimit supports setting the HTTP status') },
  { kind: 'field', message: 'envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager', field: 'append_local_overload', since: '1.30.0', source: changelog('1.30.0', 'overload', '``x-envoy-local-overloaded`` header') },
  { kind: 'field', message: 'envoy.config.core.v3.HealthCheck', field: 'always_log_health_check_success', since: '1.30.0', source: changelog('1.30.0', 'health_checks', 'health check logs on each successful health check') },
  { kind: 'field', message: 'envoy.extensions.filters.http.cors.v3.CorsPolicy', field: 'forward_not_matching_preflights', since: '1.30.0', source: changelog('1.30.0', 'cors', 'forward_not_matching_preflights') },
  { kind: 'field', message: 'envoy.config.route.v3.RouteAction.RequestMirrorPolicy', field: 'disable_shadow_host_suffix_append', since: '1.31.0', source: changelog('1.31.0', 'http', 'Added :ref:`disable_shadow_host_suffix_append') },
  { kind: 'field', message: 'envoy.config.core.v3.SchemeHeaderTransformation', field: 'match_upstream', since: '1.31.0', source: changelog('1.31.0', 'http', 'Added field :ref:`match_upstream') },
  { kind: 'field', message: 'envoy.config.cluster.v3.OutlierDetection', field: 'always_eject_one_host', since: '1.31.0', source: changelog('1.31.0', 'outlier detection', 'Added :ref:`always_eject_one_host') },
  { kind: 'field', message: 'envoy.config.listener.v3.Listener', field: 'bypass_overload_manager', since: '1.31.0', source: changelog('1.31.0', 'listener', 'Added :ref:`bypass_overload_manager') },
  { kind: 'field', message: 'envoy.config.endpoint.v3.LocalityLbEndpoints', field: 'metadata', since: '1.31.0', source: changelog('1.31.0', 'upstream', 'Added a new field to ``LocalityLbEndpoints``') },
  { kind: 'field', message: 'envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit', field: 'local_cluster_rate_limit', since: '1.31.0', source: changelog('1.31.0', 'local_rate_limit', 'Added support for :ref:`local cluster rate limit') },
]
