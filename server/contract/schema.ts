import { z } from 'zod'
import type { MessageSchema } from '../config/proto-schema'

/**
 * GET /schema/{message}: one Envoy message as the console's YAML/JSON editor needs it for completion
 * and hover docs, read from the descriptors the server validates with (server/config/proto-schema.ts).
 * The editor asks for the resource's message first and for a nested one when the cursor gets there.
 */
export const MESSAGE_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/
const CATEGORY_PATTERN = /^[a-z0-9_]+(?:\.[a-z0-9_]+)*$/

export const MessageNameParam = z.string().max(256).regex(MESSAGE_NAME_PATTERN, 'a fully qualified protobuf message name, like envoy.config.cluster.v3.Cluster')

export const SchemaQuery = z.object({
  /**
   * The extension categories of the field the message is reached through (comma-separated, its
   * `categories`): an Any field of the message that names none itself offers their type URLs.
   */
  categories: z
    .string()
    .max(1024)
    .optional()
    .transform((s) => (s ? s.split(',').map((c) => c.trim()).filter((c) => c !== '') : []))
    .pipe(z.array(z.string().regex(CATEGORY_PATTERN, 'an extension category, like envoy.filters.http')).max(16)),
})
export type SchemaQuery = z.infer<typeof SchemaQuery>

const SpecialJsonKindSchema = z.enum(['any', 'duration', 'timestamp', 'wrapper', 'struct', 'value', 'list', 'fieldmask'])

export const SchemaFieldSchema = z
  .object({
    name: z.string(),
    jsonName: z.string(),
    kind: z.enum(['scalar', 'enum', 'message']),
    /** A scalar type (`uint32`) or the full name of the enum or message. */
    type: z.string(),
    /** A message with a JSON form of its own: `duration` ("5s"), `wrapper` (the bare value), `any` ({"@type": …}), … */
    wellKnown: SpecialJsonKindSchema.nullable(),
    label: z.enum(['single', 'repeated', 'map']),
    mapKey: z.string().nullable(),
    oneof: z.string().nullable(),
    deprecated: z.boolean(),
    /** The field's comment in the .proto file, as plain text. */
    doc: z.string().nullable(),
    values: z.array(z.object({ name: z.string(), doc: z.string().nullable() }).readonly()).readonly().nullable(),
    /** Its Envoy extension categories: pass them as `?categories=` when asking for the field's message. */
    categories: z.array(z.string()).readonly(),
    /** An Any field: the key in the message's `typeUrls` of the type URLs it may hold. */
    typeUrls: z.string().nullable(),
  })
  .readonly()

export const MessageSchemaSchema = z
  .object({
    name: z.string(),
    doc: z.string().nullable(),
    wellKnown: SpecialJsonKindSchema.nullable(),
    fields: z.array(SchemaFieldSchema).readonly(),
    oneofs: z.array(z.object({ name: z.string(), fields: z.array(z.string()).readonly(), required: z.boolean() }).readonly()).readonly(),
    /** Type URLs per key (`*`: every extension; else the categories that narrowed them). */
    typeUrls: z.record(z.string(), z.array(z.string()).readonly()).readonly(),
  })
  .readonly()

// The zod schema and the pure extractor describe the same shape.
export type MessageSchemaView = z.infer<typeof MessageSchemaSchema>
export type SchemaFieldView = z.infer<typeof SchemaFieldSchema>
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
const _sameShape: Same<MessageSchema, MessageSchemaView> = true
void _sameShape
