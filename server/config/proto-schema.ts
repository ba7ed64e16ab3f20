import protobuf from 'protobufjs'
import { findMessageType, mapKeyType, nameOfType, typeUrlOf } from './proto-json-codec'
import { isOneofRequired } from './proto-json-pgv'
import { specialJsonKind, type SpecialJsonKind } from './proto-json-wkt'

// What the console's YAML/JSON editor needs to know about one Envoy message, read from the same
// protobufjs descriptors the server validates with (proto/loader.ts): its fields by proto name, how
// each is written in proto3 JSON (a scalar, an enum name, a message, a well-known type with a JSON
// form of its own, a list or a map), the enum values, the oneofs, the comments of the .proto files
// (kept by protobufjs' alternateCommentMode), and for every google.protobuf.Any the type URLs it may
// hold. One message per answer: the editor asks for a nested message when the cursor gets there.

export type SchemaEnumValue = Readonly<{ name: string; doc: string | null }>

export type SchemaField = Readonly<{
  /** The proto field name (what Envoy's own config dumps print, and what this control plane stores). */
  name: string
  /** lowerCamelCase, also accepted in proto3 JSON. */
  jsonName: string
  kind: 'scalar' | 'enum' | 'message'
  /** A scalar type (`uint32`, `string`, …) or the full name of the enum or message. */
  type: string
  /** A message with a JSON form of its own (`duration`: "5s", `wrapper`: the bare value, `any`: {"@type": …}). */
  wellKnown: SpecialJsonKind | null
  label: 'single' | 'repeated' | 'map'
  /** The key type of a map field. */
  mapKey: string | null
  /** The oneof the field belongs to: at most one of its fields may be set. */
  oneof: string | null
  deprecated: boolean
  doc: string | null
  /** The enum's values, for an enum field. */
  values: readonly SchemaEnumValue[] | null
  /**
   * The Envoy extension categories of the field (`[#extension-category: …]` in its comment; for a
   * field without one whose message type other fields name with a few categories, theirs). The
   * editor passes them on when it asks for the field's message, to narrow that message's Any fields.
   */
  categories: readonly string[]
  /** For an Any field: the key in `typeUrls` of the type URLs it may hold. */
  typeUrls: string | null
}>

export type SchemaOneof = Readonly<{ name: string; fields: readonly string[]; required: boolean }>

export type MessageSchema = Readonly<{
  name: string
  doc: string | null
  wellKnown: SpecialJsonKind | null
  fields: readonly SchemaField[]
  oneofs: readonly SchemaOneof[]
  /** Type URLs for the Any fields, by the key the fields give (`*`: every extension, nothing narrowed it). */
  typeUrls: Readonly<Record<string, readonly string[]>>
}>

