import { z } from 'zod'
import { ROLES } from '@/server/contract'

// The forms' own schemas: the contract's (UserCreateInput, TokenCreateInput) normalise as they
// parse (trim, lower-case, defaults), which a form must not do under the user's cursor. The server
// parses with the contract again and its issues land at the same field paths.

const USERNAME = /^[a-z0-9][a-z0-9._@-]{0,63}$/
const TOKEN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/

export const GrantRowSchema = z.object({
  role: z.enum(ROLES),
  fleets: z.string().trim().min(1, 'which fleets: * for every fleet, or a name or glob such as edge-*').max(255, 'at most 255 characters'),
})
const Grants = z.array(GrantRowSchema).min(1, 'give at least one role').max(50, 'at most 50 roles')

export const UserCreateFormSchema = z.object({
  username: z
    .string()
    .trim()
    .min(1, 'enter a user name')
    .refine((v) => USERNAME.test(v.toLowerCase()), 'use 1-64 letters, digits, dots, dashes, underscores or @, starting with a letter or digit'),
  displayName: z.string().max(200, 'at most 200 characters'),
  password: z.string().min(12, 'use at least 12 characters').max(256, 'use at most 256 characters'),
  grants: Grants,
})
export type UserCreateFormValues = z.infer<typeof UserCreateFormSchema>

export const UserEditFormSchema = z.object({
  displayName: z.string().max(200, 'at most 200 characters'),
  /** Empty: keep the password. */
  password: z.union([z.literal(''), z.string().min(12, 'use at least 12 characters, or leave it empty to keep the password').max(256, 'use at most 256 characters')]),
  grants: Grants,
  disabled: z.boolean(),
})
export type UserEditFormValues = z.infer<typeof UserEditFormSchema>

export const EXPIRY_CHOICES = ['never', '7', '30', '90', '365', 'date'] as const
export const EXPIRY_LABEL: Readonly<Record<(typeof EXPIRY_CHOICES)[number], string>> = { never: 'Never', '7': 'In 7 days', '30': 'In 30 days', '90': 'In 90 days', '365': 'In a year', date: 'On a date…' }

export const TokenCreateFormSchema = z
  .object({
    name: z.string().trim().min(1, 'name the token after what uses it, e.g. ci-deploy').regex(TOKEN_NAME, 'use 1-64 letters, digits, dots, dashes or underscores'),
    kind: z.enum(['api', 'proxy']),
    grants: Grants,
    expiry: z.enum(EXPIRY_CHOICES),
    /** yyyy-mm-dd, with expiry 'date'. */
    expiresOn: z.string(),
  })
  .refine((v) => v.expiry !== 'date' || /^\d{4}-\d{2}-\d{2}$/.test(v.expiresOn), { path: ['expiresOn'], message: 'pick the day it stops working' })
export type TokenCreateFormValues = z.infer<typeof TokenCreateFormSchema>

/** The expiry the form chose as an ISO time at `now` (undefined: never); a date ends at that day's local midnight. */
export function expiresAtOf(values: Pick<TokenCreateFormValues, 'expiry' | 'expiresOn'>, now: number): string | undefined {
  if (values.expiry === 'never') return undefined
  if (values.expiry === 'date') {
    const [y, m, d] = values.expiresOn.split('-').map(Number) as [number, number, number]
    return new Date(y, m - 1, d + 1).toISOString()
  }
  return new Date(now + Number(values.expiry) * 86_400_000).toISOString()
}
