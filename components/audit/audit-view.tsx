'use client'

import { useQuery } from '@tanstack/react-query'
import { FilterX, RefreshCw, ScrollText, Search } from 'lucide-react'
import { useSearchParams } from 'next/navigation'
import { useEffect, useRef, useState } from 'react'
import type { AuditEntry } from '@/server/contract'
import { fleetQueries } from '../fleets/queries'
import { useIsClient } from '../resources/use-is-client'
import { Badge } from '../ui/badge'
import { Button } from '../ui/button'
import { cn } from '../ui/cn'
import { EmptyState } from '../ui/empty-state'
import { ErrorNotice } from '../ui/error-notice'
import { formatTimestamp } from '../ui/format-time'
import { Panel } from '../ui/panel'
import { RelativeTime } from '../ui/relative-time'
import { Table, TableBody, TableHead, Td, Th } from '../ui/table'
import { actionTone, AUDIT_ACTION_GROUPS, isKnownAction } from './actions'
import { describeDetail } from './describe-detail'
import { AUDIT_MAX, AUDIT_PAGE, AUDIT_RANGES, auditHref, isFiltered, NO_AUDIT_FILTERS, parseAuditFilters, RANGE_LABEL, type AuditFilters, type AuditRange } from './filters'
import { auditQueries } from './queries'

const CONTROL = 'h-7 rounded-md border border-line-strong bg-surface px-1.5 text-xs text-fg focus-visible:outline-2 focus-visible:outline-accent'

/** `datetime-local` shows local time; the URL and the API keep ISO (UTC). */
function toLocalInput(iso: string | null): string {
  if (!iso) return ''
  const d = new Date(iso)
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16)
}
function fromLocalInput(value: string): string | null {
  const t = Date.parse(value)
  return value && !Number.isNaN(t) ? new Date(t).toISOString() : null
}

/**
 * The audit log: who changed what, when, on which fleet; sign-ins, users and tokens for global
 * roles. Filters live in the URL and go to the API (GET /api/v1/audit); changing one replaces the
 * URL in place. Newest first, a page at a time up to the API's limit.
 */
export function AuditView() {
  const searchParams = useSearchParams()
  const filters = parseAuditFilters(searchParams)
  const href = auditHref(filters)
  const [paging, setPaging] = useState({ href, limit: AUDIT_PAGE })
  const limit = paging.href === href ? paging.limit : AUDIT_PAGE
  const { data: fleets } = useQuery(fleetQueries.list())
  const { data: entries, error, refetch, isFetching, isPlaceholderData } = useQuery(auditQueries.list(filters, limit))

  const change = (next: Partial<AuditFilters>): void => {
    // Next keeps useSearchParams() in step with the History API, without asking the server again.
    window.history.replaceState(null, '', auditHref({ ...filters, ...next }))
  }
  const shown = entries?.length ?? 0

  return (
    <Panel
      title="Audit log"
      description={entries ? `${shown === limit ? `The latest ${shown}` : shown} entr${shown === 1 ? 'y' : 'ies'}${isFiltered(filters) ? ' matching the filters' : ''}, newest first` : 'Newest first'}
      data-testid="audit-panel"
      actions={
        <Button size="sm" variant="ghost" onClick={() => void refetch()} disabled={isFetching} data-testid="audit-reload">
          <RefreshCw aria-hidden className={cn('size-3.5', isFetching && 'animate-spin')} />
          Reload
        </Button>
      }
    >
      <AuditToolbar filters={filters} fleets={fleets?.map((f) => f.name)} onChange={change} />
      {error && !entries ? (
        <ErrorNotice className="m-4" title="Could not load the audit log" error={error} onRetry={() => void refetch()} />
      ) : !entries ? (
        <p className="px-4 py-6 text-sm text-fg-subtle">Loading the audit log…</p>
      ) : entries.length === 0 ? (
        <EmptyState icon={isFiltered(filters) ? FilterX : ScrollText} title={isFiltered(filters) ? 'Nothing matches these filters' : 'Nothing recorded yet'} data-testid="audit-empty">
          {isFiltered(filters) ? (
            <button type="button" className="text-accent underline-offset-2 hover:underline" onClick={() => change(NO_AUDIT_FILTERS)}>
              Clear the filters
            </button>
          ) : (
            'Changes, sign-ins, users and tokens appear here as they happen.'
          )}
        </EmptyState>
      ) : (
        <div className={cn('transition-opacity', isPlaceholderData && 'opacity-60')} data-testid="audit-table" data-loading={isPlaceholderData ? 'true' : 'false'}>
          <AuditTable entries={entries} onFilter={change} />
          {shown === limit && limit < AUDIT_MAX ? (
            <div className="border-t border-line px-4 py-2 text-center">
              <Button size="sm" variant="ghost" onClick={() => setPaging({ href, limit: Math.min(limit + AUDIT_PAGE * (limit >= 300 ? 5 : 2), AUDIT_MAX) })} disabled={isFetching} data-testid="audit-more">
                Show older entries
              </Button>
            </div>
          ) : null}
        </div>
      )}
    </Panel>
  )
}

