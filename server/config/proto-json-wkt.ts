import type protobuf from 'protobufjs'
import type { ConfigIssueCode } from './issues'
import { joinPath } from './issues'
import type { JsonValue } from './resource-types'

// Well-known types whose proto3 JSON form is not "an object of fields":
// https://protobuf.dev/programming-guides/json/ (the table of WKT mappings). Empty is not
// on the list: its JSON is the ordinary `{}` of a message without fields.

export type Report = (code: ConfigIssueCode, path: string, message: string) => void

export type SpecialJsonKind = 'any' | 'duration' | 'timestamp' | 'wrapper' | 'struct' | 'value' | 'list' | 'fieldmask'

/** Wrapper message → the scalar kind of its `value` field (PGV rules on a wrapper use that kind's rules). */
export const WRAPPER_SCALAR: Readonly<Record<string, string>> = {
  'google.protobuf.DoubleValue': 'double',
  'google.protobuf.FloatValue': 'float',
  'google.protobuf.Int64Value': 'int64',
  'google.protobuf.UInt64Value': 'uint64',
  'google.protobuf.Int32Value': 'int32',
  'google.protobuf.UInt32Value': 'uint32',
  'google.protobuf.BoolValue': 'bool',
  'google.protobuf.StringValue': 'string',
  'google.protobuf.BytesValue': 'bytes',
}

const SPECIAL_KINDS: Readonly<Record<string, SpecialJsonKind>> = {
  'google.protobuf.Any': 'any',
  'google.protobuf.Duration': 'duration',
  'google.protobuf.Timestamp': 'timestamp',
  'google.protobuf.Struct': 'struct',
  'google.protobuf.Value': 'value',
  'google.protobuf.ListValue': 'list',
  'google.protobuf.FieldMask': 'fieldmask',
}

/** `messageName` is fully qualified without the leading dot. */
export function specialJsonKind(messageName: string): SpecialJsonKind | null {
  if (messageName in WRAPPER_SCALAR) return 'wrapper'
  return SPECIAL_KINDS[messageName] ?? null
}

// ---- Duration and Timestamp ------------------------------------------------------------

export type SecondsNanos = Readonly<{ seconds: bigint; nanos: number }>

/** google/protobuf/duration.proto: "Range is approximately +-10,000 years". */
const MAX_DURATION_SECONDS = 315_576_000_000n
/** 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z (google/protobuf/timestamp.proto). */
const MIN_TIMESTAMP_SECONDS = -62_135_596_800n
const MAX_TIMESTAMP_SECONDS = 253_402_300_799n

const DURATION_PATTERN = /^(-)?(\d+)(?:\.(\d{1,9}))?s$/
const TIMESTAMP_PATTERN = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/

function nanosOf(fraction: string | undefined): number {
  return fraction === undefined ? 0 : Number(fraction.padEnd(9, '0'))
}

/** Fractional seconds with trailing zeros trimmed ("1.500s" → "1.5s"); protoc pads to 3/6/9 digits instead. */
function formatFraction(nanos: number): string {
  if (nanos === 0) return ''
  return '.' + String(nanos).padStart(9, '0').replace(/0+$/, '')
}

/** Parses "1.5s" / "-0.000001s". Returns an error message instead of throwing. */
export function parseDuration(text: string): SecondsNanos | string {
  const match = DURATION_PATTERN.exec(text)
  if (!match) return `invalid duration "${text}": expected seconds with up to 9 fractional digits and an "s" suffix, e.g. "0.25s"`
  const seconds = BigInt(match[2]!)
  if (seconds > MAX_DURATION_SECONDS) return `duration "${text}" is out of range (at most ±${MAX_DURATION_SECONDS}s)`
  const sign = match[1] === '-' ? -1 : 1
  // Seconds and nanos carry the same sign (duration.proto).
  return { seconds: BigInt(sign) * seconds, nanos: sign * nanosOf(match[3]) || 0 }
}

export function formatDuration({ seconds, nanos }: SecondsNanos): string {
  const negative = seconds < 0n || nanos < 0
  const absSeconds = seconds < 0n ? -seconds : seconds
  return `${negative ? '-' : ''}${absSeconds}${formatFraction(Math.abs(nanos))}s`
}

