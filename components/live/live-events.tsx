'use client'

import type { ReactNode } from 'react'
import { LiveStatusContext } from './live-status-context'
import { useLiveEvents } from './use-live-events'

/** Opens the one event feed of the tab and shares its status (for the header's indicator). */
export function LiveEvents({ children }: { children: ReactNode }) {
  const status = useLiveEvents()
  return <LiveStatusContext value={status}>{children}</LiveStatusContext>
}
