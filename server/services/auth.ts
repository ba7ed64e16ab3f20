import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2'
import type { Principal } from '../access/principal'
import type { Grant, TokenCreated, TokenView, UserView } from '../contract'
import { LegationError } from '../errors'
import {
  clearSignInFailures,
  countSignInFailures,
  countUsers,
  deleteSessionByHash,
  deleteSessionsOfUser,
  deleteUserRow,
  findSessionByHash,
  findTokenByHash,
  findUserById,
  findUserByName,
  insertSession,
  insertToken,
  insertUser,
  listTokens,
  listUsers,
  lockUserSetup,
  markTokenUsed,
  recordSignInFailure,
  revokeTokenRow,
  toTokenView,
  toUserView,
  touchSession,
  updateUserRow,
  type UserRow,
} from '../store/auth'
import type { Db } from '../store/db'
import { inTransaction, recordAudit } from '../store/tx'

export type AuthSettings = Readonly<{
  /** A session ends after this long without a request… */
  sessionIdleMs: number
  /** …and after this long in any case. */
  sessionMaxMs: number
  /** Failed sign-ins within `lockWindowMs` that lock a user name / a client address for `lockWindowMs`. */
  maxFailuresPerUser: number
  maxFailuresPerAddress: number
  lockWindowMs: number
}>

export const DEFAULT_AUTH_SETTINGS: AuthSettings = { sessionIdleMs: 8 * 3600_000, sessionMaxMs: 7 * 24 * 3600_000, maxFailuresPerUser: 5, maxFailuresPerAddress: 30, lockWindowMs: 15 * 60_000 }

export type SignedIn = Readonly<{ sessionToken: string; expiresAt: Date; user: UserView }>

/** Only a hash of every bearer secret (session, API token) is stored. */
export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex')
const newSecret = (prefix: string): string => `${prefix}_${randomBytes(32).toString('base64url')}`

// Spends the same argon2 time when the user name is unknown, so timing gives no hint that it exists.
let dummyHash: Promise<string> | null = null
const dummyPasswordHash = () => (dummyHash ??= argon2Hash(randomBytes(16).toString('hex')))

const LAST_SEEN_RESOLUTION_MS = 60_000

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(hashSecret(a))
  const y = Buffer.from(hashSecret(b))
  return timingSafeEqual(x, y)
}

export function principalOfUser(user: Pick<UserRow, 'id' | 'username' | 'grants'>): Principal {
  return { kind: 'user', id: user.id, name: user.username, grants: user.grants as Grant[] }
}

/**
 * Sign-in, sessions, the one-time setup of the first admin, and the bearer tokens of automation
 * and proxies. Every refusal is 401/403/429 with a message that says what is missing, never whether
 * a user name exists.
 */
