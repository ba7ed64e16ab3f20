import { readFile } from 'node:fs/promises'
import * as grpc from '@grpc/grpc-js'
import { checkPeerIdentity, type IdentityBinding, type PeerIdentities } from '../config/peer-identity'
import { createClientCertificateVerifier, ensureDevCa } from './dev-ca'

/**
 * grpc-js's createSsl either requires a client certificate (rejecting the handshake, so the refusal
 * can't be attributed to a node) or doesn't ask for one. We want it asked for and checked per stream:
 * keep requestCert and turn off rejectUnauthorized on the TLS server options grpc-js passes to
 * http2.createSecureServer. Covered by tests/integration/xds/tls.test.ts (a grpc-js upgrade that
 * renames this field fails it).
 */
function requestButDoNotRequireClientCertificate(credentials: grpc.ServerCredentials): grpc.ServerCredentials {
  const options = (credentials as unknown as { serverConstructorOptions?: { requestCert?: boolean; rejectUnauthorized?: boolean } }).serverConstructorOptions
  if (!options || options.requestCert !== true) throw new Error('unexpected grpc-js ServerCredentials shape: cannot make the client certificate optional')
  options.rejectUnauthorized = false
  return credentials
}

export type XdsTlsSettings = Readonly<{
  mode: 'off' | 'tls' | 'mtls'
  certFile?: string | undefined
  keyFile?: string | undefined
  clientCaFile?: string | undefined
  identity: IdentityBinding
  dataDir: string
  /** Names the development server certificate is issued for. */
  serverNames: readonly string[]
}>

export type XdsCredentials = Readonly<{
  credentials: grpc.ServerCredentials
  authorize?: (peer: PeerIdentities | null, asked: { nodeId: string; fleet: string; bySelector?: boolean }) => Promise<string | null>
  /** Where the development CA lives, when one was used (for proxies' certificates). */
  devCaDir: string | null
}>

/** Server credentials for the xDS port: files when given, else a development CA under the data folder. */
export async function loadXdsCredentials(settings: XdsTlsSettings): Promise<XdsCredentials> {
  if (settings.mode === 'off') return { credentials: grpc.ServerCredentials.createInsecure(), devCaDir: null }
  const fromFiles = settings.certFile && settings.keyFile
  const dev = fromFiles ? null : await ensureDevCa(settings.dataDir, settings.serverNames)
  const cert = fromFiles ? await readFile(settings.certFile!) : Buffer.from(dev!.server.certPem)
  const key = fromFiles ? await readFile(settings.keyFile!) : Buffer.from(dev!.server.keyPem)
  const mutual = settings.mode === 'mtls'
  const clientCa = mutual ? (settings.clientCaFile ? await readFile(settings.clientCaFile) : dev ? Buffer.from(dev.ca.certPem) : null) : null
  if (mutual && !clientCa) throw new Error('LEGATION_XDS_TLS=mtls needs LEGATION_XDS_TLS_CLIENT_CA when LEGATION_XDS_TLS_CERT/KEY are given')
  if (!mutual || !clientCa) return { credentials: grpc.ServerCredentials.createSsl(null, [{ cert_chain: cert, private_key: key }], false), devCaDir: dev?.dir ?? null }
  // The TLS layer asks for a client certificate but does not require one, so that a proxy without
  // one (or with one from another CA) reaches the stream, where it is refused by node id with
  // PERMISSION_DENIED and shown as refused in the proxy list. The chain is verified here instead.
  const verify = createClientCertificateVerifier(clientCa)
  return {
    credentials: requestButDoNotRequireClientCertificate(grpc.ServerCredentials.createSsl(clientCa, [{ cert_chain: cert, private_key: key }], true)),
    authorize: async (peer, asked) => {
      if (peer && !(await verify(peer))) return `the client certificate of proxy '${asked.nodeId}' is not signed by the configured client CA (or is expired)`
      return checkPeerIdentity(settings.identity, peer, asked)
    },
    devCaDir: dev?.dir ?? null,
  }
}
