import protobuf from 'protobufjs'
import type { JsonValue } from './resource-types'
import { mapKeyType } from './proto-json-codec'
import { durationNanos, formatDuration, parseDuration, WRAPPER_SCALAR, type Report } from './proto-json-wkt'

// protoc-gen-validate (https://github.com/bufbuild/protoc-gen-validate), the subset Envoy's protos
// use that needs no regex engine and no clock. Not checked: string `pattern` and
// `well_known_regex`/`strict` (RE2 syntax and header-name grammar, Envoy re-checks them anyway),
// email/hostname/ip/uri/uuid rules, and timestamp rules other than `required`.
//
// protobufjs exposes options twice: `field.options` flattens them to dotted keys and keeps
// only the LAST value of a repeated option (`string.in` loses all but one entry), while
// `field.parsedOptions` keeps the nested object with arrays. We read parsedOptions.

type Rules = { readonly [rule: string]: unknown }

const INTEGER_KINDS = new Set(['int32', 'int64', 'uint32', 'uint64', 'sint32', 'sint64', 'fixed32', 'fixed64', 'sfixed32', 'sfixed64'])
const NUMERIC_KINDS = new Set([...INTEGER_KINDS, 'double', 'float'])

const REQUIRED_KINDS = ['message', 'duration', 'timestamp', 'any']
/** Message types whose PGV rules are not message rules: wrappers use their scalar's rules (WRAPPER_SCALAR). */
const MESSAGE_RULE_KINDS: Readonly<Record<string, string>> = { 'google.protobuf.Duration': 'duration', 'google.protobuf.Any': 'any' }

const rulesCache = new WeakMap<protobuf.Field, Rules | null>()

function asRules(value: unknown): Rules | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Rules) : undefined
}

/** Several `[(validate.rules).x = …, (validate.rules).y = …]` entries merge into one object. */
function mergeRules(target: Record<string, unknown>, source: Rules): void {
  for (const [key, value] of Object.entries(source)) {
    const existing = asRules(target[key])
    const incoming = asRules(value)
    if (existing && incoming) mergeRules((target[key] = { ...existing }) as Record<string, unknown>, incoming)
    else target[key] = value
  }
}

function parsedOption(object: protobuf.ReflectionObject, name: string): Rules | null {
  const entries = ((object as { parsedOptions?: Rules[] }).parsedOptions ?? []).filter((entry) => name in entry)
  if (entries.length === 0) return null
  const merged: Record<string, unknown> = {}
  for (const entry of entries) mergeRules(merged, { rules: entry[name] })
  return asRules(merged.rules) ?? null
}

export function fieldRules(field: protobuf.Field): Rules | null {
  let rules = rulesCache.get(field)
  if (rules === undefined) rulesCache.set(field, (rules = parsedOption(field, '(validate.rules)')))
  return rules
}

/** `(validate.disabled)` turns a message's checks off; `(validate.ignored)` generates none. Either way, nothing inside is checked. */
export function isValidationDisabled(type: protobuf.Type): boolean {
  return type.options?.['(validate.disabled)'] === true || type.options?.['(validate.ignored)'] === true
}

export function isOneofRequired(oneof: protobuf.OneOf): boolean {
  return oneof.options?.['(validate.required)'] === true
}

function list(values: readonly unknown[]): string {
  return `[${values.map((v) => (typeof v === 'string' ? JSON.stringify(v) : String(v))).join(', ')}]`
}

function asArray(value: unknown): readonly unknown[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value]
}

/**
 * Checks one field. `value` is the canonical JSON read for it, or undefined when absent. As in
 * PGV, scalar, repeated and map rules also hold for the proto3 default of an absent field (a
 * Cluster with no `name` breaks `min_len: 1`), while message, duration and any rules apply
 * only when set, except `required`. Oneof members and proto3 `optional` fields are checked
 * only when set.
 */
