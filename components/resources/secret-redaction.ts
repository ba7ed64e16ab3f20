import type { JsonValue, ResourceJson } from '@/server/contract'

/**
 * Private keys are never shown. The server seals key material at rest and the API only ever shows
 * a `<set:fingerprint>` marker for it (server/config/sealed-values.ts); sending the marker back keeps
 * the stored value. This is the browser's second line: any inline key material that still arrives in
 * clear (a field the server does not seal, such as PKCS#12, or an older server) is replaced by a
 * placeholder for display and editing, and put back on save.
 */
export const REDACTED = '<hidden: leave as is to keep the current value>'

/** What the API shows for a sealed value. */
export const SEALED_MARKER = /^<set:[0-9a-f]{8}>$/

/** DataSource fields that hold key material (envoy.extensions.transport_sockets.tls.v3). */
const SENSITIVE_KEYS = new Set(['private_key', 'password', 'pkcs12', 'secret', 'keys'])
const INLINE_KEYS = new Set(['inline_string', 'inline_bytes'])

type Json = JsonValue
type JsonObject = { readonly [key: string]: Json }

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function hideDataSource(v: Json): Json {
  if (Array.isArray(v)) return v.map(hideDataSource)
  if (!isObject(v)) return v
  return Object.fromEntries(Object.entries(v).map(([k, child]) => [k, INLINE_KEYS.has(k) && !(typeof child === 'string' && SEALED_MARKER.test(child)) ? REDACTED : child]))
}

function redact(v: Json): Json {
  if (Array.isArray(v)) return v.map(redact)
  if (!isObject(v)) return v
  return Object.fromEntries(Object.entries(v).map(([k, child]) => [k, SENSITIVE_KEYS.has(k) ? hideDataSource(child) : redact(child)]))
}

export function redactSecret(secret: ResourceJson): ResourceJson {
  return redact(secret) as ResourceJson
}

/** True when any key material is present (and so hidden). */
export function hasHiddenValues(secret: ResourceJson): boolean {
  return JSON.stringify(redactSecret(secret)).includes(JSON.stringify(REDACTED))
}

export type RestoredSecret = Readonly<{ value: unknown; missing: string[] }>

/**
 * Puts the hidden values back. A placeholder at a place where the original had no value (it was
 * moved, or the secret is new) is reported in `missing` rather than saved as a literal key.
 */
export function restoreSecret(edited: unknown, original: ResourceJson | null): RestoredSecret {
  const missing: string[] = []
  const walk = (v: unknown, before: unknown, path: string): unknown => {
    if (v === REDACTED) {
      if (typeof before === 'string') return before
      missing.push(path)
      return v
    }
    if (Array.isArray(v)) return v.map((item, i) => walk(item, Array.isArray(before) ? before[i] : undefined, `${path}[${i}]`))
    if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, child]) => [k, walk(child, isObject(before) ? before[k] : undefined, path ? `${path}.${k}` : k)]))
    return v
  }
  return { value: walk(edited, original, ''), missing }
}

/** What a Secret holds, for the table. */
export function secretKind(secret: ResourceJson): string {
  if ('tls_certificate' in secret) return 'TLS certificate'
  if ('validation_context' in secret) return 'Validation context (trusted CA)'
  if ('session_ticket_keys' in secret) return 'Session ticket keys'
  if ('generic_secret' in secret) return 'Generic secret'
  return 'Empty'
}

/** Where a DataSource's value comes from, without showing it. */
export function dataSourceLabel(source: Json | undefined): string | null {
  if (!isObject(source)) return null
  if (typeof source['filename'] === 'string') return `file ${source['filename']}`
  if (typeof source['environment_variable'] === 'string') return `env ${source['environment_variable']}`
  if ('inline_string' in source || 'inline_bytes' in source) return 'inline'
  return null
}
