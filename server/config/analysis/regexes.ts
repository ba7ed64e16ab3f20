import { joinPath } from '../issues'
import type { ConfigResource } from '../resource-types'
import { perResource } from '../per-resource'
import { isObject, str, type Finding, type Json } from './finding'
import { re2Error } from './re2'

// Every RE2 regex of a resource: type.matcher.v3.RegexMatcher fields (RouteMatch and StringMatcher
// `safe_regex`, HeaderMatcher `safe_regex_match`) and RegexMatchAndSubstitute (`regex_rewrite`,
// `host_rewrite_path_regex`, or any object with `pattern` and `substitution`). The protos only say
// "a string": Envoy compiles it when the config arrives and NACKs the whole resource if RE2 refuses it.
const MATCHER_KEYS = new Set(['safe_regex', 'safe_regex_match'])
const SUBSTITUTE_KEYS = new Set(['regex_rewrite', 'host_rewrite_path_regex'])

export function checkRegexes(resources: readonly ConfigResource[]): Finding[] {
  return resources.flatMap(regexFindingsOf)
}

/** One resource's findings: remembered per resource object, so an unchanged resource is not walked again. */
const regexFindingsOf = perResource((r: ConfigResource): Finding[] => {
  const findings: Finding[] = []
  const report = (regex: string, path: string) => {
    const error = re2Error(regex)
    if (error !== null) findings.push({ severity: 'error', code: 'REGEX.INVALID', resource: { type: r.type, name: r.name }, path, message: `${JSON.stringify(regex)} is not a valid RE2 regular expression (Envoy's regex engine): ${error}` })
  }
  const visit = (v: Json, path: string, key: string): void => {
    if (Array.isArray(v)) return v.forEach((item, i) => visit(item, joinPath(path, i), key))
    if (!isObject(v)) return
    if (MATCHER_KEYS.has(key) && str(v['regex']) !== undefined) report(v['regex'] as string, joinPath(path, 'regex'))
    const pattern = v['pattern']
    if ((SUBSTITUTE_KEYS.has(key) || 'substitution' in v) && isObject(pattern) && str(pattern['regex']) !== undefined) report(pattern['regex'] as string, joinPath(joinPath(path, 'pattern'), 'regex'))
    for (const [k, child] of Object.entries(v)) if (k !== 'pattern' || !(SUBSTITUTE_KEYS.has(key) || 'substitution' in v)) visit(child, joinPath(path, k), k)
  }
  visit(r.resource, '', '')
  return findings
})
