import type { Me } from '@/server/contract'
import { authenticate } from '@/server/http/authenticate'
import { withPublicApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'

/** Who the caller is (null when not signed in), and whether the console should offer setup. */
export const GET = withPublicApi(async (req, { runtime }) => {
  const credentials = await authenticate(runtime, req).catch(() => null)
  const p = credentials?.principal
  const me: Me = {
    principal: p && p.kind !== 'proxy-token' ? { kind: p.kind, name: p.name, grants: [...p.grants] } : null,
    setupRequired: await runtime.services.auth.setupRequired(),
    sso: { enabled: runtime.services.oidc !== null, label: runtime.services.oidc?.label ?? '' },
  }
  return Response.json(me, { headers: { 'cache-control': 'no-store' } })
})
