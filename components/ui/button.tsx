import type { ComponentProps } from 'react'
import { cn } from './cn'

const VARIANTS = {
  primary: 'bg-accent text-accent-fg hover:opacity-90 shadow-sm',
  secondary: 'border border-line-strong bg-surface text-fg hover:bg-surface-muted shadow-xs',
  danger: 'bg-red-600 text-white hover:bg-red-700 shadow-sm dark:bg-red-500 dark:text-zinc-950 dark:hover:bg-red-400',
  ghost: 'text-fg-muted hover:bg-surface-muted hover:text-fg',
} as const

const SIZES = { sm: 'h-7 gap-1.5 px-2.5 text-xs', md: 'h-8 gap-2 px-3 text-sm' } as const

export type ButtonProps = ComponentProps<'button'> & { variant?: keyof typeof VARIANTS; size?: keyof typeof SIZES }

export function Button({ variant = 'secondary', size = 'md', type = 'button', className, ...props }: ButtonProps) {
  return (
    <button
      type={type}
      className={cn(
        'inline-flex shrink-0 items-center justify-center rounded-md font-medium whitespace-nowrap transition-colors',
        'focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent disabled:pointer-events-none disabled:opacity-50',
        VARIANTS[variant],
        SIZES[size],
        className,
      )}
      {...props}
    />
  )
}
