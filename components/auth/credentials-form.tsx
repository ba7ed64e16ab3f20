'use client'

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import Link from 'next/link'
import { useRouter, useSearchParams } from 'next/navigation'
import { useState, type FormEvent } from 'react'
import { safeReturnPath } from '@/server/contract'
import { apiFetch, ApiError } from '../api'
import { Brand } from '../shell/brand'
import { Button } from '../ui/button'
import { inputClass } from '../forms/fields'
import { authQueries } from './queries'

type Mode = 'sign-in' | 'setup'

const TEXT: Record<Mode, { title: string; intro: string; submit: string; path: string }> = {
  'sign-in': { title: 'Sign in', intro: 'Sign in to change routing, commit versions and watch proxies.', submit: 'Sign in', path: '/api/v1/auth/sign-in' },
  setup: {
    title: 'Set up Legation',
    intro: 'No user exists yet. Create the first admin with the one-time setup token that the server printed in its log when it started.',
    submit: 'Create admin and sign in',
    path: '/api/v1/auth/setup',
  },
}

/** The sign-in page and the first-run setup page: the same form, with the setup token on the second. */
export function CredentialsForm({ mode }: Readonly<{ mode: Mode }>) {
  const router = useRouter()
  const queryClient = useQueryClient()
  // Where the visitor was going (server/http/sign-in-location.ts): only ever a path of this console, never another site.
  const returnTo = safeReturnPath(useSearchParams().get('next')) ?? '/'
  const [values, setValues] = useState({ token: '', username: '', password: '' })
  const text = TEXT[mode]
  const sso = useQuery({ ...authQueries.me(), enabled: mode === 'sign-in' }).data?.sso
  const submit = useMutation({
    mutationFn: () => apiFetch(text.path, { method: 'POST', body: mode === 'setup' ? values : { username: values.username, password: values.password } }),
    onSuccess: () => {
      // The tab's cache may hold answers for nobody (or a previous user): the console starts afresh for this one.
      queryClient.clear()
      router.replace(returnTo)
      router.refresh()
    },
  })
  const error = submit.error instanceof ApiError ? submit.error : submit.error ? new ApiError(0, 'UNKNOWN', submit.error.message) : null
  const fieldError = (name: string) => error?.issues.find((i) => i.path === name)?.message
  const onSubmit = (e: FormEvent) => {
    e.preventDefault()
    submit.mutate()
  }
  const field = (name: keyof typeof values, label: string, type: string, autoComplete: string) => (
    <div>
      <label htmlFor={name} className="mb-1 block text-xs font-medium text-fg-muted">
        {label}
      </label>
      <input
        id={name}
        name={name}
        type={type}
        autoComplete={autoComplete}
        required
        className={inputClass}
        value={values[name]}
        onChange={(e) => setValues((v) => ({ ...v, [name]: e.target.value }))}
        aria-invalid={fieldError(name) ? true : undefined}
      />
      {fieldError(name) ? <p className="mt-1 text-xs text-red-700 dark:text-red-300">{fieldError(name)}</p> : null}
    </div>
  )
  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <form onSubmit={onSubmit} className="w-full max-w-sm space-y-4 rounded-lg border border-line bg-surface p-6 shadow-sm" aria-labelledby="auth-title">
        <Brand />
        <h1 id="auth-title" className="text-lg font-semibold">
          {text.title}
        </h1>
        <p className="text-sm text-fg-muted">{text.intro}</p>
        {mode === 'setup' ? field('token', 'Setup token', 'password', 'one-time-code') : null}
        {field('username', 'User name', 'text', 'username')}
        {field('password', mode === 'setup' ? 'Password (at least 12 characters)' : 'Password', 'password', mode === 'setup' ? 'new-password' : 'current-password')}
        {error ? (
          <p role="alert" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 first-letter:uppercase dark:border-red-800 dark:bg-red-950 dark:text-red-200">
            {error.message}
            {/* Someone else finished the setup while this page was open: the token is spent, and signing in is the way on. */}
            {error.code === 'AUTH.SETUP_DONE' ? (
              <>
                {' '}
                <Link href="/login" className="font-medium underline underline-offset-2">
                  Go to sign-in
                </Link>
              </>
            ) : null}
          </p>
        ) : null}
        <Button type="submit" variant="primary" className="w-full" disabled={submit.isPending}>
          {submit.isPending ? 'Please wait…' : text.submit}
        </Button>
        {sso?.enabled ? (
          <a
            href={`/api/v1/auth/oidc/start?${new URLSearchParams({ next: returnTo }).toString()}`}
            className="flex h-8 w-full items-center justify-center rounded-md border border-line-strong bg-surface text-sm font-medium text-fg hover:bg-surface-muted focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent"
          >
            Sign in with {sso.label}
          </a>
        ) : null}
      </form>
    </main>
  )
}
