'use client'

import { CircleCheck, TriangleAlert, X } from 'lucide-react'
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react'
import { cn } from './cn'
import { ToastContext, type Toast, type ToastInput } from './toast-context'

/**
 * How long a toast stays: long enough to read a sentence twice; an error, which may need acting on,
 * longer. The close button is always there, and a toast under the pointer or holding the focus
 * waits (WCAG 2.2.1: timing adjustable), going on with the time it had left once let go.
 */
export const DISMISS_AFTER_MS = { success: 6000, error: 12_000 } as const

function ToastItem({ toast, onDismiss }: { toast: Toast; onDismiss: (id: number) => void }) {
  const [hovered, setHovered] = useState(false)
  const [focused, setFocused] = useState(false)
  const paused = hovered || focused
  const left = useRef<number>(DISMISS_AFTER_MS[toast.tone])
  useEffect(() => {
    if (paused) return
    const started = Date.now()
    const timer = setTimeout(() => onDismiss(toast.id), left.current)
    return () => {
      clearTimeout(timer)
      left.current = Math.max(1000, left.current - (Date.now() - started))
    }
  }, [toast.id, onDismiss, paused])
  const Icon = toast.tone === 'success' ? CircleCheck : TriangleAlert
  return (
    <div
      data-testid="toast"
      data-tone={toast.tone}
      data-paused={paused}
      role={toast.tone === 'error' ? 'alert' : 'status'}
      onMouseEnter={() => setHovered(true)}
      onMouseLeave={() => setHovered(false)}
      onFocus={() => setFocused(true)}
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget)) setFocused(false)
      }}
      className="pointer-events-auto flex w-96 max-w-[calc(100vw-2rem)] items-start gap-3 rounded-lg border border-line bg-surface p-3 text-sm shadow-lg shadow-black/5"
    >
      <Icon aria-hidden className={cn('mt-0.5 size-4 shrink-0', toast.tone === 'success' ? 'text-emerald-600 dark:text-emerald-400' : 'text-red-600 dark:text-red-400')} />
      <div className="min-w-0 flex-1">
        <p className="font-medium">{toast.title}</p>
        {toast.description ? <p className="mt-0.5 text-fg-muted">{toast.description}</p> : null}
      </div>
      <button type="button" onClick={() => onDismiss(toast.id)} className="rounded p-0.5 text-fg-muted hover:bg-surface-muted hover:text-fg focus-visible:outline-2 focus-visible:outline-accent" aria-label="Dismiss">
        <X aria-hidden className="size-4" />
      </button>
    </div>
  )
}

/** Provides useToast() and renders the toasts bottom-right, newest last. */
export function Toaster({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([])
  const show = useCallback((input: ToastInput) => setToasts((list) => [...list, { ...input, id: Date.now() + Math.random() }]), [])
  const dismiss = useCallback((id: number) => setToasts((list) => list.filter((t) => t.id !== id)), [])
  return (
    <ToastContext value={show}>
      {children}
      <div aria-live="polite" className="pointer-events-none fixed right-4 bottom-4 z-50 flex flex-col items-end gap-2">
        {toasts.map((toast) => (
          <ToastItem key={toast.id} toast={toast} onDismiss={dismiss} />
        ))}
      </div>
    </ToastContext>
  )
}
