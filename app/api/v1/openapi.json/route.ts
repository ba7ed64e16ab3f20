import { buildOpenApiDocument } from '@/server/contract/openapi'
import { withPublicApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'

let cached: string | undefined

/**
 * The OpenAPI 3.1 description of /api/v1, generated from the contract's zod schemas. Readable
 * without signing in: it describes the API and holds no data (every operation it lists still
 * checks its caller), so code generators and a reference page can fetch it.
 */
export const GET = withPublicApi(async () => {
  cached ??= JSON.stringify(buildOpenApiDocument({ version: process.env['npm_package_version'] ?? '0.1.0' }))
  return new Response(cached, { headers: { 'content-type': 'application/json', 'cache-control': 'no-cache' } })
})
