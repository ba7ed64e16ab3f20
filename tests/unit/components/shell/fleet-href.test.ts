import { describe, expect, it } from 'vitest'
import { sectionHref, sectionOf, switchFleetHref } from '../../../../components/shell/fleet-href'
import { resolveCurrentFleet } from '../../../../components/shell/resolve-fleet'
import { parseThemeChoice } from '../../../../components/shell/theme'

describe('switchFleetHref: switching fleet keeps the section', () => {
  it.each([
    ['/fleets/a/versions', '', '/fleets/b/versions'],
    ['/fleets/a/versions/3', '', '/fleets/b/versions'],
    ['/fleets/a/versions/diff', 'from=1&to=2', '/fleets/b/versions'],
    ['/fleets/a/resources/clusters', '', '/fleets/b/resources/clusters'],
    ['/fleets/a/resources/clusters/backend', '', '/fleets/b/resources/clusters'],
    ['/fleets/a/changes', '', '/fleets/b/changes'],
    ['/fleets/a', '', '/fleets/b'],
    ['/proxies', 'fleet=a&state=NACKED', '/proxies?fleet=b&state=NACKED'],
    ['/proxies', '', '/proxies?fleet=b'],
    ['/proxies/front-1', '', '/proxies?fleet=b'],
    ['/audit', 'fleet=a&action=token.*', '/audit?fleet=b&action=token.*'],
    ['/settings/users', '', '/?fleet=b'],
    ['/', '', '/?fleet=b'],
    ['/', 'fleet=a', '/?fleet=b'],
  ])('%s?%s → %s', (pathname, search, expected) => {
    expect(switchFleetHref(pathname, search, 'b')).toBe(expected)
  })
})

describe('sections', () => {
  it('links each section of a fleet', () => {
    expect(['overview', 'resources', 'changes', 'versions', 'proxies'].map((s) => sectionHref(s as never, 'edge'))).toEqual([
      '/?fleet=edge',
      '/fleets/edge/resources/listeners',
      '/fleets/edge/changes',
      '/fleets/edge/versions',
      '/proxies?fleet=edge',
    ])
    expect(sectionHref('proxies', null)).toBe('/proxies')
  })

  it('tells the section of a path', () => {
    expect(sectionOf('/')).toBe('overview')
    expect(sectionOf('/proxies/x')).toBe('proxies')
    expect(sectionOf('/fleets/edge/resources/routes/r1')).toBe('resources')
    expect(sectionOf('/fleets/edge/versions')).toBe('versions')
    expect(sectionOf('/fleets/edge/topology')).toBe('topology')
    expect(sectionHref('topology', 'edge')).toBe('/fleets/edge/topology')
    expect(sectionOf('/elsewhere')).toBeNull()
  })
})

describe('resolveCurrentFleet', () => {
  const fleets = [{ name: 'a' }, { name: 'b' }]
  it('prefers the route segment, then ?fleet=, then the last used fleet, then the first', () => {
    expect(resolveCurrentFleet({ routeFleet: 'x', searchFleet: 'b', lastFleet: 'b', fleets })).toBe('x')
    expect(resolveCurrentFleet({ routeFleet: null, searchFleet: 'b', lastFleet: 'a', fleets })).toBe('b')
    expect(resolveCurrentFleet({ routeFleet: null, searchFleet: null, lastFleet: 'b', fleets })).toBe('b')
    expect(resolveCurrentFleet({ routeFleet: null, searchFleet: '', lastFleet: null, fleets })).toBe('a')
  })

  it('forgets a remembered fleet that no longer exists, and knows nothing without fleets', () => {
    expect(resolveCurrentFleet({ routeFleet: null, searchFleet: null, lastFleet: 'gone', fleets })).toBe('a')
    expect(resolveCurrentFleet({ routeFleet: null, searchFleet: null, lastFleet: 'b', fleets: undefined })).toBe('b')
    expect(resolveCurrentFleet({ routeFleet: null, searchFleet: null, lastFleet: null, fleets: [] })).toBeNull()
  })
})

describe('parseThemeChoice', () => {
  it('defaults to the system theme', () => {
    expect(parseThemeChoice('dark')).toBe('dark')
    expect(parseThemeChoice('light')).toBe('light')
    expect(parseThemeChoice(null)).toBe('system')
    expect(parseThemeChoice('purple')).toBe('system')
  })
})
