import type * as grpc from '@grpc/grpc-js'
import { initialDeltaState, stepDelta, type DeltaSendEffect, type DeltaStreamState } from '../../xds/delta-machine'
import type { DeltaDiscoveryRequest, DeltaDiscoveryResponse } from '../../xds-types/wire'
import { resourceCount, serveXdsStream, type AdsDeps, type XdsProtocol } from './session-common'

export type DeltaCall = grpc.ServerDuplexStream<DeltaDiscoveryRequest, DeltaDiscoveryResponse>

/**
 * Incremental (delta) ADS: the pure delta machine, shown as 'Delta ADS' in the proxy status, with the
 * same per-type fields as SotW streams so the API and the console show both alike.
 */
export const DELTA_ADS: XdsProtocol<DeltaDiscoveryRequest, DeltaDiscoveryResponse, DeltaStreamState, DeltaSendEffect> = {
  stream: 'Delta ADS',
  initialState: initialDeltaState,
  step: stepDelta,
  types: (state) => state.types,
  describeSend: (effect) => ({
    version: effect.response.system_version_info,
    message: effect.removedNames.length > 0 ? `${resourceCount(effect.resourceNames.length)}, ${effect.removedNames.length} removed` : resourceCount(effect.resourceNames.length),
    log: { removed: effect.removedNames.length },
  }),
}

/** DeltaAggregatedResources: the shell (session-common.ts) around the delta stream machine. */
export function handleDeltaStream(deps: AdsDeps, call: DeltaCall): void {
  serveXdsStream(deps, call, DELTA_ADS)
}
