'use client'

import { Columns2, Rows3 } from 'lucide-react'
import { cn } from '../ui/cn'
import type { DiffViewFormat } from './render-patch'

const OPTIONS: ReadonlyArray<{ format: DiffViewFormat; label: string; icon: typeof Rows3 }> = [
  { format: 'line-by-line', label: 'Unified', icon: Rows3 },
  { format: 'side-by-side', label: 'Split', icon: Columns2 },
]

/** A two-button segmented control: unified (line by line) or split (side by side). */
export function DiffViewToggle({ value, onChange, className }: { value: DiffViewFormat; onChange: (format: DiffViewFormat) => void; className?: string }) {
  return (
    <div role="radiogroup" aria-label="Diff layout" data-testid="diff-view-toggle" data-value={value} className={cn('inline-flex rounded-md border border-line-strong bg-surface p-0.5 shadow-xs', className)}>
      {OPTIONS.map(({ format, label, icon: Icon }) => (
        <button
          key={format}
          type="button"
          role="radio"
          aria-checked={value === format}
          data-format={format}
          onClick={() => onChange(format)}
          className={cn(
            'inline-flex h-6 items-center gap-1.5 rounded px-2 text-xs font-medium transition-colors focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-accent',
            value === format ? 'bg-surface-muted text-fg' : 'text-fg-subtle hover:text-fg',
          )}
        >
          <Icon aria-hidden className="size-3.5" />
          {label}
        </button>
      ))}
    </div>
  )
}
