'use client'

import { LoaderCircle, TriangleAlert } from 'lucide-react'
import { Dialog } from 'radix-ui'
import type { ReactNode } from 'react'
import { Button } from '../ui/button'

/**
 * A modal form (Radix Dialog: focus trapped, Escape cancels, focus returns to the opener). The
 * submit button belongs to the form by id, so Enter in a field submits; nothing closes while the
 * request runs.
 */
export function FormDialog({
  open,
  onOpenChange,
  title,
  description,
  formId,
  submitLabel,
  submitTone = 'primary',
  pending,
  error,
  children,
  wide,
  ...rest
}: {
  open: boolean
  onOpenChange: (open: boolean) => void
  title: ReactNode
  description?: ReactNode
  formId: string
  submitLabel: string
  submitTone?: 'primary' | 'danger'
  pending: boolean
  /** A refusal that names no field. */
  error?: string | null
  children: ReactNode
  wide?: boolean
  'data-testid'?: string
}) {
  return (
    <Dialog.Root open={open} onOpenChange={(next) => !pending && onOpenChange(next)}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-zinc-950/50" />
        <Dialog.Content
          className={`fixed top-1/2 left-1/2 z-50 flex max-h-[calc(100vh-4rem)] ${wide ? 'w-[min(44rem,calc(100vw-2rem))]' : 'w-[min(36rem,calc(100vw-2rem))]'} -translate-x-1/2 -translate-y-1/2 flex-col overflow-hidden rounded-lg border border-line bg-surface text-fg shadow-2xl`}
          data-testid={rest['data-testid']}
        >
          <div className="border-b border-line px-5 py-3.5">
            <Dialog.Title className="text-base font-semibold">{title}</Dialog.Title>
            {description ? <Dialog.Description className="mt-1 text-sm text-fg-muted">{description}</Dialog.Description> : <Dialog.Description className="sr-only">Fill in the form</Dialog.Description>}
          </div>
          <div className="min-h-0 flex-1 space-y-4 overflow-y-auto px-5 py-4 text-sm">{children}</div>
          {error ? (
            <p role="alert" data-testid="dialog-error" className="mx-5 mb-3 flex items-start gap-2 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800 first-letter:uppercase dark:border-red-900 dark:bg-red-950/60 dark:text-red-200">
              <TriangleAlert aria-hidden className="mt-0.5 size-4 shrink-0" />
              <span className="first-letter:uppercase">{error}</span>
            </p>
          ) : null}
          <div className="flex justify-end gap-2 border-t border-line bg-surface-muted/40 px-5 py-3">
            <Dialog.Close asChild>
              <Button disabled={pending}>Cancel</Button>
            </Dialog.Close>
            <Button type="submit" form={formId} variant={submitTone} disabled={pending} data-testid="dialog-submit">
              {pending ? <LoaderCircle aria-hidden className="size-4 animate-spin" /> : null}
              {submitLabel}
            </Button>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  )
}