export function checkFieldRules(field: protobuf.Field, value: JsonValue | undefined, path: string, report: Report): void {
  const rules = fieldRules(field)
  if (!rules) return
  const fail = (message: string, at = path): void => report('PROTO.CONSTRAINT', at, `${field.name}: ${message}`)
  if (value === undefined) {
    // PGV checks a oneof member only inside the `switch` on the set case, so even `required` on
    // an unset member (xds RegexMatcher.google_re2) holds nothing.
    if (field.partOf) return
    if (REQUIRED_KINDS.some((kind) => asRules(rules[kind])?.required === true)) return fail('value is required')
    if (field.resolvedType instanceof protobuf.Type && !field.repeated && !field.map) return
  }
  if (field.map) return checkMap(field, rules, (value ?? {}) as Record<string, JsonValue>, path, fail)
  if (field.repeated) return checkRepeated(field, rules, (value ?? []) as readonly JsonValue[], path, fail)
  checkSingle(field, rules, value ?? defaultCanonical(field), path, fail)
}

type Fail = (message: string, at?: string) => void

function defaultCanonical(field: protobuf.Field): JsonValue {
  if (field.resolvedType instanceof protobuf.Enum) return field.resolvedType.valuesById[0] ?? 0
  if (field.type === 'string' || field.type === 'bytes') return ''
  if (field.type === 'bool') return false
  return 0
}

function checkRepeated(field: protobuf.Field, rules: Rules, items: readonly JsonValue[], path: string, fail: Fail): void {
  const repeated = asRules(rules.repeated)
  if (!repeated || (repeated.ignore_empty === true && items.length === 0)) return
  const { min_items: min, max_items: max } = repeated as { min_items?: number; max_items?: number }
  if (min !== undefined && items.length < min) fail(`value must contain at least ${min} item(s)`)
  if (max !== undefined && items.length > max) fail(`value must contain no more than ${max} item(s)`)
  if (repeated.unique === true && new Set(items.map((item) => JSON.stringify(item))).size !== items.length) {
    fail('repeated value must contain unique items')
  }
  const itemRules = asRules(repeated.items)
  if (itemRules) items.forEach((item, i) => checkSingle(field, itemRules, item, `${path}[${i}]`, fail))
}

function checkMap(field: protobuf.Field, rules: Rules, map: Readonly<Record<string, JsonValue>>, path: string, fail: Fail): void {
  const mapRules = asRules(rules.map)
  const keys = Object.keys(map)
  if (!mapRules || (mapRules.ignore_empty === true && keys.length === 0)) return
  const { min_pairs: min, max_pairs: max } = mapRules as { min_pairs?: number; max_pairs?: number }
  if (min !== undefined && keys.length < min) fail(`value must contain at least ${min} pair(s)`)
  if (max !== undefined && keys.length > max) fail(`value must contain no more than ${max} pair(s)`)
  const keyRules = asRules(mapRules.keys)
  const valueRules = asRules(mapRules.values)
  for (const key of keys) {
    const at = `${path}[${JSON.stringify(key)}]`
    if (keyRules) checkKind(mapKeyType(field), undefined, keyRules, key, (m) => fail(`key: ${m}`, at))
    if (valueRules) checkSingle(field, valueRules, map[key]!, at, fail)
  }
}

/** Rules for one value of the field's element type (the field itself, a repeated item or a map value). */
function checkSingle(field: protobuf.Field, rules: Rules, value: JsonValue, path: string, fail: Fail): void {
  const resolved = field.resolvedType
  let kind = field.type
  if (resolved instanceof protobuf.Enum) kind = 'enum'
  else if (resolved instanceof protobuf.Type) {
    const name = resolved.fullName.slice(1)
    kind = WRAPPER_SCALAR[name] ?? MESSAGE_RULE_KINDS[name] ?? ''
  }
  checkKind(kind, resolved instanceof protobuf.Enum ? resolved : undefined, rules, value, (m) => fail(m, path))
}

