'use client'

import { useEffect, useState } from 'react'

/** The value once it has not changed for `ms` (typing settles before a request goes out). */
export function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value)
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms)
    return () => clearTimeout(timer)
  }, [value, ms])
  return settled
}
