'use client'

import { flexRender, getCoreRowModel, getFilteredRowModel, getSortedRowModel, useReactTable, type ColumnDef, type SortingState } from '@tanstack/react-table'
import { useVirtualizer } from '@tanstack/react-virtual'
import { ArrowDown, ArrowUp, ArrowUpDown } from 'lucide-react'
import Link from 'next/link'
import { useRouter } from 'next/navigation'
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import { deriveTypeState } from '@/server/contract'
import { cn } from '../ui/cn'
import { RelativeTime } from '../ui/relative-time'
import { matchesProxySearch, proxyHref } from './filters'
import { ProxyStateBadge } from './state-badge'
import { TypeStatusBadge } from './type-status-badge'
import { STATUS_TYPES, stateSeverity } from './type-status'
import type { ProxySortColumn, ProxySummary } from './types'

/** Every row has this height, so the virtualizer needs no measuring (and works where there is no layout). */
export const PROXY_ROW_HEIGHT = 44
/** What the first render (server, tests) assumes of the scroll area before it is measured. */
const INITIAL_RECT = { width: 1200, height: 720 }

const typeSortValue = (p: ProxySummary, typeUrl: string): number => {
  const t = p.types[typeUrl]
  return t ? stateSeverity(deriveTypeState(t)) * 1e6 - (t.sentFromVersion ?? 0) : 9e6
}

function buildColumns(): ColumnDef<ProxySummary>[] {
  return [
    {
      id: 'nodeId',
      accessorKey: 'nodeId',
      header: 'Node ID · peer',
      size: 200,
      cell: ({ row }) => (
        <div className="min-w-0 leading-tight">
          <Link href={proxyHref(row.original.nodeId)} data-testid="proxy-link" className="block truncate font-mono text-[13px] font-medium text-fg hover:text-accent hover:underline focus-visible:underline focus-visible:outline-offset-0" title={row.original.nodeId}>
            {row.original.nodeId}
          </Link>
          <span className="block truncate font-mono text-[11px] text-fg-subtle" title={`peer ${row.original.peer}`}>
            {row.original.peer}
          </span>
        </div>
      ),
    },
    {
      id: 'fleet',
      accessorFn: (p) => p.fleet ?? '',
      header: 'Fleet',
      size: 100,
      cell: ({ row }) =>
        row.original.fleet ? (
          <span className="block truncate font-mono text-xs" title={row.original.fleet}>
            {row.original.fleet}
          </span>
        ) : (
          <span className="text-xs text-fg-subtle italic" title={`node.cluster "${row.original.nodeCluster}" names no fleet`}>
            none
          </span>
        ),
    },
    {
      id: 'userAgent',
      accessorFn: (p) => `${p.userAgentName} ${p.userAgentVersion}`,
      header: 'User agent',
      size: 130,
      cell: ({ row }) => (
        <div className="min-w-0 leading-tight" title={`${row.original.userAgentName} ${row.original.userAgentVersion}`}>
          <span className="block truncate text-xs">{row.original.userAgentName || <span className="text-fg-subtle italic">unknown</span>}</span>
          <span className="block truncate font-mono text-[11px] text-fg-subtle">{row.original.userAgentVersion}</span>
        </div>
      ),
    },
    {
      id: 'connectedAt',
      accessorFn: (p) => p.disconnectedAt ?? p.connectedAt,
      header: 'Connected',
      size: 96,
      cell: ({ row }) =>
        row.original.disconnectedAt ? (
          <span className="text-xs text-fg-subtle" title={row.original.closeReason ?? undefined}>
            left <RelativeTime iso={row.original.disconnectedAt} />
          </span>
        ) : (
          <RelativeTime iso={row.original.connectedAt} className="text-xs text-fg-muted" />
        ),
    },
    {
      id: 'state',
      accessorFn: (p) => stateSeverity(p.state),
      header: 'State',
      size: 134,
      sortDescFirst: false, // most urgent first
      cell: ({ row }) => <ProxyStateBadge state={row.original.state} data-testid="proxy-state" />,
    },
    ...STATUS_TYPES.map<ColumnDef<ProxySummary>>((type) => ({
      id: type.short,
      accessorFn: (p) => typeSortValue(p, type.typeUrl),
      header: type.short,
      size: 78,
      sortDescFirst: false,
      meta: { title: `${type.resource} (${type.typeUrl})`, compact: true },
      cell: ({ row }) => <TypeStatusBadge type={type} status={row.original.types[type.typeUrl]} detailHref={proxyHref(row.original.nodeId)} />,
    })),
  ]
}

