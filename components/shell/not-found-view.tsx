import { FileQuestion } from 'lucide-react'
import Link from 'next/link'

/**
 * What a URL that names no page (or a page's notFound(): a version number that is not one, an
 * unknown resource kind) shows: what happened and the ways back.
 */
export function NotFoundView() {
  return (
    <div className="flex flex-col items-center px-6 py-16 text-center" data-testid="not-found">
      <div className="mb-3 rounded-full bg-surface-muted p-3 text-fg-muted">
        <FileQuestion aria-hidden className="size-6" />
      </div>
      <h1 className="text-lg font-semibold tracking-tight">Page not found</h1>
      <p className="mt-1 max-w-md text-sm text-fg-muted">Nothing lives at this address. It may have been mistyped, or the fleet, version or proxy it named is gone.</p>
      <div className="mt-5 flex flex-wrap items-center justify-center gap-2 text-sm">
        <Link href="/" className="rounded-md bg-accent px-3 py-1.5 font-medium text-accent-fg hover:opacity-90 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent" data-testid="not-found-home">
          Back to the overview
        </Link>
        <Link href="/proxies" className="rounded-md border border-line-strong px-3 py-1.5 text-fg hover:bg-surface-muted focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent">
          Proxies
        </Link>
      </div>
    </div>
  )
}
