'use client'

import { createContext, useContext } from 'react'
import type { LiveStatus } from './use-live-events'

export const LiveStatusContext = createContext<LiveStatus>('connecting')

export function useLiveStatus(): LiveStatus {
  return useContext(LiveStatusContext)
}
