import { nodeMetadataStrings } from '../../config/fleet-match'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type protobuf from 'protobufjs'
import { proxyTokenAllows, type Principal } from '../../access/principal'
import type { SnapshotCache } from '../../cache/snapshot-cache'
import type { FleetMatch } from '../../config/fleet-match'
import { decodeMessage, messageNameOfTypeUrl, readProtoJson } from '../../config/proto-json'
import type { JsonValue } from '../../config/resource-types'
import { checkNodeLimits, type BoundedNode } from '../../xds/node-limits'
import { subscribedResources, subscriptionOf } from '../../xds/subscription'
import { CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, CLUSTER_TYPE_URL, LISTENER_TYPE_URL, ROUTE_CONFIGURATION_TYPE_URL, SECRET_TYPE_URL, type XdsTypeUrl } from '../../xds-types/type-urls'

/**
 * REST-JSON xDS (`POST /v3/discovery:<type>`), as Envoy's `api_config_source { api_type: REST }`
 * polls it: a JSON DiscoveryRequest in, a JSON DiscoveryResponse out, or 304 Not Modified when the
 * client's version_info is current. Stateless: each poll is answered from the fleet's snapshot.
 */
export const REST_PATHS: Readonly<Record<string, XdsTypeUrl>> = {
  '/v3/discovery:listeners': LISTENER_TYPE_URL,
  '/v3/discovery:routes': ROUTE_CONFIGURATION_TYPE_URL,
  '/v3/discovery:clusters': CLUSTER_TYPE_URL,
  '/v3/discovery:endpoints': CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
  '/v3/discovery:secrets': SECRET_TYPE_URL,
}

export type RestGatewayDeps = Readonly<{
  root: protobuf.Root
  cache: SnapshotCache
  resolveFleet: (node: { id: string; cluster: string }) => FleetMatch
  controlPlaneId: string
  maxBodyBytes: number
  /** `open`: listeners, routes, clusters and endpoints to anyone who can reach the port; `token`: only to proxy tokens. Secrets always need one. */
  restAuth: 'open' | 'token'
  /** The principal of a bearer token (null: unknown, revoked or expired). */
  authenticateToken: (secret: string) => Promise<Principal | null>
}>

type RequestJson = { version_info?: string; node?: BoundedNode & { id?: string; cluster?: string }; resource_names?: string[]; type_url?: string }

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
  res.end(JSON.stringify(body))
}

function sendError(res: ServerResponse, status: number, code: string, message: string, issues: ReadonlyArray<{ path: string; message: string }> = []): void {
  sendJson(res, status, { error: { code, message, issues } })
}

async function readText(req: IncomingMessage, maxBytes: number): Promise<string | null> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > maxBytes) return null
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/**
 * Handles the request if its path is a discovery path; returns false otherwise. A `/v3/discovery:`
 * path of a type this server does not serve is answered 404 at once: leaving it to the caller left
 * it unanswered, holding the socket (#16 item 10).
 */
