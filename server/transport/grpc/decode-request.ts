import protobuf from 'protobufjs'

/**
 * Decoders for DiscoveryRequest and DeltaDiscoveryRequest that read the fields every request carries
 * (names, versions, nonce, type URL, initial_resource_versions) straight into the object the stream
 * gets, and hand anything else (node, error_detail, resource locators, unknown fields) to the generic
 * proto-loader decoder. #13 item 1: an Envoy ACK repeats its 1,000 subscribed names, and a delta
 * reconnect carries 1,000 initial versions; the generic decoder builds a message object and then a
 * second, plain one (toObject) for each. The result is the same object proto-loader gives (tested),
 * except that a map field is a Map (a 1,000-key object is a slow dictionary to fill and to read).
 *
 * Field numbers from envoy/service/discovery/v3/discovery.proto. Every field read here is
 * length-delimited (wire type 2); a field number with another wire type is left to the generic decoder.
 */
type Generic = (bytes: Buffer) => object

/** How each hot field is read: a singular string (last one wins), a repeated string, or a map<string, string>. */
type FieldPlan = Readonly<Record<number, Readonly<{ name: string; kind: 'string' | 'strings' | 'map' }>>>

const DISCOVERY_REQUEST: FieldPlan = {
  1: { name: 'version_info', kind: 'string' },
  3: { name: 'resource_names', kind: 'strings' },
  4: { name: 'type_url', kind: 'string' },
  5: { name: 'response_nonce', kind: 'string' },
}

const DELTA_DISCOVERY_REQUEST: FieldPlan = {
  2: { name: 'type_url', kind: 'string' },
  3: { name: 'resource_names_subscribe', kind: 'strings' },
  4: { name: 'resource_names_unsubscribe', kind: 'strings' },
  5: { name: 'initial_resource_versions', kind: 'map' },
  6: { name: 'response_nonce', kind: 'string' },
}

const LENGTH_DELIMITED = 2

function decoderFor(plan: FieldPlan, generic: Generic): (bytes: Buffer) => object {
  return (bytes) => {
    const reader = protobuf.Reader.create(bytes)
    const hot: Record<string, string | string[] | Map<string, string>> = {}
    // The other fields, each with its tag, in order: decoded together by the generic decoder.
    let rest: Uint8Array[] | null = null
    while (reader.pos < reader.len) {
      const start = reader.pos
      const tag = reader.uint32()
      const field = plan[tag >>> 3]
      if (!field || (tag & 7) !== LENGTH_DELIMITED) {
        reader.skipType(tag & 7)
        ;(rest ??= []).push(bytes.subarray(start, reader.pos))
        continue
      }
      if (field.kind === 'string') hot[field.name] = reader.string()
      else if (field.kind === 'strings') ((hot[field.name] ??= []) as string[]).push(reader.string())
      else readMapEntry(reader, (hot[field.name] ??= new Map()) as Map<string, string>)
    }
    const base = generic(rest ? Buffer.concat(rest) : EMPTY)
    return { ...base, ...hot }
  }
}

const EMPTY = Buffer.alloc(0)

/** One map<string, string> entry (key = 1, value = 2; either may be absent, then ''; a repeated key: the last wins), as protobufjs reads it. */
function readMapEntry(reader: protobuf.Reader, into: Map<string, string>): void {
  const end = reader.uint32() + reader.pos
  let key = ''
  let value = ''
  while (reader.pos < end) {
    const tag = reader.uint32()
    if (tag === 10) key = reader.string()
    else if (tag === 18) value = reader.string()
    else reader.skipType(tag & 7)
  }
  into.set(key, value)
}

/** A DiscoveryRequest decoder equivalent to `generic` (proto-loader's, with defaults on). */
export function discoveryRequestDecoder(generic: Generic): (bytes: Buffer) => object {
  return decoderFor(DISCOVERY_REQUEST, generic)
}

/** A DeltaDiscoveryRequest decoder equivalent to `generic` (proto-loader's, with defaults on). */
export function deltaDiscoveryRequestDecoder(generic: Generic): (bytes: Buffer) => object {
  return decoderFor(DELTA_DISCOVERY_REQUEST, generic)
}
