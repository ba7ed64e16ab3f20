'use client'

import type { ColumnDef } from '@tanstack/react-table'
import { ArrowRight, Lock, LockOpen } from 'lucide-react'
import Link from 'next/link'
import type { ReactNode } from 'react'
import type { DraftResourceView } from '@/server/contract'
import { Badge } from '../ui/badge'
import { RelativeTime } from '../ui/relative-time'
import { resourceHrefs, type ResourceKind } from './kinds'
import type { ResourceRow } from './resource-table'
import { RowActions } from './row-actions'
import {
  countEndpoints,
  formatHostPort,
  summarizeCluster,
  summarizeListener,
  summarizeLocalities,
  summarizeRouteConfig,
  summarizeSecret,
  type ChainSummary,
  type ClusterSummary,
  type ListenerSummary,
  type LocalitySummary,
  type RouteAction,
  type VirtualHostSummary,
} from './summaries'

export type ColumnContext = Readonly<{
  fleet: string
  /** Load assignments by name, for the endpoint counts of EDS clusters. */
  assignments: ReadonlyMap<string, DraftResourceView>
  unsaved: ReadonlySet<string>
  onDelete: (view: DraftResourceView) => void
  /** The caller may only read this fleet (viewer): rows offer view links, no edit or delete. */
  readOnly: boolean
}>

type Columns<S> = Array<ColumnDef<ResourceRow<S>, unknown>>

function ResourceLink({ fleet, kind, name, children }: { fleet: string; kind: ResourceKind; name: string; children?: ReactNode }) {
  return (
    <Link href={resourceHrefs.edit(fleet, kind, name)} className="font-mono text-accent underline-offset-2 hover:underline">
      {children ?? name}
    </Link>
  )
}

function nameColumn<S>(kind: ResourceKind, ctx: ColumnContext, header = 'Name'): ColumnDef<ResourceRow<S>, unknown> {
  return {
    id: 'name',
    header,
    accessorFn: (row) => row.view.name,
    cell: ({ row }) => (
      <div className="flex flex-col items-start gap-1">
        <Link href={resourceHrefs.edit(ctx.fleet, kind, row.original.view.name)} className="font-mono font-medium text-fg hover:underline" data-testid="row-name">
          {row.original.view.name}
        </Link>
        {row.original.unsaved ? (
          <Badge tone="warning" title="This browser has edits of it that are not saved" data-testid="row-unsaved">
            unsaved edits
          </Badge>
        ) : null}
      </div>
    ),
  }
}

function updatedColumn<S>(): ColumnDef<ResourceRow<S>, unknown> {
  return {
    id: 'updated',
    header: 'Changed',
    accessorFn: (row) => row.view.updatedAt,
    cell: ({ row }) => (
      <div className="text-xs whitespace-nowrap text-fg-subtle">
        <RelativeTime iso={row.original.view.updatedAt} />
        <div>
          by {row.original.view.updatedBy} · r{row.original.view.revision}
        </div>
      </div>
    ),
  }
}

function actionsColumn<S>(kind: ResourceKind, ctx: ColumnContext): ColumnDef<ResourceRow<S>, unknown> {
  return {
    id: 'actions',
    header: () => <span className="sr-only">Actions</span>,
    enableSorting: false,
    meta: { className: 'w-0 text-right' },
    cell: ({ row }) => <RowActions fleet={ctx.fleet} kind={kind} view={row.original.view} readOnly={ctx.readOnly} onDelete={() => ctx.onDelete(row.original.view)} />,
  }
}

function TlsBadge({ tls, detail }: { tls: boolean; detail?: ReactNode }) {
  return tls ? (
    <div className="space-y-0.5" data-testid="tls-marker">
      <Badge tone="success">
        <Lock aria-hidden className="size-3" />
        TLS
      </Badge>
      {detail ? <div className="text-xs text-fg-muted">{detail}</div> : null}
    </div>
  ) : (
    <span className="inline-flex items-center gap-1 text-xs text-fg-subtle">
      <LockOpen aria-hidden className="size-3" />
      no
    </span>
  )
}

