/**
 * From an API issue path (a proto field path such as
 * `load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.port_value`) to the
 * form field that edits it (`localities.0.endpoints.0.port`). Each form lists its rules; a path no rule
 * knows is shown above the form instead.
 */
export type IssueRule = Readonly<{ pattern: RegExp; field: (match: RegExpExecArray) => string }>

/**
 * `pattern` is a regular expression source matched from the start of the path; it also matches
 * deeper paths below it (`connect_timeout.seconds` belongs to the `connect_timeout` field).
 */
export function rule(pattern: string, field: string | ((m: RegExpExecArray) => string)): IssueRule {
  return { pattern: new RegExp(`^${pattern}(?:$|[.[])`), field: typeof field === 'string' ? () => field : field }
}

export function fieldForIssue(rules: readonly IssueRule[], path: string): string | null {
  for (const r of rules) {
    const m = r.pattern.exec(path)
    if (m) return r.field(m)
  }
  return null
}

/** Escapes a literal path prefix for use inside a rule pattern. */
export function literal(path: string): string {
  return path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
