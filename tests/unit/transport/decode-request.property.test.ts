import * as grpc from '@grpc/grpc-js'
import * as protoLoader from '@grpc/proto-loader'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PROTO_INCLUDE_DIRS } from '../../../proto/loader'
import { deltaDiscoveryRequestDecoder, discoveryRequestDecoder } from '../../../server/transport/grpc/decode-request'

// Our request decoders read the per-request fields directly and leave the rest to proto-loader's
// decoder (#13 item 1). Whatever the bytes, they must give exactly the object proto-loader gives,
// but for a map field, which is a Map with the same entries.

/** A decoded message with its Map fields as plain objects, as proto-loader gives them. */
const plain = (message: object): object => Object.fromEntries(Object.entries(message).map(([k, v]) => [k, v instanceof Map ? Object.fromEntries(v) : v]))

type Method = { requestSerialize: (value: unknown) => Buffer; requestDeserialize: (bytes: Buffer) => object }

const ads = (() => {
  const def = protoLoader.loadSync(['envoy/service/discovery/v3/ads.proto'], { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true, includeDirs: [...PROTO_INCLUDE_DIRS] })
  const pkg = grpc.loadPackageDefinition(def) as unknown as { envoy: { service: { discovery: { v3: { AggregatedDiscoveryService: grpc.ServiceClientConstructor } } } } }
  const service = pkg.envoy.service.discovery.v3.AggregatedDiscoveryService.service
  return { sotw: service['StreamAggregatedResources'] as unknown as Method, delta: service['DeltaAggregatedResources'] as unknown as Method }
})()

const text = fc.oneof(fc.constantFrom('', 'a', 'cluster-0', 'type.googleapis.com/envoy.config.cluster.v3.Cluster', 'ünïcødé ✓', '*'), fc.string({ maxLength: 12 }))
const node = fc.option(
  fc.record({ id: text, cluster: text, user_agent_name: text, user_agent_version: text, metadata: fc.option(fc.constant({ fields: { region: { string_value: 'eu' } } }), { nil: undefined }), locality: fc.option(fc.record({ zone: text }), { nil: undefined }) }, { requiredKeys: ['id'] }),
  { nil: undefined },
)
const status = fc.option(fc.record({ code: fc.integer({ min: 0, max: 16 }), message: text }), { nil: undefined })
const locators = fc.option(fc.array(fc.record({ name: text }), { maxLength: 3 }), { nil: undefined })

const discoveryRequest = fc.record(
  { version_info: text, node, resource_names: fc.array(text, { maxLength: 8 }), type_url: text, response_nonce: text, error_detail: status, resource_locators: locators },
  { requiredKeys: [] },
)
const deltaRequest = fc.record(
  {
    node,
    type_url: text,
    resource_names_subscribe: fc.array(text, { maxLength: 8 }),
    resource_names_unsubscribe: fc.array(text, { maxLength: 4 }),
    initial_resource_versions: fc.dictionary(text, text, { maxKeys: 8 }),
    response_nonce: text,
    error_detail: status,
    resource_locators_subscribe: locators,
  },
  { requiredKeys: [] },
)

/** Shuffles the top-level fields of an encoded message (proto3 allows any order, and repeats merge). */
function fieldsOf(bytes: Buffer): Buffer[] {
  const out: Buffer[] = []
  let pos = 0
  while (pos < bytes.length) {
    const start = pos
    let tag = 0
    let shift = 0
    for (;;) {
      const b = bytes[pos++]!
      tag |= (b & 0x7f) << shift
      shift += 7
      if (b < 0x80) break
    }
    let length = 0
    shift = 0
    if ((tag & 7) === 2) {
      for (;;) {
        const b = bytes[pos++]!
        length |= (b & 0x7f) << shift
        shift += 7
        if (b < 0x80) break
      }
      pos += length
    } else {
      while (bytes[pos++]! >= 0x80);
    }
    out.push(bytes.subarray(start, pos))
  }
  return out
}

describe('request decoders', () => {
  const cases = [
    { name: 'DiscoveryRequest', method: ads.sotw, arbitrary: discoveryRequest, ours: discoveryRequestDecoder(ads.sotw.requestDeserialize) },
    { name: 'DeltaDiscoveryRequest', method: ads.delta, arbitrary: deltaRequest, ours: deltaDiscoveryRequestDecoder(ads.delta.requestDeserialize) },
  ] as const

  for (const c of cases) {
    it(`decode a ${c.name} exactly as proto-loader does, in any field order`, () => {
      fc.assert(
        fc.property(c.arbitrary, fc.integer(), (message, seed) => {
          const bytes = c.method.requestSerialize(message)
          expect(plain(c.ours(bytes))).toEqual(c.method.requestDeserialize(bytes))
          // Fields reordered (a client may write them in any order; later scalars win).
          const fields = fieldsOf(bytes)
          const shuffled = Buffer.concat(fields.map((f, i) => ({ f, k: (i * 7919 + seed) % 1009 })).sort((a, b) => a.k - b.k).map((x) => x.f))
          expect(plain(c.ours(shuffled))).toEqual(c.method.requestDeserialize(shuffled))
        }),
        { seed: 20261125, numRuns: 400 },
      )
    })
  }

  it('keeps an unknown field for the generic decoder, and the hot fields around it', () => {
    const bytes = Buffer.concat([ads.sotw.requestSerialize({ type_url: 'x', resource_names: ['a'] }), Buffer.from([0x98, 0x06, 0x01]) /* field 99, varint 1 */, ads.sotw.requestSerialize({ resource_names: ['b'], response_nonce: 'n' })])
    const ours = discoveryRequestDecoder(ads.sotw.requestDeserialize)(bytes) as { resource_names: string[]; type_url: string; response_nonce: string }
    expect(ours).toEqual(ads.sotw.requestDeserialize(bytes))
    expect(ours.resource_names).toEqual(['a', 'b'])
  })
})
