import * as oidc from 'openid-client'
import type { Principal } from '../access/principal'
import { grantsForGroups, groupsOfClaim, type RoleMapping } from '../access/role-map'
import { safeReturnPath } from '../contract'
import { LegationError } from '../errors'
import { findUserByName, insertOidcLogin, insertSession, insertUser, takeOidcLogin, updateUserRow } from '../store/auth'
import type { Db } from '../store/db'
import { inTransaction, recordAudit } from '../store/tx'
import { hashSecret, type AuthSettings } from './auth'
import { randomBytes } from 'node:crypto'

export type OidcSettings = Readonly<{
  issuer: string
  clientId: string
  clientSecret: string
  /** The callback URL registered at the provider: <console URL>/api/v1/auth/oidc/callback. */
  redirectUrl: string
  scopes: string
  groupsClaim: string
  roleMap: readonly RoleMapping[]
  label: string
}>

const LOGIN_TTL_MS = 10 * 60_000

/**
 * Single sign-on with any OpenID Connect provider: authorization code flow with PKCE (S256), state
 * and nonce, through openid-client (discovery, token exchange, ID token validation). The login in
 * flight lives in Postgres, so any replica can finish it, and only once. Users are created or
 * updated at each sign-in; their roles come from the groups claim through the role map.
 */
export function createOidcService(deps: Readonly<{ db: Db; settings: OidcSettings; auth: AuthSettings }>) {
  const { db, settings } = deps
  let config: Promise<oidc.Configuration> | null = null
  const configuration = () => {
    const url = new URL(settings.issuer)
    // Plain HTTP only for a provider on this machine (development, tests).
    const insecure = url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)
    config ??= oidc.discovery(url, settings.clientId, settings.clientSecret, undefined, insecure ? { execute: [oidc.allowInsecureRequests] } : {}).catch((err: unknown) => {
      config = null // try discovery again next time
      throw new LegationError('SERVICE.UNAVAILABLE', `the OpenID Connect provider ${settings.issuer} could not be reached: ${(err as Error).message}`)
    })
    return config
  }

  return {
    label: settings.label,

    /** Where to send the browser to sign in; `next` (where it was going) is kept with the login when it is a path of this console. */
    async start(next: string | null): Promise<URL> {
      const returnTo = safeReturnPath(next) ?? '/'
      const cfg = await configuration()
      const codeVerifier = oidc.randomPKCECodeVerifier()
      const state = oidc.randomState()
      const nonce = oidc.randomNonce()
      await insertOidcLogin(db, { state, codeVerifier, nonce, returnTo })
      return oidc.buildAuthorizationUrl(cfg, {
        redirect_uri: settings.redirectUrl,
        scope: settings.scopes,
        code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      })
    },

    /** The provider sent the browser back: check state, exchange the code, map groups to roles, start a session. */
    async finish(callbackUrl: URL, client: { address: string; userAgent: string }): Promise<{ sessionToken: string; expiresAt: Date; returnTo: string; principal: Principal }> {
      const state = callbackUrl.searchParams.get('state')
      const login = state ? await takeOidcLogin(db, state) : null
      if (!login || Date.now() - login.createdAt.getTime() > LOGIN_TTL_MS) {
        throw new LegationError('AUTH.UNAUTHENTICATED', 'this sign-in is unknown, already used or too old; start again from the sign-in page')
      }
      const cfg = await configuration()
      // The redirect URL as registered (behind a proxy, the request URL may differ in scheme or host).
      const current = new URL(settings.redirectUrl)
      current.search = callbackUrl.search
      let claims: Record<string, unknown> & { sub: string }
      try {
        const tokens = await oidc.authorizationCodeGrant(cfg, current, { pkceCodeVerifier: login.codeVerifier, expectedState: state!, expectedNonce: login.nonce, idTokenExpected: true })
        const idToken = tokens.claims()
        if (!idToken) throw new Error('no ID token')
        claims = { ...idToken }
        // Many providers put only the `openid` claims in the ID token; the rest is at the UserInfo endpoint.
        if (claims[settings.groupsClaim] === undefined || claims['preferred_username'] === undefined) {
          claims = { ...(await oidc.fetchUserInfo(cfg, tokens.access_token, idToken.sub)), ...claims }
        }
      } catch (err) {
        throw new LegationError('AUTH.UNAUTHENTICATED', `the identity provider did not confirm this sign-in: ${(err as Error).message}`)
      }
      const username = String(claims['preferred_username'] ?? claims['email'] ?? claims.sub).toLowerCase().slice(0, 64)
      const grants = grantsForGroups(settings.roleMap, groupsOfClaim(claims[settings.groupsClaim]))
      if (grants.length === 0) {
        await recordAudit(db, { actor: username, action: 'auth.sign-in-failed', fleetName: null, target: `oidc/${username}`, detail: { reason: 'no role for these groups' } })
        throw new LegationError('AUTH.FORBIDDEN', `you signed in as ${username}, but none of your groups (claim '${settings.groupsClaim}') has a role in Legation; ask an admin to map one`)
      }
      const user = await inTransaction(db, async (tx) => {
        const existing = await findUserByName(tx, username)
        if (existing && existing.source !== 'oidc') throw new LegationError('AUTH.FORBIDDEN', `a local user named '${username}' exists; single sign-on will not take it over`)
        if (existing?.disabled) throw new LegationError('AUTH.FORBIDDEN', `the user '${username}' is disabled`)
        const displayName = String(claims['name'] ?? '')
        const row = existing
          ? await updateUserRow(tx, existing.id, { grants, displayName, lastSignInAt: new Date() })
          : await insertUser(tx, { username, displayName, passwordHash: null, source: 'oidc', grants })
        await recordAudit(tx, { actor: username, action: 'auth.sign-in', fleetName: null, target: `oidc/${username}`, detail: { grants: grants as unknown as object[] } })
        return row
      })
      const sessionToken = `lgs_${randomBytes(32).toString('base64url')}`
      const expiresAt = new Date(Date.now() + deps.auth.sessionMaxMs)
      await insertSession(db, { tokenHash: hashSecret(sessionToken), userId: user.id, expiresAt, address: client.address.slice(0, 100), userAgent: client.userAgent.slice(0, 300) })
      return { sessionToken, expiresAt, returnTo: safeReturnPath(login.returnTo) ?? '/', principal: { kind: 'user', id: user.id, name: user.username, grants } }
    },
  }
}

export type OidcService = ReturnType<typeof createOidcService>
