import protobuf from 'protobufjs'
import type { ConfigIssue, ConfigIssueCode } from './issues'
import { joinPath } from './issues'
import type { JsonValue } from './resource-types'
import { hasPlaceholder } from './variables'
import { canonicalFloat32, findMessageType, isLongType, mapKeyType, messageNameOfTypeUrl, messageTypeOrThrow, nameOfType } from './proto-json-codec'
import { checkFieldRules, isOneofRequired, isValidationDisabled } from './proto-json-pgv'
import {
  formatDuration,
  formatTimestamp,
  parseDuration,
  parseTimestamp,
  readFieldMask,
  readJsonList,
  readJsonObject,
  readJsonValue,
  specialJsonKind,
} from './proto-json-wkt'

export { decodeMessage, encodeMessage, messageNameOfTypeUrl, typeUrlOf } from './proto-json-codec'

// A strict proto3 JSON reader (https://protobuf.dev/programming-guides/json/) over protobufjs
// reflection, plus the protoc-gen-validate rules Envoy would reject a config for. It reports
// every problem it finds instead of stopping at the first, so the console can show them all.
// Paths name fields by their proto (snake_case) name, even when the input used lowerCamelCase.

const MAX_ISSUES = 100
const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 }
const UINT32 = { min: 0, max: 2 ** 32 - 1 }
const INT64 = { min: -(2n ** 63n), max: 2n ** 63n - 1n }
const UINT64 = { min: 0n, max: 2n ** 64n - 1n }
const FLOAT_MAX = 3.4028234663852886e38
const INTEGER_TEXT = /^-?\d+$/
const NUMBER_TEXT = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/
const BASE64_TEXT = /^[A-Za-z0-9+/_-]*={0,2}$/

type Ctx = { readonly root: protobuf.Root; readonly issues: ConfigIssue[]; readonly placeholders: boolean }
type Given = ReadonlyMap<string, { key: string; value: unknown }>
/** A scalar conversion: the canonical value, or what is wrong with the input. */
type Scalar = { ok: true; value: JsonValue } | { ok: false; code: ConfigIssueCode; problem: string }

export function readProtoJson(
  root: protobuf.Root,
  messageName: string,
  input: unknown,
  basePath = '',
  options: { placeholders?: boolean } = {},
): { value: JsonValue | null; issues: ConfigIssue[] } {
  const type = messageTypeOrThrow(root, messageName) // an unknown message name is a bug in the caller
  const ctx: Ctx = { root, issues: [], placeholders: options.placeholders === true }
  const value = readMessage(ctx, type, input, basePath, nameOfType(type), true)
  return { value: value ?? null, issues: ctx.issues }
}

/** With `placeholders`, a string holding `${NAME}` stands for a value of any scalar type (fleet variables). */
function isPlaceholderText(ctx: Ctx, input: unknown): input is string {
  return ctx.placeholders && typeof input === 'string' && hasPlaceholder(input)
}