/** SNI and SDS secrets under the TLS badge, linked to the secrets they name. */
function TlsDetail({ sni, secrets, prefix, fleet }: { sni?: string | null; secrets: readonly string[]; prefix?: string; fleet: string }) {
  if (!sni && secrets.length === 0 && !prefix) return null
  return (
    <>
      {prefix ? <div>{prefix}</div> : null}
      {sni ? (
        <div>
          SNI <span className="font-mono" data-testid="tls-sni">{sni}</span>
        </div>
      ) : null}
      {secrets.length > 0 ? (
        <div className="flex flex-wrap items-baseline gap-x-1.5" data-testid="tls-secrets">
          SDS
          {secrets.map((name) => (
            <ResourceLink key={name} fleet={fleet} kind="secrets" name={name} />
          ))}
        </div>
      ) : null}
    </>
  )
}

function ChainLine({ chain, fleet }: { chain: ChainSummary; fleet: string }) {
  return (
    <li className="flex flex-wrap items-center gap-1.5">
      {chain.kind === 'http' ? (
        <>
          <Badge tone="info">HTTP</Badge>
          <ArrowRight aria-hidden className="size-3 text-fg-subtle" />
          {chain.routeConfig ? (
            <>
              <span className="text-xs text-fg-subtle">routes</span> <ResourceLink fleet={fleet} kind="routes" name={chain.routeConfig} />
            </>
          ) : (
            <span className="text-xs text-fg-subtle">{chain.inlineRoutes ? 'inline routes' : 'no routes'}</span>
          )}
        </>
      ) : chain.kind === 'tcp' ? (
        <>
          <Badge>TCP proxy</Badge>
          <ArrowRight aria-hidden className="size-3 text-fg-subtle" />
          {chain.cluster ? (
            <>
              <span className="text-xs text-fg-subtle">cluster</span> <ResourceLink fleet={fleet} kind="clusters" name={chain.cluster} />
            </>
          ) : (
            <span className="text-xs text-fg-subtle">{chain.weighted} weighted clusters</span>
          )}
        </>
      ) : (
        <span className="font-mono text-xs text-fg-muted">{chain.filters.join(', ') || 'no filters'}</span>
      )}
      {chain.tls ? (
        <span className="inline-flex items-center text-emerald-700 dark:text-emerald-400" title="This chain terminates TLS" data-testid="chain-tls">
          <Lock aria-hidden className="size-3" />
          <span className="sr-only">TLS</span>
        </span>
      ) : null}
    </li>
  )
}

export function listenerColumns(ctx: ColumnContext): Columns<ListenerSummary> {
  return [
    nameColumn('listeners', ctx),
    {
      id: 'address',
      header: 'Address',
      accessorFn: (row) => row.summary.port ?? 0,
      cell: ({ row }) => <span className="font-mono whitespace-nowrap">{formatHostPort(row.original.summary.address, row.original.summary.port) || '—'}</span>,
    },
    {
      id: 'chains',
      header: 'Filter chains',
      enableSorting: false,
      cell: ({ row }) => (
        <ul className="space-y-1">
          {row.original.summary.chains.length === 0 ? <li className="text-xs text-fg-subtle">none</li> : row.original.summary.chains.map((chain, i) => <ChainLine key={i} chain={chain} fleet={ctx.fleet} />)}
        </ul>
      ),
    },
    {
      id: 'tls',
      header: 'TLS',
      accessorFn: (row) => row.summary.tlsChains,
      cell: ({ row }) => {
        const s = row.original.summary
        const prefix = s.chains.length > 1 ? `${s.tlsChains} of ${s.chains.length} chains` : undefined
        return <TlsBadge tls={s.tls} detail={<TlsDetail fleet={ctx.fleet} secrets={s.tlsSecrets} {...(prefix ? { prefix } : {})} />} />
      },
    },
    updatedColumn(),
    actionsColumn('listeners', ctx),
  ]
}

function ActionText({ action, fleet }: { action: RouteAction; fleet: string }) {
  if (action.kind === 'cluster') return <ResourceLink fleet={fleet} kind="clusters" name={action.cluster} />
  if (action.kind === 'weighted')
    return (
      <span className="inline-flex flex-wrap gap-x-2">
        {action.clusters.map((c) => (
          <span key={c.name}>
            <ResourceLink fleet={fleet} kind="clusters" name={c.name} />
            <span className="text-xs text-fg-subtle"> {c.weight ?? '?'}</span>
          </span>
        ))}
      </span>
    )
  return <span className="text-xs text-fg-muted italic">{action.text}</span>
}

