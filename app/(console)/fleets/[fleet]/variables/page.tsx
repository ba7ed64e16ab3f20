import { dehydrate, HydrationBoundary } from '@tanstack/react-query'
import type { Metadata } from 'next'
import { createQueryClient } from '@/components/query-client'
import { decodeSegment } from '@/components/resources/route-params'
import { variableQueries } from '@/components/variables/queries'
import { VariablesPage } from '@/components/variables/variables-page'
import { consoleServices } from '@/server/http/console-session'

export const dynamic = 'force-dynamic'

type Props = Readonly<{ params: Promise<{ fleet: string }> }>

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Variables · ${decodeSegment((await params).fleet)}` }
}

export default async function VariablesRoute({ params }: Props) {
  const fleet = decodeSegment((await params).fleet)
  const queryClient = createQueryClient()
  await queryClient.prefetchQuery({ ...variableQueries.list(fleet), queryFn: async () => (await consoleServices()).variables.list(fleet) })
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <VariablesPage fleet={fleet} />
    </HydrationBoundary>
  )
}
