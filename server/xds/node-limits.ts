/**
 * Upper bounds on what a client may say about itself in `node` when a stream opens (#16 item 7).
 * The node id is written to the proxy-status rows, their indexes and the change notifications
 * (Postgres NOTIFY payloads are limited to 8,000 bytes; a btree entry to about 2,700): an 8 KB id
 * made every status write of the replica fail. The limits are far above what real clients send —
 * Istio's sidecar ids are about 100 bytes (`sidecar~10.0.0.1~pod.ns~ns.svc.cluster.local`) and its
 * metadata a few kilobytes — and far below what would hurt. Sizes are UTF-8 bytes.
 */
export const NODE_LIMITS = {
  /** 253 (a DNS name) plus room for Istio-style `type~ip~name.namespace~domain` ids. */
  'node.id': 1024,
  /** The fleet's name, when the proxy asks for its fleet by node.cluster. */
  'node.cluster': 1024,
  /** The whole Struct, as JSON. */
  'node.metadata': 64 * 1024,
  'node.user_agent_name': 256,
  'node.user_agent_version': 256,
  'node.locality.region': 256,
  'node.locality.zone': 256,
  'node.locality.sub_zone': 256,
} as const

export type NodeLimitField = keyof typeof NODE_LIMITS

export type NodeLimitViolation = Readonly<{ field: NodeLimitField; size: number; limit: number; details: string }>

/** The fields a node is checked on; `metadata` may be proto-loader's Struct or proto3 JSON: it is measured as JSON either way. */
export type BoundedNode = Readonly<{
  id?: string | null
  cluster?: string | null
  metadata?: unknown
  user_agent_name?: string | null
  user_agent_version?: string | null
  locality?: Readonly<{ region?: string | null; zone?: string | null; sub_zone?: string | null }> | null
}>

/** UTF-8 length of a string, without encoding it. */
export function utf8Length(s: string): number {
  let n = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x80) n += 1
    else if (c < 0x800) n += 2
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4
      i++
    } else n += 3
  }
  return n
}

function jsonLength(value: unknown): number {
  if (value === undefined || value === null) return 0
  try {
    return utf8Length(JSON.stringify(value) ?? '')
  } catch {
    // Not serialisable (a cycle cannot come off the wire, but be safe): count it as too large.
    return Number.POSITIVE_INFINITY
  }
}

/** The first field of `node` over its limit, or null when the node is within every limit. */
export function checkNodeLimits(node: BoundedNode): NodeLimitViolation | null {
  const sizes: ReadonlyArray<[NodeLimitField, () => number]> = [
    ['node.id', () => utf8Length(node.id ?? '')],
    ['node.cluster', () => utf8Length(node.cluster ?? '')],
    ['node.user_agent_name', () => utf8Length(node.user_agent_name ?? '')],
    ['node.user_agent_version', () => utf8Length(typeof node.user_agent_version === 'string' ? node.user_agent_version : '')],
    ['node.locality.region', () => utf8Length(node.locality?.region ?? '')],
    ['node.locality.zone', () => utf8Length(node.locality?.zone ?? '')],
    ['node.locality.sub_zone', () => utf8Length(node.locality?.sub_zone ?? '')],
    ['node.metadata', () => jsonLength(node.metadata)],
  ]
  for (const [field, measure] of sizes) {
    const size = measure()
    const limit = NODE_LIMITS[field]
    if (size > limit) {
      const shown = Number.isFinite(size) ? `${size} bytes` : 'not measurable'
      return { field, size, limit, details: `${field} is ${shown}; the limit is ${limit} bytes` }
    }
  }
  return null
}
