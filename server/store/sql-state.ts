/**
 * The Postgres SQLSTATE of a failed query, as Prisma's pg driver adapter reports it
 * (`err.meta.driverAdapterError.cause.originalCode`, or `.code` on the cause), or of a pg error.
 */
export function sqlStateOf(err: unknown): string | null {
  const e = err as { meta?: { driverAdapterError?: { cause?: { originalCode?: unknown; code?: unknown } } }; code?: unknown } | null
  const cause = e?.meta?.driverAdapterError?.cause
  const code = cause?.originalCode ?? cause?.code ?? e?.code
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : null
}

/**
 * True when Postgres refused a statement for the values it carried: data exceptions (class 22,
 * e.g. 22P05 a NUL in text, 22023 a NOTIFY payload over 8,000 bytes), integrity violations (23) and
 * program limits (54, e.g. an index entry over 2,704 bytes). Running it again cannot succeed; an
 * outage (class 08, 57, a refused connection) can.
 */
export function isDataError(err: unknown): boolean {
  const state = sqlStateOf(err)
  return state !== null && ['22', '23', '54'].includes(state.slice(0, 2))
}
