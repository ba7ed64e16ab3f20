import type { ReactNode } from 'react'
import { cn } from './cn'

/** Inline code: API paths, resource names, request bodies. */
export function Code({ children, className }: { children: ReactNode; className?: string }) {
  return <code className={cn('rounded bg-surface-muted px-1 py-px font-mono text-[0.8125em] text-fg', className)}>{children}</code>
}
