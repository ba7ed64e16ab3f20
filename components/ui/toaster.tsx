'use client'

import { CircleCheck, TriangleAlert, X } from 'lucide-react'
import { useCallback, useEffect, useState, type ReactNode } from 'react'
import { cn } from './cn'
import { ToastContext, type Toast, type ToastInput } from './toast-context'

const DISMISS_AFTER_MS = 8000

function ToastItem({ toast, onDismiss }: { toast: Toast; onDismiss: (id: number) => void }) {
  useEffect(() => {
    const timer = setTimeout(() => onDismiss(toast.id), DISMISS_AFTER_MS)
    return () => clearTimeout(timer)
  }, [toast.id, onDismiss])
  const Icon = toast.tone === 'success' ? CircleCheck : TriangleAlert
  return (
    <div
      data-testid="toast"
      data-tone={toast.tone}
      role={toast.tone === 'error' ? 'alert' : 'status'}
      className="pointer-events-auto flex w-96 max-w-[calc(100vw-2rem)] items-start gap-3 rounded-lg border border-line bg-surface p-3 text-sm shadow-lg shadow-black/5"
    >
      <Icon aria-hidden className={cn('mt-0.5 size-4 shrink-0', toast.tone === 'success' ? 'text-emerald-600 dark:text-emerald-400' : 'text-red-600 dark:text-red-400')} />
      <div className="min-w-0 flex-1">
        <p className="font-medium">{toast.title}</p>
        {toast.description ? <p className="mt-0.5 text-fg-muted">{toast.description}</p> : null}
      </div>
      <button type="button" onClick={() => onDismiss(toast.id)} className="rounded p-0.5 text-fg-subtle hover:bg-surface-muted hover:text-fg" aria-label="Dismiss">
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