type ColumnMeta = { title?: string; compact?: boolean }

/**
 * The node id stays in view when the table scrolls sideways (a phone shows it and a type or two).
 * A sticky cell needs a solid background: the row's tints (hover, NACKED) are mixed onto the
 * surface colour here, as the translucent row colours look over it.
 */
const KEY_COLUMN = 'nodeId'
const STICKY_HEAD = 'sticky left-0 z-[2] bg-surface-muted max-md:border-r'
const STICKY_BASE = 'sticky left-0 z-[1] max-md:border-r group-hover:bg-[color-mix(in_srgb,var(--color-surface-muted)_70%,var(--color-surface))]'
const STICKY_CELL = cn(STICKY_BASE, 'bg-surface')
const STICKY_CELL_NACKED = cn(STICKY_BASE, 'bg-[color-mix(in_srgb,var(--color-red-50)_40%,var(--color-surface))] dark:bg-[color-mix(in_srgb,var(--color-red-950)_15%,var(--color-surface))]')

const SERVER_SORTS: readonly ProxySortColumn[] = ['nodeId', 'state', 'connectedAt']
/** The next page is asked for when the last rows in view are this close to the end of the loaded ones. */
const NEAR_END_ROWS = 40

/**
 * The proxies as a sortable table that only puts the rows in view into the DOM (TanStack Virtual),
 * so 10,000 proxies scroll as smoothly as 10. Rows have a fixed height; spacer rows stand in for
 * the ones above and below the window.
 */
