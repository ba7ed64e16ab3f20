import { describe, expect, it } from 'vitest'
import { matchesProxySearch, parseProxyFilters, proxiesHref, proxyHref } from '../../../../components/proxies/filters'
import { proxySummary } from './fixtures'

describe('proxy filters in the URL', () => {
  it('reads ?fleet=, ?state= and ?onActive=, ignoring values the API does not know', () => {
    expect(parseProxyFilters(new URLSearchParams('fleet=edge&state=NACKED'))).toEqual({ fleet: 'edge', state: 'NACKED', onActive: null })
    expect(parseProxyFilters(new URLSearchParams('state=nacked'))).toEqual({ fleet: null, state: null, onActive: null })
    expect(parseProxyFilters(null)).toEqual({ fleet: null, state: null, onActive: null })
    expect(parseProxyFilters(new URLSearchParams('fleet=edge&onActive=false'))).toEqual({ fleet: 'edge', state: null, onActive: false })
    expect(parseProxyFilters(new URLSearchParams('onActive=true')).onActive).toBe(true)
    expect(parseProxyFilters(new URLSearchParams('onActive=no')).onActive).toBe(null)
  })

  it('changes one filter and keeps the rest', () => {
    expect(proxiesHref('fleet=edge', { state: 'STALE' })).toBe('/proxies?fleet=edge&state=STALE')
    expect(proxiesHref('fleet=edge&state=STALE', { state: null })).toBe('/proxies?fleet=edge')
    expect(proxiesHref('fleet=edge', { fleet: null })).toBe('/proxies')
  })

  it('writes onActive=false as a filter (false is not “no filter”), and null removes it', () => {
    expect(proxiesHref('fleet=edge', { onActive: false })).toBe('/proxies?fleet=edge&onActive=false')
    expect(proxiesHref('fleet=edge&onActive=false', { state: 'NACKED' })).toBe('/proxies?fleet=edge&onActive=false&state=NACKED')
    expect(proxiesHref('fleet=edge&onActive=false', { onActive: null })).toBe('/proxies?fleet=edge')
    expect(proxiesHref('', { onActive: true })).toBe('/proxies?onActive=true')
  })

  it('encodes node ids in detail links', () => {
    expect(proxyHref('sidecar~10.0.0.1~pod/ns')).toBe('/proxies/sidecar~10.0.0.1~pod%2Fns')
  })

  it('searches node id, peer, fleet and user agent, ignoring case', () => {
    const p = proxySummary('Front-1', [])
    expect(matchesProxySearch(p, 'front')).toBe(true)
    expect(matchesProxySearch(p, '10.0.0.1')).toBe(true)
    expect(matchesProxySearch(p, 'envoy 1.31')).toBe(true)
    expect(matchesProxySearch(p, 'nothing')).toBe(false)
    expect(matchesProxySearch(p, '  ')).toBe(true)
  })
})
