'use client'

import { createContext, useContext } from 'react'
import type { LiveStatus } from './live-feed'

export const LiveStatusContext = createContext<LiveStatus>('connecting')

export function useLiveStatus(): LiveStatus {
  return useContext(LiveStatusContext)
}