export function createAuthService(deps: Readonly<{ db: Db; settings?: AuthSettings; now?: () => Date }>) {
  const { db } = deps
  const settings = deps.settings ?? DEFAULT_AUTH_SETTINGS
  const now = deps.now ?? (() => new Date())
  let setupToken: string | null = null

  async function startSession(user: UserRow, client: { address: string; userAgent: string }): Promise<SignedIn> {
    const sessionToken = newSecret('lgs')
    const expiresAt = new Date(now().getTime() + settings.sessionMaxMs)
    await insertSession(db, { tokenHash: hashSecret(sessionToken), userId: user.id, expiresAt, address: client.address.slice(0, 100), userAgent: client.userAgent.slice(0, 300) })
    return { sessionToken, expiresAt, user: toUserView(user) }
  }

  async function assertNotLocked(username: string, address: string): Promise<void> {
    const since = new Date(now().getTime() - settings.lockWindowMs)
    const counts = await countSignInFailures(db, [`user:${username}`, `addr:${address}`], since)
    const user = counts.get(`user:${username}`)
    const addr = counts.get(`addr:${address}`)
    const locked = (user && user.count >= settings.maxFailuresPerUser ? user.latest : null) ?? (addr && addr.count >= settings.maxFailuresPerAddress ? addr.latest : null)
    if (locked) {
      const minutes = Math.max(1, Math.ceil((locked.getTime() + settings.lockWindowMs - now().getTime()) / 60_000))
      throw new LegationError('AUTH.LOCKED', `too many failed sign-ins for this user name or from this address; try again in ${minutes} minute${minutes === 1 ? '' : 's'}`)
    }
  }

  return {
    /** With no user yet, a fresh one-time setup token (to print in the log); otherwise null. */
    async prepareSetup(): Promise<string | null> {
      if ((await countUsers(db)) > 0) return (setupToken = null)
      return (setupToken = newSecret('setup'))
    },

    async setupRequired(): Promise<boolean> {
      return (await countUsers(db)) === 0
    },

    /** Creates the first admin with the setup token from the log; works once. */
    async setup(input: { token: string; username: string; password: string; address: string; userAgent: string }): Promise<SignedIn> {
      if (setupToken === null || !sameSecret(input.token, setupToken)) {
        if (!(await this.setupRequired())) throw new LegationError('AUTH.SETUP_DONE', 'Legation is already set up; sign in instead')
        throw new LegationError('AUTH.UNAUTHENTICATED', 'the setup token is wrong: use the one this server printed in its log at start', [{ path: 'token', message: 'does not match' }])
      }
      const passwordHash = await argon2Hash(input.password)
      const user = await inTransaction(db, async (tx) => {
        await lockUserSetup(tx)
        if ((await countUsers(tx)) > 0) throw new LegationError('AUTH.SETUP_DONE', 'Legation is already set up; sign in instead')
        const created = await insertUser(tx, { username: input.username, displayName: '', passwordHash, source: 'local', grants: [{ role: 'admin', fleets: '*' }] })
        await recordAudit(tx, { actor: created.username, action: 'auth.setup', fleetName: null, target: `user/${created.username}` })
        return created
      })
      setupToken = null
      return startSession(user, input)
    },

    async signIn(input: { username: string; password: string; address: string; userAgent: string }): Promise<SignedIn> {
      await assertNotLocked(input.username, input.address)
      const user = await findUserByName(db, input.username)
      const ok = await argon2Verify(user?.passwordHash ?? (await dummyPasswordHash()), input.password).catch(() => false)
      if (!user || !ok || user.disabled || user.passwordHash === null) {
        await recordSignInFailure(db, [`user:${input.username}`, `addr:${input.address}`])
        await recordAudit(db, { actor: input.username, action: 'auth.sign-in-failed', fleetName: null, target: `address/${input.address}` })
        throw new LegationError('AUTH.UNAUTHENTICATED', 'wrong user name or password')
      }
      await clearSignInFailures(db, `user:${input.username}`)
      await updateUserRow(db, user.id, { lastSignInAt: now() })
      await recordAudit(db, { actor: user.username, action: 'auth.sign-in', fleetName: null, target: `address/${input.address}` })
      return startSession(user, input)
    },

    async signOut(sessionToken: string): Promise<void> {
      const session = await findSessionByHash(db, hashSecret(sessionToken))
      await deleteSessionByHash(db, hashSecret(sessionToken))
      if (session) await recordAudit(db, { actor: session.user.username, action: 'auth.sign-out', fleetName: null, target: `user/${session.user.username}` })
    },

    /**
     * The user of a session cookie, or null when it is unknown, idle too long, past its end or the user is disabled.
     * A request counts as activity (`touch`, the default); the event feed's periodic re-check does not, so an open
     * tab alone never keeps a session from idling out.
     */
    async authenticateSession(sessionToken: string, options: { touch?: boolean } = {}): Promise<Principal | null> {
      const session = await findSessionByHash(db, hashSecret(sessionToken))
      const at = now()
      if (!session || session.user.disabled) return null
      if (session.expiresAt <= at || session.lastSeenAt.getTime() + settings.sessionIdleMs <= at.getTime()) {
        await deleteSessionByHash(db, hashSecret(sessionToken))
        return null
      }
      if (options.touch !== false && at.getTime() - session.lastSeenAt.getTime() > LAST_SEEN_RESOLUTION_MS) await touchSession(db, session.id, at)
      return principalOfUser(session.user)
    },

    /** An API or proxy token from `Authorization: Bearer`, or null when unknown, revoked or expired; `touch: false` leaves its last use as it is. */
    async authenticateToken(secret: string, options: { touch?: boolean } = {}): Promise<Principal | null> {
      const token = await findTokenByHash(db, hashSecret(secret))
      const at = now()
      if (!token || token.revokedAt || (token.expiresAt && token.expiresAt <= at)) return null
      if (options.touch !== false && (!token.lastUsedAt || at.getTime() - token.lastUsedAt.getTime() > LAST_SEEN_RESOLUTION_MS)) await markTokenUsed(db, token.id, at)
      return { kind: token.kind === 'proxy' ? 'proxy-token' : 'token', id: token.id, name: token.name, grants: token.grants as Grant[] }
    },

    /** LEGATION_BOOTSTRAP_TOKEN: an admin API token given by the operator (Helm, CI), stored hashed once. */
    async ensureBootstrapToken(secret: string): Promise<boolean> {
      if (await findTokenByHash(db, hashSecret(secret))) return false
      try {
        await inTransaction(db, async (tx) => {
          const name = `bootstrap-${hashSecret(secret).slice(0, 8)}`
          await insertToken(tx, { name, tokenHash: hashSecret(secret), kind: 'api', grants: [{ role: 'admin', fleets: '*' }], createdBy: 'LEGATION_BOOTSTRAP_TOKEN', expiresAt: null })
          await recordAudit(tx, { actor: 'legation', action: 'token.create', fleetName: null, target: `token/${name}` })
        })
      } catch (err) {
        // Replicas started together: another one stored the same token a moment ago.
        if (err instanceof LegationError && err.code === 'TOKEN.EXISTS' && (await findTokenByHash(db, hashSecret(secret)))) return false
        throw err
      }
      return true
    },

    // ---- administration (callers have checked that the principal is a global admin)

    async listUsers(): Promise<UserView[]> {
      return (await listUsers(db)).map(toUserView)
    },

    async createUser(input: { username: string; displayName: string; password: string; grants: readonly Grant[]; actor: string }): Promise<UserView> {
      const passwordHash = await argon2Hash(input.password)
      return inTransaction(db, async (tx) => {
        const user = await insertUser(tx, { username: input.username, displayName: input.displayName, passwordHash, source: 'local', grants: input.grants })
        await recordAudit(tx, { actor: input.actor, action: 'user.create', fleetName: null, target: `user/${user.username}`, detail: { grants: input.grants as unknown as object[] } })
        return toUserView(user)
      })
    },

    async updateUser(input: { id: string; displayName?: string; password?: string; grants?: readonly Grant[]; disabled?: boolean; actor: string }): Promise<UserView> {
      const passwordHash = input.password === undefined ? undefined : await argon2Hash(input.password)
      return inTransaction(db, async (tx) => {
        const existing = await findUserById(tx, input.id)
        if (!existing) throw new LegationError('USER.NOT_FOUND', `no user with id '${input.id}'`)
        const user = await updateUserRow(tx, input.id, {
          ...(input.displayName === undefined ? {} : { displayName: input.displayName }),
          ...(passwordHash === undefined ? {} : { passwordHash }),
          ...(input.grants === undefined ? {} : { grants: input.grants }),
          ...(input.disabled === undefined ? {} : { disabled: input.disabled }),
        })
        // A new password or a disabled account ends every session of that user.
        if (passwordHash !== undefined || input.disabled === true) await deleteSessionsOfUser(tx, input.id)
        const changed = [passwordHash !== undefined ? 'password' : null, input.grants ? 'grants' : null, input.disabled !== undefined ? 'disabled' : null, input.displayName !== undefined ? 'displayName' : null].filter((c): c is string => c !== null)
        await recordAudit(tx, { actor: input.actor, action: input.grants ? 'user.roles' : 'user.update', fleetName: null, target: `user/${user.username}`, detail: { changed, ...(input.grants ? { grants: input.grants as unknown as object[] } : {}) } })
        return toUserView(user)
      })
    },

    async deleteUser(input: { id: string; actor: string }): Promise<void> {
      await inTransaction(db, async (tx) => {
        const existing = await findUserById(tx, input.id)
        if (!existing) throw new LegationError('USER.NOT_FOUND', `no user with id '${input.id}'`)
        await deleteUserRow(tx, input.id)
        await recordAudit(tx, { actor: input.actor, action: 'user.delete', fleetName: null, target: `user/${existing.username}` })
      })
    },

    async listTokens(): Promise<TokenView[]> {
      return (await listTokens(db)).map(toTokenView)
    },

    async createToken(input: { name: string; kind: 'api' | 'proxy'; grants: readonly Grant[]; expiresAt: Date | null; actor: string }): Promise<TokenCreated> {
      const secret = newSecret(input.kind === 'proxy' ? 'lgp' : 'lgt')
      const row = await inTransaction(db, async (tx) => {
        const created = await insertToken(tx, { name: input.name, tokenHash: hashSecret(secret), kind: input.kind, grants: input.grants, createdBy: input.actor, expiresAt: input.expiresAt })
        await recordAudit(tx, { actor: input.actor, action: 'token.create', fleetName: null, target: `token/${created.name}`, detail: { kind: input.kind, grants: input.grants as unknown as object[] } })
        return created
      })
      return { token: toTokenView(row), secret }
    },

    async revokeToken(input: { id: string; actor: string }): Promise<TokenView> {
      return inTransaction(db, async (tx) => {
        const existing = (await listTokens(tx)).find((t) => t.id === input.id)
        if (!existing) throw new LegationError('TOKEN.NOT_FOUND', `no token with id '${input.id}'`)
        const row = existing.revokedAt ? existing : await revokeTokenRow(tx, input.id, now())
        await recordAudit(tx, { actor: input.actor, action: 'token.revoke', fleetName: null, target: `token/${row.name}` })
        return toTokenView(row)
      })
    },
  }
}

export type AuthService = ReturnType<typeof createAuthService>
