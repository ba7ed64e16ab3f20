import protobuf from 'protobufjs'
import type { DeltaDiscoveryResponse, WireAny, WireResource } from '../../xds-types/wire'

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
  const w = protobuf.Writer.create()
  if (r.version !== '') w.uint32((1 << 3) | 2).string(r.version)
  w.uint32((2 << 3) | 2).fork()
  if (r.resource.type_url !== '') w.uint32((1 << 3) | 2).string(r.resource.type_url)
  if (r.resource.value.length > 0) w.uint32((2 << 3) | 2).bytes(r.resource.value)
  w.ldelim()
  if (r.name !== '') w.uint32((3 << 3) | 2).string(r.name)
  const bytes = w.finish()
  encodedResource.set(r.resource, { name: r.name, version: r.version, bytes })
  return bytes
}

export function encodeDeltaDiscoveryResponse(res: DeltaDiscoveryResponse): Buffer {
  const w = protobuf.Writer.create()
  if (res.system_version_info !== '') w.uint32((1 << 3) | 2).string(res.system_version_info)
  for (const r of res.resources) w.uint32((2 << 3) | 2).bytes(resourceBytes(r))
  if (res.type_url !== '') w.uint32((4 << 3) | 2).string(res.type_url)
  if (res.nonce !== '') w.uint32((5 << 3) | 2).string(res.nonce)
  for (const name of res.removed_resources) w.uint32((6 << 3) | 2).string(name)
  if (res.control_plane && res.control_plane.identifier !== '') {
    w.uint32((7 << 3) | 2).fork().uint32((1 << 3) | 2).string(res.control_plane.identifier).ldelim()
  }
  const out = w.finish()
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength)
}
