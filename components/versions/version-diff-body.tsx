'use client'

import { useQuery } from '@tanstack/react-query'
import type { ReactNode } from 'react'
import { DiffViewToggle } from '../diff/diff-view-toggle'
import { ResourceChangeList } from '../diff/resource-change-list'
import { useDiffViewFormat } from '../diff/use-diff-view-format'
import { cn } from '../ui/cn'
import { ErrorNotice } from '../ui/error-notice'
import { ChangeCounts } from './change-counts'
import { versionQueries } from './queries'

/**
 * The diff of two versions as the version page and the rollback dialog show it: its counts and
 * view toggle (`summary`), and the changed resources, or loading, or the error with a retry (`body`).
 */
export function useVersionDiff(fleet: string, from: number, to: number, options: { empty: ReactNode; loadingClassName?: string }) {
  const { data: diff, error, refetch } = useQuery(versionQueries.diff(fleet, from, to))
  const [format, setFormat] = useDiffViewFormat()
  const summary = (
    <>
      {diff ? <ChangeCounts counts={diff.counts} /> : null}
      {diff && diff.changes.length > 0 ? <DiffViewToggle value={format} onChange={setFormat} /> : null}
    </>
  )
  const body = error ? (
    <ErrorNotice title="Could not load the differences" error={error} onRetry={() => void refetch()} />
  ) : !diff ? (
    <p className={cn('px-3 py-6 text-center text-sm text-fg-subtle', options.loadingClassName)}>Loading the differences…</p>
  ) : (
    <ResourceChangeList changes={diff.changes} format={format} empty={options.empty} />
  )
  return { state: diff ? 'ready' : error ? 'error' : 'loading', summary, body } as const
}