function AuditToolbar({ filters, fleets, onChange }: { filters: AuditFilters; fleets: readonly string[] | undefined; onChange: (next: Partial<AuditFilters>) => void }) {
  const isClient = useIsClient()
  const [actor, setActor] = useState(filters.actor ?? '')
  // The URL changed the actor (a click on one in the table, Clear filters): show it in the box.
  const [shownActor, setShownActor] = useState(filters.actor)
  if (shownActor !== filters.actor) {
    setShownActor(filters.actor)
    setActor(filters.actor ?? '')
  }
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current)
    },
    [],
  )
  const applyActor = (value: string): void => {
    if (timer.current) clearTimeout(timer.current)
    if ((value.trim() || null) !== filters.actor) onChange({ actor: value.trim() || null })
  }
  return (
    <div className="flex flex-wrap items-center gap-x-3 gap-y-2 border-b border-line px-3 py-2" data-testid="audit-filters">
      <label className="flex items-center gap-1.5 text-xs text-fg-muted">
        <span className="font-medium">Fleet</span>
        <select data-testid="audit-fleet-filter" value={filters.fleet ?? ''} onChange={(e) => onChange({ fleet: e.target.value || null })} className={cn(CONTROL, 'font-mono')}>
          <option value="">All</option>
          {fleets?.map((f) => (
            <option key={f} value={f}>
              {f}
            </option>
          ))}
          {filters.fleet && fleets && !fleets.includes(filters.fleet) ? <option value={filters.fleet}>{filters.fleet} (unknown)</option> : null}
        </select>
      </label>
      <label className="flex items-center gap-1.5 text-xs text-fg-muted">
        <span className="font-medium">Actor</span>
        <span className="relative flex items-center">
          <Search aria-hidden className="pointer-events-none absolute left-2 size-3.5 text-fg-subtle" />
          <input
            type="search"
            value={actor}
            placeholder="user or token:name"
            data-testid="audit-actor-filter"
            onChange={(e) => {
              const value = e.target.value
              setActor(value)
              if (timer.current) clearTimeout(timer.current)
              timer.current = setTimeout(() => applyActor(value), 400)
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter') applyActor(actor)
            }}
            onBlur={() => applyActor(actor)}
            className={cn(CONTROL, 'w-48 pl-7 placeholder:text-fg-subtle')}
          />
        </span>
      </label>
      <label className="flex items-center gap-1.5 text-xs text-fg-muted">
        <span className="font-medium">Action</span>
        <select data-testid="audit-action-filter" value={filters.action ?? ''} onChange={(e) => onChange({ action: e.target.value || null })} className={cn(CONTROL, 'font-mono')}>
          <option value="">Any</option>
          {AUDIT_ACTION_GROUPS.map((group) => (
            <optgroup key={group.family} label={group.label}>
              <option value={`${group.family}.*`}>{group.family}.* (all)</option>
              {group.actions.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </optgroup>
          ))}
          {filters.action && !isKnownAction(filters.action) ? <option value={filters.action}>{filters.action}</option> : null}
        </select>
      </label>
      <label className="flex items-center gap-1.5 text-xs text-fg-muted">
        <span className="font-medium">Time</span>
        <select data-testid="audit-range-filter" value={filters.range} onChange={(e) => onChange({ range: e.target.value as AuditRange })} className={CONTROL}>
          {AUDIT_RANGES.map((r) => (
            <option key={r} value={r}>
              {RANGE_LABEL[r]}
            </option>
          ))}
        </select>
      </label>
      {filters.range === 'custom' && isClient ? (
        <span className="flex items-center gap-1.5 text-xs text-fg-muted">
          <input type="datetime-local" aria-label="From (local time)" data-testid="audit-from" defaultValue={toLocalInput(filters.from)} onChange={(e) => onChange({ from: fromLocalInput(e.target.value) })} className={CONTROL} />
          <span>to</span>
          <input type="datetime-local" aria-label="To (local time)" data-testid="audit-to" defaultValue={toLocalInput(filters.to)} onChange={(e) => onChange({ to: fromLocalInput(e.target.value) })} className={CONTROL} />
        </span>
      ) : null}
      {isFiltered(filters) ? (
        <Button size="sm" variant="ghost" className="ml-auto" onClick={() => onChange(NO_AUDIT_FILTERS)} data-testid="audit-clear">
          <FilterX aria-hidden className="size-3.5" />
          Clear filters
        </Button>
      ) : null}
    </div>
  )
}