function checkKind(kind: string, enumType: protobuf.Enum | undefined, rules: Rules, value: JsonValue, fail: Fail): void {
  const kindRules = asRules(rules[kind])
  if (!kindRules) return
  if (kind === 'string' || kind === 'bytes') return checkText(kind, kindRules, value as string, fail)
  if (kind === 'enum') return checkEnum(enumType!, kindRules, value, fail)
  if (kind === 'duration') return checkDuration(kindRules, value as string, fail)
  if (kind === 'any') return checkAny(kindRules, value, fail)
  if (kind === 'bool') {
    if (kindRules.const !== undefined && value !== kindRules.const) fail(`value must equal ${String(kindRules.const)}`)
    return
  }
  if (NUMERIC_KINDS.has(kind)) checkNumber(kind, kindRules, value, fail)
}

// ---- scalar rule families --------------------------------------------------------------

type Comparable = number | bigint

function toComparable(kind: string, value: unknown): Comparable {
  // Integers compare as BigInt so 64-bit decimal strings stay exact.
  if (INTEGER_KINDS.has(kind)) return BigInt(value as number | string)
  return Number(value) // "NaN"/"Infinity" strings included
}

/**
 * const, in, not_in, gt/gte/lt/lte. As in PGV, when the lower bound is above the upper one the
 * range is exclusive: the value must lie outside it.
 */
function checkBounds(rules: Rules, value: Comparable, convert: (v: unknown) => Comparable, show: (v: unknown) => string, fail: Fail): void {
  if (rules.ignore_empty === true && (value === 0 || value === 0n)) return
  if (rules.const !== undefined && value !== convert(rules.const)) fail(`value must equal ${show(rules.const)}`)
  const inList = asArray(rules.in)
  if (inList.length > 0 && !inList.some((v) => convert(v) === value)) fail(`value must be in list ${list(inList.map(show))}`)
  const notIn = asArray(rules.not_in)
  if (notIn.some((v) => convert(v) === value)) fail(`value must not be in list ${list(notIn.map(show))}`)
  const lower = rules.gt ?? rules.gte
  const upper = rules.lt ?? rules.lte
  const aboveLower = lower === undefined || (rules.gt !== undefined ? value > convert(lower) : value >= convert(lower))
  const belowUpper = upper === undefined || (rules.lt !== undefined ? value < convert(upper) : value <= convert(upper))
  const lowerText = lower === undefined ? '' : rules.gt !== undefined ? `greater than ${show(lower)}` : `greater than or equal to ${show(lower)}`
  const upperText = upper === undefined ? '' : rules.lt !== undefined ? `less than ${show(upper)}` : `less than or equal to ${show(upper)}`
  if (lower !== undefined && upper !== undefined) {
    const exclusive = convert(lower) >= convert(upper)
    const ok = exclusive ? aboveLower || belowUpper : aboveLower && belowUpper
    if (!ok) fail(`value must be ${exclusive ? `${upperText} or ${lowerText}` : `${lowerText} and ${upperText}`}`)
  } else if (!aboveLower) fail(`value must be ${lowerText}`)
  else if (!belowUpper) fail(`value must be ${upperText}`)
}

function checkNumber(kind: string, rules: Rules, value: JsonValue, fail: Fail): void {
  checkBounds(rules, toComparable(kind, value), (v) => toComparable(kind, v), String, fail)
}

function checkDuration(rules: Rules, value: string, fail: Fail): void {
  const parsed = parseDuration(value)
  if (typeof parsed === 'string') return
  const toNanos = (v: unknown): bigint => {
    const { seconds = 0, nanos = 0 } = (v ?? {}) as { seconds?: number; nanos?: number }
    return durationNanos({ seconds: BigInt(seconds), nanos })
  }
  const show = (v: unknown): string => formatDuration(splitNanos(toNanos(v)))
  checkBounds(rules, durationNanos(parsed), toNanos, show, fail)
}