/** More categories than this on a message type's fields say nothing about one field of that type. */
const MAX_DERIVED_CATEGORIES = 4
const MAX_DOC_CHARS = 2000
const CATEGORY_ANNOTATION = /\[#extension-category:\s*([^\]]+)\]/
/** TypedStruct may stand in any typed_config for an extension whose descriptor a client lacks. */
const ALWAYS_OFFERED = ['xds.type.v3.TypedStruct', 'udpa.type.v1.TypedStruct']

type SchemaIndex = Readonly<{
  /** Extension name (`envoy.filters.http.router`, from the package) → its top-level messages. */
  extensions: ReadonlyMap<string, readonly string[]>
  /** Message type → the categories fields of that type carry. */
  categoriesOfType: ReadonlyMap<string, ReadonlySet<string>>
}>

const indexes = new WeakMap<protobuf.Root, SchemaIndex>()

function allTypes(namespace: protobuf.NamespaceBase, out: protobuf.Type[] = []): protobuf.Type[] {
  for (const nested of namespace.nestedArray) {
    if (nested instanceof protobuf.Type) out.push(nested)
    if (nested instanceof protobuf.Namespace || nested instanceof protobuf.Type) allTypes(nested, out)
  }
  return out
}

/**
 * `envoy.extensions.filters.http.router.v3` → `envoy.filters.http.router`: Envoy names an extension
 * after its package (api/STYLE.md "Extensions"), which is what `[#extension-category]` prefixes.
 */
function extensionNameOf(type: protobuf.Type): string | null {
  const pkg = type.parent?.fullName.slice(1) ?? ''
  const match = /^envoy\.extensions\.(.+)\.v\d+(?:alpha\d*)?$/.exec(pkg)
  return match ? `envoy.${match[1]}` : null
}

function indexOf(root: protobuf.Root): SchemaIndex {
  const known = indexes.get(root)
  if (known) return known
  const extensions = new Map<string, string[]>()
  const categoriesOfType = new Map<string, Set<string>>()
  for (const type of allTypes(root)) {
    const extension = type.parent instanceof protobuf.Type ? null : extensionNameOf(type)
    if (extension !== null && specialJsonKind(nameOfType(type)) === null) extensions.set(extension, [...(extensions.get(extension) ?? []), nameOfType(type)])
    for (const field of type.fieldsArray) {
      const resolved = field.resolvedType
      if (!(resolved instanceof protobuf.Type)) continue
      const own = ownCategories(field)
      if (own.length === 0) continue
      const set = categoriesOfType.get(nameOfType(resolved)) ?? new Set<string>()
      for (const c of own) set.add(c)
      categoriesOfType.set(nameOfType(resolved), set)
    }
  }
  const index = { extensions, categoriesOfType }
  indexes.set(root, index)
  return index
}

function ownCategories(field: protobuf.Field): string[] {
  const match = CATEGORY_ANNOTATION.exec(field.comment ?? '')
  return match ? match[1]!.split(',').map((c) => c.trim()).filter((c) => c !== '') : []
}

function fieldCategories(index: SchemaIndex, field: protobuf.Field): string[] {
  const own = ownCategories(field)
  if (own.length > 0) return own
  const resolved = field.resolvedType
  if (!(resolved instanceof protobuf.Type)) return []
  const derived = index.categoriesOfType.get(nameOfType(resolved))
  return derived && derived.size <= MAX_DERIVED_CATEGORIES ? [...derived].sort() : []
}

/**
 * The messages of the extensions in `categories`: those named under a category (`envoy.filters.http`
 * → `envoy.filters.http.router`), or, for a category no extension is named under, under its parent
 * (`envoy.transport_sockets.upstream` → `envoy.transport_sockets.tls`). No categories: every extension.
 */
export function typeUrlsFor(root: protobuf.Root, categories: readonly string[]): string[] {
  const { extensions } = indexOf(root)
  const under = (prefix: string) => [...extensions.entries()].filter(([name]) => name.startsWith(`${prefix}.`)).flatMap(([, messages]) => messages)
  const messages = new Set<string>()
  if (categories.length === 0) for (const list of extensions.values()) for (const m of list) messages.add(m)
  for (const category of categories) {
    let found = under(category)
    const parent = category.slice(0, category.lastIndexOf('.'))
    if (found.length === 0 && parent.split('.').length >= 2) found = under(parent)
    for (const m of found) messages.add(m)
  }
  for (const m of ALWAYS_OFFERED) if (findMessageType(root, m)) messages.add(m)
  return [...messages].sort().map(typeUrlOf)
}

/**
 * Comment text as plain text: Envoy's Sphinx markup (`:ref:` roles, ``literals``, `[#…]`
 * annotations, `.. note::`) reduced to what a tooltip can show, hard-wrapped lines joined.
 */
export function plainDoc(comment: string | null | undefined): string | null {
  if (!comment) return null
  const text = comment
    .replace(/\[#[^\]]*\]/g, '')
    .replace(/:[a-z-]+:`([^`<]*?)\s*<([^>]*)>`/g, (_, label: string, target: string) => (label.trim() !== '' ? label.trim() : target))
    .replace(/:[a-z-]+:`([^`]*)`/g, (_, target: string) => target.replace(/^envoy_v3_api_(?:field|msg|enum|enum_value)_/, ''))
    .replace(/``([^`]+)``/g, '`$1`')
    .replace(/^\.\. (note|attention|warning|tip)::\s*/gim, (_, kind: string) => `${kind[0]!.toUpperCase()}${kind.slice(1)}: `)
    .replace(/^\.\. [a-z-]+::.*$/gim, '')
  const paragraphs = text
    .split(/\n\s*\n/)
    .map((p) => p.split('\n').map((line) => line.trim()).filter((line) => line !== '').reduce((acc, line) => (acc === '' ? line : /^[*-] /.test(line) ? `${acc}\n${line}` : `${acc} ${line}`), ''))
    .filter((p) => p !== '')
  const joined = paragraphs.join('\n\n').trim()
  if (joined === '') return null
  return joined.length > MAX_DOC_CHARS ? `${joined.slice(0, MAX_DOC_CHARS - 1).trimEnd()}…` : joined
}

/** protoc's ToJsonName (keepCase leaves `field.jsonName` unset); proto-json.ts reads the same names. */
function jsonNameOf(field: protobuf.Field): string {
  const explicit = field.options?.json_name
  if (typeof explicit === 'string') return explicit
  return field.name.replace(/_(.)/g, (_, c: string) => c.toUpperCase()).replace(/_$/, '')
}

/** A proto3 `optional` field sits alone in a synthetic oneof `_name`: not a choice the user makes. */
function isSyntheticOneof(oneof: protobuf.OneOf): boolean {
  return oneof.oneof.length === 1 && oneof.name === `_${oneof.oneof[0]}`
}

function enumValues(enumType: protobuf.Enum): SchemaEnumValue[] {
  return Object.keys(enumType.values).map((name) => ({ name, doc: plainDoc(enumType.comments[name]) }))
}

/**
 * One message as the editor needs it, or null if the descriptors have no such message.
 * `context`: the categories of the field the message was reached through (SchemaField.categories),
 * used for an Any field that names none itself (TransportSocket.typed_config, inside FilterChain.transport_socket).
 */
export function describeMessage(root: protobuf.Root, messageName: string, context: readonly string[] = []): MessageSchema | null {
  const type = findMessageType(root, messageName)
  if (!type) return null
  const index = indexOf(root)
  const typeUrls: Record<string, readonly string[]> = {}
  const fields = type.fieldsArray.map((field): SchemaField => {
    const resolved = field.resolvedType
    const kind = resolved instanceof protobuf.Type ? 'message' : resolved instanceof protobuf.Enum ? 'enum' : 'scalar'
    const typeName = resolved instanceof protobuf.Type || resolved instanceof protobuf.Enum ? nameOfType(resolved) : field.type
    const wellKnown = resolved instanceof protobuf.Type ? specialJsonKind(typeName) : null
    const categories = fieldCategories(index, field)
    let typeUrlKey: string | null = null
    if (wellKnown === 'any') {
      const narrowing = categories.length > 0 ? categories : [...context].sort()
      typeUrlKey = narrowing.length > 0 ? narrowing.join(',') : '*'
      typeUrls[typeUrlKey] ??= typeUrlsFor(root, narrowing)
    }
    const oneof = field.partOf && !isSyntheticOneof(field.partOf) ? field.partOf.name : null
    return {
      name: field.name,
      jsonName: jsonNameOf(field),
      kind,
      type: typeName,
      wellKnown,
      label: field.map ? 'map' : field.repeated ? 'repeated' : 'single',
      mapKey: field.map ? mapKeyType(field) : null,
      oneof,
      deprecated: field.options?.deprecated === true,
      doc: plainDoc(field.comment),
      values: resolved instanceof protobuf.Enum ? enumValues(resolved) : null,
      categories,
      typeUrls: typeUrlKey,
    }
  })
  const oneofs = type.oneofsArray.filter((o) => !isSyntheticOneof(o)).map((o) => ({ name: o.name, fields: [...o.oneof], required: isOneofRequired(o) }))
  return { name: nameOfType(type), doc: plainDoc(type.comment), wellKnown: specialJsonKind(nameOfType(type)), fields, oneofs, typeUrls }
}
