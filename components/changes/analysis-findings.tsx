import { CircleAlert, TriangleAlert } from 'lucide-react'
import Link from 'next/link'
import type { Finding } from '@/server/contract'
import { KIND_INFO, kindOfType, resourceHrefs } from '../resources/kinds'
import { cn } from '../ui/cn'

const TONE = {
  error: 'border-red-200 bg-red-50/70 text-red-900 dark:border-red-900 dark:bg-red-950/40 dark:text-red-200',
  warning: 'border-amber-200 bg-amber-50/70 text-amber-900 dark:border-amber-900 dark:bg-amber-950/40 dark:text-amber-200',
} as const

export function countLabel(findings: readonly Finding[]): string {
  const errors = findings.filter((f) => f.severity === 'error').length
  const warnings = findings.length - errors
  return [errors > 0 ? `${errors} error${errors === 1 ? '' : 's'}` : null, warnings > 0 ? `${warnings} warning${warnings === 1 ? '' : 's'}` : null].filter(Boolean).join(' and ')
}

/**
 * The config analysis' findings (server/config/analysis): errors refuse a commit, warnings ask for
 * confirmation. Each names its resource (a link, unless `linkResources` is off: the editor of that
 * resource), the field path and the message.
 */
export function AnalysisFindings({ fleet, findings, title, linkResources = true, testId = 'analysis-findings' }: { fleet: string; findings: readonly Finding[]; title: string; linkResources?: boolean; testId?: string }) {
  if (findings.length === 0) return null
  const tone = findings.some((f) => f.severity === 'error') ? 'error' : 'warning'
  return (
    <section role={tone === 'error' ? 'alert' : 'status'} data-testid={testId} className={cn('overflow-hidden rounded-lg border text-sm', TONE[tone])}>
      <header className={cn('flex items-center gap-2 border-b px-4 py-2.5 font-semibold', TONE[tone])}>
        <TriangleAlert aria-hidden className="size-4" />
        {title}
      </header>
      <ul className="divide-y divide-current/10">
        {findings.map((f, i) => {
          const kind = kindOfType(f.resource.type)
          return (
            <li key={`${f.resource.type}/${f.resource.name}/${f.path}/${f.code}/${i}`} className={cn('flex flex-wrap items-baseline gap-x-3 gap-y-0.5 px-4 py-2', TONE[f.severity])} data-testid="analysis-finding" data-severity={f.severity} data-code={f.code} data-path={f.path}>
              <span className="inline-flex items-center gap-1 text-xs font-semibold uppercase tracking-wide">
                {f.severity === 'error' ? <CircleAlert aria-hidden className="size-3.5" /> : <TriangleAlert aria-hidden className="size-3.5" />}
                {f.severity}
              </span>
              {linkResources ? (
                <Link href={resourceHrefs.edit(fleet, kind, f.resource.name)} className="font-medium underline-offset-2 hover:underline">
                  <span className="font-normal opacity-75">{KIND_INFO[kind].singular}</span> <span className="font-mono">{f.resource.name}</span>
                </Link>
              ) : null}
              {f.path ? <span className="font-mono text-xs opacity-80">{f.path}</span> : null}
              <span className="basis-full first-letter:uppercase sm:basis-auto">{f.message}</span>
              <span className="font-mono text-[11px]">{f.code}</span>
            </li>
          )
        })}
      </ul>
    </section>
  )
}