function AuditTable({ entries, onFilter }: { entries: readonly AuditEntry[]; onFilter: (next: Partial<AuditFilters>) => void }) {
  const filterButton = 'rounded text-left hover:underline focus-visible:outline-2 focus-visible:outline-accent'
  return (
    <Table>
      <TableHead>
        <tr>
          <Th>Time</Th>
          <Th>Actor</Th>
          <Th>Action</Th>
          <Th>Fleet</Th>
          <Th className="min-w-44">Target</Th>
          <Th className="w-full">Detail</Th>
        </tr>
      </TableHead>
      <TableBody>
        {entries.map((entry) => {
          const detail = describeDetail(entry)
          return (
            <tr key={entry.id} data-testid="audit-row" data-action={entry.action} data-actor={entry.actor} data-target={entry.target} className="align-top hover:bg-surface-muted/50">
              <Td className="align-top text-xs whitespace-nowrap">
                <RelativeTime iso={entry.at} className="text-fg" />
                <div className="font-mono text-[11px] text-fg-subtle">{formatTimestamp(entry.at)}</div>
              </Td>
              <Td className="align-top whitespace-nowrap">
                <button type="button" className={cn(filterButton, 'font-medium')} title={`Only what ${entry.actor} did`} onClick={() => onFilter({ actor: entry.actor })} data-testid="audit-actor">
                  {entry.actor}
                </button>
              </Td>
              <Td className="align-top whitespace-nowrap">
                <button type="button" className={filterButton} title={`Only ${entry.action}`} onClick={() => onFilter({ action: entry.action })}>
                  <Badge tone={actionTone(entry.action)} className="font-mono">
                    {entry.action}
                  </Badge>
                </button>
              </Td>
              <Td className="align-top font-mono text-xs whitespace-nowrap">
                {entry.fleet ? (
                  <button type="button" className={filterButton} title={`Only fleet ${entry.fleet}`} onClick={() => onFilter({ fleet: entry.fleet })}>
                    {entry.fleet}
                  </button>
                ) : (
                  <span className="text-fg-subtle" title="Not about one fleet: sign-ins, users, tokens">
                    —
                  </span>
                )}
              </Td>
              {/* Long resource names wrap anywhere, but the column keeps room for the usual ones (user/…, address/…). */}
              <Td className="min-w-44 align-top font-mono text-xs break-all" data-testid="audit-target">
                {entry.target}
              </Td>
              <Td className="align-top text-xs text-fg-muted">
                {detail ? (
                  <details className="group">
                    <summary className="cursor-pointer list-none break-words group-open:text-fg [&::-webkit-details-marker]:hidden" data-testid="audit-detail">
                      {detail}
                    </summary>
                    <pre className="mt-1.5 max-h-64 overflow-auto rounded-md bg-surface-muted px-2 py-1.5 font-mono text-[11px] text-fg">
                      {JSON.stringify({ detail: entry.detail, ...(entry.beforeHash ? { beforeHash: entry.beforeHash } : {}), ...(entry.afterHash ? { afterHash: entry.afterHash } : {}) }, null, 2)}
                    </pre>
                  </details>
                ) : (
                  <span className="text-fg-subtle">—</span>
                )}
              </Td>
            </tr>
          )
        })}
      </TableBody>
    </Table>
  )
}
