'use client'

import { useQuery } from '@tanstack/react-query'
import { ArrowLeftRight, ArrowRight } from 'lucide-react'
import { useRouter } from 'next/navigation'
import { DiffViewToggle } from '../diff/diff-view-toggle'
import { ResourceChangeList } from '../diff/resource-change-list'
import { useDiffViewFormat } from '../diff/use-diff-view-format'
import { Button } from '../ui/button'
import { ErrorNotice } from '../ui/error-notice'
import { ChangeCounts } from './change-counts'
import { versionDiffHref, versionHref, versionsHref } from './compare-selection'
import { FleetPageHeader } from './fleet-page-header'
import { formatVersion } from './format-version'
import { LinkButton } from './link-button'
import { versionQueries } from './queries'

/** A version picker fed by the newest versions (the list query), keeping the current pick even if it is older. */
function VersionSelect({ label, value, options, onChange, testId }: { label: string; value: number | null; options: readonly number[]; onChange: (n: number) => void; testId: string }) {
  const all = value !== null && !options.includes(value) ? [...options, value].sort((a, b) => b - a) : options
  return (
    <label className="inline-flex items-center gap-2 text-xs text-fg-muted">
      {label}
      <select
        value={value ?? ''}
        onChange={(e) => onChange(Number(e.target.value))}
        data-testid={testId}
        className="h-8 rounded-md border border-line-strong bg-surface px-2 font-mono text-sm text-fg focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-accent"
      >
        {value === null ? <option value="">pick…</option> : null}
        {all.map((n) => (
          <option key={n} value={n}>
            {formatVersion(n)}
          </option>
        ))}
      </select>
    </label>
  )
}

function DiffBody({ fleet, from, to }: { fleet: string; from: number; to: number }) {
  const { data: diff, error, refetch } = useQuery(versionQueries.diff(fleet, from, to))
  const [format, setFormat] = useDiffViewFormat()
  if (error) return <ErrorNotice title={`Could not compare ${formatVersion(from)} and ${formatVersion(to)}`} error={error} onRetry={() => void refetch()} />
  if (!diff) return <p className="rounded-md border border-dashed border-line px-3 py-8 text-center text-sm text-fg-subtle">Loading the differences…</p>
  return (
    <section aria-label="Changes" data-testid="version-diff" data-from={from} data-to={to}>
      <div className="mb-2.5 flex flex-wrap items-center justify-between gap-3">
        <p className="flex items-center gap-3 text-sm text-fg-muted">
          <span>
            {diff.changes.length} resource{diff.changes.length === 1 ? '' : 's'} changed
          </span>
          <ChangeCounts counts={diff.counts} />
        </p>
        {diff.changes.length > 0 ? <DiffViewToggle value={format} onChange={setFormat} /> : null}
      </div>
      <ResourceChangeList
        changes={diff.changes}
        format={format}
        empty={
          <p className="rounded-md border border-dashed border-line bg-surface px-3 py-8 text-center text-sm text-fg-muted" data-testid="version-diff-empty">
            {formatVersion(from)} and {formatVersion(to)} have the same content.
          </p>
        }
      />
    </section>
  )
}

/** /fleets/{fleet}/versions/diff?from=a&to=b: what changes going from version a to version b. */
export function VersionDiffView({ fleet, from, to }: { fleet: string; from: number | null; to: number | null }) {
  const router = useRouter()
  const list = useQuery(versionQueries.list(fleet))
  const numbers = list.data?.map((v) => v.number) ?? []
  const go = (a: number | null, b: number | null): void => {
    if (a !== null && b !== null) router.replace(versionDiffHref(fleet, a, b), { scroll: false })
  }
  // A lone pick waits for the other in the URL-less state: compare it with the newest by default.
  const pick = (a: number | null, b: number | null): void => go(a ?? numbers.find((n) => n !== b) ?? null, b ?? numbers.find((n) => n !== a) ?? null)

  return (
    <>
      <FleetPageHeader
        fleet={fleet}
        crumbs={[{ label: 'Versions', href: versionsHref(fleet) }, { label: 'Compare' }]}
        title={
          from !== null && to !== null ? (
            <span className="inline-flex items-center gap-2">
              Compare <span className="font-mono">{formatVersion(from)}</span> <ArrowRight aria-hidden className="size-4 text-fg-subtle" /> <span className="font-mono">{formatVersion(to)}</span>
            </span>
          ) : (
            'Compare versions'
          )
        }
        description="What changes, resource by resource (as YAML), going from the first version to the second."
      />
      <div className="mb-4 flex flex-wrap items-center gap-3 rounded-lg border border-line bg-surface px-4 py-2.5 shadow-xs">
        <VersionSelect label="From" value={from} options={numbers} onChange={(n) => pick(n, to)} testId="diff-from" />
        <Button size="sm" variant="ghost" onClick={() => go(to, from)} disabled={from === null || to === null} aria-label="Swap the two versions" title="Swap">
          <ArrowLeftRight aria-hidden className="size-3.5" />
        </Button>
        <VersionSelect label="To" value={to} options={numbers} onChange={(n) => pick(from, n)} testId="diff-to" />
        {from !== null && to !== null ? (
          <span className="ml-auto flex items-center gap-2">
            <LinkButton size="sm" href={versionHref(fleet, from)}>
              Open {formatVersion(from)}
            </LinkButton>
            <LinkButton size="sm" href={versionHref(fleet, to)}>
              Open {formatVersion(to)}
            </LinkButton>
          </span>
        ) : null}
      </div>
      {from === null || to === null ? (
        <p className="rounded-md border border-dashed border-line bg-surface px-3 py-8 text-center text-sm text-fg-muted" data-testid="version-diff-pick">
          Pick the two versions to compare.
        </p>
      ) : from === to ? (
        <p className="rounded-md border border-dashed border-line bg-surface px-3 py-8 text-center text-sm text-fg-muted" data-testid="version-diff-same">
          Both sides are {formatVersion(from)}; pick two different versions.
        </p>
      ) : (
        <DiffBody fleet={fleet} from={from} to={to} />
      )}
    </>
  )
}
