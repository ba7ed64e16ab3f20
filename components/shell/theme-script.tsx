import { THEME_SCRIPT } from './theme'

/** Sets the `dark` class on <html> before anything paints (next-themes does the same). */
export function ThemeScript() {
  return <script dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
}
