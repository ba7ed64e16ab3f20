import type protobuf from 'protobufjs'
import { encodeMessage, messageNameOfTypeUrl } from '../config/proto-json'
import type { JsonValue } from '../config/resource-types'
import { buildClientConfig, matchesString, type ClientStatusRequest, type ClientStatusResponse } from '../status/csds'
import { can, proxyTokenAllows } from '../access/principal'
import { LegationError } from '../errors'
import type { AuthService } from './auth'
import type { CallerServices } from './index'

/**
 * CSDS from the status every replica writes: connected proxies (optionally filtered by node id
 * matchers), each with what was last sent per resource. Resource contents come from the config dump,
 * so sealed private keys stay redacted here too. Node metadata matchers are not supported yet.
 */
export async function answerClientStatus(options: { services: CallerServices; root: protobuf.Root; request: ClientStatusRequest }): Promise<ClientStatusResponse> {
  const { services, root, request } = options
  const matchers = request.node_matchers ?? []
  const proxies = (await services.proxies.list({})).filter((p) => p.state !== 'DISCONNECTED' && (matchers.length === 0 || matchers.some((m) => matchesString(m.node_id, p.nodeId))))
  const config = await Promise.all(
    proxies.map(async (proxy) => {
      if (request.exclude_resource_contents) return buildClientConfig(proxy, () => null)
      const { configDump } = await services.proxies.get(proxy.nodeId)
      const bytes = new Map<string, Uint8Array>()
      for (const entry of configDump) {
        const messageName = messageNameOfTypeUrl(entry.typeUrl)
        if (!messageName) continue
        for (const r of entry.resources) bytes.set(`${entry.typeUrl}\n${r.name}`, encodeMessage(root, messageName, r.resource as JsonValue))
      }
      return buildClientConfig(proxy, (typeUrl, name) => bytes.get(`${typeUrl}\n${name}`) ?? null)
    }),
  )
  return { config }
}

/** The bearer token of gRPC `authorization` metadata, as a principal (null: none given or not valid). */
async function tokenPrincipal(auth: AuthService, authorization: string | undefined) {
  const secret = authorization ? /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1] : undefined
  return secret ? auth.authenticateToken(secret) : null
}

/** CSDS shows every proxy's config: only to an admin API token (`authorization: Bearer <token>` metadata). */
export async function requireCsdsAdmin(auth: AuthService, authorization: string | undefined) {
  const principal = await tokenPrincipal(auth, authorization)
  if (!principal) throw new LegationError('AUTH.UNAUTHENTICATED', 'CSDS needs an admin API token: send metadata authorization: Bearer <token>')
  if (!can(principal, 'admin', null)) throw new LegationError('AUTH.FORBIDDEN', `token '${principal.name}' is not an admin on every fleet; CSDS shows every proxy's config`)
  return principal
}

/** With LEGATION_XDS_AUTH=token: the stream must carry a proxy token for the fleet it lands in. */
export async function checkProxyToken(auth: AuthService, authorization: string | undefined, fleet: string): Promise<{ code: 'UNAUTHENTICATED' | 'PERMISSION_DENIED'; message: string } | null> {
  const principal = await tokenPrincipal(auth, authorization)
  if (!principal) return { code: 'UNAUTHENTICATED', message: 'this server requires a proxy token: send metadata authorization: Bearer <proxy token of the fleet>' }
  if (!proxyTokenAllows(principal, fleet)) return { code: 'PERMISSION_DENIED', message: `token '${principal.name}' is not a proxy token for fleet '${fleet}'` }
  return null
}
