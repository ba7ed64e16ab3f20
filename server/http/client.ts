/** Set by server/main.ts from the socket (any such header from the client is overwritten). */
export const CLIENT_ADDRESS_HEADER = 'x-legation-client-address'

export function clientOf(req: Request): { address: string; userAgent: string } {
  return { address: req.headers.get(CLIENT_ADDRESS_HEADER) ?? 'unknown', userAgent: req.headers.get('user-agent') ?? '' }
}
