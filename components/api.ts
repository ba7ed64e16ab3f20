/**
 * The console's only way to the backend from the browser: the JSON API under /api/v1. Errors come
 * back as `{ error: { code, message, issues } }` (server/http/errors.ts) and are thrown as ApiError.
 */
export type ApiIssue = Readonly<{ path: string; message: string }>

export class ApiError extends Error {
  override readonly name = 'ApiError'
  constructor(
    /** HTTP status; 0 when the server could not be reached. */
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: readonly ApiIssue[] = [],
  ) {
    super(message)
  }
}

type ErrorBody = { error?: { code?: unknown; message?: unknown; issues?: unknown } }

function isIssue(value: unknown): value is ApiIssue {
  return typeof value === 'object' && value !== null && typeof (value as ApiIssue).path === 'string' && typeof (value as ApiIssue).message === 'string'
}

function toApiError(res: Response, body: unknown): ApiError {
  const error = (body as ErrorBody | null)?.error
  if (error && typeof error.code === 'string' && typeof error.message === 'string') {
    const issues = Array.isArray(error.issues) ? error.issues.filter(isIssue) : []
    return new ApiError(res.status, error.code, error.message, issues)
  }
  // Not our error shape (a proxy in front of Legation, or a crash before the API edge).
  return new ApiError(res.status, `HTTP.${res.status}`, `the server answered ${res.status} ${res.statusText}`.trim())
}

function parseJson(text: string): unknown {
  if (text === '') return null
  try {
    return JSON.parse(text) as unknown
  } catch {
    return null
  }
}

export type ApiFetchOptions = Readonly<{ method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; body?: unknown; signal?: AbortSignal; ifMatch?: number }>

export async function apiFetch<T>(path: string, options: ApiFetchOptions = {}): Promise<T> {
  const { method = 'GET', body, signal, ifMatch } = options
  let res: Response
  try {
    res = await fetch(path, {
      method,
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(ifMatch === undefined ? {} : { 'if-match': `"${ifMatch}"` }) },
      body: body === undefined ? null : JSON.stringify(body),
      cache: 'no-store',
      ...(signal ? { signal } : {}),
    })
  } catch (err) {
    // React Query cancels with the signal; let that abort through unchanged.
    if (signal?.aborted) throw err
    throw new ApiError(0, 'NETWORK', 'Legation could not be reached; check that the server is running')
  }
  const parsed = parseJson(await res.text())
  if (!res.ok) throw toApiError(res, parsed)
  return parsed as T
}

/** Path segments are user-chosen names; encode them once, here. */
export function apiPath(...segments: ReadonlyArray<string | number>): string {
  return `/api/v1/${segments.map((s) => encodeURIComponent(String(s))).join('/')}`
}
