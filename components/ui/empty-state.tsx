import type { LucideIcon } from 'lucide-react'
import type { ReactNode } from 'react'

/** Says what is missing and what to do next. */
export function EmptyState({ icon: Icon, title, children, ...rest }: { icon: LucideIcon; title: string; children: ReactNode; 'data-testid'?: string }) {
  return (
    <div className="flex flex-col items-center px-6 py-10 text-center" {...rest}>
      <div className="mb-3 rounded-full bg-surface-muted p-2.5 text-fg-subtle">
        <Icon aria-hidden className="size-5" />
      </div>
      <p className="text-sm font-medium">{title}</p>
      {/* Running text: its links are underlined, not told apart by colour alone (WCAG 1.4.1). */}
      <div className="mt-1 max-w-lg text-sm text-fg-muted [&_a]:underline [&_a]:underline-offset-2">{children}</div>
    </div>
  )
}
