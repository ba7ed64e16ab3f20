'use client'

import { useCallback, useSyncExternalStore } from 'react'
import { DIFF_VIEW_FORMATS, type DiffViewFormat } from './render-patch'

const STORAGE_KEY = 'legation.diff-view'
const DEFAULT_FORMAT: DiffViewFormat = 'line-by-line'
const listeners = new Set<() => void>()

function read(): DiffViewFormat {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY)
    return DIFF_VIEW_FORMATS.find((f) => f === stored) ?? DEFAULT_FORMAT
  } catch {
    return DEFAULT_FORMAT
  }
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  // Other tabs change it too.
  const onStorage = (e: StorageEvent): void => {
    if (e.key === STORAGE_KEY) listener()
  }
  window.addEventListener('storage', onStorage)
  return () => {
    listeners.delete(listener)
    window.removeEventListener('storage', onStorage)
  }
}

/**
 * Side by side or line by line, remembered in the browser and shared by every diff on the page.
 * The server renders the default; the stored choice applies right after hydration.
 */
export function useDiffViewFormat(): [DiffViewFormat, (format: DiffViewFormat) => void] {
  const format = useSyncExternalStore(subscribe, read, () => DEFAULT_FORMAT)
  const setFormat = useCallback((next: DiffViewFormat) => {
    try {
      window.localStorage.setItem(STORAGE_KEY, next)
    } catch {
      // Storage may be disabled; the choice then lasts as long as the listeners are told.
    }
    for (const listener of listeners) listener()
  }, [])
  return [format, setFormat]
}
