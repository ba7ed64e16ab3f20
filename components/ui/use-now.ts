'use client'

import { useEffect, useState } from 'react'

/**
 * The current time, refreshed every `intervalMs`. The first value is the time of the render; the
 * server's render and the browser's hydration are well under a second apart, so relative times agree.
 */
export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs)
    return () => clearInterval(timer)
  }, [intervalMs])
  return now
}
