/** Set by server/main.ts from the socket (any such header from the client is overwritten). */
export const CLIENT_ADDRESS_HEADER = 'x-legation-client-address'

export function clientOf(req: Request): { address: string; userAgent: string } {
  return { address: req.headers.get(CLIENT_ADDRESS_HEADER) ?? 'unknown', userAgent: req.headers.get('user-agent') ?? '' }
}

/**
 * Set by server/main.ts to the path and query the browser asked for (a client's own is overwritten),
 * so that a console page sending a signed-out visitor to sign in can say where to come back to:
 * Next's `headers()` does not carry the URL of the page.
 */
export const REQUEST_PATH_HEADER = 'x-legation-request-path'
