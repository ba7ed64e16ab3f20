import protobuf from 'protobufjs'
import type { JsonValue } from './resource-types'
import {
  fieldMaskFromMessage,
  fieldMaskToObject,
  formatDuration,
  formatTimestamp,
  listFromMessage,
  listToObject,
  parseDuration,
  parseTimestamp,
  specialJsonKind,
  structFromMessage,
  structToObject,
  valueFromMessage,
  valueFieldNames,
  valueToObject,
  type SecondsNanos,
  type ValueFieldNames,
} from './proto-json-wkt'

// Canonical JSON (what readProtoJson outputs) ⇄ protobuf binary. protobufjs does the wire work;
// we only translate the JSON forms it doesn't know (WKTs, Any, base64, decimal-string longs)
// and make the bytes deterministic.

type ProtoObject = { [field: string]: unknown }
type CanonicalObject = { readonly [key: string]: JsonValue }

const TYPE_URL_PREFIX = 'type.googleapis.com/'
const LONG_TYPES = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64'])
const UNSIGNED_LONG_TYPES = new Set(['uint64', 'fixed64'])

export function typeUrlOf(messageName: string): string {
  return TYPE_URL_PREFIX + messageName.replace(/^\./, '')
}

/** The message name after the last "/" (any URL prefix is accepted, as Envoy does), or null. */
export function messageNameOfTypeUrl(typeUrl: string): string | null {
  const slash = typeUrl.lastIndexOf('/')
  const name = typeUrl.slice(slash + 1)
  return slash < 0 || name === '' ? null : name
}

/** Exact lookup: protobufjs `lookup` also matches suffixes ("Cluster" finds envoy.config.cluster.v3.Cluster). */
export function findMessageType(root: protobuf.Root, messageName: string): protobuf.Type | null {
  const found = root.lookup(messageName.replace(/^\.?/, '.'))
  return found instanceof protobuf.Type && found.fullName === messageName.replace(/^\.?/, '.') ? found : null
}

export function messageTypeOrThrow(root: protobuf.Root, messageName: string): protobuf.Type {
  const type = findMessageType(root, messageName)
  if (!type) throw new Error(`unknown protobuf message ${messageName}`)
  return type
}

export function nameOfType(type: protobuf.Type | protobuf.Enum): string {
  return type.fullName.slice(1)
}

/** protobufjs types map fields as MapField, which TypeScript does not see as a Field. */
export function mapKeyType(field: protobuf.Field): string {
  return field instanceof protobuf.MapField ? field.keyType : 'string'
}

export function isLongType(scalarType: string): boolean {
  return LONG_TYPES.has(scalarType)
}

/** The shortest decimal that is the same float32: what protoc prints, and stable across a round trip. */
export function canonicalFloat32(value: number): number | string {
  if (!Number.isFinite(value)) return String(value)
  const stored = Math.fround(value)
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(stored.toPrecision(digits))
    if (Math.fround(candidate) === stored) return candidate
  }
  return stored
}

// ---- encode ----------------------------------------------------------------------------

/**
 * Canonical JSON → protobuf bytes. Deterministic: protobufjs writes fields in field-number
 * order (encoder.js sorts by id) but map entries in Object.keys order, so maps and Struct
 * keys are sorted here. Singular scalars holding their proto3 default are left out, as protoc
 * does, so `{"port": 0}` and `{}` encode the same. Throws on input that is not canonical (a bug).
 */
export function encodeMessage(root: protobuf.Root, messageName: string, canonical: JsonValue): Uint8Array {
  const type = messageTypeOrThrow(root, messageName)
  return type.encode(type.fromObject(messageToObject(root, type, canonical))).finish()
}

function messageToObject(root: protobuf.Root, type: protobuf.Type, value: JsonValue): ProtoObject {
  switch (specialJsonKind(nameOfType(type))) {
    case 'any': return anyToObject(root, value as CanonicalObject)
    case 'duration': return secondsNanosToObject(parseDuration(value as string))
    case 'timestamp': return secondsNanosToObject(parseTimestamp(value as string))
    case 'wrapper': return { value: singleToObject(root, type.fields.value!, value) }
    case 'struct': return structToObject(value as CanonicalObject, valueNames(root))
    case 'value': return valueToObject(value, valueNames(root))
    case 'list': return listToObject(value as readonly JsonValue[], valueNames(root))
    case 'fieldmask': return fieldMaskToObject(value as string)
    case null: return fieldsToObject(root, type, value as CanonicalObject)
  }
}