function VirtualHostBlock({ vh, fleet }: { vh: VirtualHostSummary; fleet: string }) {
  return (
    <div className="min-w-0">
      <div className="flex flex-wrap items-baseline gap-x-2 text-xs">
        <span className="font-medium text-fg">{vh.name}</span>
        <span className="font-mono text-fg-subtle">{vh.domains.join(', ')}</span>
      </div>
      <ul className="mt-0.5 space-y-0.5 border-l border-line pl-3">
        {vh.routes.map((r, i) => (
          <li key={i} className="flex flex-wrap items-center gap-1.5 text-[13px]">
            <span className="font-mono text-fg-muted">{r.match}</span>
            {r.headers.length > 0 ? <span className="font-mono text-xs text-fg-subtle">[{r.headers.join(', ')}]</span> : null}
            <ArrowRight aria-hidden className="size-3 text-fg-subtle" />
            <ActionText action={r.action} fleet={fleet} />
          </li>
        ))}
        {vh.routes.length === 0 ? <li className="text-xs text-fg-subtle">no routes</li> : null}
      </ul>
    </div>
  )
}

export function routeColumns(ctx: ColumnContext): Columns<ReturnType<typeof summarizeRouteConfig>> {
  return [
    nameColumn('routes', ctx),
    {
      id: 'hosts',
      header: 'Virtual hosts → routes',
      enableSorting: false,
      cell: ({ row }) => (
        <div className="space-y-2">
          {row.original.summary.virtualHosts.map((vh, i) => (
            <VirtualHostBlock key={i} vh={vh} fleet={ctx.fleet} />
          ))}
          {row.original.summary.virtualHosts.length === 0 ? <span className="text-xs text-fg-subtle">no virtual hosts</span> : null}
        </div>
      ),
    },
    { id: 'routes', header: 'Routes', accessorFn: (row) => row.summary.routeCount, meta: { className: 'text-right tabular-nums' } , cell: ({ row }) => row.original.summary.routeCount },
    updatedColumn(),
    actionsColumn('routes', ctx),
  ]
}

function LocalityList({ localities }: { localities: readonly LocalitySummary[] }) {
  if (countEndpoints(localities) === 0) return <span className="text-xs text-fg-subtle">no endpoints</span>
  return (
    <ul className="space-y-1">
      {localities.map((l, i) => (
        <li key={i} className="text-[13px]">
          {l.label || l.weight !== null || l.priority > 0 || localities.length > 1 ? (
            <div className="text-xs text-fg-subtle">
              {l.label ?? 'no locality'}
              {l.weight !== null ? ` · weight ${l.weight}` : ''}
              {l.priority > 0 ? ` · priority ${l.priority}` : ''}
            </div>
          ) : null}
          <div className="flex flex-wrap gap-x-3 gap-y-0.5">
            {l.endpoints.map((e, j) => (
              <span key={j} className="font-mono whitespace-nowrap">
                {e.address}
                {e.weight !== null ? <span className="text-xs text-fg-subtle"> ×{e.weight}</span> : null}
                {e.health && e.health !== 'HEALTHY' ? <span className="text-xs text-amber-700 dark:text-amber-400"> {e.health.toLowerCase()}</span> : null}
              </span>
            ))}
          </div>
        </li>
      ))}
    </ul>
  )
}

function endpointCountOf(summary: ClusterSummary, assignments: ReadonlyMap<string, DraftResourceView>): number | null {
  if (summary.localities) return countEndpoints(summary.localities)
  const cla = summary.edsName ? assignments.get(summary.edsName) : undefined
  return cla ? countEndpoints(summarizeLocalities(cla.resource['endpoints'])) : null
}

