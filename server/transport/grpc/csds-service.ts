import * as grpc from '@grpc/grpc-js'
import type { ClientStatusRequest, ClientStatusResponse } from '../../status/csds'

export type { ClientStatusRequest, ClientStatusResponse }

/** Answers a CSDS request for the caller named by the call's `authorization` metadata (a refusal is a LegationError-like `{ status }`). */
export type ClientStatusSource = (request: ClientStatusRequest, authorization: string | undefined) => Promise<ClientStatusResponse>

/** CSDS exposes every proxy's config: the source refuses callers without an admin token with these codes. */
const REFUSALS: Readonly<Record<string, grpc.status>> = { 'AUTH.UNAUTHENTICATED': grpc.status.UNAUTHENTICATED, 'AUTH.FORBIDDEN': grpc.status.PERMISSION_DENIED }
const refusalOf = (err: unknown): { code: grpc.status; details: string } | null => {
  const code = (err as { code?: unknown } | null)?.code
  return typeof code === 'string' && REFUSALS[code] !== undefined ? { code: REFUSALS[code], details: (err as Error).message } : null
}

/** envoy.service.status.v3.ClientStatusDiscoveryService: unary fetch and a stream answering each request. */
export function csdsHandlers(source: ClientStatusSource, onError: (err: unknown) => void): grpc.UntypedServiceImplementation {
  const fail = (err: unknown) => {
    const refused = refusalOf(err)
    if (refused) return refused
    onError(err)
    return { code: grpc.status.INTERNAL, details: 'could not read proxy status' }
  }
  const authorizationOf = (call: { metadata: grpc.Metadata }) => call.metadata.get('authorization')[0]?.toString()
  return {
    FetchClientStatus: (call: grpc.ServerUnaryCall<ClientStatusRequest, ClientStatusResponse>, callback: grpc.sendUnaryData<ClientStatusResponse>) => {
      source(call.request, authorizationOf(call)).then(
        (res) => callback(null, res),
        (err: unknown) => callback(fail(err)),
      )
    },
    StreamClientStatus: (call: grpc.ServerDuplexStream<ClientStatusRequest, ClientStatusResponse>) => {
      let queue: Promise<void> = Promise.resolve()
      call.on('data', (req: ClientStatusRequest) => {
        queue = queue
          .then(() => source(req, authorizationOf(call)))
          .then(
            (res) => void call.write(res),
            (err: unknown) => void call.emit('error', fail(err)),
          )
      })
      call.on('end', () => void queue.then(() => call.end()))
      call.on('error', () => undefined)
    },
  }
}
