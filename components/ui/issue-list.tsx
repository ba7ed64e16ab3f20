import { cn } from './cn'

export type IssueItem = Readonly<{ path: string; message: string }>

/** Problems as the API words them: the field path (when there is one), then the message. */
export function IssueList({ issues, className }: { issues: readonly IssueItem[]; className?: string }) {
  if (issues.length === 0) return null
  return (
    <ul className={cn('mt-1.5 list-disc space-y-0.5 pl-4 text-xs', className)}>
      {issues.map((issue) => (
        <li key={`${issue.path}:${issue.message}`}>
          {issue.path ? <span className="font-mono">{issue.path}: </span> : null}
          {issue.message}
        </li>
      ))}
    </ul>
  )
}