function splitNanos(total: bigint): { seconds: bigint; nanos: number } {
  return { seconds: total / 1_000_000_000n, nanos: Number(total % 1_000_000_000n) }
}

function checkText(kind: 'string' | 'bytes', rules: Rules, value: string, fail: Fail): void {
  if (rules.ignore_empty === true && value === '') return
  const byteLength = kind === 'bytes' ? Buffer.from(value, 'base64').length : Buffer.byteLength(value, 'utf8')
  const unit = kind === 'bytes' ? 'bytes' : 'characters'
  // PGV counts runes (code points) for string lengths and UTF-8 bytes for *_bytes.
  const length = kind === 'bytes' ? byteLength : [...value].length
  const r = rules as Record<string, number | string | undefined>
  if (r.len !== undefined && length !== r.len) fail(`value length must be ${r.len} ${unit}`)
  if (r.min_len !== undefined && length < Number(r.min_len)) fail(`value length must be at least ${r.min_len} ${unit}`)
  if (r.max_len !== undefined && length > Number(r.max_len)) fail(`value length must be at most ${r.max_len} ${unit}`)
  if (r.len_bytes !== undefined && byteLength !== r.len_bytes) fail(`value length must be ${r.len_bytes} bytes`)
  if (r.min_bytes !== undefined && byteLength < Number(r.min_bytes)) fail(`value length must be at least ${r.min_bytes} bytes`)
  if (r.max_bytes !== undefined && byteLength > Number(r.max_bytes)) fail(`value length must be at most ${r.max_bytes} bytes`)
  if (kind === 'bytes') return // prefix/contains/in on bytes compare raw bytes; no Envoy field uses them
  if (r.const !== undefined && value !== r.const) fail(`value must equal ${JSON.stringify(r.const)}`)
  if (r.prefix !== undefined && !value.startsWith(String(r.prefix))) fail(`value does not have prefix ${JSON.stringify(r.prefix)}`)
  if (r.suffix !== undefined && !value.endsWith(String(r.suffix))) fail(`value does not have suffix ${JSON.stringify(r.suffix)}`)
  if (r.contains !== undefined && !value.includes(String(r.contains))) fail(`value does not contain substring ${JSON.stringify(r.contains)}`)
  if (r.not_contains !== undefined && value.includes(String(r.not_contains))) fail(`value contains substring ${JSON.stringify(r.not_contains)}`)
  const inList = asArray(rules.in)
  if (inList.length > 0 && !inList.includes(value)) fail(`value must be in list ${list(inList)}`)
  const notIn = asArray(rules.not_in)
  if (notIn.includes(value)) fail(`value must not be in list ${list(notIn)}`)
}

function checkEnum(enumType: protobuf.Enum, rules: Rules, value: JsonValue, fail: Fail): void {
  const number = typeof value === 'string' ? enumType.values[value] : (value as number)
  if (number === undefined) return // an unknown name was already reported as PROTO.BAD_ENUM
  if (rules.defined_only === true && enumType.valuesById[number] === undefined) {
    fail(`value must be one of the defined enum values ${list(Object.keys(enumType.values))}`)
  }
  const show = (v: unknown): string => enumType.valuesById[Number(v)] ?? String(v)
  const { defined_only: _definedOnly, ...numericRules } = rules
  checkBounds(numericRules, number, Number, show, fail)
}

function checkAny(rules: Rules, value: JsonValue, fail: Fail): void {
  const typeUrl = (value as { '@type'?: string })['@type']
  const inList = asArray(rules.in)
  if (inList.length > 0 && !inList.includes(typeUrl)) fail(`type URL must be in list ${list(inList)}`)
  const notIn = asArray(rules.not_in)
  if (notIn.includes(typeUrl)) fail(`type URL must not be in list ${list(notIn)}`)
}