export async function handleRestDiscovery(deps: RestGatewayDeps, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const path = (req.url ?? '').split('?')[0] ?? ''
  const typeUrl = REST_PATHS[path]
  if (!typeUrl && path.startsWith('/v3/discovery:')) {
    return sendError(res, 404, 'XDS.UNKNOWN_PATH', `no discovery service at this path; use one of ${Object.keys(REST_PATHS).join(', ')}`), true
  }
  if (!typeUrl) return false
  if (req.method !== 'POST') {
    res.setHeader('allow', 'POST')
    sendError(res, 405, 'REQUEST.METHOD', `${path} accepts POST with a JSON DiscoveryRequest`)
    return true
  }
  // Secrets (private keys) go only to a proxy that proved who it is; the other types per LEGATION_XDS_REST_AUTH.
  let principal: Principal | null = null
  // An empty header carries no credentials: the same as none.
  const authorization = req.headers.authorization?.trim()
  if (authorization) {
    const secret = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1]
    principal = secret ? await deps.authenticateToken(secret) : null
    if (!principal) return sendError(res, 401, 'AUTH.UNAUTHENTICATED', 'the bearer token is unknown, revoked or expired (send Authorization: Bearer <proxy token>)'), true
    if (principal.kind !== 'proxy-token') return sendError(res, 403, 'AUTH.FORBIDDEN', 'discovery takes a proxy token (kind proxy), not an API token'), true
  } else if (typeUrl === SECRET_TYPE_URL || deps.restAuth === 'token') {
    const what = typeUrl === SECRET_TYPE_URL ? 'secrets are served only to an authenticated proxy' : 'this server serves discovery only to authenticated proxies (LEGATION_XDS_REST_AUTH=token)'
    res.setHeader('www-authenticate', 'Bearer')
    return sendError(res, 401, 'AUTH.UNAUTHENTICATED', `${what}: send Authorization: Bearer <proxy token of the fleet>`), true
  }
  const text = await readText(req, deps.maxBodyBytes)
  if (text === null) return sendError(res, 413, 'REQUEST.TOO_LARGE', `request body is larger than ${deps.maxBodyBytes} bytes`), true
  let body: unknown
  try {
    body = text.trim() === '' ? {} : (JSON.parse(text) as unknown)
  } catch (err) {
    return sendError(res, 400, 'REQUEST.BAD_BODY', `malformed JSON: ${(err as Error).message}`), true
  }
  const parsed = readProtoJson(deps.root, 'envoy.service.discovery.v3.DiscoveryRequest', body)
  if (parsed.issues.length > 0 || parsed.value === null) {
    return sendError(res, 400, 'REQUEST.INVALID', `not a valid DiscoveryRequest: ${parsed.issues[0]?.path ?? ''} ${parsed.issues[0]?.message ?? ''}`.trim(), parsed.issues), true
  }
  const request = parsed.value as RequestJson
  if (request.type_url && request.type_url !== typeUrl) {
    return sendError(res, 400, 'REQUEST.INVALID', `type_url ${request.type_url} does not match ${path} (${typeUrl})`, [{ path: 'type_url', message: 'does not match the path' }]), true
  }
  if (!request.node?.id) return sendError(res, 400, 'REQUEST.INVALID', 'missing node information: the DiscoveryRequest must carry node.id', [{ path: 'node.id', message: 'required' }]), true
  // The same bounds as a gRPC stream's first request (#16 item 7).
  const over = checkNodeLimits(request.node)
  if (over) return sendError(res, 400, 'REQUEST.INVALID', over.details, [{ path: over.field, message: `at most ${over.limit} bytes` }]), true
  const match = deps.resolveFleet({ id: request.node.id, cluster: request.node.cluster ?? '' })
  if ('refused' in match) return sendError(res, 503, 'XDS.NO_FLEET', match.refused), true
  if (principal && !proxyTokenAllows(principal, match.fleet)) return sendError(res, 403, 'AUTH.FORBIDDEN', `proxy token '${principal.name}' is not for fleet '${match.fleet}'`), true
  const snapshot = deps.cache.get(match.fleet, { id: request.node.id, metadata: nodeMetadataStrings(request.node.metadata) })
  const type = snapshot?.types.get(typeUrl)
  if (!snapshot || !type) return sendError(res, 503, 'XDS.NOT_READY', `fleet '${match.fleet}' has no committed version yet`), true

  if (request.version_info === type.version) {
    res.writeHead(304, { 'cache-control': 'no-store' })
    res.end()
    return true
  }
  const messageName = messageNameOfTypeUrl(typeUrl)!
  const subscribed = subscribedResources(type, subscriptionOf(typeUrl, request.resource_names ?? [], undefined))
  // Private keys inline in a Cluster's or Listener's TLS context are as secret as a Secret's.
  if (!principal && subscribed.some((r) => r.sensitive)) {
    res.setHeader('www-authenticate', 'Bearer')
    const names = subscribed.filter((r) => r.sensitive).map((r) => r.name)
    return sendError(res, 401, 'AUTH.UNAUTHENTICATED', `${names.join(', ')} carr${names.length === 1 ? 'ies' : 'y'} private key material, served only to an authenticated proxy: send Authorization: Bearer <proxy token of the fleet>`), true
  }
  const resources = subscribed.map(
    (r) => ({ '@type': typeUrl, ...(decodeMessage(deps.root, messageName, r.any.value) as Record<string, JsonValue>) }),
  )
  sendJson(res, 200, { version_info: type.version, resources, type_url: typeUrl, nonce: '', control_plane: { identifier: deps.controlPlaneId } })
  return true
}
