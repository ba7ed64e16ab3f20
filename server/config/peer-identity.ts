/**
 * Binds a proxy's client certificate to what it may ask for (mutual TLS on the xDS port):
 *  - 'node-id': the certificate's CN, a DNS SAN, or the last path segment of a URI SAN (SPIFFE
 *    style `spiffe://domain/ns/x/sa/<node id>`) must equal node.id; and the certificate must also
 *    authorize the fleet the proxy lands in (issue #16 item 12: node.cluster is the proxy's own
 *    claim): the fleet selected the proxy by a selector, or one of the certificate's names is the
 *    fleet (a DNS SAN, or a URI SAN segment: `spiffe://domain/fleet/<fleet>/node/<node id>`);
 *  - 'fleet': the same, against the fleet the proxy is matched to;
 *  - 'none': any certificate the client CA signed is enough.
 * Pure: the transport extracts the identities from the peer certificate.
 */
export type IdentityBinding = 'none' | 'node-id' | 'fleet'

export type PeerIdentities = Readonly<{ commonName: string | null; dns: readonly string[]; uris: readonly string[]; /** DER, to verify the chain */ raw?: Uint8Array }>

/** The names a certificate vouches for. */
export function identityNames(peer: PeerIdentities): string[] {
  const fromUris = peer.uris.map((u) => u.replace(/\/+$/, '').split('/').at(-1) ?? '').filter(Boolean)
  return [...new Set([...(peer.commonName ? [peer.commonName] : []), ...peer.dns, ...fromUris])]
}

/** The fleets a certificate vouches for, besides its names: `…/fleet/<name>/…` segments of URI SANs. */
function fleetNames(peer: PeerIdentities): string[] {
  return peer.uris.flatMap((u) => {
    const segments = u.split('/')
    const at = segments.indexOf('fleet')
    return at >= 0 && segments[at + 1] ? [segments[at + 1]!] : []
  })
}

/** `subjectaltname` as Node's TLS reports it: "DNS:a, URI:spiffe://x/y, IP Address:1.2.3.4". */
export function parseSubjectAltName(text: string | undefined): { dns: string[]; uris: string[] } {
  const parts = (text ?? '').split(/,\s*/).filter(Boolean)
  return {
    dns: parts.filter((p) => p.startsWith('DNS:')).map((p) => p.slice(4)),
    uris: parts.filter((p) => p.startsWith('URI:')).map((p) => p.slice(4)),
  }
}

/** null when allowed; otherwise the reason, naming what the certificate says and what was asked. */
export function checkPeerIdentity(binding: IdentityBinding, peer: PeerIdentities | null, asked: { nodeId: string; fleet: string; bySelector?: boolean }): string | null {
  if (binding === 'none') return null
  if (!peer) return `proxy '${asked.nodeId}' presented no client certificate`
  const names = identityNames(peer)
  const want = binding === 'node-id' ? asked.nodeId : asked.fleet
  if (!names.includes(want)) {
    return `the client certificate of proxy '${asked.nodeId}' is for ${names.map((n) => `'${n}'`).join(', ') || 'no name'}, not the ${binding === 'node-id' ? 'node id' : 'fleet'} '${want}' it asked for`
  }
  if (binding === 'node-id' && !asked.bySelector && !names.includes(asked.fleet) && !fleetNames(peer).includes(asked.fleet)) {
    return `the client certificate of proxy '${asked.nodeId}' does not name fleet '${asked.fleet}', which the proxy asked for by node.cluster: add the fleet to the certificate (a DNS SAN, or a URI SAN with /fleet/${asked.fleet}/), or give the fleet a selector that matches the node id`
  }
  return null
}
