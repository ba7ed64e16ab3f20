import { BUNDLE_CONTENT_TYPE, ExportQuery } from '@/server/contract'
import { etag } from '@/server/http/body'
import { withApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'
type Params = { fleet: string }

/**
 * A version (`?version=N`, default the active one) or the draft (`?version=draft`) as a bundle: one
 * YAML document per resource in (type, name) order; PUT it to …/draft to import it. Private keys
 * appear as `<set:fingerprint>` markers, never as key material. `?format=bootstrap`: an Envoy static
 * bootstrap of the same resources (for `envoy --mode validate`; notes as comments on top).
 */
export const GET = withApi<Params>(async (req, { params, services }) => {
  const url = new URL(req.url)
  const query = ExportQuery.parse({ version: url.searchParams.get('version') ?? undefined, format: url.searchParams.get('format') ?? undefined })
  const bundle = await services.fleets.export({ fleet: params.fleet, source: query.version, format: query.format ?? 'bundle' })
  const file = `${params.fleet}-${bundle.version === null ? 'draft' : `v${bundle.version}`}${query.format === 'bootstrap' ? '-bootstrap' : ''}.yaml`
  return new Response(bundle.text, {
    headers: {
      'content-type': BUNDLE_CONTENT_TYPE,
      'content-disposition': `attachment; filename="${file}"`,
      ...(bundle.draftRevision === null ? {} : { etag: etag(bundle.draftRevision) }),
    },
  })
})
