import type protobuf from 'protobufjs'
import { describeMessage, type MessageSchema } from '../config/proto-schema'
import { LegationError } from '../errors'

/** GET /schema/{message}: one Envoy message for the console's editor (completion and hover docs). */
export function describeEnvoyMessage({ root, message, categories }: { root: protobuf.Root; message: string; categories: readonly string[] }): MessageSchema {
  const schema = describeMessage(root, message, categories)
  if (!schema) throw new LegationError('RESOURCE.TYPE_UNKNOWN', `no message '${message}' in the Envoy descriptors this control plane has`)
  return schema
}
