import type protobuf from 'protobufjs'
import type { StoredResource } from './diff'
import { encodeResource, type EncodedResource } from './encode-resource'
import { sha256Hex, serializeResource } from './hash'
import type { ConfigIssue } from './issues'
import type { ConfigResource, ResourceJson } from './resource-types'
import { readResource } from './validate'

/**
 * What checking and encoding one stored resource gives is a pure function of its type, name and body,
 * and bodies are content-addressed: so a commit or snapshot build of a large fleet re-checks and
 * re-encodes only the resources whose content changed since one of them was last seen (#13 item 1).
 * Without it, one changed load assignment in a 2,002-resource fleet cost ~240 ms of validation at
 * commit and ~120 ms of encoding at the snapshot build.
 *
 * Entries are per proto root (one per process) and bounded: least recently used go first.
 */
export type MemoEntry = {
  /** The body as stored, parsed once and shared: read-only. */
  readonly parsed: ConfigResource
  /** validateConfig's view: the proto read of the body and, if it reads, the encoding of its canonical form. */
  checked?: Readonly<{ readIssues: readonly ConfigIssue[]; canonical: ConfigResource | null; encodeIssue: ConfigIssue | null }>
  /** The snapshot build's view: the bytes served for the body (or why there are none) and their hash. */
  served?: Readonly<{ encoded: EncodedResource; version: string | null }>
}

/** Enough for several large fleets and a few versions of each; an entry is the parsed body plus its encoding. */
export const RESOURCE_MEMO_LIMIT = 20_000

const memos = new WeakMap<protobuf.Root, Map<string, MemoEntry>>()

function keyOf(r: StoredResource): string {
  return `${r.type}\u0000${r.name}\u0000${r.hash}\u0000${r.body.length}`
}

function freshEntry(r: StoredResource): MemoEntry {
  return { parsed: { type: r.type, name: r.name, resource: JSON.parse(r.body) as ResourceJson } }
}

/**
 * The memo entry of a stored resource. `remember: false` (a body holding clear secret material: an
 * unsealed private key, a secret variable's value) neither reads nor keeps an entry, so such bytes
 * live only as long as the snapshot or request that needs them.
 */
export function memoEntryOf(root: protobuf.Root, r: StoredResource, remember = true): MemoEntry {
  if (!remember) return freshEntry(r)
  let memo = memos.get(root)
  if (!memo) memos.set(root, (memo = new Map()))
  const key = keyOf(r)
  let entry = memo.get(key)
  if (entry) {
    // Most recently used last: Map keeps insertion order, so the first key is the oldest.
    memo.delete(key)
  } else {
    entry = freshEntry(r)
    if (memo.size >= RESOURCE_MEMO_LIMIT) memo.delete(memo.keys().next().value!)
  }
  memo.set(key, entry)
  return entry
}

/** validateConfig's per-resource part, remembered on the entry. */
export function checkedOf(root: protobuf.Root, entry: MemoEntry): NonNullable<MemoEntry['checked']> {
  if (!entry.checked) {
    const { type, name, resource } = entry.parsed
    const read = readResource(root, type, name, resource)
    if (!read.resource) {
      entry.checked = { readIssues: read.issues, canonical: null, encodeIssue: null }
    } else {
      // A stored body is canonical already; share the parsed object rather than keeping a copy.
      const canonical = serializeResource(read.resource) === serializeResource(resource) ? entry.parsed : { type, name, resource: read.resource }
      const encoded = encodeResource(root, canonical)
      entry.checked = { readIssues: [], canonical, encodeIssue: encoded.ok ? null : encoded.issue }
      // The body is what it reads as: the snapshot build would encode exactly this.
      if (canonical === entry.parsed && !entry.served) entry.served = { encoded, version: encoded.ok ? hashBytes(encoded.bytes) : null }
    }
  }
  return entry.checked
}

/** The snapshot build's encoding of the body, remembered on the entry. */
export function servedOf(root: protobuf.Root, entry: MemoEntry): NonNullable<MemoEntry['served']> {
  if (!entry.served) {
    const encoded = encodeResource(root, entry.parsed)
    entry.served = { encoded, version: encoded.ok ? hashBytes(encoded.bytes) : null }
  }
  return entry.served
}

/** A resource's per-resource version (delta xDS): sha256 of its encoded bytes (go-control-plane HashResource). */
export function hashBytes(bytes: Uint8Array): string {
  return sha256Hex(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'))
}

/** Forgets every entry (tests). */
export function clearResourceMemo(root: protobuf.Root): void {
  memos.delete(root)
}
