import { joinPath } from '../issues'
import { asArray, isObject, str, type Finding, type JsonObject } from './finding'
import type { RouteConfigSite } from './http-sites'

// Virtual host domains, as Envoy's RouteMatcher reads them (source/common/router/config_impl.cc):
// lower-cased; '*' alone is the default virtual host; a leading '*' is a suffix wildcard, a trailing
// one a prefix wildcard, anything else an exact host. A value may appear once per route configuration
// ("Only unique values for domains are permitted"). The most specific match wins: exact, then the
// longest suffix wildcard, then the longest prefix wildcard, then '*'.
// https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/route/v3/route_components.proto#config-route-v3-virtualhost

type Domain = Readonly<{ vh: number; vhName: string; index: number; value: string; kind: 'any' | 'suffix' | 'prefix' | 'exact'; stem: string }>

function readDomain(vh: number, vhName: string, index: number, raw: string): Domain {
  const value = raw.toLowerCase()
  if (value === '*') return { vh, vhName, index, value, kind: 'any', stem: '' }
  if (value.startsWith('*')) return { vh, vhName, index, value, kind: 'suffix', stem: value.slice(1) }
  if (value.endsWith('*')) return { vh, vhName, index, value, kind: 'prefix', stem: value.slice(0, -1) }
  return { vh, vhName, index, value, kind: 'exact', stem: value }
}

/** A '*' anywhere but at one end is taken literally: no Host header has one, so the domain never matches. */
const neverMatches = (d: Domain) => d.kind !== 'any' && d.stem.includes('*')

export function checkDomains(sites: readonly RouteConfigSite[]): Finding[] {
  const findings: Finding[] = []
  for (const site of sites) {
    const vhs = asArray(site.rc['virtual_hosts']).map((vh) => (isObject(vh) ? vh : ({} as JsonObject)))
    const domainsPath = (d: Domain) => joinPath(joinPath(joinPath(joinPath(site.path, 'virtual_hosts'), d.vh), 'domains'), d.index)
    const seen = new Map<string, Domain>()
    const wildcards: Domain[] = []
    vhs.forEach((vh, i) => {
      const vhName = str(vh['name']) ?? ''
      let usable = 0
      const domains = asArray(vh['domains']).flatMap((d, k) => (typeof d === 'string' ? [readDomain(i, vhName, k, d)] : []))
      for (const d of domains) {
        const first = seen.get(d.value)
        if (first) {
          const where = first.vh === i ? 'earlier in this virtual host' : `of virtual host '${first.vhName}'`
          findings.push({
            severity: 'error',
            code: 'DOMAIN.DUPLICATE',
            resource: site.owner,
            path: domainsPath(d),
            message: d.kind === 'any' ? `'*' is already the catch-all domain ${where}; only one virtual host may have it, and Envoy refuses the route configuration` : `'${d.value}' is already a domain ${where} (domains compare case-insensitively); Envoy refuses the route configuration`,
          })
          continue
        }
        seen.set(d.value, d)
        if (neverMatches(d)) {
          findings.push({ severity: 'warning', code: 'DOMAIN.NEVER_MATCHES', resource: site.owner, path: domainsPath(d), message: `'${d.value}' never matches: Envoy takes a '*' only as the first or last character (or alone); inside a name it is literal` })
          continue
        }
        usable++
        if (d.kind !== 'suffix' && d.kind !== 'prefix') continue
        // Nested wildcards of other virtual hosts: the longer one takes the hosts both match.
        const other = wildcards.find((w) => w.vh !== i && w.kind === d.kind && (d.kind === 'suffix' ? w.stem.endsWith(d.stem) || d.stem.endsWith(w.stem) : w.stem.startsWith(d.stem) || d.stem.startsWith(w.stem)))
        if (other) {
          const [longer, shorter] = other.stem.length > d.stem.length ? [other, d] : [d, other]
          findings.push({
            severity: 'warning',
            code: 'DOMAIN.WILDCARD_OVERLAP',
            resource: site.owner,
            path: domainsPath(d),
            message: `'${d.value}' overlaps '${other.value}' of virtual host '${other.vhName}': hosts matching both go to virtual host '${longer.vhName}' ('${longer.value}' is the longer wildcard), not to '${shorter.vhName}'`,
          })
        }
        wildcards.push(d)
      }
      if (domains.length > 0 && usable === 0) {
        findings.push({
          severity: 'warning',
          code: 'VIRTUAL_HOST.UNREACHABLE',
          resource: site.owner,
          path: joinPath(joinPath(joinPath(site.path, 'virtual_hosts'), i), 'domains'),
          message: `virtual host '${vhName}' can never be chosen: each of its domains is taken by an earlier virtual host or can never match`,
        })
      }
    })
  }
  return findings
}
