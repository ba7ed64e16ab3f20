import { queryOptions } from '@tanstack/react-query'
import type { MessageSchemaView, SchemaFieldView } from '@/server/contract'
import { apiFetch, apiPath } from '../api'
import type { PathSegment } from './cursor-path'

/**
 * The Envoy schema as the editor reads it: one message per GET /schema/{message} (from the server's
 * own descriptors), fetched when the cursor first gets into it and kept for the session (the
 * browser's HTTP cache keeps it across reloads).
 */
export const schemaQueries = {
  all: () => ['schema'] as const,
  message: (message: string, categories: readonly string[]) =>
    queryOptions({
      queryKey: [...schemaQueries.all(), message, categories.join(',')] as const,
      queryFn: ({ signal }) => apiFetch<MessageSchemaView>(`${apiPath('schema', message)}${categories.length > 0 ? `?categories=${encodeURIComponent(categories.join(','))}` : ''}`, { signal }),
      staleTime: Infinity,
      gcTime: Infinity,
      retry: false,
    }),
}

export type SchemaLoader = (message: string, categories: readonly string[]) => Promise<MessageSchemaView>

/** What the mapping (or list item) at a path is. */
export type ResolvedMapping =
  /** A message: its fields are the keys. */
  | Readonly<{ kind: 'message'; schema: MessageSchemaView }>
  /** A google.protobuf.Any: `@type` (one of `typeUrls`), then the fields of the message it names (`inner`, once known). */
  | Readonly<{ kind: 'any'; field: SchemaFieldView; typeUrls: readonly string[]; inner: MessageSchemaView | null }>
  /** An item of a list (or map) of scalars or enum values: no keys, a value. */
  | Readonly<{ kind: 'element'; field: SchemaFieldView }>

export function findField(schema: MessageSchemaView, key: string): SchemaFieldView | null {
  return schema.fields.find((f) => f.name === key || f.jsonName === key) ?? null
}

/** The message name in a type URL (`type.googleapis.com/envoy.x.v3.Y` → `envoy.x.v3.Y`). */
export function messageOfTypeUrl(typeUrl: string): string | null {
  const name = typeUrl.slice(typeUrl.lastIndexOf('/') + 1)
  return /^[A-Za-z_][\w.]*$/.test(name) ? name : null
}

/**
 * Walks `path` from the resource's message through the schema, fetching each message on the way.
 * An Any is entered through the `@type` written in it (`typeAt`, read from the text). Null where the
 * schema has nothing to say: an unknown field, a Struct's free-form content, a value past a scalar.
 */
export async function resolveMapping(load: SchemaLoader, rootMessage: string, path: readonly PathSegment[], typeAt: (anyPath: readonly PathSegment[]) => string | null): Promise<ResolvedMapping | null> {
  let current: ResolvedMapping = { kind: 'message', schema: await load(rootMessage, []) }
  let i = 0
  while (i < path.length) {
    const segment = path[i]!
    const schema: MessageSchemaView | null = current.kind === 'message' ? current.schema : current.kind === 'any' ? current.inner : null
    if (!schema || typeof segment !== 'string') return null
    const field = findField(schema, segment)
    if (!field) return null
    i++
    if (field.label !== 'single') {
      // A list or map itself is not a mapping of fields; its items (by index or key) are.
      if (i >= path.length) return null
      i++
    }
    if (field.kind !== 'message') return i === path.length && field.label !== 'single' ? { kind: 'element', field } : null
    if (field.wellKnown === 'any') {
      const typeUrls: readonly string[] = field.typeUrls === null ? [] : (schema.typeUrls[field.typeUrls] ?? [])
      // Only a type URL the schema offers here is looked up: not one still being typed, or misspelt.
      const typeUrl = typeAt(path.slice(0, i))
      const innerName = typeUrl && typeUrls.includes(typeUrl) ? messageOfTypeUrl(typeUrl) : null
      const inner = innerName ? await load(innerName, []).catch(() => null) : null
      current = { kind: 'any', field, typeUrls, inner }
    } else if (field.wellKnown !== null) {
      // Duration, wrappers, Struct, …: written as a value of their own, not as fields.
      return null
    } else {
      current = { kind: 'message', schema: await load(field.type, field.categories) }
    }
  }
  return current
}

function shortName(type: string): string {
  return type.slice(type.lastIndexOf('.') + 1)
}

const WELL_KNOWN_FORM: Readonly<Record<string, string>> = {
  duration: 'Duration, e.g. "5s"',
  timestamp: 'Timestamp (RFC 3339)',
  any: 'Any: "@type" and its fields',
  struct: 'Struct (free-form mapping)',
  value: 'Value (any JSON)',
  list: 'ListValue (a list)',
  fieldmask: 'FieldMask ("a.b,c")',
}

/** A field's type in a few words: `enum LbPolicy`, `list of FilterChain`, `UInt32Value (a number)`. */
export function typeSummary(field: SchemaFieldView): string {
  let element: string
  if (field.kind === 'enum') element = `enum ${shortName(field.type)}`
  else if (field.kind === 'scalar') element = /64$/.test(field.type) ? `${field.type} (a number or string)` : field.type
  else if (field.wellKnown === 'wrapper') element = `${shortName(field.type)} (the bare value)`
  else if (field.wellKnown !== null) element = WELL_KNOWN_FORM[field.wellKnown] ?? shortName(field.type)
  else element = shortName(field.type)
  if (field.label === 'repeated') return `list of ${element}`
  if (field.label === 'map') return `map of ${field.mapKey ?? 'string'} to ${element}`
  return element
}

/** The enum values, or true/false, a field's value (or list item) may take. */
export function valueChoices(field: SchemaFieldView): ReadonlyArray<Readonly<{ name: string; doc: string | null }>> {
  if (field.values) return field.values
  if (field.type === 'bool' || field.type === 'google.protobuf.BoolValue') return [{ name: 'true', doc: null }, { name: 'false', doc: null }]
  return []
}
