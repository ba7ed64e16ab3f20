import type { DiscoveryResponse, WireAny } from '../../xds-types/wire'
import { finishBuffer, newWriter, writeAnyFields, writeControlPlane, writeResponseFields, writeString } from './proto-writer'

/**
 * Serializes a state-of-the-world DiscoveryResponse without re-encoding its resources: each Any is
 * encoded once (cached by object identity; a snapshot's Any objects are shared by every stream) and
 * copied into each response. With 1,000 streams and 1,000 resources, the generic encoder would walk
 * a million Any objects per push; this does a million memcpy's.
 *
 * Field numbers from envoy/service/discovery/v3/discovery.proto (DiscoveryResponse) and
 * google/protobuf/any.proto; the result is byte-identical to protobufjs' encoding (tested).
 */
const encodedAny = new WeakMap<WireAny, Uint8Array>()

function anyBytes(any: WireAny): Uint8Array {
  let bytes = encodedAny.get(any)
  if (!bytes) {
    const w = newWriter()
    writeAnyFields(w, any)
    bytes = w.finish()
    encodedAny.set(any, bytes)
  }
  return bytes
}

/**
 * The fields before the nonce (version_info = 1, resources = 2, type_url = 4), encoded once per
 * resources array: streams with the same subscription get the same array from the snapshot
 * (server/xds/selection.ts), so a push to 1,000 of them encodes the body once and each response
 * only appends its own nonce and control plane (fields 5 and 6, so the field order is unchanged).
 */
const encodedHeads = new WeakMap<readonly WireAny[], { version: string; typeUrl: string; bytes: Buffer }>()

function headOf(res: DiscoveryResponse): Buffer {
  const known = encodedHeads.get(res.resources)
  if (known && known.version === res.version_info && known.typeUrl === res.type_url) return known.bytes
  const w = newWriter()
  writeResponseFields(w, { version: res.version_info, resources: res.resources.map(anyBytes), typeUrl: res.type_url, nonce: '' })
  const bytes = finishBuffer(w)
  encodedHeads.set(res.resources, { version: res.version_info, typeUrl: res.type_url, bytes })
  return bytes
}

export function encodeDiscoveryResponse(res: DiscoveryResponse): Buffer {
  const w = newWriter()
  writeString(w, 5, res.nonce)
  writeControlPlane(w, 6, res.control_plane)
  return Buffer.concat([headOf(res), finishBuffer(w)])
}
