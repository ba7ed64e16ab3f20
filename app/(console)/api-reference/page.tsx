import type { Metadata } from 'next'
import { ApiReferenceView } from '@/components/api-reference/api-reference-view'
import { PageHeader } from '@/components/ui/page-header'

export const metadata: Metadata = { title: 'API reference' }

/** The OpenAPI description of /api/v1 as a reference page, for signed-in users (the console layout signs in first). */
export default function ApiReferencePage() {
  return (
    <>
      <PageHeader
        title="API reference"
        description={
          <>
            Every route of <code className="font-mono">/api/v1</code>, generated from the server&apos;s contract (<a className="text-accent underline-offset-2 hover:underline" href="/api/v1/openapi.json">openapi.json</a>). Call it with an API token (
            <code className="font-mono">Authorization: Bearer lgt_…</code>) or the <code className="font-mono">legation</code> CLI.
          </>
        }
      />
      <ApiReferenceView />
    </>
  )
}
