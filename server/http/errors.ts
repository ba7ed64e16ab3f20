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

/** Prisma's codes for "the database cannot be reached or used now" (P1xxx connection errors, P2024 pool timeout). */
const PRISMA_UNAVAILABLE = new Set(['P1000', 'P1001', 'P1002', 'P1003', 'P1008', 'P1010', 'P1011', 'P1017', 'P2024'])
/** @prisma/adapter-pg's DriverAdapterError kinds for the same. */
const ADAPTER_UNAVAILABLE = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections', 'TlsConnectionError', 'DatabaseDoesNotExist', 'DatabaseAccessDenied', 'AuthenticationFailed'])
/** Socket errors (node) and SQLSTATEs of class 08 (connection exception), 57P01-03 (shutdown, cannot connect now), 53300 (too many connections). */
const SOCKET_UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN'])
const SQLSTATE_UNAVAILABLE = /^(08...|57P0[123]|53300)$/
/** What pg says when a connection dies under a query or cannot be made in time; Prisma passes these on as plain Errors. */
const PG_CONNECTION_MESSAGE = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection closed)/

/**
 * Whether `err` means the database is down or unreachable, whichever layer raised it: a Prisma
 * error (by code, or its driver adapter's error kind), or a pg/socket error, possibly as a cause.
 * Recognised by shape, not class: errors cross module graphs (see isLegationError).
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e: unknown = err, hops = 0; typeof e === 'object' && e !== null && hops < 5; e = (e as { cause?: unknown }).cause, hops++) {
    const { code, message, meta } = e as { code?: unknown; message?: unknown; meta?: { driverAdapterError?: { cause?: { kind?: unknown; originalCode?: unknown } } } }
    if (typeof code === 'string' && (PRISMA_UNAVAILABLE.has(code) || SOCKET_UNAVAILABLE.has(code) || SQLSTATE_UNAVAILABLE.test(code))) return true
    const adapter = meta?.driverAdapterError?.cause
    if (adapter && ((typeof adapter.kind === 'string' && ADAPTER_UNAVAILABLE.has(adapter.kind)) || (typeof adapter.originalCode === 'string' && SQLSTATE_UNAVAILABLE.test(adapter.originalCode)))) return true
    if (typeof message === 'string' && PG_CONNECTION_MESSAGE.test(message.trim())) return true
    // $queryRaw wraps the adapter's error as P2010 "Raw query failed … Can't reach database server at host:port".
    if (code === 'P2010' && typeof message === 'string' && /Can't reach database server|Connection terminated|Timed out/i.test(message)) return true
  }
  return false
}

/** The single place that turns any error into an HTTP response (dub's handleApiError). */
export function toErrorResponse(err: unknown, log: (err: unknown) => void): Response {
  if (isLegationError(err)) return errorResponse(err.status, err.code, err.message, err.issues, err.details as Record<string, unknown>)
  // The raw error names the database's host and port: it goes to no client (the server log of the
  // database connection says what happened; #16 item 13). Retry-After: the pool reconnects by itself.
  if (isDatabaseUnavailable(err)) {
    const res = errorResponse(503, 'SERVICE.UNAVAILABLE', 'the database is unavailable; try again shortly')
    res.headers.set('retry-after', '5')
    return res
  }
  if (err instanceof ZodError) {
    const issues = err.issues.map((i) => ({ path: zodPath(i.path), message: i.message }))
    const first = issues[0]
    return errorResponse(422, 'REQUEST.INVALID', first ? `invalid request: ${first.path || 'body'}: ${first.message}` : 'invalid request', issues)
  }
  log(err)
  return errorResponse(500, 'INTERNAL', 'internal error; the server log has the details')
}
