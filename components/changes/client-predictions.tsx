'use client'

import { queryOptions, useQuery } from '@tanstack/react-query'
import { CircleCheck, ShieldAlert } from 'lucide-react'
import Link from 'next/link'
import type { DraftPrediction } from '@/server/contract'
import { apiFetch, apiPath } from '../api'
import { KIND_INFO, kindOfType, resourceHrefs } from '../resources/kinds'
import { draftQueries } from '../resources/queries'

/** Keyed by the draft revision it checked: a new revision is a new prediction. */
export const predictionQuery = (fleet: string, draftRevision: number) =>
  queryOptions({
    queryKey: [...draftQueries.fleet(fleet), 'predict', draftRevision] as const,
    queryFn: ({ signal }) => apiFetch<DraftPrediction>(apiPath('fleets', fleet, 'draft', 'predict'), { signal }),
    staleTime: 30_000,
  })

const proxies = (n: number, connected = false) => `${n} ${connected ? 'connected ' : ''}${n === 1 ? 'proxy' : 'proxies'}`

/**
 * What the fleet's connected clients would reject if this draft were committed (#12 item 2), by
 * their own validators where Legation has them (Envoy: by its feature table per release), and what
 * they would accept without applying; clients it cannot check are named as such, with why.
 */
export function ClientPredictions({ fleet, draftRevision }: { fleet: string; draftRevision: number }) {
  const prediction = useQuery(predictionQuery(fleet, draftRevision))
  const data = prediction.data
  if (!data || data.clients.length === 0) return null
  const checked = data.clients.filter((c) => c.checked)
  const unchecked = data.clients.filter((c) => !c.checked)
  const rejecting = checked.filter((c) => c.rejections.length > 0)
  const ignoring = checked.filter((c) => c.ignored.length > 0)
  return (
    <section data-testid="client-predictions" data-rejecting={data.rejectingProxies} className={data.rejectingProxies > 0 ? 'overflow-hidden rounded-lg border border-red-200 bg-red-50/70 text-sm text-red-900 dark:border-red-900 dark:bg-red-950/40 dark:text-red-200' : 'rounded-lg border border-border bg-surface px-4 py-2.5 text-sm text-fg-muted'}>
      {data.rejectingProxies > 0 ? (
        <>
          <header className="flex items-center gap-2 border-b border-red-200 px-4 py-2.5 font-semibold dark:border-red-900">
            <ShieldAlert aria-hidden className="size-4" />
            Would be rejected by {proxies(data.rejectingProxies, true)}
          </header>
          <ul className="divide-y divide-red-200/60 dark:divide-red-900/60">
            {rejecting.flatMap((c) =>
              c.rejections.map((r) => {
                const kind = kindOfType(r.type)
                return (
                  <li key={`${c.userAgentName}/${c.userAgentVersion}/${r.type}/${r.name}`} data-testid="client-rejection" className="flex flex-wrap items-baseline gap-x-2 gap-y-0.5 px-4 py-2">
                    <span className="font-medium">
                      {proxies(r.proxies)} ({c.userAgentName} {c.userAgentVersion})
                    </span>
                    <span>would reject</span>
                    <Link href={resourceHrefs.edit(fleet, kind, r.name)} className="underline-offset-2 hover:underline">
                      {KIND_INFO[kind].singular} <span className="font-mono">{r.name}</span>
                    </Link>
                    <span className="basis-full font-mono text-xs break-words opacity-90">{r.message}</span>
                  </li>
                )
              }),
            )}
          </ul>
        </>
      ) : checked.length > 0 ? (
        <p className="flex items-center gap-2" data-testid="client-predictions-clean">
          <CircleCheck aria-hidden className="size-4 text-emerald-600 dark:text-emerald-400" />
          Checked against {proxies(checked.reduce((n, c) => n + c.proxies, 0), true)} ({checked.map((c) => `${c.userAgentName} ${c.userAgentVersion}`).join(', ')}): nothing they would reject.
        </p>
      ) : null}
      {ignoring.length > 0 ? (
        // Accepted without the feature (an Envoy older than a field it does not know): not a NACK, but not what was meant.
        <ul data-testid="client-predictions-ignored" className={data.rejectingProxies > 0 ? 'border-t border-red-200/60 px-4 py-2 text-xs dark:border-red-900/60' : 'mt-1 text-xs text-amber-800 dark:text-amber-300'}>
          {ignoring.flatMap((c) =>
            c.ignored.map((r) => (
              <li key={`${c.userAgentName}/${c.userAgentVersion}/${r.type}/${r.name}`} className="break-words">
                {proxies(r.proxies)} ({c.userAgentName} {c.userAgentVersion}) would accept {KIND_INFO[kindOfType(r.type)].singular} <span className="font-mono">{r.name}</span> without part of it: <span className="font-mono">{r.message}</span>
              </li>
            )),
          )}
        </ul>
      ) : null}
      {unchecked.length > 0 ? (
        <p data-testid="client-predictions-unchecked" className={data.rejectingProxies > 0 ? 'border-t border-red-200/60 px-4 py-2 text-xs opacity-80 dark:border-red-900/60' : 'mt-1 text-xs text-fg-subtle'}>
          Not checked: {unchecked.map((c) => `${proxies(c.proxies)} (${c.userAgentName || 'unknown client'} ${c.userAgentVersion})${c.reason ? `: ${c.reason}` : ''}`).join('; ')}.
        </p>
      ) : null}
    </section>
  )
}
