import { createHash, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { getMetrics, renderMetrics } from '../metrics'
import { matchRoutePattern, type RoutePattern } from './route-pattern'

/**
 * GET /metrics, answered by the custom server before Next (like /healthz). Metrics name fleets and
 * count proxies, streams and requests; they carry no config, secret, node id or user. So, like
 * /healthz, the endpoint is open to whoever reaches the HTTP port, unless LEGATION_METRICS_TOKEN is
 * set: then only `Authorization: Bearer <that token>` reads it (docs/security.md).
 */
export function metricsAuthorized(authorization: string | undefined, token: string | undefined): boolean {
  if (token === undefined) return true
  const match = /^Bearer\s+(.+)$/i.exec(authorization ?? '')
  if (!match) return false
  // Compare digests: equal lengths, and no early exit on the first differing byte.
  const digest = (s: string) => createHash('sha256').update(s).digest()
  return timingSafeEqual(digest(match[1]!.trim()), digest(token))
}

export async function serveMetrics(req: IncomingMessage, res: ServerResponse, options: { token: string | undefined }): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' })
    res.end('method not allowed\n')
    return
  }
  if (!metricsAuthorized(req.headers.authorization, options.token)) {
    res.writeHead(401, { 'www-authenticate': 'Bearer realm="metrics"', 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' })
    res.end('send Authorization: Bearer <LEGATION_METRICS_TOKEN>\n')
    return
  }
  const { contentType, body } = await renderMetrics()
  res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' })
  res.end(req.method === 'HEAD' ? undefined : body)
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])

/** A path outside every route pattern (a typo, a scan) is one series, not one per path. */
export const UNMATCHED_ROUTE = 'unmatched'

/**
 * Times one /api request from its arrival here to the end of its answer, labelled with the route
 * pattern. Event streams (text/event-stream) live for minutes by design and are left out.
 */
export function observeApiRequest(req: IncomingMessage, res: ServerResponse, patterns: readonly RoutePattern[]): void {
  const stop = getMetrics().apiRequest.startTimer()
  res.once('finish', () => {
    if (String(res.getHeader('content-type') ?? '').startsWith('text/event-stream')) return
    stop({ method: METHODS.has(req.method ?? '') ? req.method! : 'other', route: matchRoutePattern(patterns, req.url ?? '/') ?? UNMATCHED_ROUTE, status: String(res.statusCode) })
  })
}
