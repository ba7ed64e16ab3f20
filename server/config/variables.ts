import type { ConfigIssue } from './issues'
import { compareResources, resourceKey, type ConfigResource, type JsonValue, type ResourceJson } from './resource-types'

/**
 * Fleet variables (#14 item 4): resources may say `${NAME}` in any string, and in numeric, enum,
 * boolean, duration and wrapper fields given as strings (`port_value: "${SERVICE_PORT}"`). The
 * placeholders stay in the stored draft and versions; they are replaced when the snapshot is built
 * (and when a commit checks what would be built). `$${` writes a literal `${`.
 */
export const VARIABLE_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/
/** A variable's value is text; 64 KiB is plenty for a certificate and keeps a fleet's variables small. */
export const MAX_VARIABLE_VALUE_BYTES = 65_536
export const MAX_VARIABLES_PER_FLEET = 500

const PLACEHOLDER = /\$(\$)?\{([A-Za-z_][A-Za-z0-9_]*)\}/g

/** One variable as a version or the draft holds it; a secret's value is sealed at rest. */
export type VariableValue = Readonly<{ value: string; secret: boolean }>
export type VariableSet = Readonly<Record<string, VariableValue>>

/** Whether a string holds a placeholder to substitute (an escaped `$${…}` does not count). */
export function hasPlaceholder(text: string): boolean {
  for (const m of text.matchAll(PLACEHOLDER)) if (m[1] === undefined) return true
  return false
}

/** The variable names a resource uses, in order of first use. */
export function placeholdersIn(value: JsonValue): string[] {
  const names = new Set<string>()
  visitStrings(value, (text) => {
    for (const m of text.matchAll(PLACEHOLDER)) if (m[1] === undefined) names.add(m[2]!)
  })
  return [...names]
}

function visitStrings(value: JsonValue, visit: (text: string) => void): void {
  if (typeof value === 'string') visit(value)
  else if (Array.isArray(value)) value.forEach((v) => visitStrings(v, visit))
  else if (typeof value === 'object' && value !== null) Object.values(value).forEach((v) => visitStrings(v, visit))
}

export type Substituted = Readonly<{ resource: ConfigResource; issues: ConfigIssue[]; used: ReadonlySet<string> }>

/**
 * Replaces every placeholder of one resource with its variable's value. A name with no variable is
 * an issue at its field (the commit refuses it); the placeholder is then left as it was.
 */
export function substituteResource(resource: ConfigResource, values: ReadonlyMap<string, string>): Substituted {
  const issues: ConfigIssue[] = []
  const used = new Set<string>()
  const key = { type: resource.type, name: resource.name }
  const replaceText = (text: string, path: string): string =>
    text.replace(PLACEHOLDER, (whole, escaped: string | undefined, name: string) => {
      if (escaped !== undefined) return whole.slice(1)
      const value = values.get(name)
      if (value === undefined) {
        issues.push({ code: 'CONFIG.UNKNOWN_VARIABLE', resource: key, path, message: `\${${name}} names no variable of this fleet (or its template); define it, or write $\${${name}} for a literal` })
        return whole
      }
      used.add(name)
      return value
    })
  const walk = (value: JsonValue, path: string): JsonValue => {
    if (typeof value === 'string') return value.includes('${') ? replaceText(value, path) : value
    if (Array.isArray(value)) return value.map((v, i) => walk(v, `${path}[${i}]`))
    if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, path === '' ? k : `${path}.${k}`)]))
    return value
  }
  return { resource: { ...resource, resource: walk(resource.resource, '') as ResourceJson }, issues, used }
}

/**
 * The config a fleet serves: its template's resources (if it has a template) with its own resources
 * over them (same type and name: its own wins), and the template's variables with its own over them.
 */
export function mergeWithTemplate<R extends { type: ConfigResource['type']; name: string }>(
  own: { resources: readonly R[]; variables: VariableSet },
  template: { resources: readonly R[]; variables: VariableSet } | null,
): { resources: R[]; variables: VariableSet } {
  if (!template) return { resources: [...own.resources], variables: own.variables }
  const byKey = new Map<string, R>()
  for (const r of template.resources) byKey.set(resourceKey(r), r)
  for (const r of own.resources) byKey.set(resourceKey(r), r)
  return { resources: [...byKey.values()].sort(compareResources), variables: { ...template.variables, ...own.variables } }
}

/** What is wrong with a variable's name, or null. */
export function checkVariableName(name: string): string | null {
  if (!VARIABLE_NAME_PATTERN.test(name)) return `'${name}' is not a valid variable name (a letter or _, then letters, digits or _; at most 128)`
  return null
}

/** What is wrong with a variable's value, or null. */
export function checkVariableValue(value: string): string | null {
  if (value.includes('\u0000')) return 'a value may not contain NUL characters'
  if (new TextEncoder().encode(value).length > MAX_VARIABLE_VALUE_BYTES) return `a value may be at most ${MAX_VARIABLE_VALUE_BYTES} bytes`
  return null
}

/** One variable's change between two sets; a secret's values are never part of it. */
export type VariableChange = Readonly<{ name: string; change: 'added' | 'removed' | 'modified'; secret: boolean; before: string | null; after: string | null }>

/** `before` → `after`, by name; stored values compare as stored (a secret's sealed text is deterministic). */
export function diffVariables(before: VariableSet, after: VariableSet): VariableChange[] {
  const shown = (v: VariableValue | undefined): string | null => (v === undefined || v.secret ? null : v.value)
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()
  return names.flatMap((name): VariableChange[] => {
    const a = before[name]
    const b = after[name]
    if (a && b && a.value === b.value && a.secret === b.secret) return []
    const change = !a ? 'added' : !b ? 'removed' : 'modified'
    return [{ name, change, secret: (a?.secret ?? false) || (b?.secret ?? false), before: shown(a), after: shown(b) }]
  })
}
