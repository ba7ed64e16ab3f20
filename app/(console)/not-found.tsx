import type { Metadata } from 'next'
import { NotFoundView } from '@/components/shell/not-found-view'

export const metadata: Metadata = { title: 'Not found' }

/** A console page's notFound() (an unknown resource kind, a version number that is not one): inside the console's layout. */
export default function ConsoleNotFound() {
  return <NotFoundView />
}
