import { redirect } from 'next/navigation'
import { resourceHrefs } from '@/components/resources/kinds'
import { decodeSegment } from '@/components/resources/route-params'

type Props = Readonly<{ params: Promise<{ fleet: string }> }>

/** The first tab. */
export default async function ResourcesIndex({ params }: Props) {
  redirect(resourceHrefs.list(decodeSegment((await params).fleet), 'listeners'))
}
