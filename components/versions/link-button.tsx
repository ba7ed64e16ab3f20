import Link from 'next/link'
import type { ComponentProps } from 'react'
import { cn } from '../ui/cn'

/** A link that looks like the console's secondary Button (components/ui/button.tsx), for navigation actions. */
export function LinkButton({ className, size = 'md', ...props }: ComponentProps<typeof Link> & { size?: 'sm' | 'md' }) {
  return (
    <Link
      className={cn(
        'inline-flex shrink-0 items-center justify-center rounded-md border border-line-strong bg-surface font-medium whitespace-nowrap text-fg shadow-xs transition-colors hover:bg-surface-muted',
        'focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent',
        size === 'sm' ? 'h-7 gap-1.5 px-2.5 text-xs' : 'h-8 gap-2 px-3 text-sm',
        className,
      )}
      {...props}
    />
  )
}
