'use client'

import { useQuery } from '@tanstack/react-query'
import { Fragment } from 'react'
import { Badge, type BadgeTone } from '../ui/badge'
import { cn } from '../ui/cn'
import { ErrorNotice } from '../ui/error-notice'
import { formatTimestamp } from '../ui/format-time'
import { TableHead, Th } from '../ui/table'
import { formatClock, shortVersionInfo } from './format'
import { PROXY_EVENTS_LIMIT, proxyQueries } from './queries'
import { shortTypeName } from './type-status'
import type { ProxyEventKind } from './types'

const KIND: Record<ProxyEventKind, { label: string; tone: BadgeTone }> = {
  connected: { label: 'connected', tone: 'success' },
  disconnected: { label: 'disconnected', tone: 'neutral' },
  refused: { label: 'refused', tone: 'danger' },
  send: { label: 'send', tone: 'info' },
  ack: { label: 'ACK', tone: 'success' },
  nack: { label: 'NACK', tone: 'danger' },
  subscription: { label: 'subscribe', tone: 'neutral' },
  suppressed: { label: 'rate limited', tone: 'warning' },
}

/** The stream's own story, newest first: connect, each response sent, each ACK or NACK, the close. */
export function ProxyEvents({ nodeId, currentConnectionId }: { nodeId: string; currentConnectionId: string }) {
  const { data: events, error, refetch } = useQuery(proxyQueries.events(nodeId))
  if (error && !events) return <ErrorNotice className="m-4" title="Could not load the stream's events" error={error} onRetry={() => void refetch()} />
  if (!events) return <p className="px-4 py-5 text-sm text-fg-subtle">Loading events…</p>
  if (events.length === 0) return <p className="px-4 py-5 text-sm text-fg-subtle">No events recorded for this node yet.</p>
  return (
    <div className="max-h-[36rem] overflow-auto focus-visible:outline-2 focus-visible:outline-accent" tabIndex={0} role="region" aria-label="Stream events" data-testid="proxy-events">
      <table className="w-full border-collapse text-left text-[13px]">
        <TableHead className="sticky top-0 z-10 bg-surface-muted">
          <tr>
            <Th className="w-28">Time (UTC)</Th>
            <Th className="w-28">Event</Th>
            <Th className="w-14">Type</Th>
            <Th className="w-40">Version</Th>
            <Th className="w-16">Nonce</Th>
            <Th>Detail</Th>
          </tr>
        </TableHead>
        <tbody>
          {events.map((e, i) => {
            const previous = events[i - 1]
            const newStream = !previous || previous.connectionId !== e.connectionId
            const kind = KIND[e.kind] ?? { label: e.kind, tone: 'neutral' as const }
            return (
              <Fragment key={e.id}>
                {newStream ? (
                  <tr className="bg-surface-muted/50">
                    <td colSpan={6} className="border-y border-line px-4 py-1 text-[11px] text-fg-subtle">
                      Stream <span className="font-mono">{e.connectionId.slice(0, 8)}</span>
                      {e.connectionId === currentConnectionId ? ' · current' : ''}
                    </td>
                  </tr>
                ) : null}
                <tr data-testid="proxy-event" data-kind={e.kind} className={cn('border-b border-line/60 align-top', e.kind === 'nack' && 'bg-red-50/50 dark:bg-red-950/20')}>
                  <td className="px-3 py-1.5 pl-4 font-mono text-xs whitespace-nowrap text-fg-muted" title={formatTimestamp(e.at)}>
                    {formatClock(e.at)}
                  </td>
                  <td className="px-3 py-1.5 whitespace-nowrap">
                    <Badge tone={kind.tone}>{kind.label}</Badge>
                    {e.repeatCount ? (
                      <span data-testid="event-repeat-count" className="ml-1.5 font-mono text-xs text-fg-muted" title={e.lastAt ? `${e.repeatCount} times, the last at ${formatTimestamp(e.lastAt)}` : undefined}>
                        ×{e.repeatCount}
                      </span>
                    ) : null}
                  </td>
                  <td className="px-3 py-1.5 text-xs font-semibold">{e.typeUrl ? shortTypeName(e.typeUrl) : ''}</td>
                  <td className="px-3 py-1.5 text-xs whitespace-nowrap">
                    {e.fromVersion !== undefined ? <span className="mr-1.5 font-mono font-semibold">v{e.fromVersion}</span> : null}
                    <span className="font-mono text-fg-subtle" title={e.version}>
                      {shortVersionInfo(e.version)}
                    </span>
                  </td>
                  <td className="px-3 py-1.5 font-mono text-xs text-fg-muted">{e.nonce ?? ''}</td>
                  <td className="px-3 py-1.5 pr-4 text-xs">
                    {e.message ? <span className={cn('break-words whitespace-pre-wrap', e.kind === 'nack' && 'font-mono text-red-800 dark:text-red-300')}>{e.message}</span> : null}
                  </td>
                </tr>
              </Fragment>
            )
          })}
        </tbody>
      </table>
      {events.length >= PROXY_EVENTS_LIMIT ? <p className="px-4 py-2 text-[11px] text-fg-subtle">The latest {PROXY_EVENTS_LIMIT} events; older ones are not shown.</p> : null}
    </div>
  )
}
