import type { JsonValue } from '@/server/contract'

/** Helpers for reading and rebuilding canonical Envoy JSON without losing the fields a form does not edit. */
export type JsonObject = { readonly [key: string]: JsonValue }
export type MutableJsonObject = { [key: string]: JsonValue }

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The value if it is an object, else `{}`: the base to merge into. */
export function obj(value: unknown): JsonObject {
  return isObject(value) ? value : {}
}

export function arr(value: unknown): readonly JsonValue[] {
  return Array.isArray(value) ? (value as readonly JsonValue[]) : []
}

export function str(value: unknown): string {
  return typeof value === 'string' ? value : ''
}

/** Numbers (and UInt32Value wrappers, which proto3 JSON writes as plain numbers) as form text. */
export function numText(value: unknown): string {
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : typeof value === 'string' && /^\d+$/.test(value) ? value : ''
}

/** A copy of `o` with `key` set, or removed when `value` is undefined. Key order is kept. */
export function setKey(o: JsonObject, key: string, value: JsonValue | undefined): JsonObject {
  const out: MutableJsonObject = { ...o }
  if (value === undefined) delete out[key]
  else out[key] = value
  return out
}

export function omit(o: JsonObject, ...keys: string[]): JsonObject {
  const out: MutableJsonObject = { ...o }
  for (const key of keys) delete out[key]
  return out
}

/** Form text → number, or undefined for an empty field. */
export function toNumber(text: string): number | undefined {
  const t = text.trim()
  return t === '' ? undefined : Number(t)
}

/** Form text → string, or undefined for an empty field. */
export function toText(text: string): string | undefined {
  const t = text.trim()
  return t === '' ? undefined : t
}

/**
 * Sets a field that has a proto3 default (STATIC, ROUND_ROBIN…) without adding it to a resource that
 * left it out: saving an untouched form must give back the same resource.
 */
export function setWithDefault(o: JsonObject, key: string, value: string, defaultValue: string): JsonObject {
  if (value === defaultValue && !(key in o)) return o
  return setKey(o, key, value)
}

/** Drops `key` when its object ended up empty (an empty `retry_policy: {}` means something else to Envoy than none). */
export function dropIfEmpty(o: JsonObject, key: string): JsonObject {
  const v = o[key]
  return isObject(v) && Object.keys(v).length === 0 ? omit(o, key) : o
}

export const ADS_CONFIG_SOURCE: JsonObject = { ads: {}, resource_api_version: 'V3' }

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]))
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a)
    const kb = Object.keys(b)
    return ka.length === kb.length && ka.every((k) => k in b && deepEqual(a[k], b[k]))
  }
  return false
}
