import { safeReturnPath } from '../contract'

/**
 * The sign-in page for a visitor who asked for `requested` (the request's path and query): with
 * `?next=` so that signing in leads back there. Next's own `_rsc` parameter (a client navigation's
 * payload request) is not part of the page's address; '/' and anything not a plain path of this
 * console (safeReturnPath) leave `next` out.
 */
export function signInLocation(requested: string | null): string {
  if (requested === null) return '/login'
  const queryAt = requested.indexOf('?')
  let path = requested
  const query = new URLSearchParams(queryAt >= 0 ? requested.slice(queryAt + 1) : '')
  if (query.has('_rsc')) {
    query.delete('_rsc')
    const rest = query.toString()
    path = `${requested.slice(0, queryAt)}${rest === '' ? '' : `?${rest}`}`
  }
  const next = safeReturnPath(path)
  return next === null || next === '/' ? '/login' : `/login?${new URLSearchParams({ next }).toString()}`
}
