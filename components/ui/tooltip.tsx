'use client'

import { Tooltip as RadixTooltip } from 'radix-ui'
import type { ReactElement, ReactNode } from 'react'
import { cn } from './cn'

/** Needed once above every Tooltip (app/providers.tsx). */
export function TooltipProvider({ children }: { children: ReactNode }) {
  return (
    <RadixTooltip.Provider delayDuration={250} skipDelayDuration={150}>
      {children}
    </RadixTooltip.Provider>
  )
}

/**
 * A tooltip on a focusable or hoverable element. The trigger is the child itself (asChild); give it
 * a focusable element (link, button) when keyboard users must reach the text.
 */
export function Tooltip({ content, children, side = 'top', className }: { content: ReactNode; children: ReactElement; side?: 'top' | 'bottom' | 'left' | 'right'; className?: string }) {
  return (
    <RadixTooltip.Root>
      <RadixTooltip.Trigger asChild>{children}</RadixTooltip.Trigger>
      <RadixTooltip.Portal>
        <RadixTooltip.Content
          side={side}
          sideOffset={6}
          collisionPadding={8}
          className={cn(
            'z-50 max-w-md rounded-md border border-line bg-surface px-2.5 py-1.5 text-xs text-fg shadow-lg shadow-black/10',
            className,
          )}
        >
          {content}
          <RadixTooltip.Arrow className="fill-surface stroke-line" width={10} height={5} />
        </RadixTooltip.Content>
      </RadixTooltip.Portal>
    </RadixTooltip.Root>
  )
}
