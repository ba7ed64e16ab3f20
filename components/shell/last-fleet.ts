'use client'

/**
 * The fleet the user worked with last, remembered across visits (localStorage `legation.fleet`).
 * `storage` events cover other tabs; a custom event covers writes from this tab.
 */
export const LAST_FLEET_KEY = 'legation.fleet'
const CHANGED = 'legation:last-fleet'

export function readLastFleet(): string | null {
  try {
    return window.localStorage.getItem(LAST_FLEET_KEY)
  } catch {
    return null // storage disabled (privacy mode): behave as if nothing was remembered
  }
}

export function writeLastFleet(fleet: string): void {
  try {
    if (window.localStorage.getItem(LAST_FLEET_KEY) === fleet) return
    window.localStorage.setItem(LAST_FLEET_KEY, fleet)
  } catch {
    return
  }
  window.dispatchEvent(new Event(CHANGED))
}

export function subscribeLastFleet(onChange: () => void): () => void {
  const onStorage = (e: StorageEvent): void => {
    if (e.key === null || e.key === LAST_FLEET_KEY) onChange()
  }
  window.addEventListener('storage', onStorage)
  window.addEventListener(CHANGED, onChange)
  return () => {
    window.removeEventListener('storage', onStorage)
    window.removeEventListener(CHANGED, onChange)
  }
}
