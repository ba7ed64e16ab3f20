import { z } from 'zod'

export const ROLES = ['viewer', 'editor', 'admin'] as const
/** viewer: read everything but secret material; editor: also edit drafts, commit, roll back; admin: also users, tokens, fleets. */
export const RoleSchema = z.enum(ROLES)
export type Role = z.infer<typeof RoleSchema>

/** A role on the fleets whose names match a glob (`*`: every fleet, and the global settings). */
export const GrantSchema = z.strictObject({ role: RoleSchema, fleets: z.string().min(1).max(255).default('*') }).readonly()
export type Grant = z.infer<typeof GrantSchema>

const Username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._@-]{0,63}$/, 'use 1-64 letters, digits, dots, dashes, underscores or @, starting with a letter or digit')
/** Long passphrases welcome; the upper bound keeps argon2 work per request bounded. */
const Password = z.string().min(12, 'use at least 12 characters').max(256, 'use at most 256 characters')

/** POST /auth/setup: the first admin, with the one-time token from the server log. */
export const SetupInput = z.strictObject({ token: z.string().min(1, 'paste the setup token from the server log'), username: Username, password: Password })
/** POST /auth/sign-in */
export const SignInInput = z.strictObject({ username: z.string().trim().toLowerCase().min(1, 'enter your user name').max(64), password: z.string().min(1, 'enter your password').max(256) })

/** GET /auth/me: who the caller is, and whether the console should offer setup or SSO. */
export const MeSchema = z
  .object({
    principal: z.object({ kind: z.enum(['user', 'token']), name: z.string(), grants: z.array(GrantSchema) }).readonly().nullable(),
    setupRequired: z.boolean(),
    sso: z.object({ enabled: z.boolean(), label: z.string() }).readonly(),
  })
  .readonly()
export type Me = z.infer<typeof MeSchema>

export const UserCreateInput = z.strictObject({ username: Username, displayName: z.string().max(200).default(''), password: Password, grants: z.array(GrantSchema).min(1, 'give the user at least one role').max(50) })
export const UserUpdateInput = z.strictObject({ displayName: z.string().max(200).optional(), password: Password.optional(), grants: z.array(GrantSchema).min(1).max(50).optional(), disabled: z.boolean().optional() })

export const UserViewSchema = z
  .object({ id: z.string(), username: z.string(), displayName: z.string(), source: z.string(), grants: z.array(GrantSchema), disabled: z.boolean(), createdAt: z.string(), lastSignInAt: z.string().nullable() })
  .readonly()
export type UserView = z.infer<typeof UserViewSchema>

export const TOKEN_KINDS = ['api', 'proxy'] as const
/** POST /tokens: an API token (service account) or a proxy token (xDS credential for the fleets it names). */
export const TokenCreateInput = z.strictObject({
  name: z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'use 1-64 letters, digits, dots, dashes or underscores'),
  kind: z.enum(TOKEN_KINDS).default('api'),
  grants: z.array(GrantSchema).min(1, 'give the token at least one role').max(50),
  /** ISO time; unset: never expires. */
  expiresAt: z.iso.datetime({ offset: true }).optional(),
})
export const TokenViewSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(TOKEN_KINDS),
    grants: z.array(GrantSchema),
    createdBy: z.string(),
    createdAt: z.string(),
    expiresAt: z.string().nullable(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .readonly()
export type TokenView = z.infer<typeof TokenViewSchema>
/** The answer to POST /tokens: the secret is in it once and never again. */
export const TokenCreatedSchema = z.object({ token: TokenViewSchema, secret: z.string() }).readonly()
export type TokenCreated = z.infer<typeof TokenCreatedSchema>

/** Longer `next` values are dropped rather than cut (a cut path would land somewhere else). */
const MAX_RETURN_PATH = 2048
const SAFE_ORIGIN = 'http://legation.invalid'

/**
 * Where to go after sign-in (`?next=` on /login, the SSO login's return address): a path of this
 * console, or null. Only a relative path that starts with exactly one '/' and is printable ASCII:
 * never a scheme (`https:`, `javascript:`), never protocol-relative (`//host`), and no backslash or
 * control character, which browsers turn into '/' or drop (`/\host`, `/<TAB>/host` both mean `//host`).
 * It must also be in the normal form a browser's own location has (no dot segments: `/..//host`
 * resolves to the path `//host`), and stay on this origin. (OWASP "Unvalidated Redirects".)
 */
export function safeReturnPath(value: string | null | undefined): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_RETURN_PATH) return null
  if (!/^\/(?![/\\])[\x21-\x7e]*$/.test(value) || value.includes('\\')) return null
  try {
    const url = new URL(value, SAFE_ORIGIN)
    return url.origin === SAFE_ORIGIN && `${url.pathname}${url.search}${url.hash}` === value && !url.pathname.startsWith('//') ? value : null
  } catch {
    return null
  }
}
