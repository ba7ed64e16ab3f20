import type { DiscoveryRequest } from '../xds-types/wire'
import { isEmptySubscription, sameSubscription, subscriptionOf, type WatchedType } from './subscription'

/**
 * What a SotW DiscoveryRequest means for the type it names, given what this stream recorded for it.
 * 'resubscribe' and 'unsubscribe' are ACKs too: a subscription change on the current nonce looks
 * exactly like an ACK with other resource_names.
 */
export type RequestKind = 'init' | 'nack' | 'stale' | 'ack' | 'resubscribe' | 'unsubscribe'

/** Istio pkg/xds/server.go ShouldRespond, in the same order. Pure and table-tested. */
export function classifyRequest(prev: WatchedType | undefined, req: DiscoveryRequest): RequestKind {
  const initial = prev === undefined || req.response_nonce === ''
  // xds_protocol "ACK and NACK semantics summary": a NACK is signalled by error_detail, and
  // response_nonce says which response it rejects. A NACK of a response that has since been
  // superseded is stale. A NACK without a nonce cannot refer to anything this stream sent (Envoy
  // and grpc-js-xds always echo the nonce), so it is treated as the initial request it also is.
  if (req.error_detail != null && !initial) return req.response_nonce === prev.nonceSent ? 'nack' : 'stale'
  // An empty nonce is the first request for this type on this stream (possibly a reconnect: the
  // nonce "does not survive stream restarts", xds_protocol "Basic Protocol Overview").
  if (initial) return 'init'
  // go-control-plane sotw/v3/xds.go and Istio skip a request whose nonce is not the latest one sent:
  // a newer response is in flight and the client will answer it.
  if (req.response_nonce !== prev.nonceSent) return 'stale'
  const sub = subscriptionOf(prev.typeUrl, req.resource_names, prev)
  if (sameSubscription(sub, prev)) return 'ack'
  return isEmptySubscription(sub) ? 'unsubscribe' : 'resubscribe'
}
