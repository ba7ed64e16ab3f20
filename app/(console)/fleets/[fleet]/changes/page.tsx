import { dehydrate, HydrationBoundary } from '@tanstack/react-query'
import type { Metadata } from 'next'
import { ChangesPage } from '@/components/changes/changes-page'
import { createQueryClient } from '@/components/query-client'
import { draftQueries } from '@/components/resources/queries'
import { decodeSegment } from '@/components/resources/route-params'
import { consoleServices } from '@/server/http/console-session'

export const dynamic = 'force-dynamic'

type Props = Readonly<{ params: Promise<{ fleet: string }> }>

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Changes · ${decodeSegment((await params).fleet)}` }
}

/** Server-rendered with the diff in place; the client pins it (see ChangesPage). */
export default async function ChangesRoute({ params }: Props) {
  const fleet = decodeSegment((await params).fleet)
  const queryClient = createQueryClient()
  await queryClient.prefetchQuery({ ...draftQueries.diff(fleet), queryFn: async () => (await consoleServices()).drafts.diff(fleet) })
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <ChangesPage fleet={fleet} />
    </HydrationBoundary>
  )
}
