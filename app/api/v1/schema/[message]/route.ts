import { MessageNameParam, SchemaQuery } from '@/server/contract'
import { LegationError } from '@/server/errors'
import { withApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'

/**
 * One Envoy message for the console editor's completion and hover docs: its fields with type, enum
 * values, oneof and comment, and the type URLs its Any fields may hold (narrowed by `?categories=`,
 * the extension categories of the field it was reached through). The same for every fleet, and
 * only changes with the descriptors: the browser keeps it for an hour.
 */
export const GET = withApi<{ message: string }>(async (req, { params, services }) => {
  const name = MessageNameParam.safeParse(params.message)
  if (!name.success) throw new LegationError('RESOURCE.TYPE_UNKNOWN', `'${params.message}' is not a protobuf message name`, [{ path: 'message', message: name.error.issues[0]!.message }])
  const query = SchemaQuery.parse(Object.fromEntries(new URL(req.url).searchParams))
  const schema = services.schema({ message: name.data, categories: query.categories })
  return Response.json(schema, { headers: { 'cache-control': 'private, max-age=3600' } })
})
