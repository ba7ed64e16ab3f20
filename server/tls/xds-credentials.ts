import { readFile } from 'node:fs/promises'
import * as grpc from '@grpc/grpc-js'
import { checkPeerIdentity, type IdentityBinding, type PeerIdentities } from '../config/peer-identity'
import { ensureDevCa } from './dev-ca'

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
  authorize?: (peer: PeerIdentities | null, asked: { nodeId: string; fleet: string }) => string | null
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
  return {
    credentials: grpc.ServerCredentials.createSsl(clientCa, [{ cert_chain: cert, private_key: key }], mutual),
    ...(mutual ? { authorize: (peer: PeerIdentities | null, asked: { nodeId: string; fleet: string }) => checkPeerIdentity(settings.identity, peer, asked) } : {}),
    devCaDir: dev?.dir ?? null,
  }
}
