'use client'

import { useQuery } from '@tanstack/react-query'
import { Workflow } from 'lucide-react'
import Link from 'next/link'
import type { ResourceLink } from '@/server/contract'
import { KIND_INFO, kindOfType, resourceHrefs, type ResourceKind } from '../resources/kinds'
import { Panel } from '../ui/panel'
import { topologyHref, topologyQueries } from './queries'

function LinkList({ fleet, links, empty, testId }: { fleet: string; links: readonly ResourceLink[]; empty: string; testId: string }) {
  if (links.length === 0) return <p className="px-4 py-3 text-sm text-fg-subtle">{empty}</p>
  return (
    <ul className="divide-y divide-line" data-testid={testId}>
      {links.map((l, i) => {
        const kind = kindOfType(l.resource.type)
        return (
          <li key={`${l.resource.type}/${l.resource.name}/${l.path}/${i}`} className="flex flex-wrap items-baseline gap-x-2 px-4 py-2 text-sm" data-testid="resource-link" data-resource={`${l.resource.type}/${l.resource.name}`} data-missing={l.missing ? 'true' : 'false'}>
            <span className="text-xs text-fg-subtle">{KIND_INFO[kind].singular}</span>
            {l.missing ? (
              <Link href={resourceHrefs.create(fleet, kind)} className="font-mono text-red-700 underline-offset-2 hover:underline dark:text-red-300">
                {l.resource.name}
              </Link>
            ) : (
              <Link href={resourceHrefs.edit(fleet, kind, l.resource.name)} className="font-mono text-accent underline-offset-2 hover:underline">
                {l.resource.name}
              </Link>
            )}
            {l.missing ? <span className="text-xs font-medium text-red-700 dark:text-red-300">missing from the draft</span> : null}
            <span className="min-w-0 text-xs text-fg-muted">
              {l.at ? `${l.at} · ` : ''}
              <code className="font-mono break-all">{l.path}</code>
            </span>
          </li>
        )
      })}
    </ul>
  )
}

/**
 * "Used by" on a resource's page (#15): which draft resources refer to this one, and what it refers
 * to — the same references the commit checks and the topology draws — each a link.
 */
export function ResourceLinksPanel({ fleet, kind, name }: { fleet: string; kind: ResourceKind; name: string }) {
  const { data, error } = useQuery(topologyQueries.links(fleet, kind, name))
  const info = KIND_INFO[kind]
  return (
    <Panel
      title={data ? `Used by ${data.usedBy.length} · uses ${data.uses.length}` : 'Used by'}
      description="References in the draft: what would break if this were removed, and what it needs."
      data-testid="resource-links"
      actions={
        <Link href={topologyHref(fleet, { type: info.type, name })} className="inline-flex items-center gap-1 text-xs font-medium text-accent hover:underline" data-testid="show-in-topology">
          <Workflow aria-hidden className="size-3.5" /> Show in topology
        </Link>
      }
    >
      {error ? (
        <p className="px-4 py-3 text-sm text-red-700 dark:text-red-300">Could not load the references: {error.message}</p>
      ) : !data ? (
        <p className="px-4 py-3 text-sm text-fg-subtle">Loading…</p>
      ) : (
        <div className="grid divide-y divide-line md:grid-cols-2 md:divide-x md:divide-y-0">
          <section aria-label="Used by">
            <h3 className="px-4 pt-2.5 text-xs font-semibold tracking-wide text-fg-subtle uppercase">Used by</h3>
            <LinkList fleet={fleet} links={data.usedBy} empty={`Nothing in the draft refers to this ${info.singular}.`} testId="used-by" />
          </section>
          <section aria-label="Uses">
            <h3 className="px-4 pt-2.5 text-xs font-semibold tracking-wide text-fg-subtle uppercase">Uses</h3>
            <LinkList fleet={fleet} links={data.uses} empty={`This ${info.singular} refers to no other resource.`} testId="uses" />
          </section>
        </div>
      )}
    </Panel>
  )
}