/** Total nanoseconds, for comparing durations (PGV duration rules). */
export function durationNanos({ seconds, nanos }: SecondsNanos): bigint {
  return seconds * 1_000_000_000n + BigInt(nanos)
}

/** Parses RFC 3339 ("1972-01-01T10:00:20.021+01:00"); any offset is folded into the UTC seconds. */
export function parseTimestamp(text: string): SecondsNanos | string {
  const invalid = `invalid timestamp "${text}": expected RFC 3339 like "2024-01-31T12:00:00Z"`
  const m = TIMESTAMP_PATTERN.exec(text)
  if (!m) return invalid
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number]
  const date = new Date(0)
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0..99 to 1900..1999.
  date.setUTCFullYear(year, month - 1, day)
  date.setUTCHours(hour, minute, second, 0)
  const fieldsRoundTrip =
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day &&
    date.getUTCHours() === hour && date.getUTCMinutes() === minute && date.getUTCSeconds() === second
  if (!fieldsRoundTrip) return invalid
  const offsetSeconds = m[8] === undefined ? 0 : (m[8] === '-' ? -1 : 1) * (Number(m[9]) * 3600 + Number(m[10]) * 60)
  const seconds = BigInt(date.getTime() / 1000 - offsetSeconds)
  if (seconds < MIN_TIMESTAMP_SECONDS || seconds > MAX_TIMESTAMP_SECONDS) {
    return `timestamp "${text}" is out of range (0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z)`
  }
  return { seconds, nanos: nanosOf(m[7]) }
}

/** Canonical UTC "Z" form; fraction trimmed like durations. */
export function formatTimestamp({ seconds, nanos }: SecondsNanos): string {
  const iso = new Date(Number(seconds) * 1000).toISOString() // "YYYY-MM-DDTHH:MM:SS.000Z" for years 1..9999
  return `${iso.slice(0, 19)}${formatFraction(nanos)}Z`
}

// ---- Struct, Value, ListValue ----------------------------------------------------------

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Any JSON value (google.protobuf.Value). Object keys are sorted so the canonical form is unique. */
export function readJsonValue(input: unknown, path: string, label: string, report: Report): JsonValue | undefined {
  if (input === null || typeof input === 'string' || typeof input === 'boolean') return input
  if (typeof input === 'number') {
    if (Number.isFinite(input)) return input
    report('PROTO.BAD_VALUE', path, `${label}: ${input} cannot be stored in google.protobuf.Value (JSON numbers must be finite)`)
    return undefined
  }
  if (Array.isArray(input)) return readJsonList(input, path, label, report)
  if (isPlainObject(input)) return readJsonObject(input, path, label, report)
  report('PROTO.WRONG_TYPE', path, `${label}: expected a JSON value, got ${typeof input}`)
  return undefined
}

export function readJsonObject(input: Record<string, unknown>, path: string, label: string, report: Report): JsonValue {
  const out: Record<string, JsonValue> = {}
  for (const key of Object.keys(input).sort()) {
    const value = readJsonValue(input[key], `${path}[${JSON.stringify(key)}]`, label, report)
    if (value !== undefined) out[key] = value
  }
  return out
}

export function readJsonList(input: readonly unknown[], path: string, label: string, report: Report): JsonValue {
  const out: JsonValue[] = []
  input.forEach((item, i) => {
    const value = readJsonValue(item, joinPath(path, i), label, report)
    if (value !== undefined) out.push(value)
  })
  return out
}

/**
 * protobufjs's bundled google/protobuf/struct.proto (src/common.js) names Value's fields in
 * lowerCamelCase (`numberValue`) even under keepCase, unlike every other loaded message, so the
 * names are taken from the loaded type rather than assumed.
 */
export type ValueFieldNames = Readonly<Record<'null_value' | 'number_value' | 'string_value' | 'bool_value' | 'struct_value' | 'list_value', string>>

const valueNamesCache = new WeakMap<protobuf.Type, ValueFieldNames>()

