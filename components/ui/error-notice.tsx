import { TriangleAlert } from 'lucide-react'
import { ApiError } from '../api'
import { Button } from './button'
import { cn } from './cn'
import { IssueList } from './issue-list'

/** Shows an API error as the server worded it, with its code and per-field issues. */
export function ErrorNotice({ error, title, onRetry, className }: { error: unknown; title?: string; onRetry?: () => void; className?: string }) {
  const apiError = error instanceof ApiError ? error : null
  const message = apiError?.message ?? (error instanceof Error ? error.message : 'something went wrong')
  return (
    <div role="alert" data-testid="error-notice" className={cn('flex items-start gap-3 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/60 dark:text-red-200', className)}>
      <TriangleAlert aria-hidden className="mt-0.5 size-4 shrink-0" />
      <div className="min-w-0 flex-1">
        {title ? <p className="font-medium">{title}</p> : null}
        <p className="break-words first-letter:uppercase">{message}</p>
        {apiError ? <IssueList issues={apiError.issues} /> : null}
        {apiError ? <p className="mt-1 font-mono text-xs opacity-70">{apiError.code}</p> : null}
      </div>
      {onRetry ? (
        <Button size="sm" variant="secondary" onClick={onRetry}>
          Retry
        </Button>
      ) : null}
    </div>
  )
}
