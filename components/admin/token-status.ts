import type { TokenView } from '@/server/contract'

export type TokenStatus = 'active' | 'expired' | 'revoked'

/** As the server decides at authentication (services/auth.ts authenticateToken): revoked first, then expired. */
export function tokenStatus(token: Pick<TokenView, 'revokedAt' | 'expiresAt'>, now: number): TokenStatus {
  if (token.revokedAt) return 'revoked'
  if (token.expiresAt && Date.parse(token.expiresAt) <= now) return 'expired'
  return 'active'
}