function valueNames(root: protobuf.Root): ValueFieldNames {
  return valueFieldNames(messageTypeOrThrow(root, 'google.protobuf.Value'))
}

function secondsNanosToObject(parsed: SecondsNanos | string): ProtoObject {
  if (typeof parsed === 'string') throw new Error(parsed)
  return { seconds: parsed.seconds.toString(), nanos: parsed.nanos }
}

function anyToObject(root: protobuf.Root, value: CanonicalObject): ProtoObject {
  const typeUrl = value['@type'] as string
  const inner = messageTypeOrThrow(root, messageNameOfTypeUrl(typeUrl) ?? typeUrl)
  const { '@type': _typeUrl, ...body } = value
  // A well-known inner type keeps its special JSON under "value" (proto3 JSON mapping for Any).
  const content = specialJsonKind(nameOfType(inner)) === null ? body : body.value
  const bytes = content === undefined ? new Uint8Array() : encodeMessage(root, nameOfType(inner), content)
  return { type_url: typeUrl, value: bytes }
}

function fieldsToObject(root: protobuf.Root, type: protobuf.Type, value: CanonicalObject): ProtoObject {
  const out: ProtoObject = {}
  for (const field of type.fieldsArray) {
    const fieldValue = value[field.name]
    if (fieldValue === undefined || isImplicitDefault(field, fieldValue)) continue
    if (field.map) out[field.name] = mapToObject(root, field, fieldValue as CanonicalObject)
    else if (field.repeated) out[field.name] = (fieldValue as readonly JsonValue[]).map((item) => singleToObject(root, field, item))
    else out[field.name] = singleToObject(root, field, fieldValue)
  }
  return out
}

/** proto3 fields without presence (not in a oneof, not `optional`, not messages) don't go on the wire at their default. */
function isImplicitDefault(field: protobuf.Field, value: JsonValue): boolean {
  if (field.partOf || field.repeated || field.map || field.resolvedType instanceof protobuf.Type) return false
  if (field.resolvedType instanceof protobuf.Enum) return value === 0 || (typeof value === 'string' && field.resolvedType.values[value] === 0)
  if (field.type === 'string' || field.type === 'bytes') return value === ''
  if (field.type === 'bool') return value === false
  return isLongType(field.type) ? value === '0' : value === 0
}

function mapToObject(root: protobuf.Root, field: protobuf.Field, value: CanonicalObject): ProtoObject {
  const out: ProtoObject = {}
  for (const key of Object.keys(value).sort()) out[key] = singleToObject(root, field, value[key]!)
  return out
}

function singleToObject(root: protobuf.Root, field: protobuf.Field, value: JsonValue): unknown {
  const resolved = field.resolvedType
  if (resolved instanceof protobuf.Type) return messageToObject(root, resolved, value)
  if (resolved instanceof protobuf.Enum) return typeof value === 'string' ? resolved.values[value] : (value ?? 0)
  if (field.type === 'bytes') return Buffer.from(value as string, 'base64')
  if (field.type === 'double' || field.type === 'float') return Number(value) // "NaN", "Infinity", "-Infinity"
  return value // 64-bit decimal strings: protobufjs parses them with Long.fromValue
}

// ---- decode ----------------------------------------------------------------------------

/**
 * Protobuf bytes → canonical JSON in readProtoJson's shape (snake_case, declaration order,
 * Any expanded with "@type"). proto3 scalars at their default are not on the wire, so an
 * explicit `"name": ""` read by readProtoJson comes back absent. An Any whose type is not in
 * `root` comes back as {"@type", "value": <base64 bytes>} rather than throwing, so a config
 * dump with foreign extensions still renders.
 */
export function decodeMessage(root: protobuf.Root, messageName: string, bytes: Uint8Array): JsonValue {
  const type = messageTypeOrThrow(root, messageName)
  return messageToCanonical(root, type, type.decode(bytes) as unknown as ProtoObject)
}

