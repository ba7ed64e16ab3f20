import type protobuf from 'protobufjs'
import type { StoredResource } from '../../server/config/diff'
import { sha256Hex } from '../../server/config/hash'
import type { ConfigResource, ResourceJson, ResourceType } from '../../server/config/resource-types'
import { readResource } from '../../server/config/validate'

/**
 * Stored-resource fixtures for the unit tests of code that works on stored config (the resource
 * memo, validateStoredConfig, prepareStoredSnapshot): bodies as the draft keeps them.
 */
export type StoredFixtures = Readonly<{
  /** A body stored as-is: the text is JSON.stringify of it, the hash sha256 of the text (server/config/hash.ts). For bodies that do not read as their proto. */
  raw: (type: ResourceType, name: string, body: unknown) => StoredResource
  /** A body stored the way a draft stores it: read by the real proto first, canonical JSON (not encoded: it may be too deep to). */
  stored: (type: ResourceType, name: string, body: unknown) => StoredResource
  /** The bodies parsed back, as validateConfig and prepareSnapshot take them. */
  parsed: (resources: readonly StoredResource[]) => ConfigResource[]
}>

/** `root`: the proto root, or a getter for one that a beforeAll loads. */
export function storedFixtures(root: protobuf.Root | (() => protobuf.Root)): StoredFixtures {
  const rootOf = typeof root === 'function' ? root : () => root
  const raw = (type: ResourceType, name: string, body: unknown): StoredResource => {
    const text = JSON.stringify(body)
    return { type, name, body: text, hash: sha256Hex(text) }
  }
  return {
    raw,
    stored: (type, name, body) => {
      const read = readResource(rootOf(), type, name, body)
      if (!read.resource) throw new Error(`fixture ${type}/${name} does not read: ${JSON.stringify(read.issues)}`)
      return raw(type, name, read.resource)
    },
    parsed: (resources) => resources.map((r) => ({ type: r.type, name: r.name, resource: JSON.parse(r.body) as ResourceJson })),
  }
}
