import type { Grant, TokenView, UserView } from '../contract'
import { LegationError } from '../errors'
import type { Db, Prisma } from './db'
import { isUniqueViolation, type Tx } from './tx'

type Reader = Db | Tx

export type UserRow = Readonly<{ id: string; username: string; displayName: string; passwordHash: string | null; source: string; grants: unknown; disabled: boolean; createdAt: Date; lastSignInAt: Date | null }>
export type TokenRow = Readonly<{ id: string; name: string; kind: string; grants: unknown; createdBy: string; createdAt: Date; expiresAt: Date | null; lastUsedAt: Date | null; revokedAt: Date | null }>

export function toUserView(u: UserRow): UserView {
  return { id: u.id, username: u.username, displayName: u.displayName, source: u.source, grants: u.grants as Grant[], disabled: u.disabled, createdAt: u.createdAt.toISOString(), lastSignInAt: u.lastSignInAt?.toISOString() ?? null }
}

export function toTokenView(t: TokenRow): TokenView {
  return {
    id: t.id,
    name: t.name,
    kind: t.kind as TokenView['kind'],
    grants: t.grants as Grant[],
    createdBy: t.createdBy,
    createdAt: t.createdAt.toISOString(),
    expiresAt: t.expiresAt?.toISOString() ?? null,
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
  }
}

const json = (grants: readonly Grant[]) => grants as unknown as Prisma.InputJsonValue

export async function countUsers(db: Reader): Promise<number> {
  return db.user.count()
}

export function findUserByName(db: Reader, username: string): Promise<UserRow | null> {
  return db.user.findUnique({ where: { username } })
}

export function findUserById(db: Reader, id: string): Promise<UserRow | null> {
  return db.user.findUnique({ where: { id } })
}

export async function listUsers(db: Reader): Promise<UserRow[]> {
  return db.user.findMany({ orderBy: { username: 'asc' } })
}

export async function insertUser(tx: Tx, user: { username: string; displayName: string; passwordHash: string | null; source: 'local' | 'oidc'; grants: readonly Grant[] }): Promise<UserRow> {
  try {
    return await tx.user.create({ data: { ...user, grants: json(user.grants) } })
  } catch (err) {
    if (isUniqueViolation(err)) throw new LegationError('USER.EXISTS', `a user named '${user.username}' already exists`, [{ path: 'username', message: 'already exists' }])
    throw err
  }
}

export function updateUserRow(tx: Tx, id: string, change: { displayName?: string; passwordHash?: string; grants?: readonly Grant[]; disabled?: boolean; lastSignInAt?: Date }): Promise<UserRow> {
  const { grants, ...rest } = change
  return tx.user.update({ where: { id }, data: { ...rest, ...(grants ? { grants: json(grants) } : {}) } })
}

export async function deleteUserRow(tx: Tx, id: string): Promise<void> {
  await tx.user.delete({ where: { id } })
}

/** Serialises first-admin setup across replicas: the check "no user yet" and the insert happen under it. */
export async function lockUserSetup(tx: Tx): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('legation.user-setup'))`
}

// ---- sessions

export type SessionRow = Readonly<{ id: string; userId: string; createdAt: Date; lastSeenAt: Date; expiresAt: Date; user: UserRow }>

export function insertSession(db: Reader, s: { tokenHash: string; userId: string; expiresAt: Date; address: string; userAgent: string }): Promise<{ id: string }> {
  return db.session.create({ data: s, select: { id: true } })
}

export function findSessionByHash(db: Reader, tokenHash: string): Promise<SessionRow | null> {
  return db.session.findUnique({ where: { tokenHash }, include: { user: true } })
}

export async function touchSession(db: Reader, id: string, at: Date): Promise<void> {
  await db.session.updateMany({ where: { id }, data: { lastSeenAt: at } })
}

export async function deleteSessionByHash(db: Reader, tokenHash: string): Promise<void> {
  await db.session.deleteMany({ where: { tokenHash } })
}

export async function deleteSessionsOfUser(db: Reader, userId: string): Promise<void> {
  await db.session.deleteMany({ where: { userId } })
}

// ---- tokens

export async function insertToken(tx: Tx, t: { name: string; tokenHash: string; kind: string; grants: readonly Grant[]; createdBy: string; expiresAt: Date | null }): Promise<TokenRow> {
  try {
    return await tx.apiToken.create({ data: { ...t, grants: json(t.grants) } })
  } catch (err) {
    if (isUniqueViolation(err)) throw new LegationError('TOKEN.EXISTS', `a token named '${t.name}' already exists`, [{ path: 'name', message: 'already exists' }])
    throw err
  }
}

export function findTokenByHash(db: Reader, tokenHash: string): Promise<TokenRow | null> {
  return db.apiToken.findUnique({ where: { tokenHash } })
}

export function findTokenByName(db: Reader, name: string): Promise<TokenRow | null> {
  return db.apiToken.findUnique({ where: { name } })
}

export function listTokens(db: Reader): Promise<TokenRow[]> {
  return db.apiToken.findMany({ orderBy: { createdAt: 'desc' } })
}

export function revokeTokenRow(tx: Tx, id: string, at: Date): Promise<TokenRow> {
  return tx.apiToken.update({ where: { id }, data: { revokedAt: at } })
}

export async function markTokenUsed(db: Reader, id: string, at: Date): Promise<void> {
  await db.apiToken.updateMany({ where: { id }, data: { lastUsedAt: at } })
}

// ---- sign-in throttling

export async function recordSignInFailure(db: Reader, keys: readonly string[]): Promise<void> {
  await db.signInFailure.createMany({ data: keys.map((key) => ({ key })) })
}

/** Failures per key since `since`, and the latest one. */
export async function countSignInFailures(db: Reader, keys: readonly string[], since: Date): Promise<Map<string, { count: number; latest: Date }>> {
  const rows = await db.signInFailure.groupBy({ by: ['key'], where: { key: { in: [...keys] }, at: { gte: since } }, _count: { _all: true }, _max: { at: true } })
  return new Map(rows.map((r) => [r.key, { count: r._count._all, latest: r._max.at ?? since }]))
}

export async function clearSignInFailures(db: Reader, key: string): Promise<void> {
  await db.signInFailure.deleteMany({ where: { key } })
}

export async function pruneAuthRows(db: Db, now: Date): Promise<void> {
  await db.signInFailure.deleteMany({ where: { at: { lt: new Date(now.getTime() - 60 * 60_000) } } })
  await db.session.deleteMany({ where: { expiresAt: { lt: now } } })
  await db.oidcLogin.deleteMany({ where: { createdAt: { lt: new Date(now.getTime() - 15 * 60_000) } } })
}

// ---- OIDC logins in flight

export async function insertOidcLogin(db: Reader, login: { state: string; codeVerifier: string; nonce: string; returnTo: string }): Promise<void> {
  await db.oidcLogin.create({ data: login })
}

/** Takes the login for `state` out (one use only): a replayed callback finds nothing. */
export async function takeOidcLogin(db: Reader, state: string): Promise<{ codeVerifier: string; nonce: string; returnTo: string; createdAt: Date } | null> {
  const rows = await db.$queryRaw<Array<{ code_verifier: string; nonce: string; return_to: string; created_at: Date }>>`DELETE FROM oidc_login WHERE state = ${state} RETURNING code_verifier, nonce, return_to, created_at`
  const row = rows[0]
  return row ? { codeVerifier: row.code_verifier, nonce: row.nonce, returnTo: row.return_to, createdAt: row.created_at } : null
}
