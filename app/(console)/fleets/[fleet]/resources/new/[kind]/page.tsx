import type { Metadata } from 'next'
import { notFound } from 'next/navigation'
import { KIND_INFO } from '@/components/resources/kinds'
import { ResourceEditorPage } from '@/components/resources/resource-editor'
import { decodeSegment, kindParam, viewParam } from '@/components/resources/route-params'

export const dynamic = 'force-dynamic'

type Props = Readonly<{ params: Promise<{ fleet: string; kind: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }>

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const k = kindParam((await params).kind)
  return { title: k ? `New ${KIND_INFO[k].singular}` : 'New resource' }
}

export default async function NewResourceRoute({ params, searchParams }: Props) {
  const raw = await params
  const kind = kindParam(raw.kind)
  if (!kind) notFound()
  return <ResourceEditorPage key={kind} fleet={decodeSegment(raw.fleet)} kind={kind} name={null} requestedView={viewParam((await searchParams).view)} />
}
