'use client'

import { isServer, QueryClientProvider, type QueryClient } from '@tanstack/react-query'
import type { ReactNode } from 'react'
import { LiveEvents } from '@/components/live/live-events'
import { createQueryClient } from '@/components/query-client'
import { Toaster } from '@/components/ui/toaster'
import { TooltipProvider } from '@/components/ui/tooltip'

let browserQueryClient: QueryClient | undefined

/**
 * create-t3-app trpc/react.tsx: a new client for every server render (never shared between
 * requests), one for the life of the tab in the browser, so a suspending render cannot lose it.
 */
function getQueryClient(): QueryClient {
  if (isServer) return createQueryClient()
  return (browserQueryClient ??= createQueryClient())
}

export function Providers({ children }: { children: ReactNode }) {
  const queryClient = getQueryClient()
  return (
    <QueryClientProvider client={queryClient}>
      <LiveEvents>
        <TooltipProvider>
          <Toaster>{children}</Toaster>
        </TooltipProvider>
      </LiveEvents>
    </QueryClientProvider>
  )
}
