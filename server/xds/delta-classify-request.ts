import type { DeltaWatchedType } from './delta-subscription'
import type { DeltaDiscoveryRequest } from '../xds-types/wire'

/**
 * What a DeltaDiscoveryRequest means for the type it names. Unlike SotW, every kind may also carry
 * subscription changes, and those are applied whatever the kind (even 'stale').
 * - init: the first request for the type on this stream
 * - update: no response_nonce, a spontaneous subscription change ("response_nonce must be omitted")
 * - ack / nack: answers the latest response of the type (error_detail absent / present)
 * - stale: answers a response that has since been superseded
 */
export type DeltaRequestKind = 'init' | 'update' | 'ack' | 'nack' | 'stale'

/** Pure and table-tested; xds_protocol "Incremental xDS". */
export function classifyDeltaRequest(prev: DeltaWatchedType | undefined, req: DeltaDiscoveryRequest): DeltaRequestKind {
  // A nonce on the first request of a type cannot refer to this stream: nonces "do not survive
  // stream restarts" (xds_protocol "Basic Protocol Overview").
  if (prev === undefined) return 'init'
  if (req.response_nonce === '') return 'update'
  // As in SotW (go-control-plane, Istio ShouldRespond), an ACK or NACK of anything but the latest
  // response is not acted on. Its subscription changes still are: "the server must honor changes to
  // the subscription state even if the nonce is stale" (xds_protocol "Incremental xDS").
  if (req.response_nonce !== prev.nonceSent) return 'stale'
  return req.error_detail != null ? 'nack' : 'ack'
}
