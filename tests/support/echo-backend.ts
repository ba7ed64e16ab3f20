import * as grpc from '@grpc/grpc-js'

/**
 * A tiny gRPC backend for xDS tests: one unary method that answers with the backend's own name.
 * Messages are raw bytes, so no proto is needed on either side.
 */
export const ECHO_METHOD = '/legation.test.Echo/Who'
const passthrough = { serialize: (b: Buffer) => b, deserialize: (b: Buffer) => b }

const ECHO_SERVICE: grpc.ServiceDefinition = {
  Who: { path: ECHO_METHOD, requestStream: false, responseStream: false, requestSerialize: passthrough.serialize, requestDeserialize: passthrough.deserialize, responseSerialize: passthrough.serialize, responseDeserialize: passthrough.deserialize },
}

export type EchoBackend = Readonly<{ name: string; port: number; address: string; stop: () => Promise<void> }>

export async function startEchoBackend(name: string): Promise<EchoBackend> {
  const server = new grpc.Server()
  server.addService(ECHO_SERVICE, { Who: (_call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => cb(null, Buffer.from(name)) })
  const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))))
  return { name, port, address: '127.0.0.1', stop: () => new Promise((resolve) => server.tryShutdown(() => resolve())) }
}

export const EchoClient = grpc.makeGenericClientConstructor(ECHO_SERVICE, 'Echo')

/** Calls the echo method once; resolves with the name of the backend that answered. */
export function callEcho(client: grpc.Client, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(ECHO_METHOD, passthrough.serialize, passthrough.deserialize, Buffer.from('hi'), { deadline: Date.now() + timeoutMs }, (err, res) => (err ? reject(err) : resolve(res!.toString())))
  })
}
