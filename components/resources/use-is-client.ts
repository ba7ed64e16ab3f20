'use client'

import { useSyncExternalStore } from 'react'

const noop = () => () => {}

/** False on the server and during hydration, true after: for UI that reads localStorage. */
export function useIsClient(): boolean {
  return useSyncExternalStore(
    noop,
    () => true,
    () => false,
  )
}
