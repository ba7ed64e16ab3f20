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
    /** `error.details`, when the code has some (e.g. FLEET.SELECTOR_TAKEOVER's takeovers). */
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message)
  }
}

type ErrorBody = { error?: { code?: unknown; message?: unknown; issues?: unknown; details?: unknown } }

function isIssue(value: unknown): value is ApiIssue {
  return typeof value === 'object' && value !== null && typeof (value as ApiIssue).path === 'string' && typeof (value as ApiIssue).message === 'string'
}

function toApiError(res: Response, body: unknown): ApiError {
  const error = (body as ErrorBody | null)?.error
  if (error && typeof error.code === 'string' && typeof error.message === 'string') {
    const issues = Array.isArray(error.issues) ? error.issues.filter(isIssue) : []
    const details = typeof error.details === 'object' && error.details !== null && !Array.isArray(error.details) ? (error.details as Record<string, unknown>) : {}
    return new ApiError(res.status, error.code, error.message, issues, details)
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

/** Set once this tab is on its way to the sign-in page: what every call answered 401 waits on meanwhile. */
let signingIn: Promise<never> | null = null

/**
 * The session ended while the tab was open (signed out in another tab, idle or past its end, the
 * user disabled or deleted): every answer is 401 from now on. Rather than show each failed refresh
 * as an error, the tab goes to the sign-in page once, with the page it shows as `next`
 * (credentials-form.tsx comes back to it), as the server does for a signed-out page request
 * (server/http/sign-in-location.ts). The failed call never settles, unless cancelled: the page is
 * being left, and an error notice would only flash. Not for the auth calls themselves (a 401 there
 * is a wrong password or setup token) nor on the sign-in and setup pages, so it cannot loop.
 */
function toSignIn(path: string, signal: AbortSignal | undefined): Promise<never> | null {
  if (typeof window === 'undefined' || path.startsWith('/api/v1/auth/')) return null
  const { pathname, search } = window.location
  if (pathname === '/login' || pathname === '/setup') return null
  const leaving = goToSignIn(`${pathname}${search}`)
  if (!signal) return leaving
  // React Query cancels with the signal (a page unmounting): let that through, as for any call.
  const cancelled = new Promise<never>((_, reject) => {
    if (signal.aborted) reject(signal.reason)
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true })
  })
  return Promise.race([leaving, cancelled])
}

/**
 * Leaves for the sign-in page (a full page load: nothing of this session's data stays in memory),
 * once however often it is called; `next` is where signing in leads back to. Sign-out uses it too,
 * so that a refresh answered 401 while it is on its way adds no `next`.
 */
export function goToSignIn(next: string | null): Promise<never> {
  if (signingIn === null) {
    window.location.replace(next === null || next === '/' ? '/login' : `/login?${new URLSearchParams({ next }).toString()}`)
    signingIn = new Promise<never>(() => undefined)
  }
  return signingIn
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
  if (res.status === 401) {
    const leaving = toSignIn(path, signal)
    if (leaving) return leaving
  }
  if (!res.ok) throw toApiError(res, parsed)
  return parsed as T
}

/** Path segments are user-chosen names; encode them once, here. */
export function apiPath(...segments: ReadonlyArray<string | number>): string {
  return `/api/v1/${segments.map((s) => encodeURIComponent(String(s))).join('/')}`
}
