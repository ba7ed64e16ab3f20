import protobuf from 'protobufjs'
import type { ConfigIssue } from './issues'
import { joinPath } from './issues'
import { PROTOBUF_RECURSION_LIMIT } from './limits'
import { encodeMessage, findMessageType, messageNameOfTypeUrl, messageTypeOrThrow, nameOfType } from './proto-json-codec'
import { specialJsonKind } from './proto-json-wkt'
import { RESOURCE_TYPE_INFO, type ConfigResource, type JsonValue } from './resource-types'

/**
 * A resource as Envoy receives it: protobuf bytes, or why it cannot be. The snapshot build encodes
 * every resource through this function, and validation (PUT, import, commit) runs it too, so
 * whatever the snapshot build would refuse is refused before it is stored (#16 item 6: a Struct
 * nested 50 deep was committed, then every snapshot build of that version failed).
 */
export type EncodedResource = { ok: true; bytes: Uint8Array } | { ok: false; issue: ConfigIssue }

type CanonicalObject = { readonly [key: string]: JsonValue }

export function encodeResource(root: protobuf.Root, r: ConfigResource): EncodedResource {
  const key = { type: r.type, name: r.name }
  const messageName = RESOURCE_TYPE_INFO[r.type].messageName
  const tooDeep = findTooDeep(root, messageTypeOrThrow(root, messageName), r.resource, 0, '')
  if (tooDeep !== null) {
    const message =
      `nested deeper than ${PROTOBUF_RECURSION_LIMIT} protobuf messages, the recursion limit of protobuf parsers (Envoy's included): ` +
      'Envoy would refuse the resource. Each object level of a google.protobuf.Struct counts 3 (map entry, Value, Struct); flatten it'
    return { ok: false, issue: { code: 'PROTO.TOO_DEEP', resource: key, path: tooDeep, message } }
  }
  try {
    return { ok: true, bytes: encodeMessage(root, messageName, r.resource) }
  } catch (err) {
    // Validated input always encodes; if it ever does not, the resource is refused with the reason
    // rather than failing the whole snapshot build (or the request) with a bare exception.
    return { ok: false, issue: { code: 'PROTO.NOT_ENCODABLE', resource: key, path: '', message: `cannot be encoded as ${messageName}: ${(err as Error).message}` } }
  }
}

/**
 * The path of the first message nested deeper than PROTOBUF_RECURSION_LIMIT, or null. Depth counts
 * the way protobuf's C++ parser (Envoy's) does: every sub-message and every map entry is one level.
 * An Any's value is bytes that Envoy unpacks with a fresh limit, so an Any starts again at 0.
 * Input is canonical JSON (what readProtoJson returns); the walk stops at the limit, so it never
 * recurses more than ~100 messages deep.
 */
function findTooDeep(root: protobuf.Root, type: protobuf.Type, value: JsonValue, depth: number, path: string): string | null {
  if (depth > PROTOBUF_RECURSION_LIMIT) return path
  switch (specialJsonKind(nameOfType(type))) {
    case 'any': {
      const { '@type': typeUrl, ...body } = value as CanonicalObject
      const inner = typeof typeUrl === 'string' ? findMessageType(root, messageNameOfTypeUrl(typeUrl) ?? '') : null
      if (!inner) return null
      if (specialJsonKind(nameOfType(inner)) === null) return findTooDeep(root, inner, body, 0, path)
      return body.value === undefined ? null : findTooDeep(root, inner, body.value, 0, joinPath(path, 'value'))
    }
    case 'struct': return structTooDeep(value as CanonicalObject, depth, path)
    case 'value': return valueTooDeep(value, depth, path)
    case 'list': return listTooDeep(value as readonly JsonValue[], depth, path)
    case 'duration':
    case 'timestamp':
    case 'wrapper':
    case 'fieldmask':
      return null // no sub-messages
    case null: return fieldsTooDeep(root, type, value as CanonicalObject, depth, path)
  }
}

function fieldsTooDeep(root: protobuf.Root, type: protobuf.Type, value: CanonicalObject, depth: number, path: string): string | null {
  for (const field of type.fieldsArray) {
    const fieldValue = value[field.name]
    if (fieldValue === undefined) continue
    const fieldPath = joinPath(path, field.name)
    const message = field.resolvedType instanceof protobuf.Type ? field.resolvedType : null
    if (field.map) {
      for (const [key, item] of Object.entries(fieldValue as CanonicalObject)) {
        const entryPath = `${fieldPath}[${JSON.stringify(key)}]`
        if (depth + 1 > PROTOBUF_RECURSION_LIMIT) return entryPath
        const found = message ? findTooDeep(root, message, item, depth + 2, entryPath) : null
        if (found !== null) return found
      }
    } else if (message && field.repeated) {
      for (const [i, item] of (fieldValue as readonly JsonValue[]).entries()) {
        const found = findTooDeep(root, message, item, depth + 1, joinPath(fieldPath, i))
        if (found !== null) return found
      }
    } else if (message) {
      const found = findTooDeep(root, message, fieldValue, depth + 1, fieldPath)
      if (found !== null) return found
    }
  }
  return null
}

/** Struct at `depth`: each field is a map entry (depth + 1) holding a Value (depth + 2). */
function structTooDeep(struct: CanonicalObject, depth: number, path: string): string | null {
  for (const [key, item] of Object.entries(struct)) {
    const found = valueTooDeep(item, depth + 2, `${path}[${JSON.stringify(key)}]`)
    if (found !== null) return found
  }
  return null
}

/** Value at `depth`: an object is a Struct, an array a ListValue, one level further. */
function valueTooDeep(value: JsonValue, depth: number, path: string): string | null {
  if (depth > PROTOBUF_RECURSION_LIMIT) return path
  if (value === null || typeof value !== 'object') return null
  if (depth + 1 > PROTOBUF_RECURSION_LIMIT) return path
  return Array.isArray(value) ? listTooDeep(value, depth + 1, path) : structTooDeep(value as CanonicalObject, depth + 1, path)
}

/** ListValue at `depth`: each item is a Value (depth + 1). */
function listTooDeep(list: readonly JsonValue[], depth: number, path: string): string | null {
  for (const [i, item] of list.entries()) {
    const found = valueTooDeep(item, depth + 1, joinPath(path, i))
    if (found !== null) return found
  }
  return null
}