export function ProxiesTable({
  proxies,
  showFleet,
  search,
  empty,
  maxHeight = 'calc(100vh - 13rem)',
  sort,
  onSortChange,
  onNearEnd,
}: {
  proxies: readonly ProxySummary[]
  showFleet: boolean
  search: string
  /** Shown instead of the rows when the search matches none. */
  empty?: ReactNode
  maxHeight?: string
  /** Sorted by the server (the list is paged): only these columns sort, and the rows come in that order. */
  sort?: Readonly<{ column: ProxySortColumn; desc: boolean }>
  onSortChange?: (sort: Readonly<{ column: ProxySortColumn; desc: boolean }>) => void
  /** Called when the rows near the end of what is loaded come into view: load the next page. */
  onNearEnd?: () => void
}) {
  const router = useRouter()
  const columns = useMemo(() => (sort ? buildColumns().map((c) => ({ ...c, enableSorting: (SERVER_SORTS as readonly string[]).includes(c.id!) })) : buildColumns()), [sort])
  const [localSorting, setLocalSorting] = useState<SortingState>([{ id: 'nodeId', desc: false }])
  const sorting: SortingState = sort ? [{ id: sort.column, desc: sort.desc }] : localSorting
  const setSorting = (updater: SortingState | ((old: SortingState) => SortingState)): void => {
    const next = typeof updater === 'function' ? updater(sorting) : updater
    if (!sort) return setLocalSorting(next)
    const first = next[0]
    if (first && onSortChange && (SERVER_SORTS as readonly string[]).includes(first.id)) onSortChange({ column: first.id as ProxySortColumn, desc: first.desc })
  }
  const data = useMemo(() => [...proxies], [proxies])
  // React Compiler cannot memoize TanStack Table's instance; it is meant to be used this way.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({
    data,
    columns,
    state: { sorting, globalFilter: search, columnVisibility: { fleet: showFleet } },
    onSortingChange: setSorting,
    getRowId: (p) => p.nodeId,
    globalFilterFn: (row, _columnId, value: string) => matchesProxySearch(row.original, value),
    getCoreRowModel: getCoreRowModel(),
    // Server-sorted rows keep the order they came in.
    manualSorting: Boolean(sort),
    getSortedRowModel: getSortedRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
    enableSortingRemoval: false,
  })
  const rows = table.getRowModel().rows

  const scrollRef = useRef<HTMLDivElement>(null)
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => PROXY_ROW_HEIGHT,
    overscan: 12,
    initialRect: INITIAL_RECT,
  })
  const items = virtualizer.getVirtualItems()
  const lastInView = items.at(-1)?.index ?? -1
  useEffect(() => {
    if (onNearEnd && rows.length > 0 && lastInView >= rows.length - NEAR_END_ROWS) onNearEnd()
  }, [onNearEnd, lastInView, rows.length])
  const paddingTop = items[0]?.start ?? 0
  const paddingBottom = items.length > 0 ? virtualizer.getTotalSize() - items[items.length - 1]!.end : 0
  const visibleColumns = table.getVisibleLeafColumns()
  const minWidth = visibleColumns.reduce((sum, c) => sum + c.getSize(), 0)

  if (rows.length === 0 && empty) return <>{empty}</>

  return (
    <div
      ref={scrollRef}
      data-testid="proxies-scroll"
      className="relative overflow-auto overscroll-contain"
      style={{ maxHeight }}
      role="region"
      aria-label={`Proxies, ${rows.length} rows`}
      tabIndex={0}
    >
      <table data-testid="proxies-table" data-rows={rows.length} className="w-full table-fixed border-separate border-spacing-0 text-left text-[13px]" style={{ minWidth }} aria-rowcount={rows.length + 1}>
        <colgroup>
          {visibleColumns.map((c) => (
            <col key={c.id} style={{ width: c.getSize() }} />
          ))}
        </colgroup>
        <thead className="sticky top-0 z-10 bg-surface-muted text-xs text-fg-subtle">
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted()
                const meta = header.column.columnDef.meta as ColumnMeta | undefined
                const SortIcon = sorted === 'asc' ? ArrowUp : sorted === 'desc' ? ArrowDown : ArrowUpDown
                return (
                  <th
                    key={header.id}
                    scope="col"
                    aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}
                    className={cn('border-b border-line py-0 font-medium whitespace-nowrap first:pl-2', meta?.compact ? 'px-1' : 'px-1.5', header.column.id === KEY_COLUMN && STICKY_HEAD)}
                  >
                    <button
                      type="button"
                      onClick={header.column.getToggleSortingHandler()}
                      title={meta?.title ? `${meta.title}: sort` : 'Sort'}
                      data-testid={`sort-${header.column.id}`}
                      className={cn('-mx-0.5 inline-flex h-8 items-center gap-1 rounded px-1.5 hover:text-fg focus-visible:outline-2 focus-visible:outline-accent', sorted && 'text-fg')}
                    >
                      {flexRender(header.column.columnDef.header, header.getContext())}
                      <SortIcon aria-hidden className={cn('size-3', !sorted && 'opacity-40')} />
                    </button>
                  </th>
                )
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {paddingTop > 0 ? (
            <tr aria-hidden>
              <td colSpan={visibleColumns.length} style={{ height: paddingTop, padding: 0 }} />
            </tr>
          ) : null}
          {items.map((item) => {
            const row = rows[item.index]!
            const p = row.original
            return (
              <tr
                key={row.id}
                data-testid="proxy-row"
                data-node-id={p.nodeId}
                data-state={p.state}
                aria-rowindex={item.index + 2}
                style={{ height: PROXY_ROW_HEIGHT }}
                onClick={(e) => {
                  if ((e.target as HTMLElement).closest('a,button')) return
                  router.push(proxyHref(p.nodeId))
                }}
                className={cn('group cursor-pointer transition-colors hover:bg-surface-muted/70', p.state === 'NACKED' && 'bg-red-50/40 dark:bg-red-950/15', p.state === 'DISCONNECTED' && 'text-fg-muted')}
              >
                {row.getVisibleCells().map((cell) => {
                  const meta = cell.column.columnDef.meta as ColumnMeta | undefined
                  return (
                    <td
                      key={cell.id}
                      className={cn(
                        'overflow-hidden border-b border-line py-0 align-middle first:pl-3',
                        meta?.compact ? 'px-1' : 'px-2',
                        meta?.compact && p.state === 'DISCONNECTED' && 'opacity-55',
                        cell.column.id === KEY_COLUMN && (p.state === 'NACKED' ? STICKY_CELL_NACKED : STICKY_CELL),
                      )}
                    >
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </td>
                  )
                })}
              </tr>
            )
          })}
          {paddingBottom > 0 ? (
            <tr aria-hidden>
              <td colSpan={visibleColumns.length} style={{ height: paddingBottom, padding: 0 }} />
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  )
}
