/** The console's sections and their URLs for one fleet. Pure; shared by the navigation and the fleet switcher. */
export type Section = 'overview' | 'resources' | 'topology' | 'variables' | 'changes' | 'versions' | 'proxies'

const enc = encodeURIComponent

export function sectionHref(section: Section, fleet: string | null): string {
  switch (section) {
    case 'overview':
      return fleet ? `/?${new URLSearchParams({ fleet }).toString()}` : '/'
    case 'resources':
      return fleet ? `/fleets/${enc(fleet)}/resources/listeners` : '/'
    case 'topology':
      return fleet ? `/fleets/${enc(fleet)}/topology` : '/'
    case 'variables':
      return fleet ? `/fleets/${enc(fleet)}/variables` : '/'
    case 'changes':
      return fleet ? `/fleets/${enc(fleet)}/changes` : '/'
    case 'versions':
      return fleet ? `/fleets/${enc(fleet)}/versions` : '/'
    case 'proxies':
      return fleet ? `/proxies?${new URLSearchParams({ fleet }).toString()}` : '/proxies'
  }
}

/** Which section a path belongs to, for the navigation's current item. */
export function sectionOf(pathname: string): Section | null {
  if (pathname === '/') return 'overview'
  if (pathname === '/proxies' || pathname.startsWith('/proxies/')) return 'proxies'
  const m = /^\/fleets\/[^/]+\/(resources|topology|variables|changes|versions)(?:\/|$)/.exec(pathname)
  return m ? (m[1] as Section) : null
}

/**
 * Where switching to `fleet` goes from the current page: the same section of the other fleet, e.g.
 * /fleets/a/versions/3 → /fleets/b/versions and /fleets/a/resources/clusters/x →
 * /fleets/b/resources/clusters. A page about one object (a version, a resource, a proxy) goes to
 * its list, since the object need not exist in the other fleet. Other query parameters stay.
 */
export function switchFleetHref(pathname: string, search: string, fleet: string): string {
  const m = /^\/fleets\/[^/]+(?:\/([^/]+)(?:\/([^/]+))?)?/.exec(pathname)
  if (m) {
    const [, section, sub] = m
    if (!section) return `/fleets/${enc(fleet)}`
    if (section === 'resources' && sub) return `/fleets/${enc(fleet)}/resources/${sub}`
    return `/fleets/${enc(fleet)}/${section}`
  }
  const params = new URLSearchParams(search)
  params.set('fleet', fleet)
  // The lists filtered by fleet (proxies, the audit log) stay, narrowed to the other fleet.
  if (pathname === '/proxies' || pathname === '/audit') return `${pathname}?${params.toString()}`
  if (pathname.startsWith('/proxies/')) return sectionHref('proxies', fleet)
  return sectionHref('overview', fleet)
}
