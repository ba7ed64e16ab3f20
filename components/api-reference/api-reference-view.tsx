'use client'

import '@scalar/api-reference-react/style.css'
import './api-reference.css'
import dynamic from 'next/dynamic'
import { useEffect, useRef, useSyncExternalStore } from 'react'
import { subscribeTheme } from '../shell/theme'

/**
 * Scalar's API reference (maintained, MIT) over the server's own /api/v1/openapi.json. Rendered in
 * the browser only (it is a Vue app inside a React wrapper), and offline: no web fonts from its CDN,
 * no telemetry, no AI agent or MCP offers, no "open in Scalar's client" nor its request proxy; the
 * page's CSP would refuse any other origin anyway. It describes the API; trying calls is for the
 * CLI or curl with a token. It follows the console's theme.
 */
const ApiReferenceReact = dynamic(() => import('@scalar/api-reference-react').then((m) => m.ApiReferenceReact), {
  ssr: false,
  loading: () => <p className="px-4 py-6 text-sm text-fg-subtle">Loading the API reference…</p>,
})

const isDark = () => document.documentElement.classList.contains('dark')

export function ApiReferenceView() {
  const dark = useSyncExternalStore(subscribeTheme, isDark, () => false)
  const ref = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const root = ref.current
    if (!root) return
    // Scalar's copy buttons show an icon only, so screen readers get no name (axe: button-name): give them one.
    const name = () => root.querySelectorAll('button.scalar-code-copy:not([aria-label])').forEach((b) => b.setAttribute('aria-label', 'Copy code'))
    name()
    const observer = new MutationObserver(name)
    observer.observe(root, { childList: true, subtree: true })
    return () => observer.disconnect()
  }, [])
  return (
    <div ref={ref} className="legation-api-reference overflow-hidden rounded-lg border border-line bg-surface" data-testid="api-reference">
      {/* Scalar reads its mode once: a theme change mounts it again. */}
      <ApiReferenceReact
        key={dark ? 'dark' : 'light'}
        configuration={{
          url: '/api/v1/openapi.json',
          withDefaultFonts: false,
          telemetry: false,
          hideClientButton: true,
          hideTestRequestButton: true,
          hideDarkModeToggle: true,
          forceDarkModeState: dark ? 'dark' : 'light',
          showDeveloperTools: 'never',
          documentDownloadType: 'json',
          persistAuth: false,
          agent: { disabled: true },
          mcp: { disabled: true },
        }}
      />
    </div>
  )
}