export function clusterColumns(ctx: ColumnContext): Columns<ClusterSummary> {
  return [
    nameColumn('clusters', ctx),
    { id: 'type', header: 'Discovery', accessorFn: (row) => row.summary.type, cell: ({ row }) => <span className="font-mono text-xs">{row.original.summary.type}</span> },
    { id: 'lb', header: 'LB policy', accessorFn: (row) => row.summary.lbPolicy, cell: ({ row }) => <span className="font-mono text-xs">{row.original.summary.lbPolicy}</span> },
    {
      id: 'timeout',
      header: 'Connect timeout',
      accessorFn: (row) => parseFloat(row.summary.connectTimeout ?? '5'),
      cell: ({ row }) => <span className="font-mono text-xs">{row.original.summary.connectTimeout ?? <span className="text-fg-subtle">5s (default)</span>}</span>,
    },
    {
      id: 'endpoints',
      header: 'Endpoints',
      accessorFn: (row) => endpointCountOf(row.summary, ctx.assignments) ?? -1,
      cell: ({ row }) => {
        const s = row.original.summary
        const count = endpointCountOf(s, ctx.assignments)
        if (s.localities) {
          return (
            <div>
              <LocalityList localities={s.localities} />
            </div>
          )
        }
        return (
          <div className="text-[13px]">
            <span className="tabular-nums">{count === null ? 'none' : `${count} endpoint${count === 1 ? '' : 's'}`}</span>
            <span className="text-xs text-fg-subtle"> via EDS </span>
            {s.edsName ? <ResourceLink fleet={ctx.fleet} kind="endpoints" name={s.edsName} /> : null}
            {count === null ? <div className="text-xs text-amber-700 dark:text-amber-400">no load assignment named {s.edsName}</div> : null}
          </div>
        )
      },
    },
    {
      id: 'health',
      header: 'Health check',
      accessorFn: (row) => (row.summary.healthCheck ? 1 : 0),
      cell: ({ row }) => (row.original.summary.healthCheck ? <Badge tone="success">yes</Badge> : <span className="text-xs text-fg-subtle">no</span>),
    },
    {
      id: 'tls',
      header: 'TLS',
      accessorFn: (row) => (row.summary.tls ? 1 : 0),
      cell: ({ row }) => {
        const d = row.original.summary.tlsDetail
        return <TlsBadge tls={d !== null} detail={d ? <TlsDetail fleet={ctx.fleet} sni={d.sni} secrets={d.secrets} /> : null} />
      },
    },
    updatedColumn(),
    actionsColumn('clusters', ctx),
  ]
}

export function endpointColumns(ctx: ColumnContext): Columns<LocalitySummary[]> {
  return [
    nameColumn('endpoints', ctx, 'Cluster'),
    { id: 'localities', header: 'Endpoints by locality', enableSorting: false, cell: ({ row }) => <LocalityList localities={row.original.summary} /> },
    { id: 'count', header: 'Count', accessorFn: (row) => countEndpoints(row.summary), meta: { className: 'text-right tabular-nums' }, cell: ({ row }) => countEndpoints(row.original.summary) },
    updatedColumn(),
    actionsColumn('endpoints', ctx),
  ]
}

export function secretColumns(ctx: ColumnContext): Columns<ReturnType<typeof summarizeSecret>> {
  return [
    nameColumn('secrets', ctx),
    { id: 'kind', header: 'Kind', accessorFn: (row) => row.summary.kind, cell: ({ row }) => row.original.summary.kind },
    { id: 'source', header: 'Source', enableSorting: false, cell: ({ row }) => <span className="text-xs text-fg-muted">{row.original.summary.detail ?? '—'}</span> },
    updatedColumn(),
    actionsColumn('secrets', ctx),
  ]
}

/** The rows of one kind: its summary and the text the filter searches. */
export function summarize(kind: ResourceKind, view: DraftResourceView): { summary: unknown; search: string } {
  const summary =
    kind === 'listeners'
      ? summarizeListener(view.resource)
      : kind === 'routes'
        ? summarizeRouteConfig(view.resource)
        : kind === 'clusters'
          ? summarizeCluster(view.resource)
          : kind === 'endpoints'
            ? summarizeLocalities(view.resource['endpoints'])
            : summarizeSecret(view.resource)
  return { summary, search: `${view.name} ${JSON.stringify(summary)} ${view.updatedBy}`.toLowerCase() }
}
