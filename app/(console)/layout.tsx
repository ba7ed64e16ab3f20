import { connection } from 'next/server'
import type { ReactNode } from 'react'
import { ConsoleFrame } from './console-frame'
import { consoleServices } from '@/server/http/console-session'

/** Every console page: signed in (else to the sign-in or first-run setup page), in the console's frame. */
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  await connection() // a view of the live database: never prerendered at build time
  const services = await consoleServices() // not signed in: to the sign-in (or first-run setup) page
  return <ConsoleFrame services={services}>{children}</ConsoleFrame>
}
