import { deriveTypeState, type ConnectionStatus, type TypeStatus } from '../contract/proxy-state'

/**
 * The proxy status in the shape of Envoy's Client Status Discovery Service (envoy.service.status.v3),
 * so existing CSDS tooling can read it. Pure: resource bytes come from `encoded`.
 */
export type StringMatcherInput = Readonly<{ exact?: string; prefix?: string; suffix?: string; contains?: string; safe_regex?: { regex?: string } | null; ignore_case?: boolean }>

export function matchesString(m: StringMatcherInput | null | undefined, value: string): boolean {
  if (!m) return true
  const v = m.ignore_case ? value.toLowerCase() : value
  const norm = (s: string) => (m.ignore_case ? s.toLowerCase() : s)
  if (m.exact) return v === norm(m.exact)
  if (m.prefix) return v.startsWith(norm(m.prefix))
  if (m.suffix) return v.endsWith(norm(m.suffix))
  if (m.contains) return v.includes(norm(m.contains))
  if (m.safe_regex?.regex) return new RegExp(`^(?:${m.safe_regex.regex})$`).test(value)
  return true
}

type Any = { type_url: string; value: Uint8Array }
type Timestamp = { seconds: string; nanos: number }

export type GenericXdsConfig = {
  type_url: string
  name: string
  version_info: string
  xds_config: Any | null
  last_updated: Timestamp | null
  config_status: 'SYNCED' | 'NOT_SENT' | 'STALE' | 'ERROR'
  client_status: 'REQUESTED' | 'ACKED' | 'NACKED'
  error_state: { details: string; version_info: string; last_update_attempt: Timestamp | null } | null
}

export type ClientConfig = { node: { id: string; cluster: string; user_agent_name: string; user_agent_version: string }; generic_xds_configs: GenericXdsConfig[]; client_scope: string }

function timestamp(iso: string | undefined): Timestamp | null {
  if (!iso) return null
  const ms = Date.parse(iso)
  return { seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1_000_000 }
}

function configsOfType(t: TypeStatus, encoded: (typeUrl: string, name: string) => Uint8Array | null): GenericXdsConfig[] {
  const state = deriveTypeState(t)
  const configStatus = state === 'NACKED' ? 'ERROR' : state
  const clientStatus = state === 'NACKED' ? 'NACKED' : state === 'SYNCED' ? 'ACKED' : 'REQUESTED'
  const errorState = t.lastNack ? { details: t.lastNack.message, version_info: t.lastNack.version, last_update_attempt: timestamp(t.lastNack.at) } : null
  // One entry per resource, as Envoy reports them; a type with nothing sent yet gets one entry per subscribed name.
  const names = t.resourceNames.length > 0 ? t.resourceNames : t.names
  return names.map((name) => {
    const value = encoded(t.typeUrl, name)
    return {
      type_url: t.typeUrl,
      name,
      version_info: t.versionSent ?? '',
      xds_config: value ? { type_url: t.typeUrl, value } : null,
      last_updated: timestamp(t.ackedAt ?? t.lastSendAt),
      config_status: configStatus,
      client_status: clientStatus,
      error_state: state === 'NACKED' ? errorState : null,
    }
  })
}

export function buildClientConfig(proxy: ConnectionStatus, encoded: (typeUrl: string, name: string) => Uint8Array | null): ClientConfig {
  return {
    node: { id: proxy.nodeId, cluster: proxy.nodeCluster, user_agent_name: proxy.userAgentName, user_agent_version: proxy.userAgentVersion },
    generic_xds_configs: Object.values(proxy.types).flatMap((t) => configsOfType(t, encoded)),
    client_scope: '',
  }
}

/** ClientStatusRequest as proto-loader decodes it (keepCase, defaults). */
export type ClientStatusRequest = Readonly<{ node_matchers: ReadonlyArray<{ node_id?: StringMatcherInput | null }>; exclude_resource_contents: boolean }>
export type ClientStatusResponse = { config: ClientConfig[] }
