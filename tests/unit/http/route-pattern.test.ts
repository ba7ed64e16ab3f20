import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { listApiRoutePatterns, matchRoutePattern, toRoutePatterns } from '@/server/http/route-pattern'
import { metricsAuthorized } from '@/server/http/metrics'

const PATTERNS = toRoutePatterns([
  '/api/v1/fleets',
  '/api/v1/fleets/[fleet]',
  '/api/v1/fleets/[fleet]/draft/[type]',
  '/api/v1/fleets/[fleet]/draft/check',
  '/api/v1/fleets/[fleet]/draft/[type]/[name]',
  '/api/v1/proxies/[node]',
  '/api/v1/proxies/summary',
])

describe('the route pattern of an API path (a metric label, never the raw path)', () => {
  it.each([
    ['/api/v1/fleets', '/api/v1/fleets'],
    ['/api/v1/fleets/edge', '/api/v1/fleets/[fleet]'],
    ['/api/v1/fleets/edge?x=1', '/api/v1/fleets/[fleet]'],
    ['/api/v1/fleets/edge/draft/clusters/backend', '/api/v1/fleets/[fleet]/draft/[type]/[name]'],
    // A static segment wins over a dynamic one, as in the App Router, wherever the dynamic one sits.
    ['/api/v1/fleets/edge/draft/check', '/api/v1/fleets/[fleet]/draft/check'],
    ['/api/v1/fleets/edge/draft/clusters', '/api/v1/fleets/[fleet]/draft/[type]'],
    ['/api/v1/proxies/summary', '/api/v1/proxies/summary'],
    ['/api/v1/proxies/node-7', '/api/v1/proxies/[node]'],
    // A fleet named like a static segment is still a fleet.
    ['/api/v1/fleets/check', '/api/v1/fleets/[fleet]'],
  ])('%s → %s', (pathname, pattern) => {
    expect(matchRoutePattern(PATTERNS, pathname)).toBe(pattern)
  })

  it.each(['/api/v1/nope', '/api/v1/fleets/edge/versions', '/api/v1/fleets/edge/draft/clusters/backend/extra', '/'])('%s matches nothing', (pathname) => {
    expect(matchRoutePattern(PATTERNS, pathname)).toBeNull()
  })

  it('lists the app’s own route folders, so every real route has its pattern', async () => {
    const found = await listApiRoutePatterns(path.resolve(import.meta.dirname, '../../../app/api'))
    expect(found).toContain('/api/v1/fleets/[fleet]/commit')
    expect(found).toContain('/api/v1/fleets/[fleet]/versions/[number]/rollout')
    expect(found).toContain('/api/v1/proxies/summary')
    expect(found.every((p) => p.startsWith('/api/') && !p.includes('route.ts') && !p.includes('('))).toBe(true)
    const patterns = toRoutePatterns(found)
    expect(matchRoutePattern(patterns, '/api/v1/fleets/edge/versions/3/rollout')).toBe('/api/v1/fleets/[fleet]/versions/[number]/rollout')
  })
})

describe('the metrics token', () => {
  it('is not needed when unset', () => {
    expect(metricsAuthorized(undefined, undefined)).toBe(true)
    expect(metricsAuthorized('Bearer anything', undefined)).toBe(true)
  })

  it('when set, only Authorization: Bearer <that token> passes', () => {
    const token = 'metrics-token-0123456789'
    expect(metricsAuthorized(`Bearer ${token}`, token)).toBe(true)
    expect(metricsAuthorized(`bearer  ${token}`, token)).toBe(true)
    expect(metricsAuthorized(undefined, token)).toBe(false)
    expect(metricsAuthorized(token, token)).toBe(false)
    expect(metricsAuthorized(`Basic ${token}`, token)).toBe(false)
    expect(metricsAuthorized(`Bearer ${token}x`, token)).toBe(false)
    expect(metricsAuthorized(`Bearer ${token.slice(0, -1)}`, token)).toBe(false)
    expect(metricsAuthorized('Bearer ', token)).toBe(false)
  })
})
