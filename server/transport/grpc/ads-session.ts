import type * as grpc from '@grpc/grpc-js'
import { initialStreamState, step, type Effect, type StreamState } from '../../xds/stream-machine'
import type { DiscoveryRequest, DiscoveryResponse } from '../../xds-types/wire'
import { resourceCount, serveXdsStream, type AdsDeps, type XdsProtocol } from './session-common'

export type { AdsDeps, AdsSession, FleetResolution } from './session-common'

export type AdsCall = grpc.ServerDuplexStream<DiscoveryRequest, DiscoveryResponse>

/** State-of-the-world ADS: the pure stream machine, shown as 'ADS' in the proxy status. */
export const SOTW_ADS: XdsProtocol<DiscoveryRequest, DiscoveryResponse, StreamState, Extract<Effect, { kind: 'send' }>> = {
  stream: 'ADS',
  initialState: initialStreamState,
  step,
  types: (state) => state.types,
  describeSend: (effect) => ({ version: effect.response.version_info, message: resourceCount(effect.resourceNames.length), log: {} }),
}

/** StreamAggregatedResources: the shell (session-common.ts) around the SotW stream machine. */
export function handleAdsStream(deps: AdsDeps, call: AdsCall): void {
  serveXdsStream(deps, call, SOTW_ADS)
}
