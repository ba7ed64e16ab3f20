import type { Metadata } from 'next'
import type { ReactNode } from 'react'
import { ThemeScript } from '@/components/shell/theme-script'
import { Providers } from './providers'
import './globals.css'

export const metadata: Metadata = { title: { default: 'Legation', template: '%s · Legation' }, description: 'Envoy xDS control plane' }

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    // The theme script sets class="dark" on <html> before React hydrates; that attribute is expected to differ.
    <html lang="en" suppressHydrationWarning>
      <head>
        <ThemeScript />
      </head>
      <body className="min-h-screen bg-canvas text-fg antialiased">
        <Providers>{children}</Providers>
      </body>
    </html>
  )
}
