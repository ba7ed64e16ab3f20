/**
 * Reading and rewriting Envoy config as the user wrote it (before validation): plain JSON values,
 * field names in snake_case or lowerCamelCase (proto3 JSON accepts both, and so does Envoy).
 */
export type Obj = { [key: string]: unknown }

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

const camel = (snake: string) => snake.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase())

/** The key `snake` has in `o`: as written in snake_case, else in lowerCamelCase, else the snake_case one (absent). */
export function keyOf(o: Obj, snake: string): string {
  if (snake in o) return snake
  const c = camel(snake)
  return c in o ? c : snake
}

export const get = (o: Obj, snake: string): unknown => o[keyOf(o, snake)]
export const getObj = (o: Obj, snake: string): Obj | undefined => {
  const v = get(o, snake)
  return isObj(v) ? v : undefined
}
export const getArray = (o: Obj, snake: string): unknown[] => {
  const v = get(o, snake)
  return Array.isArray(v) ? v : []
}
export const getString = (o: Obj, snake: string): string | undefined => {
  const v = get(o, snake)
  return typeof v === 'string' ? v : undefined
}

/** `o` without the field `snake` (in either spelling). */
export function without(o: Obj, ...snakes: string[]): Obj {
  const drop = new Set(snakes.flatMap((s) => [s, camel(s)]))
  return Object.fromEntries(Object.entries(o).filter(([k]) => !drop.has(k)))
}

const PLAIN_KEY = /^[A-Za-z_@][A-Za-z0-9_@]*$/

/** joinPath's style, with keys that are not plain (`envoy.filters.http.cors`) quoted: `typed_per_filter_config["envoy.filters.http.cors"]`. */
export function at(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`
  if (!PLAIN_KEY.test(key)) return `${base}[${JSON.stringify(key)}]`
  return base === '' ? key : `${base}.${key}`
}

/** Canonical text of a value (keys sorted), to tell identical parts from different ones. */
export function sameJson(a: unknown, b: unknown): boolean {
  return stableText(a) === stableText(b)
}

function stableText(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableText).join(',')}]`
  if (isObj(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stableText(v[k])}`).join(',')}}`
  return JSON.stringify(v) ?? 'null'
}

/**
 * A path of `at`'s style back into its segments: `a.b[0].c` → ['a', 'b', 0, 'c']; a quoted segment
 * (`typed_per_filter_config["envoy.filters.http.cors"]`) is one key, dots and all.
 */
export function splitPath(path: string): Array<string | number> {
  return [...path.matchAll(/\["((?:[^"\\]|\\.)*)"\]|\[(\d+)\]|([^.[\]]+)/g)].map((m) => (m[1] !== undefined ? (JSON.parse(`"${m[1]}"`) as string) : m[2] !== undefined ? Number(m[2]) : m[3]!))
}
