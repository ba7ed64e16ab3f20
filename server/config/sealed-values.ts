import type { JsonValue, ResourceJson } from './resource-types'

/**
 * Private keys and passwords inside Envoy resources are write-only: stored encrypted ("sealed"),
 * never returned by the API, decrypted only to build the xDS snapshot.
 *
 * A sealed value is an ordinary proto3 string, `legation:sealed:v1:<fingerprint>:<ciphertext>`, put
 * in the DataSource's `inline_string`, so a sealed resource is still a valid Envoy resource for
 * validation, hashing and diffing. The API shows it as `<set:fingerprint>`; sending that marker back
 * keeps the stored value (so a resource read from the API can be edited and saved as is).
 */
export const SEALED_PREFIX = 'legation:sealed:v1:'
const SEALED_PATTERN = /legation:sealed:v1:([0-9a-f]{8}):([A-Za-z0-9+/=]+)/g
const REDACTED_PATTERN = /^<set:([0-9a-f]{8})>$/

/** The crypto, injected: AES-GCM in server/store/secret-key.ts; a fake in unit tests. */
export type ValueCipher = Readonly<{
  /** Deterministic for a given plaintext (so unchanged secrets keep their hash). */
  seal: (plaintext: string) => string
  /** Throws if the value was sealed with another key. */
  unseal: (sealed: string) => string
}>

/** DataSource fields holding key material, wherever they appear (Secret, or inline TLS contexts). */
const SENSITIVE_KEYS = new Set(['private_key', 'password'])

type Json = JsonValue
type JsonObject = { readonly [key: string]: Json }
const isObject = (v: Json | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v)

function sealDataSource(ds: JsonObject, cipher: ValueCipher): JsonObject {
  const inline = typeof ds['inline_string'] === 'string' ? ds['inline_string'] : typeof ds['inline_bytes'] === 'string' ? Buffer.from(ds['inline_bytes'], 'base64').toString('utf8') : null
  if (inline === null || inline.startsWith(SEALED_PREFIX) || REDACTED_PATTERN.test(inline)) return ds
  const rest = Object.fromEntries(Object.entries(ds).filter(([k]) => k !== 'inline_string' && k !== 'inline_bytes'))
  return { ...rest, inline_string: cipher.seal(inline) }
}

function walk(value: Json, visit: (key: string, child: Json, parent: JsonObject) => Json): Json {
  if (Array.isArray(value)) return value.map((v) => walk(v, visit))
  if (!isObject(value)) return value
  const out: Record<string, Json> = {}
  for (const [key, child] of Object.entries(value)) out[key] = visit(key, walk(child, visit), value)
  return out
}

/** Encrypts every inline private key / password (and generic_secret / session ticket keys). */
export function sealResource(resource: ResourceJson, cipher: ValueCipher): ResourceJson {
  return walk(resource, (key, child, parent) => {
    if (SENSITIVE_KEYS.has(key) && isObject(child)) return sealDataSource(child, cipher)
    if (key === 'secret' && isObject(child) && parent !== undefined) return sealDataSource(child, cipher) // generic_secret.secret
    if (key === 'keys' && Array.isArray(child)) return child.map((k) => (isObject(k) ? sealDataSource(k, cipher) : k)) // session_ticket_keys.keys
    return child
  }) as ResourceJson
}

/** Body text as the API shows it: every sealed value replaced by `<set:fingerprint>`. */
export function redactSealedText(body: string): string {
  return body.replace(SEALED_PATTERN, (_m, fp: string) => `<set:${fp}>`)
}

/** Body text with every sealed value decrypted, for the snapshot only. */
export function unsealText(body: string, cipher: ValueCipher): string {
  return body.replace(SEALED_PATTERN, (sealed) => JSON.stringify(cipher.unseal(sealed)).slice(1, -1))
}

/**
 * Puts back the stored sealed values where the input carries `<set:fingerprint>` markers. Returns
 * the paths of markers that match nothing stored (an error for the caller to report).
 */
export function restoreSealed(input: Json, stored: ResourceJson | null): { value: Json; unknown: string[] } {
  const byFingerprint = new Map<string, string>()
  if (stored) for (const m of JSON.stringify(stored).matchAll(SEALED_PATTERN)) byFingerprint.set(m[1]!, m[0])
  const unknown: string[] = []
  const visit = (v: Json, path: string): Json => {
    if (typeof v === 'string') {
      const m = REDACTED_PATTERN.exec(v)
      if (!m) return v
      const sealed = byFingerprint.get(m[1]!)
      if (!sealed) unknown.push(path)
      return sealed ?? v
    }
    if (Array.isArray(v)) return v.map((item, i) => visit(item, `${path}[${i}]`))
    if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, child]) => [k, visit(child, path === '' ? k : `${path}.${k}`)]))
    return v
  }
  return { value: visit(input, ''), unknown }
}

export function containsSealed(body: string): boolean {
  return body.includes(SEALED_PREFIX)
}

const KEY_MATERIAL_FIELDS = /"(private_key|password|secret|session_ticket_keys)"/

/**
 * Whether a stored body may carry key material (sealed or not): such bodies are never kept in the
 * resource memo, so a clear value checked before it was saved and sealed is not kept either.
 * Conservative (a field name is enough); only Secrets and TLS contexts say these names.
 */
export function mayHoldClearSecret(body: string): boolean {
  return KEY_MATERIAL_FIELDS.test(body)
}
