import * as grpc from '@grpc/grpc-js'
import { loadXdsServices } from '../../server/transport/grpc/service-definitions'
import type { DeltaDiscoveryRequest, DiscoveryRequest, WireNode } from '../../server/xds-types/wire'

/**
 * A protocol test client: a raw grpc-js bidi call on the ADS service with full control over every
 * message it sends (no xDS client logic: it ACKs, NACKs and subscribes only when told to). Requests
 * may leave fields out; proto-loader fills the defaults on the wire.
 */
export type ProtocolStream<Req, Res> = Readonly<{
  send: (req: Req) => void
  /** The next response, in order of arrival; rejects after `timeoutMs` or when the stream ends first. */
  next: (timeoutMs?: number) => Promise<Res>
  /** Half-closes our side (the server then ends the call). */
  end: () => void
  /** Cancels the call. */
  close: () => void
  /** The call's final status. */
  status: Promise<grpc.StatusObject>
}>

/** A decoded Any, as proto-loader hands it over (keepCase, bytes as Buffer). */
export type ReceivedAny = { type_url: string; value: Buffer }

export type ReceivedDeltaResponse = {
  system_version_info: string
  resources: Array<{ name: string; version: string; resource: ReceivedAny | null }>
  type_url: string
  removed_resources: string[]
  nonce: string
  control_plane: { identifier: string } | null
}

export type ReceivedSotwResponse = {
  version_info: string
  resources: ReceivedAny[]
  type_url: string
  nonce: string
  control_plane: { identifier: string } | null
}

export type DeltaRequestInput = Partial<Omit<DeltaDiscoveryRequest, 'node'>> & { type_url: string; node?: Partial<WireNode> | null }
export type SotwRequestInput = Partial<Omit<DiscoveryRequest, 'node'>> & { type_url: string; node?: Partial<WireNode> | null }

type Method = 'StreamAggregatedResources' | 'DeltaAggregatedResources'

function open<Req, Res>(port: number, method: Method | grpc.MethodDefinition<unknown, unknown>, credentials: grpc.ChannelCredentials = grpc.credentials.createInsecure(), metadata = new grpc.Metadata()): ProtocolStream<Req, Res> {
  const definition = typeof method === 'string' ? loadXdsServices().ads[method]! : method
  const client = new grpc.Client(`127.0.0.1:${port}`, credentials)
  const call = client.makeBidiStreamRequest(definition.path, definition.requestSerialize, definition.responseDeserialize, metadata) as grpc.ClientDuplexStream<Req, Res>
  const queue: Res[] = []
  const waiters: Array<(r: Res) => void> = []
  let resolveStatus!: (s: grpc.StatusObject) => void
  const status = new Promise<grpc.StatusObject>((resolve) => (resolveStatus = resolve))
  let final: grpc.StatusObject | null = null

  call.on('data', (res: Res) => {
    const waiter = waiters.shift()
    if (waiter) waiter(res)
    else queue.push(res)
  })
  // A non-OK status also arrives as 'error'; it is reported through `status` and `next`.
  call.on('error', () => {})
  call.on('status', (s: grpc.StatusObject) => {
    final = s
    resolveStatus(s)
    client.close()
  })

  const forget = (waiter: (r: Res) => void): boolean => {
    const at = waiters.indexOf(waiter)
    if (at >= 0) waiters.splice(at, 1)
    return at >= 0
  }

  const next = (timeoutMs = 5000): Promise<Res> => {
    const queued = queue.shift()
    if (queued !== undefined) return Promise.resolve(queued)
    return new Promise<Res>((resolve, reject) => {
      const waiter = (r: Res): void => {
        clearTimeout(timer)
        resolve(r)
      }
      const timer = setTimeout(() => {
        forget(waiter)
        reject(new Error(final ? `stream ended (${grpc.status[final.code]}: ${final.details}) with no response` : `no response within ${timeoutMs} ms`))
      }, timeoutMs)
      waiters.push(waiter)
      void status.then((s) => {
        if (!forget(waiter)) return
        clearTimeout(timer)
        reject(new Error(`stream ended (${grpc.status[s.code]}: ${s.details}) with no response`))
      })
    })
  }

  return {
    send: (req) => void call.write(req),
    next,
    end: () => call.end(),
    close: () => call.cancel(),
    status,
  }
}

/** A DeltaAggregatedResources stream. */
export function openDeltaStream(port: number): ProtocolStream<DeltaRequestInput, ReceivedDeltaResponse> {
  return open<DeltaRequestInput, ReceivedDeltaResponse>(port, 'DeltaAggregatedResources')
}

/** A StreamAggregatedResources (state-of-the-world) stream, optionally with call metadata (a proxy token). */
export function openSotwStream(port: number, credentials?: grpc.ChannelCredentials, metadata?: grpc.Metadata): ProtocolStream<SotwRequestInput, ReceivedSotwResponse> {
  return open<SotwRequestInput, ReceivedSotwResponse>(port, 'StreamAggregatedResources', credentials, metadata)
}

/** A per-type service stream (LDS, RDS, CDS, EDS, SDS), state of the world or delta. */
export function openPerTypeStream<Res = ReceivedSotwResponse>(port: number, short: 'LDS' | 'RDS' | 'CDS' | 'EDS' | 'SDS', mode: 'sotw' | 'delta' = 'sotw'): ProtocolStream<Partial<SotwRequestInput> & Partial<DeltaRequestInput>, Res> {
  const service = loadXdsServices().perType.find((s) => s.short === short)!
  return open(port, service.definition[mode === 'sotw' ? service.sotw : service.delta]!)
}
