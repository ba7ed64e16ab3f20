import { TriangleAlert } from 'lucide-react'
import Link from 'next/link'
import type { ConfigIssue } from '@/server/contract'
import { KIND_INFO, kindOfType, resourceHrefs } from '../resources/kinds'

type Issue = Pick<ConfigIssue, 'path' | 'message' | 'resource'> & { code?: string }

/** What a commit would be refused for: resource, field path and message, each linking to the resource. */
export function ValidationProblems({ fleet, issues, title, testId = 'validation-problems' }: { fleet: string; issues: readonly Issue[]; title: string; testId?: string }) {
  if (issues.length === 0) return null
  return (
    <section role="alert" data-testid={testId} className="overflow-hidden rounded-lg border border-red-200 bg-red-50/70 text-sm text-red-900 dark:border-red-900 dark:bg-red-950/40 dark:text-red-200">
      <header className="flex items-center gap-2 border-b border-red-200 px-4 py-2.5 font-semibold dark:border-red-900">
        <TriangleAlert aria-hidden className="size-4" />
        {title}
      </header>
      <ul className="divide-y divide-red-200/70 dark:divide-red-900/70">
        {issues.map((issue, i) => {
          const kind = issue.resource ? kindOfType(issue.resource.type) : null
          return (
            <li key={i} className="flex flex-wrap items-baseline gap-x-3 gap-y-0.5 px-4 py-2" data-testid="validation-problem">
              {issue.resource && kind ? (
                <Link href={resourceHrefs.edit(fleet, kind, issue.resource.name)} className="font-medium underline-offset-2 hover:underline">
                  <span className="font-normal opacity-75">{KIND_INFO[kind].singular}</span> <span className="font-mono">{issue.resource.name}</span>
                </Link>
              ) : null}
              {issue.path ? <span className="font-mono text-xs opacity-80">{issue.path}</span> : null}
              <span className="basis-full first-letter:uppercase sm:basis-auto">{issue.message}</span>
            </li>
          )
        })}
      </ul>
    </section>
  )
}
