import { webcrypto } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import * as x509 from '@peculiar/x509'

/**
 * A local certificate authority for development, demos and tests: a CA, a server certificate for
 * the xDS port, and client certificates for proxies on request. Production installations pass their
 * own files (LEGATION_XDS_TLS_CERT / _KEY / _CLIENT_CA).
 */
x509.cryptoProvider.set(webcrypto as unknown as Crypto)

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const
const DAY_MS = 86_400_000

export type PemPair = Readonly<{ certPem: string; keyPem: string }>
export type DevCa = Readonly<{ ca: PemPair; server: PemPair; dir: string }>

async function exportKey(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key as unknown as webcrypto.CryptoKey)
  const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n')
  return `-----BEGIN PRIVATE KEY-----\n${b64}\n-----END PRIVATE KEY-----\n`
}

async function importKey(pem: string): Promise<CryptoKey> {
  const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64')
  return (await webcrypto.subtle.importKey('pkcs8', der, ALG, true, ['sign'])) as unknown as CryptoKey
}

const serial = (): string => Buffer.from(webcrypto.getRandomValues(new Uint8Array(12))).toString('hex')

async function createCa(): Promise<PemPair> {
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as unknown as CryptoKeyPair
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: 'CN=Legation development CA',
    notBefore: new Date(Date.now() - DAY_MS),
    notAfter: new Date(Date.now() + 3650 * DAY_MS),
    keys,
    signingAlgorithm: ALG,
    extensions: [new x509.BasicConstraintsExtension(true, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true)],
  })
  return { certPem: cert.toString('pem'), keyPem: await exportKey(keys.privateKey) }
}

/** Issues a leaf certificate signed by the CA, for a server (DNS/IP names) or a client (CN, URIs). */
export async function issueCertificate(ca: PemPair, options: { commonName: string; dns?: string[]; ips?: string[]; uris?: string[]; usage: 'server' | 'client'; days?: number }): Promise<PemPair> {
  const caCert = new x509.X509Certificate(ca.certPem)
  const caKey = await importKey(ca.keyPem)
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as unknown as CryptoKeyPair
  const names = [...(options.dns ?? []).map((value) => ({ type: 'dns' as const, value })), ...(options.ips ?? []).map((value) => ({ type: 'ip' as const, value })), ...(options.uris ?? []).map((value) => ({ type: 'url' as const, value }))]
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${options.commonName}`,
    issuer: caCert.subject,
    notBefore: new Date(Date.now() - DAY_MS),
    notAfter: new Date(Date.now() + (options.days ?? 825) * DAY_MS),
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([options.usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth]),
      ...(names.length > 0 ? [new x509.SubjectAlternativeNameExtension(names)] : []),
    ],
  })
  return { certPem: cert.toString('pem'), keyPem: await exportKey(keys.privateKey) }
}

/** Creates (once) and loads the development CA and xDS server certificate under `<dataDir>/tls`. */
export async function ensureDevCa(dataDir: string, serverNames: readonly string[]): Promise<DevCa> {
  const dir = path.join(dataDir, 'tls')
  const files = { caCert: path.join(dir, 'ca.pem'), caKey: path.join(dir, 'ca-key.pem'), cert: path.join(dir, 'server.pem'), key: path.join(dir, 'server-key.pem') }
  if (!existsSync(files.caCert) || !existsSync(files.caKey)) {
    await mkdir(dir, { recursive: true, mode: 0o700 })
    const ca = await createCa()
    await writeFile(files.caCert, ca.certPem)
    await writeFile(files.caKey, ca.keyPem, { mode: 0o600 })
  }
  const ca = { certPem: await readFile(files.caCert, 'utf8'), keyPem: await readFile(files.caKey, 'utf8') }
  if (!existsSync(files.cert) || !existsSync(files.key)) {
    const ips = serverNames.filter((n) => /^[\d.]+$|:/.test(n))
    const dns = serverNames.filter((n) => !ips.includes(n))
    const server = await issueCertificate(ca, { commonName: 'legation-xds', dns, ips, usage: 'server' })
    await writeFile(files.cert, server.certPem)
    await writeFile(files.key, server.keyPem, { mode: 0o600 })
  }
  return { ca, server: { certPem: await readFile(files.cert, 'utf8'), keyPem: await readFile(files.key, 'utf8') }, dir }
}

/**
 * Verifies a client certificate (DER) against a CA bundle (PEM, one or more certificates): issued by
 * one of them, signature valid, and within its validity period.
 */
export function createClientCertificateVerifier(caPem: Buffer | string): (peer: { raw?: Uint8Array }) => Promise<boolean> {
  const cas = String(caPem).match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)?.map((pem) => new x509.X509Certificate(pem)) ?? []
  return async (peer) => {
    if (!peer.raw) return false
    const cert = new x509.X509Certificate(new Uint8Array(peer.raw))
    const now = new Date()
    if (cert.notBefore > now || cert.notAfter < now) return false
    for (const ca of cas) {
      if (ca.subject !== cert.issuer) continue
      if (await cert.verify({ publicKey: ca.publicKey, signatureOnly: true })) return true
    }
    return false
  }
}
