'use client'

import { useSyncExternalStore } from 'react'
import { Code } from '../ui/code'

const noSubscribe = () => () => undefined
const browserOrigin = (): string => window.location.origin
const placeholderOrigin = (): string => 'http://LEGATION_HOST:PORT'

/** How to point an Envoy (or a proxyless gRPC client) at a fleet: the bootstrap endpoint. */
export function ConnectProxyHelp({ fleet }: { fleet: string | null }) {
  const origin = useSyncExternalStore(noSubscribe, browserOrigin, placeholderOrigin)
  const name = fleet ?? 'FLEET'
  const bootstrap = `/api/v1/fleets/${encodeURIComponent(name)}/bootstrap`
  return (
    <div className="mx-auto max-w-2xl text-left" data-testid="connect-proxy-help">
      <p>
        Point an Envoy at Legation with the bootstrap of {fleet ? <Code>{fleet}</Code> : 'a fleet'}: it names the fleet in <Code>node.cluster</Code> and
        the xDS server in its ADS config.
      </p>
      <pre className="mt-2 rounded-md border border-line bg-surface-muted px-3 py-2 font-mono text-xs break-all whitespace-pre-wrap text-fg" data-testid="bootstrap-command">
        {`curl -o envoy.yaml '${origin}${bootstrap}?node_id=envoy-1'\nenvoy -c envoy.yaml`}
      </pre>
      <p className="mt-2 text-xs text-fg-subtle">
        {fleet ? (
          <>
            <a href={bootstrap} className="text-accent underline-offset-2 hover:underline" target="_blank" rel="noreferrer">
              Open the bootstrap
            </a>{' '}
            ·{' '}
          </>
        ) : null}
        Options: <Code>node_id</Code>, <Code>xds_host</Code>, <Code>xds_port</Code>, <Code>admin_port</Code>, <Code>format=json</Code>. A proxyless gRPC client needs only{' '}
        <Code>node.cluster: {name}</Code> and the xDS address in its own bootstrap. It shows up here as soon as it connects.
      </p>
    </div>
  )
}
