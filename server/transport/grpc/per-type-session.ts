import * as grpc from '@grpc/grpc-js'
import type { XdsTypeUrl } from '../../xds-types/type-urls'
import type { DeltaDiscoveryRequest, DeltaDiscoveryResponse, DiscoveryRequest, DiscoveryResponse } from '../../xds-types/wire'
import { SOTW_ADS } from './ads-session'
import { DELTA_ADS } from './delta-session'
import { serveXdsStream, type AdsDeps, type SendEffectBase, type XdsProtocol } from './session-common'

/**
 * A per-type xDS stream (LDS, RDS, CDS, EDS, SDS; SotW or delta) is an aggregated stream that only
 * ever carries one type URL, which the service implies: requests may leave `type_url` empty
 * (xds_protocol "Transport protocols"). So it runs the same reducer, with the type filled in and a
 * request for another type refused.
 */
function forOneType<Req extends { type_url: string }, Res, State, Send extends SendEffectBase<Res>>(
  protocol: XdsProtocol<Req, Res, State, Send>,
  typeUrl: XdsTypeUrl,
  stream: string,
): XdsProtocol<Req, Res, State, Send> {
  return {
    ...protocol,
    stream,
    step: (state, event) => {
      if (event.kind !== 'request') return protocol.step(state, event)
      if (event.req.type_url !== '' && event.req.type_url !== typeUrl) {
        // Reuse the reducer's own refusal path: an empty type_url on a first request closes the stream.
        const refused = protocol.step(state, { ...event, req: { ...event.req, type_url: '' } })
        return { ...refused, effects: refused.effects.map((e) => (e.kind === 'close' ? { ...e, details: `this ${stream} stream serves ${typeUrl} only, not ${event.req.type_url}` } : e)) }
      }
      return protocol.step(state, { ...event, req: { ...event.req, type_url: typeUrl } })
    },
  }
}

export function perTypeHandlers(deps: AdsDeps, service: { short: string; typeUrl: XdsTypeUrl; sotw: string; delta: string; fetch: string }): grpc.UntypedServiceImplementation {
  const sotw = forOneType(SOTW_ADS, service.typeUrl, service.short)
  const delta = forOneType(DELTA_ADS, service.typeUrl, `Delta ${service.short}`)
  return {
    [service.sotw]: (call: grpc.ServerDuplexStream<DiscoveryRequest, DiscoveryResponse>) => serveXdsStream(deps, call, sotw),
    [service.delta]: (call: grpc.ServerDuplexStream<DeltaDiscoveryRequest, DeltaDiscoveryResponse>) => serveXdsStream(deps, call, delta),
    // Unary fetch is REST's gRPC twin; Legation serves REST-JSON on the HTTP port instead.
    [service.fetch]: (_call: grpc.ServerUnaryCall<DiscoveryRequest, DiscoveryResponse>, callback: grpc.sendUnaryData<DiscoveryResponse>) =>
      callback({ code: grpc.status.UNIMPLEMENTED, details: `${service.fetch} is not served; use POST /v3/discovery:* on the HTTP port, or a stream` }),
  }
}
