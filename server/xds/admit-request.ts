import { canonicalTypeUrl, type XdsTypeUrl } from '../xds-types/type-urls'
import type { WireNode } from '../xds-types/wire'
import { checkNodeLimits } from './node-limits'

export const MISSING_NODE_DETAILS = 'missing node information: the first DiscoveryRequest must carry node.id'
export const MISSING_TYPE_URL_DETAILS = 'type_url is required on an aggregated (ADS) stream'

/** The effects every stream variant (SotW, delta) shares for the checks before a request's type is handled. */
export type AdmissionEffect =
  /** First valid request: the adapter assigns a fleet and starts feeding snapshots. */
  | Readonly<{ kind: 'node'; node: WireNode }>
  | Readonly<{ kind: 'ignored'; reason: 'stale-nonce' | 'unknown-type' | 'after-close'; typeUrl: string; nonce: string }>

export type Admission =
  | Readonly<{ kind: 'close'; details: string }>
  | Readonly<{ kind: 'ignored'; node: WireNode | null; effects: AdmissionEffect[] }>
  | Readonly<{ kind: 'admitted'; node: WireNode | null; effects: AdmissionEffect[]; typeUrl: XdsTypeUrl }>

/**
 * The checks both ADS variants make before looking at a request's type (the same rules and wording):
 * only the first request must carry the node (xds_protocol "Basic Protocol Overview"; grpc-js-xds sends
 * it only there, so it is remembered) and within the sizes of node-limits.ts, on ADS the type URL is the only way to route a request
 * (go-control-plane sotw/v3/xds.go), and unknown type URLs are ignored.
 */
export function admitRequest(known: WireNode | null, req: Readonly<{ node?: WireNode | null; type_url: string; response_nonce: string }>): Admission {
  if (known === null && !req.node?.id) return { kind: 'close', details: MISSING_NODE_DETAILS }
  if (req.type_url === '') return { kind: 'close', details: MISSING_TYPE_URL_DETAILS }
  const effects: AdmissionEffect[] = []
  let node = known
  if (node === null && req.node) {
    // Bounded before anything is recorded: an oversize node id once made every status write fail (#16 item 7).
    const over = checkNodeLimits(req.node)
    if (over) return { kind: 'close', details: over.details }
    node = req.node
    effects.push({ kind: 'node', node })
  }
  const typeUrl = canonicalTypeUrl(req.type_url)
  if (!typeUrl) {
    effects.push({ kind: 'ignored', reason: 'unknown-type', typeUrl: req.type_url, nonce: req.response_nonce })
    return { kind: 'ignored', node, effects }
  }
  return { kind: 'admitted', node, effects, typeUrl }
}

/** After a close, every event is ignored. */
export function ignoredAfterClose(event: Readonly<{ kind: 'request'; req: { type_url: string; response_nonce: string } } | { kind: 'snapshot' }>): AdmissionEffect {
  const [typeUrl, nonce] = event.kind === 'request' ? [event.req.type_url, event.req.response_nonce] : ['', '']
  return { kind: 'ignored', reason: 'after-close', typeUrl, nonce }
}