function report(ctx: Ctx, code: ConfigIssueCode, path: string, message: string): void {
  if (ctx.issues.length < MAX_ISSUES) ctx.issues.push({ code, path, message })
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'string') return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`
  if (typeof value === 'object') return 'an object'
  return `${typeof value} ${String(value)}`
}

function wrongType(ctx: Ctx, path: string, label: string, expected: string, value: unknown): undefined {
  report(ctx, 'PROTO.WRONG_TYPE', path, `${label}: expected ${expected}, got ${describe(value)}`)
  return undefined
}

// ---- messages --------------------------------------------------------------------------

/** Any message-typed value, including the well-known types with their own JSON form. */
function readMessage(ctx: Ctx, type: protobuf.Type, input: unknown, path: string, label: string, pgv: boolean): JsonValue | undefined {
  const name = nameOfType(type)
  const onIssue = (code: ConfigIssueCode, at: string, message: string): void => report(ctx, code, at, message)
  const kind = specialJsonKind(name)
  // A well-known type written as text (a duration, a wrapped number) may be a variable: checked once substituted.
  if (kind !== null && isPlaceholderText(ctx, input)) return input
  switch (kind) {
    case 'any': return readAny(ctx, input, path, label, pgv)
    case 'duration': return readTimeText(ctx, input, path, label, 'a duration string like "1.5s"', parseDuration, formatDuration)
    case 'timestamp': return readTimeText(ctx, input, path, label, 'an RFC 3339 timestamp string', parseTimestamp, formatTimestamp)
    case 'wrapper': return readSingle(ctx, type.fields.value!, input, path, label, pgv)
    case 'value': return readJsonValue(input, path, label, onIssue)
    case 'struct':
      if (!isPlainObject(input)) return wrongType(ctx, path, label, 'an object (google.protobuf.Struct)', input)
      return readJsonObject(input, path, label, onIssue)
    case 'list':
      if (!Array.isArray(input)) return wrongType(ctx, path, label, 'an array (google.protobuf.ListValue)', input)
      return readJsonList(input, path, label, onIssue)
    case 'fieldmask': return readFieldMaskText(ctx, input, path, label)
    case null: return readFields(ctx, type, input, path, label, pgv)
  }
}

function readFields(ctx: Ctx, type: protobuf.Type, input: unknown, path: string, label: string, pgvEnabled: boolean): JsonValue | undefined {
  if (!isPlainObject(input)) return wrongType(ctx, path, label, `an object (${nameOfType(type)})`, input)
  const pgv = pgvEnabled && !isValidationDisabled(type)
  const given = collectGivenFields(ctx, type, input, path)
  const out: Record<string, JsonValue> = {}
  // Output in declaration order: protobufjs keeps fieldsArray in .proto order.
  for (const field of type.fieldsArray) {
    const entry = given.get(field.name)
    const fieldPath = joinPath(path, field.name)
    const value = entry === undefined ? undefined : readField(ctx, field, entry.value, fieldPath, pgv)
    if (value !== undefined) out[field.name] = value
    // A value that failed to read was reported already; checking rules on it would only add noise.
    if (pgv && (entry === undefined || value !== undefined) && !isPlaceholderText(ctx, value)) checkFieldRules(field, value, fieldPath, (c, at, m) => report(ctx, c, at, m))
  }
  checkOneofs(ctx, type, given, path, pgv)
  return out
}

/** Maps each input key to its field (proto name or lowerCamelCase JSON name); `null` means absent. */
function collectGivenFields(ctx: Ctx, type: protobuf.Type, input: Record<string, unknown>, path: string): Given {
  const given = new Map<string, { key: string; value: unknown }>()
  const seen = new Map<string, string>()
  for (const [key, value] of Object.entries(input)) {
    const field = fieldsByJsonKey(type).get(key)
    if (!field) {
      report(ctx, 'PROTO.UNKNOWN_FIELD', joinPath(path, key), unknownFieldMessage(type, key))
      continue
    }
    const earlier = seen.get(field.name)
    if (earlier !== undefined) {
      report(ctx, 'PROTO.BAD_VALUE', joinPath(path, field.name), `${field.name}: given twice, as "${earlier}" and "${key}"`)
      continue
    }
    seen.set(field.name, key)
    if (value !== null || acceptsNull(field)) given.set(field.name, { key, value })
  }
  return given
}

function checkOneofs(ctx: Ctx, type: protobuf.Type, given: Given, path: string, pgv: boolean): void {
  for (const oneof of type.oneofsArray) {
    const set = oneof.oneof.filter((member) => given.has(member))
    const members = oneof.oneof.map((m) => `"${m}"`).join(', ')
    if (set.length > 1) {
      report(ctx, 'PROTO.ONEOF_CONFLICT', joinPath(path, set[1]!), `${set.join(' and ')}: only one of ${members} may be set (oneof ${oneof.name})`)
    } else if (set.length === 0 && pgv && isOneofRequired(oneof)) {
      report(ctx, 'PROTO.CONSTRAINT', joinPath(path, oneof.name), `${oneof.name}: one of ${members} must be set`)
    }
  }
}

const keyCache = new WeakMap<protobuf.Type, Map<string, protobuf.Field>>()

function fieldsByJsonKey(type: protobuf.Type): Map<string, protobuf.Field> {
  let byKey = keyCache.get(type)
  if (!byKey) {
    byKey = new Map()
    for (const field of type.fieldsArray) {
      byKey.set(field.name, field)
      byKey.set(jsonNameOf(field), field)
    }
    keyCache.set(type, byKey)
  }
  return byKey
}

/** protoc's ToJsonName: drop each "_" and upper-case the next character. keepCase leaves `field.jsonName` unset. */
function jsonNameOf(field: protobuf.Field): string {
  const explicit = field.options?.json_name
  if (typeof explicit === 'string') return explicit
  return field.name.replace(/_(.)/g, (_, c: string) => c.toUpperCase()).replace(/_$/, '')
}

function unknownFieldMessage(type: protobuf.Type, key: string): string {
  const guess = closestFieldName(type, key)
  return `unknown field "${key}" in ${nameOfType(type)}${guess ? ` (did you mean "${guess}"?)` : ''}`
}

function closestFieldName(type: protobuf.Type, key: string): string | null {
  const normalized = (s: string): string => s.toLowerCase().replace(/_/g, '')
  let best: { name: string; distance: number } | null = null
  for (const field of type.fieldsArray) {
    const distance = editDistance(normalized(key), normalized(field.name))
    if (distance <= 2 && (!best || distance < best.distance)) best = { name: field.name, distance }
  }
  return best?.name ?? null
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[b.length]!
}

// ---- fields: repeated, map, single -----------------------------------------------------

/** `null` is a value only for google.protobuf.Value and NullValue; elsewhere it means "absent". */
function acceptsNull(field: protobuf.Field): boolean {
  const name = field.resolvedType ? nameOfType(field.resolvedType as protobuf.Type | protobuf.Enum) : ''
  return name === 'google.protobuf.Value' || name === 'google.protobuf.NullValue'
}

function readField(ctx: Ctx, field: protobuf.Field, input: unknown, path: string, pgv: boolean): JsonValue | undefined {
  if (field.map) return readMap(ctx, field, input, path, pgv)
  if (field.repeated) return readRepeated(ctx, field, input, path, pgv)
  return readSingle(ctx, field, input, path, field.name, pgv)
}

function readRepeated(ctx: Ctx, field: protobuf.Field, input: unknown, path: string, pgv: boolean): JsonValue | undefined {
  if (!Array.isArray(input)) return wrongType(ctx, path, field.name, 'an array', input)
  const out: JsonValue[] = []
  input.forEach((item, i) => {
    const itemPath = joinPath(path, i)
    if (item === null && !acceptsNull(field)) return void wrongType(ctx, itemPath, field.name, 'a value (null is not allowed in a list)', item)
    const value = readSingle(ctx, field, item, itemPath, field.name, pgv)
    if (value !== undefined) out.push(value)
  })
  return out
}

function readMap(ctx: Ctx, field: protobuf.Field, input: unknown, path: string, pgv: boolean): JsonValue | undefined {
  if (!isPlainObject(input)) return wrongType(ctx, path, field.name, 'an object (map)', input)
  const entries: [string, JsonValue][] = []
  for (const [rawKey, rawValue] of Object.entries(input)) {
    const entryPath = `${path}[${JSON.stringify(rawKey)}]`
    const key = readMapKey(mapKeyType(field), rawKey)
    if (!key.ok) {
      report(ctx, key.code, entryPath, `${field.name}: invalid map key (${key.problem})`)
      continue
    }
    if (rawValue === null && !acceptsNull(field)) {
      wrongType(ctx, entryPath, field.name, 'a map value', rawValue)
      continue
    }
    const value = readSingle(ctx, field, rawValue, entryPath, field.name, pgv)
    if (value !== undefined) entries.push([String(key.value), value])
  }
  // Sorted keys make the canonical JSON unique (and match what decodeMessage returns).
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return Object.fromEntries(entries)
}

/** JSON object keys are strings; integer and bool keys are written as their decimal/"true" text. */
function readMapKey(keyType: string, key: string): Scalar {
  if (keyType === 'string') return { ok: true, value: key }
  if (keyType === 'bool') {
    if (key === 'true' || key === 'false') return { ok: true, value: key }
    return { ok: false, code: 'PROTO.WRONG_TYPE', problem: `must be "true" or "false", got ${JSON.stringify(key)}` }
  }
  const value = readScalar(keyType, key)
  return value.ok ? { ok: true, value: String(value.value) } : value
}

/** One value of the field's element type: a message, an enum or a scalar. */
function readSingle(ctx: Ctx, field: protobuf.Field, input: unknown, path: string, label: string, pgv: boolean): JsonValue | undefined {
  const resolved = field.resolvedType
  if (resolved instanceof protobuf.Type) return readMessage(ctx, resolved, input, path, label, pgv)
  if (isPlaceholderText(ctx, input)) return input
  const result = resolved instanceof protobuf.Enum ? readEnum(resolved, input) : readScalar(field.type, input)
  if (result.ok) return result.value
  report(ctx, result.code, path, `${label}: ${result.problem}`)
  return undefined
}

function readEnum(enumType: protobuf.Enum, input: unknown): Scalar {
  if (nameOfType(enumType) === 'google.protobuf.NullValue') {
    const isNull = input === null || input === 'NULL_VALUE' || input === 0
    return isNull ? { ok: true, value: null } : { ok: false, code: 'PROTO.WRONG_TYPE', problem: `expected null, got ${describe(input)}` }
  }
  if (typeof input === 'string') {
    const number = enumType.values[input]
    if (number !== undefined) return { ok: true, value: enumType.valuesById[number] ?? input }
    const names = Object.keys(enumType.values).join(', ')
    const problem = `unknown value ${JSON.stringify(input)} for enum ${nameOfType(enumType)}; valid values: ${names}`
    return { ok: false, code: 'PROTO.BAD_ENUM', problem }
  }
  if (typeof input === 'number' && Number.isInteger(input) && input >= INT32.min && input <= INT32.max) {
    // A number without a name stays a number; PGV `defined_only` rejects it where Envoy would.
    return { ok: true, value: enumType.valuesById[input] ?? input }
  }
  return { ok: false, code: 'PROTO.WRONG_TYPE', problem: `expected an enum name of ${nameOfType(enumType)}, got ${describe(input)}` }
}

// ---- scalars ---------------------------------------------------------------------------

function readScalar(scalarType: string, input: unknown): Scalar {
  switch (scalarType) {
    case 'int32': case 'sint32': case 'sfixed32': return readInt32(scalarType, input, INT32)
    case 'uint32': case 'fixed32': return readInt32(scalarType, input, UINT32)
    case 'double': case 'float': return readFloat(scalarType, input)
    case 'bool': return typeof input === 'boolean' ? { ok: true, value: input } : wrongScalar('a boolean', input)
    case 'string': return typeof input === 'string' ? { ok: true, value: input } : wrongScalar('a string', input)
    case 'bytes': return readBytes(input)
    default: return isLongType(scalarType) ? readInt64(scalarType, input) : wrongScalar(scalarType, input)
  }
}

function wrongScalar(expected: string, input: unknown): Scalar {
  return { ok: false, code: 'PROTO.WRONG_TYPE', problem: `expected ${expected}, got ${describe(input)}` }
}

function badValue(problem: string): Scalar {
  return { ok: false, code: 'PROTO.BAD_VALUE', problem }
}

/** proto3 JSON takes integers as numbers or as decimal strings. */
function readInt32(scalarType: string, input: unknown, range: { min: number; max: number }): Scalar {
  const number = typeof input === 'number' ? input : typeof input === 'string' && INTEGER_TEXT.test(input) ? Number(input) : undefined
  if (number === undefined) return wrongScalar(`an integer (${scalarType})`, input)
  if (!Number.isInteger(number)) return badValue(`expected an integer (${scalarType}), got ${number}`)
  if (number < range.min || number > range.max) return badValue(`${input} is out of range for ${scalarType} (${range.min}..${range.max})`)
  return { ok: true, value: number === 0 ? 0 : number } // "-0" → 0
}

/** 64-bit integers are canonically decimal strings: a JSON number loses precision past 2^53. */
function readInt64(scalarType: string, input: unknown): Scalar {
  let value: bigint
  if (typeof input === 'number') {
    if (!Number.isInteger(input)) return badValue(`expected an integer (${scalarType}), got ${input}`)
    if (!Number.isSafeInteger(input)) return badValue(`${input} is beyond 2^53 and has lost precision; write it as a string`)
    value = BigInt(input)
  } else if (typeof input === 'string' && INTEGER_TEXT.test(input)) {
    value = BigInt(input)
  } else {
    return wrongScalar(`an integer (${scalarType})`, input)
  }
  const range = scalarType === 'uint64' || scalarType === 'fixed64' ? UINT64 : INT64
  if (value < range.min || value > range.max) return badValue(`${String(input)} is out of range for ${scalarType}`)
  return { ok: true, value: value.toString() }
}

function readFloat(scalarType: string, input: unknown): Scalar {
  if (input === 'NaN' || input === 'Infinity' || input === '-Infinity') return { ok: true, value: input }
  const number = typeof input === 'number' ? input : typeof input === 'string' && NUMBER_TEXT.test(input) ? Number(input) : undefined
  if (number === undefined) return wrongScalar(`a number (${scalarType})`, input)
  if (!Number.isFinite(number)) return { ok: true, value: String(number) } // NaN/Infinity from YAML (.nan, .inf)
  if (scalarType === 'float') {
    if (Math.abs(number) > FLOAT_MAX) return badValue(`${number} is out of range for float`)
    return { ok: true, value: canonicalFloat32(number) } // what a float field can actually hold
  }
  return { ok: true, value: number }
}

/** Standard or URL-safe base64, padded or not → standard padded base64. */
function readBytes(input: unknown): Scalar {
  if (typeof input !== 'string') return wrongScalar('a base64 string', input)
  if (!BASE64_TEXT.test(input) || input.replace(/=+$/, '').length % 4 === 1) return badValue(`${describe(input)} is not valid base64`)
  return { ok: true, value: Buffer.from(input.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('base64') }
}

// ---- well-known types ------------------------------------------------------------------

function readTimeText<T>(
  ctx: Ctx,
  input: unknown,
  path: string,
  label: string,
  expected: string,
  parse: (text: string) => T | string,
  format: (parsed: T) => string,
): JsonValue | undefined {
  if (typeof input !== 'string') return wrongType(ctx, path, label, expected, input)
  const parsed = parse(input)
  if (typeof parsed === 'string') return void report(ctx, 'PROTO.BAD_VALUE', path, `${label}: ${parsed}`)
  return format(parsed)
}

function readFieldMaskText(ctx: Ctx, input: unknown, path: string, label: string): JsonValue | undefined {
  if (typeof input !== 'string') return wrongType(ctx, path, label, 'a comma-separated string of field paths', input)
  const mask = readFieldMask(input)
  if (typeof mask === 'string') return mask
  return void report(ctx, 'PROTO.BAD_VALUE', path, `${label}: ${mask.error}`)
}

/**
 * {"@type": "type.googleapis.com/<message>", ...fields}. The fields are read against that
 * message with paths continuing at the Any's own path (`typed_config.rds...`); a well-known
 * inner type has its JSON under "value".
 */
function readAny(ctx: Ctx, input: unknown, path: string, label: string, pgv: boolean): JsonValue | undefined {
  if (!isPlainObject(input)) return wrongType(ctx, path, label, 'an object with "@type" (google.protobuf.Any)', input)
  const typePath = joinPath(path, '@type')
  const { '@type': typeUrl, ...content } = input
  if (typeUrl === undefined || typeUrl === null) {
    return void report(ctx, 'PROTO.UNKNOWN_TYPE', typePath, `${label}: "@type" is required in google.protobuf.Any`)
  }
  if (typeof typeUrl !== 'string') return wrongType(ctx, typePath, label, 'a type URL string for "@type"', typeUrl)
  const messageName = messageNameOfTypeUrl(typeUrl)
  const inner = messageName === null ? null : findMessageType(ctx.root, messageName)
  if (!inner) {
    const problem = messageName === null ? 'is not a type URL like "type.googleapis.com/<message>"' : 'names no message known to this control plane'
    return void report(ctx, 'PROTO.UNKNOWN_TYPE', typePath, `${label}: "@type" ${JSON.stringify(typeUrl)} ${problem}`)
  }
  if (specialJsonKind(nameOfType(inner)) === null) {
    const body = readFields(ctx, inner, content, path, label, pgv) as Record<string, JsonValue>
    return { '@type': typeUrl, ...body }
  }
  for (const key of Object.keys(content)) {
    if (key === 'value') continue
    const message = `unknown field "${key}" in an Any holding ${nameOfType(inner)} (its JSON goes under "value")`
    report(ctx, 'PROTO.UNKNOWN_FIELD', joinPath(path, key), message)
  }
  if (content.value === undefined) return { '@type': typeUrl }
  const value = readMessage(ctx, inner, content.value, joinPath(path, 'value'), label, pgv)
  return value === undefined ? undefined : { '@type': typeUrl, value }
}
