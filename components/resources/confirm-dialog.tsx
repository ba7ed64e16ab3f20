'use client'

import { LoaderCircle } from 'lucide-react'
import { Dialog } from 'radix-ui'
import type { ReactNode } from 'react'
import { Button } from '../ui/button'

/**
 * A modal question with a cancel and a confirm button (Radix Dialog: focus is trapped, Escape
 * cancels, focus returns to the button that opened it). Cancel has the initial focus, so Enter
 * never confirms something destructive by accident.
 */
export function ConfirmDialog({
  open,
  onOpenChange,
  title,
  description,
  children,
  confirmLabel,
  tone = 'danger',
  pending,
  onConfirm,
  confirmDisabled,
  ...rest
}: {
  open: boolean
  onOpenChange: (open: boolean) => void
  title: ReactNode
  description?: ReactNode
  children?: ReactNode
  confirmLabel: string
  tone?: 'danger' | 'primary'
  pending?: boolean
  onConfirm: () => void
  confirmDisabled?: boolean
  'data-testid'?: string
}) {
  return (
    <Dialog.Root open={open} onOpenChange={(next) => !pending && onOpenChange(next)}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-zinc-950/50" />
        <Dialog.Content
          className="fixed top-1/2 left-1/2 z-50 flex max-h-[calc(100vh-4rem)] w-[min(36rem,calc(100vw-2rem))] -translate-x-1/2 -translate-y-1/2 flex-col overflow-hidden rounded-lg border border-line bg-surface text-fg shadow-2xl"
          data-testid={rest['data-testid']}
        >
          <div className="border-b border-line px-5 py-3.5">
            <Dialog.Title className="text-base font-semibold">{title}</Dialog.Title>
            {description ? <Dialog.Description className="mt-1 text-sm text-fg-muted">{description}</Dialog.Description> : <Dialog.Description className="sr-only">Confirm or cancel</Dialog.Description>}
          </div>
          {children ? <div className="min-h-0 flex-1 overflow-y-auto px-5 py-4 text-sm">{children}</div> : null}
          <div className="flex justify-end gap-2 border-t border-line bg-surface-muted/40 px-5 py-3">
            <Dialog.Close asChild>
              <Button autoFocus disabled={pending}>
                Cancel
              </Button>
            </Dialog.Close>
            <Button variant={tone} onClick={onConfirm} disabled={pending || confirmDisabled} data-testid="confirm-button">
              {pending ? <LoaderCircle aria-hidden className="size-4 animate-spin" /> : null}
              {confirmLabel}
            </Button>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  )
}
