import { TriangleAlert } from 'lucide-react'
import type { ApiIssue } from '../api'

/** Server issues the form has no field for: listed with their paths above the form. */
export function FormIssues({ issues }: { issues: readonly ApiIssue[] }) {
  if (issues.length === 0) return null
  return (
    <div role="alert" data-testid="form-issues" className="flex items-start gap-3 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/60 dark:text-red-200">
      <TriangleAlert aria-hidden className="mt-0.5 size-4 shrink-0" />
      <div className="min-w-0">
        <p className="font-medium">
          {issues.length === 1 ? 'One problem is' : `${issues.length} problems are`} in fields this form does not show; fix {issues.length === 1 ? 'it' : 'them'} in the YAML view:
        </p>
        <ul className="mt-1 space-y-0.5 text-xs">
          {issues.map((issue) => (
            <li key={`${issue.path}:${issue.message}`} data-testid="form-issue" data-path={issue.path}>
              {issue.path ? <span className="font-mono">{issue.path}: </span> : null}
              {issue.message}
            </li>
          ))}
        </ul>
      </div>
    </div>
  )
}
