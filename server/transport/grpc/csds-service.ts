import * as grpc from '@grpc/grpc-js'
import type { ClientStatusRequest, ClientStatusResponse } from '../../status/csds'

export type { ClientStatusRequest, ClientStatusResponse }

export type ClientStatusSource = (request: ClientStatusRequest) => Promise<ClientStatusResponse>

/** envoy.service.status.v3.ClientStatusDiscoveryService: unary fetch and a stream answering each request. */
export function csdsHandlers(source: ClientStatusSource, onError: (err: unknown) => void): grpc.UntypedServiceImplementation {
  const fail = (err: unknown) => {
    onError(err)
    return { code: grpc.status.INTERNAL, details: 'could not read proxy status' }
  }
  return {
    FetchClientStatus: (call: grpc.ServerUnaryCall<ClientStatusRequest, ClientStatusResponse>, callback: grpc.sendUnaryData<ClientStatusResponse>) => {
      source(call.request).then(
        (res) => callback(null, res),
        (err: unknown) => callback(fail(err)),
      )
    },
    StreamClientStatus: (call: grpc.ServerDuplexStream<ClientStatusRequest, ClientStatusResponse>) => {
      let queue: Promise<void> = Promise.resolve()
      call.on('data', (req: ClientStatusRequest) => {
        queue = queue
          .then(() => source(req))
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
