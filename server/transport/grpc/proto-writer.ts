import protobuf from 'protobufjs'
import type { WireAny } from '../../xds-types/wire'

/**
 * The protobuf wire-format pieces of the hand-written response encoders (encode-response.ts for
 * SotW, encode-delta-response.ts for delta). Every field they write is length-delimited (wire type
 * 2). Like protobufjs' own encoder, a singular proto3 string or bytes field at its default ('' or
 * empty) is left out, and every element of a repeated field is written.
 */
export type Writer = protobuf.Writer

export function newWriter(): Writer {
  return protobuf.Writer.create()
}

function tag(field: number): number {
  return (field << 3) | 2
}

/** A string field, left out when empty. */
export function writeString(w: Writer, field: number, value: string): void {
  if (value !== '') w.uint32(tag(field)).string(value)
}

/** A repeated string field: every element is written, an empty one too. */
export function writeRepeatedString(w: Writer, field: number, values: readonly string[]): void {
  for (const value of values) w.uint32(tag(field)).string(value)
}

/** A message field whose bytes are already encoded (one element of a repeated field: written even when empty). */
export function writeEncoded(w: Writer, field: number, bytes: Uint8Array): void {
  w.uint32(tag(field)).bytes(bytes)
}

/** A message field, written by `writeFields` into a forked writer and length-prefixed. */
export function writeMessage(w: Writer, field: number, writeFields: () => void): void {
  w.uint32(tag(field)).fork()
  writeFields()
  w.ldelim()
}

/** The fields of a google.protobuf.Any (google/protobuf/any.proto: type_url = 1, value = 2). */
export function writeAnyFields(w: Writer, any: WireAny): void {
  writeString(w, 1, any.type_url)
  if (any.value.length > 0) w.uint32(tag(2)).bytes(any.value)
}

/** A response's control_plane (envoy.config.core.v3.ControlPlane: identifier = 1), left out when absent or empty. */
export function writeControlPlane(w: Writer, field: number, controlPlane: Readonly<{ identifier: string }> | undefined): void {
  if (controlPlane && controlPlane.identifier !== '') writeMessage(w, field, () => writeString(w, 1, controlPlane.identifier))
}

/**
 * The fields DiscoveryResponse and DeltaDiscoveryResponse have in common, under the same numbers in
 * envoy/service/discovery/v3/discovery.proto: version (system_version_info in delta), the resources
 * (each already encoded), type_url and nonce. Their other fields differ: delta adds
 * removed_resources, so its control_plane is 7 where SotW's is 6.
 */
export type ResponseFields = Readonly<{ version: string; resources: readonly Uint8Array[]; typeUrl: string; nonce: string }>

/** Writes fields 1, 2, 4 and 5 of either response, in field order as protobufjs does; the caller writes the rest. */
export function writeResponseFields(w: Writer, f: ResponseFields): void {
  writeString(w, 1, f.version)
  for (const bytes of f.resources) writeEncoded(w, 2, bytes)
  writeString(w, 4, f.typeUrl)
  writeString(w, 5, f.nonce)
}

/** The encoded message, as a Buffer over the writer's bytes (no copy). */
export function finishBuffer(w: Writer): Buffer {
  const out = w.finish()
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength)
}
