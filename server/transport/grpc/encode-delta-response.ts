import type { DeltaDiscoveryResponse, WireAny, WireResource } from '../../xds-types/wire'
import { finishBuffer, newWriter, writeAnyFields, writeControlPlane, writeMessage, writeRepeatedString, writeResponseFields, writeString } from './proto-writer'

/**
 * Serializes a DeltaDiscoveryResponse without re-encoding its resources, like encode-response.ts
 * does for SotW: each envoy.service.discovery.v3.Resource (name, version, Any) is encoded once and
 * cached by the identity of its Any, which the snapshot shares with every stream; a response then
 * copies those bytes. A resource's name and version never change for a given Any (the version is
 * the hash of the Any's bytes), and are checked anyway.
 *
 * Field numbers from envoy/service/discovery/v3/discovery.proto (DeltaDiscoveryResponse, Resource)
 * and google/protobuf/any.proto; the result decodes exactly as protobufjs' own encoding (tested).
 */
type Encoded = Readonly<{ name: string; version: string; bytes: Uint8Array }>

const encodedResource = new WeakMap<WireAny, Encoded>()

function resourceBytes(r: WireResource): Uint8Array {
  const cached = encodedResource.get(r.resource)
  if (cached && cached.name === r.name && cached.version === r.version) return cached.bytes
  const w = newWriter()
  writeString(w, 1, r.version)
  writeMessage(w, 2, () => writeAnyFields(w, r.resource))
  writeString(w, 3, r.name)
  const bytes = w.finish()
  encodedResource.set(r.resource, { name: r.name, version: r.version, bytes })
  return bytes
}

export function encodeDeltaDiscoveryResponse(res: DeltaDiscoveryResponse): Buffer {
  const w = newWriter()
  writeResponseFields(w, { version: res.system_version_info, resources: res.resources.map(resourceBytes), typeUrl: res.type_url, nonce: res.nonce })
  writeRepeatedString(w, 6, res.removed_resources)
  writeControlPlane(w, 7, res.control_plane)
  return finishBuffer(w)
}
