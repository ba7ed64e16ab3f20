import { queryOptions } from '@tanstack/react-query'
import type { Grant, TokenCreated, TokenView, UserView } from '@/server/contract'
import { apiFetch, apiPath } from '../api'

/** ['users', …] and ['tokens', …]: admin only (a `*` admin grant); the console asks only then. */
export const userQueries = {
  all: () => ['users'] as const,
  list: () => queryOptions({ queryKey: [...userQueries.all(), 'list'] as const, queryFn: async ({ signal }) => (await apiFetch<{ users: UserView[] }>(apiPath('users'), { signal })).users }),
}

export const tokenQueries = {
  all: () => ['tokens'] as const,
  list: () => queryOptions({ queryKey: [...tokenQueries.all(), 'list'] as const, queryFn: async ({ signal }) => (await apiFetch<{ tokens: TokenView[] }>(apiPath('tokens'), { signal })).tokens }),
}

export type UserCreateBody = Readonly<{ username: string; displayName: string; password: string; grants: readonly Grant[] }>
export type UserUpdateBody = Readonly<{ displayName?: string; password?: string; grants?: readonly Grant[]; disabled?: boolean }>
export type TokenCreateBody = Readonly<{ name: string; kind: 'api' | 'proxy'; grants: readonly Grant[]; expiresAt?: string }>

export const createUser = (body: UserCreateBody) => apiFetch<UserView>(apiPath('users'), { method: 'POST', body })
export const updateUser = (id: string, body: UserUpdateBody) => apiFetch<UserView>(apiPath('users', id), { method: 'PATCH', body })
export const deleteUser = (id: string) => apiFetch<null>(apiPath('users', id), { method: 'DELETE' })
/** The answer holds the secret, once: it is shown and dropped, never put in the query cache. */
export const createToken = (body: TokenCreateBody) => apiFetch<TokenCreated>(apiPath('tokens'), { method: 'POST', body })
export const revokeToken = (id: string) => apiFetch<TokenView>(apiPath('tokens', id), { method: 'DELETE' })
