'use client'

import { isServer, QueryClientProvider, type QueryClient } from '@tanstack/react-query'
import type { ReactNode } from 'react'
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

/**
 * What every page of the tab shares. The live event feed is not here: it needs a signed-in user and
 * opens in the console layout (app/(console)/layout.tsx), so the sign-in and setup pages make no
 * request that can only be refused.
 */
export function Providers({ children }: { children: ReactNode }) {
  const queryClient = getQueryClient()
  return (
    <QueryClientProvider client={queryClient}>
      <TooltipProvider>
        <Toaster>{children}</Toaster>
      </TooltipProvider>
    </QueryClientProvider>
  )
}
