'use client'

import { useQuery } from '@tanstack/react-query'
import { ArrowLeft, SearchX } from 'lucide-react'
import Link from 'next/link'
import type { ReactNode } from 'react'
import { ApiError } from '../api'
import { EmptyState } from '../ui/empty-state'
import { ErrorNotice } from '../ui/error-notice'
import { formatTimestamp } from '../ui/format-time'
import { ProxyLane } from '../charts/proxy-lane'
import { Panel } from '../ui/panel'
import { RelativeTime } from '../ui/relative-time'
import { ConfigDump } from './config-dump'
import { ConnectionHistory } from './connection-history'
import { proxiesHref } from './filters'
import { ProxyDriftPanel } from './proxy-drift'
import { ProxyEvents } from './proxy-events'
import { proxyQueries } from './queries'
import { ProxyStateBadge } from './state-badge'
import { TypeStatusTable } from './type-status-table'
import type { ProxySummary } from './types'

function Fact({ label, children, title }: { label: string; children: ReactNode; title?: string }) {
  return (
    <div className="min-w-0">
      <dt className="text-[11px] font-medium tracking-wide text-fg-subtle uppercase">{label}</dt>
      <dd className="mt-0.5 truncate text-[13px]" title={title}>
        {children}
      </dd>
    </div>
  )
}

function ProxyFacts({ proxy }: { proxy: ProxySummary }) {
  return (
    <dl className="grid grid-cols-2 gap-x-6 gap-y-3 px-4 py-3 sm:grid-cols-3 lg:grid-cols-6" data-testid="proxy-facts">
      <Fact label="Fleet">
        {proxy.fleet ? (
          <Link href={proxiesHref('', { fleet: proxy.fleet })} className="font-mono hover:text-accent hover:underline">
            {proxy.fleet}
          </Link>
        ) : (
          <span className="text-red-700 dark:text-red-400" title="The proxy's node.cluster names no fleet, so it is served nothing">
            none (node.cluster <span className="font-mono">{proxy.nodeCluster}</span>)
          </span>
        )}
      </Fact>
      <Fact label="Peer" title={proxy.peer}>
        <span className="font-mono">{proxy.peer}</span>
      </Fact>
      <Fact label="User agent" title={`${proxy.userAgentName} ${proxy.userAgentVersion}`}>
        {proxy.userAgentName} <span className="font-mono text-fg-muted">{proxy.userAgentVersion}</span>
      </Fact>
      <Fact label={proxy.disconnectedAt ? 'Stream' : 'Connected'}>
        {proxy.disconnectedAt ? (
          <>
            closed <RelativeTime iso={proxy.disconnectedAt} />
          </>
        ) : (
          <RelativeTime iso={proxy.connectedAt} />
        )}
        <span className="text-fg-subtle"> · {proxy.stream}</span>
      </Fact>
      <Fact label="Last seen">
        <RelativeTime iso={proxy.lastSeenAt} />
      </Fact>
      <Fact label="Replica">
        <span className="font-mono text-fg-muted" title={`connection ${proxy.id}`}>
          {proxy.replicaId}
        </span>
      </Fact>
    </dl>
  )
}

/**
 * One proxy: what it runs against the fleet's active version, status per type with NACK texts, the
 * config it was last sent, its earlier streams and its timeline.
 */
export function ProxyDetailView({ nodeId }: { nodeId: string }) {
  const { data, error, refetch } = useQuery(proxyQueries.detail(nodeId))

  const back = (
    <Link href="/proxies" className="mb-3 inline-flex items-center gap-1 text-xs text-fg-muted hover:text-fg">
      <ArrowLeft aria-hidden className="size-3.5" />
      All proxies
    </Link>
  )

  if (error && !data) {
    if (error instanceof ApiError && error.status === 404) {
      return (
        <>
          {back}
          <Panel title={<span className="font-mono">{nodeId}</span>} data-testid="proxy-not-found">
            <EmptyState icon={SearchX} title="No proxy with this node id has connected">
              <p>
                Status is kept for 24 hours after a stream closes. Check the node id in the proxy&apos;s bootstrap (<span className="font-mono">node.id</span>), or{' '}
                <Link href="/proxies" className="text-accent underline-offset-2 hover:underline">
                  see every proxy
                </Link>
                .
              </p>
            </EmptyState>
          </Panel>
        </>
      )
    }
    return (
      <>
        {back}
        <ErrorNotice title={`Could not load proxy ${nodeId}`} error={error} onRetry={() => void refetch()} />
      </>
    )
  }
  if (!data) return <p className="text-sm text-fg-subtle">Loading proxy…</p>

  const { proxy, history, configDump } = data
  return (
    <div className="space-y-4" data-testid="proxy-detail" data-state={proxy.state}>
      <div>
        {back}
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="font-mono text-lg font-semibold tracking-tight break-all" data-testid="proxy-node-id">
            {proxy.nodeId}
          </h1>
          <ProxyStateBadge state={proxy.state} data-testid="proxy-detail-state" />
        </div>
        {proxy.disconnectedAt ? (
          <p className="mt-1 text-sm text-fg-muted">
            Disconnected {formatTimestamp(proxy.disconnectedAt)}
            {proxy.closeReason ? `: ${proxy.closeReason}` : ''}. The status below is what the stream knew when it closed.
          </p>
        ) : null}
      </div>

      <Panel title="Connection">
        <ProxyFacts proxy={proxy} />
      </Panel>

      <ProxyDriftPanel nodeId={proxy.nodeId} fleet={proxy.fleet} connected={proxy.disconnectedAt === null} />

      <Panel title="Status per type" description="What the proxy asked for, what Legation sent and what the proxy acknowledged, per xDS type">
        <TypeStatusTable types={proxy.types} />
      </Panel>

      <Panel title="Config last sent" description="The resources of each type's last response, exactly as Legation sent them (from the immutable version they were built from)">
        <ConfigDump entries={configDump} />
      </Panel>

      <Panel title="Stream events" description="Connects, responses sent, ACKs and NACKs, newest first">
        <ProxyLane nodeId={proxy.nodeId} />
        <ProxyEvents nodeId={proxy.nodeId} currentConnectionId={proxy.id} />
      </Panel>

      <Panel title="Earlier connections" description={history.length > 0 ? `${history.length} earlier stream${history.length === 1 ? '' : 's'} of this node, newest first` : undefined}>
        <ConnectionHistory history={history} />
      </Panel>
    </div>
  )
}