function messageToCanonical(root: protobuf.Root, type: protobuf.Type, message: ProtoObject): JsonValue {
  switch (specialJsonKind(nameOfType(type))) {
    case 'any': return anyToCanonical(root, message)
    case 'duration': return formatDuration(secondsNanosOf(message))
    case 'timestamp': return formatTimestamp(secondsNanosOf(message))
    case 'wrapper': return scalarToCanonical(type.fields.value!, message.value ?? type.fields.value!.typeDefault)
    case 'struct': return structFromMessage(message, valueNames(root))
    case 'value': return valueFromMessage(message, valueNames(root))
    case 'list': return listFromMessage(message, valueNames(root))
    case 'fieldmask': return fieldMaskFromMessage(message)
    case null: return fieldsToCanonical(root, type, message)
  }
}

function secondsNanosOf(message: ProtoObject): SecondsNanos {
  return { seconds: BigInt(longToString(message.seconds ?? 0)), nanos: Number(message.nanos ?? 0) }
}

function anyToCanonical(root: protobuf.Root, message: ProtoObject): JsonValue {
  const typeUrl = String(message.type_url ?? '')
  const bytes = (message.value ?? new Uint8Array()) as Uint8Array
  const inner = findMessageType(root, messageNameOfTypeUrl(typeUrl) ?? '')
  if (!inner) return { '@type': typeUrl, value: Buffer.from(bytes).toString('base64') }
  const content = decodeMessage(root, nameOfType(inner), bytes)
  if (specialJsonKind(nameOfType(inner)) !== null) return { '@type': typeUrl, value: content }
  return { '@type': typeUrl, ...(content as CanonicalObject) }
}

function fieldsToCanonical(root: protobuf.Root, type: protobuf.Type, message: ProtoObject): JsonValue {
  const out: Record<string, JsonValue> = {}
  for (const field of type.fieldsArray) {
    // Decoded messages carry own properties only for what was on the wire (plus empty
    // arrays/maps the constructor creates), so hasOwn tells "set" from "default".
    if (!Object.hasOwn(message, field.name)) continue
    const value = message[field.name]
    if (field.map) {
      const entries = Object.entries(value as ProtoObject)
      if (entries.length > 0) out[field.name] = mapToCanonical(root, field, entries)
    } else if (field.repeated) {
      const items = value as unknown[]
      if (items.length > 0) out[field.name] = items.map((item) => singleToCanonical(root, field, item))
    } else {
      out[field.name] = singleToCanonical(root, field, value)
    }
  }
  return out
}

function mapToCanonical(root: protobuf.Root, field: protobuf.Field, entries: [string, unknown][]): JsonValue {
  const out: Record<string, JsonValue> = {}
  const keyed = entries.map(([key, value]) => [mapKeyToCanonical(field, key), value] as const)
  for (const [key, value] of keyed.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) out[key] = singleToCanonical(root, field, value)
  return out
}

/** protobufjs stores 64-bit map keys as 8-char "long hashes" (decoder.js util.longToHash). */
function mapKeyToCanonical(field: protobuf.Field, key: string): string {
  if (!isLongType(mapKeyType(field)) || /^-?\d+$/.test(key)) return key
  return protobuf.util.longFromHash(key, UNSIGNED_LONG_TYPES.has(mapKeyType(field))).toString()
}

function singleToCanonical(root: protobuf.Root, field: protobuf.Field, value: unknown): JsonValue {
  const resolved = field.resolvedType
  if (resolved instanceof protobuf.Type) return messageToCanonical(root, resolved, value as ProtoObject)
  if (resolved instanceof protobuf.Enum) {
    if (nameOfType(resolved) === 'google.protobuf.NullValue') return null
    return resolved.valuesById[value as number] ?? (value as number)
  }
  return scalarToCanonical(field, value)
}

function scalarToCanonical(field: protobuf.Field, value: unknown): JsonValue {
  if (isLongType(field.type)) return longToString(value)
  if (field.type === 'bytes') return Buffer.from(value as Uint8Array).toString('base64')
  if (field.type === 'float') return canonicalFloat32(value as number)
  if (field.type === 'double') return Number.isFinite(value) ? (value as number) : String(value)
  return value as JsonValue
}

/** protobufjs gives 64-bit values as Long (when the `long` package is present) or number. */
function longToString(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'bigint') return BigInt(value).toString()
  return String(value) // Long#toString honours its `unsigned` flag
}