export function valueFieldNames(valueType: protobuf.Type): ValueFieldNames {
  let names = valueNamesCache.get(valueType)
  if (!names) {
    const pick = (snake: string): string => {
      const camel = snake.replace(/_(.)/g, (_, c: string) => c.toUpperCase())
      return valueType.fields[snake] ? snake : camel
    }
    names = {
      null_value: pick('null_value'), number_value: pick('number_value'), string_value: pick('string_value'),
      bool_value: pick('bool_value'), struct_value: pick('struct_value'), list_value: pick('list_value'),
    }
    valueNamesCache.set(valueType, names)
  }
  return names
}

/** protobufjs object for a canonical google.protobuf.Value. */
export function valueToObject(value: JsonValue, names: ValueFieldNames): Record<string, unknown> {
  if (value === null) return { [names.null_value]: 0 }
  if (typeof value === 'number') return { [names.number_value]: value }
  if (typeof value === 'string') return { [names.string_value]: value }
  if (typeof value === 'boolean') return { [names.bool_value]: value }
  if (Array.isArray(value)) return { [names.list_value]: listToObject(value, names) }
  return { [names.struct_value]: structToObject(value as Record<string, JsonValue>, names) }
}

/** Keys sorted: protobufjs writes map entries in Object.keys order, so sorting makes the bytes deterministic. */
export function structToObject(struct: Readonly<Record<string, JsonValue>>, names: ValueFieldNames): Record<string, unknown> {
  const fields: Record<string, unknown> = {}
  for (const key of Object.keys(struct).sort()) fields[key] = valueToObject(struct[key]!, names)
  return { fields }
}

export function listToObject(list: readonly JsonValue[], names: ValueFieldNames): Record<string, unknown> {
  return { values: list.map((item) => valueToObject(item, names)) }
}

type DecodedValue = { [field: string]: unknown }

export function valueFromMessage(message: DecodedValue, names: ValueFieldNames): JsonValue {
  if (Object.hasOwn(message, names.number_value)) return message[names.number_value] as number
  if (Object.hasOwn(message, names.string_value)) return message[names.string_value] as string
  if (Object.hasOwn(message, names.bool_value)) return message[names.bool_value] as boolean
  if (Object.hasOwn(message, names.struct_value)) return structFromMessage(message[names.struct_value] as DecodedValue, names)
  if (Object.hasOwn(message, names.list_value)) return listFromMessage(message[names.list_value] as DecodedValue, names)
  return null // null_value, or no kind set at all
}

export function structFromMessage(message: DecodedValue, names: ValueFieldNames): JsonValue {
  const fields = (message.fields ?? {}) as Record<string, DecodedValue>
  const out: Record<string, JsonValue> = {}
  for (const key of Object.keys(fields).sort()) out[key] = valueFromMessage(fields[key]!, names)
  return out
}

export function listFromMessage(message: DecodedValue, names: ValueFieldNames): JsonValue {
  return ((message.values ?? []) as DecodedValue[]).map((item) => valueFromMessage(item, names))
}

// ---- FieldMask -------------------------------------------------------------------------

const FIELD_MASK_SEGMENT = /^[A-Za-z_][A-Za-z0-9_]*$/

function snakeToCamel(segment: string): string {
  return segment.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())
}

function camelToSnake(segment: string): string {
  return segment.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
}

/**
 * FieldMask JSON is one comma-separated string of lowerCamelCase paths. We accept snake_case
 * segments too and output the camelCase form the JSON mapping specifies.
 */
export function readFieldMask(text: string): string | { error: string } {
  if (text === '') return ''
  const paths = text.split(',')
  for (const path of paths) {
    if (!path.split('.').every((segment) => FIELD_MASK_SEGMENT.test(segment))) return { error: `invalid field mask path "${path}"` }
  }
  return paths.map((path) => path.split('.').map(snakeToCamel).join('.')).join(',')
}

export function fieldMaskToObject(canonical: string): { paths: string[] } {
  const paths = canonical === '' ? [] : canonical.split(',')
  return { paths: paths.map((path) => path.split('.').map(camelToSnake).join('.')) }
}

export function fieldMaskFromMessage(message: DecodedValue): string {
  return ((message.paths ?? []) as string[]).map((path) => path.split('.').map(snakeToCamel).join('.')).join(',')
}
