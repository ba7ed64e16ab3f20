/**
 * Light, dark or the operating system's choice (the default). The choice is kept in localStorage;
 * the `dark` class on <html> is what the CSS reads (globals.css `@custom-variant dark`).
 */
export type ThemeChoice = 'light' | 'dark' | 'system'

export const THEME_KEY = 'legation.theme'
const CHANGED = 'legation:theme'
const DARK_QUERY = '(prefers-color-scheme: dark)'

/**
 * Runs before the first paint (inline in the layout), so a dark page never flashes light. Kept in
 * step with applyTheme() below by hand: it cannot import anything.
 */
export const THEME_SCRIPT = `(function(){try{var t=localStorage.getItem(${JSON.stringify(THEME_KEY)});var d=t==='dark'||(t!=='light'&&matchMedia(${JSON.stringify(DARK_QUERY)}).matches);document.documentElement.classList.toggle('dark',d);document.documentElement.style.colorScheme=d?'dark':'light'}catch(e){}})()`

export function parseThemeChoice(value: string | null | undefined): ThemeChoice {
  return value === 'light' || value === 'dark' ? value : 'system'
}

export function readThemeChoice(): ThemeChoice {
  try {
    return parseThemeChoice(window.localStorage.getItem(THEME_KEY))
  } catch {
    return 'system'
  }
}

export function systemPrefersDark(): boolean {
  return window.matchMedia(DARK_QUERY).matches
}

export function applyTheme(choice: ThemeChoice): void {
  const dark = choice === 'dark' || (choice === 'system' && systemPrefersDark())
  document.documentElement.classList.toggle('dark', dark)
  document.documentElement.style.colorScheme = dark ? 'dark' : 'light'
}

export function writeThemeChoice(choice: ThemeChoice): void {
  try {
    if (choice === 'system') window.localStorage.removeItem(THEME_KEY)
    else window.localStorage.setItem(THEME_KEY, choice)
  } catch {
    /* not remembered, still applied */
  }
  applyTheme(choice)
  window.dispatchEvent(new Event(CHANGED))
}

/** Notifies on a choice made here or in another tab, and on a change of the system theme. */
export function subscribeTheme(onChange: () => void): () => void {
  const media = window.matchMedia(DARK_QUERY)
  const onStorage = (e: StorageEvent): void => {
    if (e.key === null || e.key === THEME_KEY) {
      applyTheme(readThemeChoice())
      onChange()
    }
  }
  const onSystem = (): void => {
    if (readThemeChoice() === 'system') applyTheme('system')
    onChange()
  }
  window.addEventListener('storage', onStorage)
  window.addEventListener(CHANGED, onChange)
  media.addEventListener('change', onSystem)
  return () => {
    window.removeEventListener('storage', onStorage)
    window.removeEventListener(CHANGED, onChange)
    media.removeEventListener('change', onSystem)
  }
}
