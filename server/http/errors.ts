import { ZodError } from 'zod'
import { isLegationError, type IssueView } from '../errors'

export type ApiErrorBody = { error: { code: string; message: string; issues: IssueView[]; details?: Record<string, unknown> } }

export function errorResponse(status: number, code: string, message: string, issues: readonly IssueView[] = [], details?: Record<string, unknown>): Response {
  const body: ApiErrorBody = { error: { code, message, issues: [...issues], ...(details && Object.keys(details).length > 0 ? { details } : {}) } }
  return Response.json(body, { status })
}

function zodPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc === '' ? String(seg) : `${acc}.${String(seg)}`), '')
}

/** The single place that turns any error into an HTTP response (dub's handleApiError). */
export function toErrorResponse(err: unknown, log: (err: unknown) => void): Response {
  if (isLegationError(err)) return errorResponse(err.status, err.code, err.message, err.issues, err.details as Record<string, unknown>)
  if (err instanceof ZodError) {
    const issues = err.issues.map((i) => ({ path: zodPath(i.path), message: i.message }))
    const first = issues[0]
    return errorResponse(422, 'REQUEST.INVALID', first ? `invalid request: ${first.path || 'body'}: ${first.message}` : 'invalid request', issues)
  }
  log(err)
  return errorResponse(500, 'INTERNAL', 'internal error; the server log has the details')
}
