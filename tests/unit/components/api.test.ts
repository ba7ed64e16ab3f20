// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

/*
 * components/api.ts when a session ends while a console tab is open: the first 401 sends the tab to
 * the sign-in page with the page it shows as `next`, once, and the refused calls do not surface as
 * errors; the sign-in calls themselves and the sign-in page keep their 401s as errors.
 */

type Api = typeof import('../../../components/api')

let replace: ReturnType<typeof vi.fn<(url: string | URL) => void>>
let answers: Map<string, number>

/** A fresh module (its "already leaving" state starts empty) with the tab at `at`. */
async function loadAt(at: string): Promise<Api> {
  vi.resetModules()
  window.history.replaceState(null, '', at)
  return import('../../../components/api')
}

/** Settles within a macrotask, or says it is still pending. */
async function outcome<T>(promise: Promise<T>): Promise<{ state: 'resolved'; value: T } | { state: 'rejected'; error: unknown } | { state: 'pending' }> {
  const pending = Symbol('pending')
  const settled = await Promise.race([promise.then((value) => ({ state: 'resolved' as const, value }), (error: unknown) => ({ state: 'rejected' as const, error })), new Promise<typeof pending>((resolve) => setTimeout(() => resolve(pending), 20))])
  return settled === pending ? { state: 'pending' } : settled
}

beforeEach(() => {
  replace = vi.fn<(url: string | URL) => void>()
  vi.spyOn(window.location, 'replace').mockImplementation(replace)
  answers = new Map()
  vi.stubGlobal(
    'fetch',
    vi.fn(async (path: string) => {
      const status = answers.get(path) ?? 200
      return status === 200 ? Response.json({ ok: true }) : Response.json({ error: { code: 'AUTH.UNAUTHENTICATED', message: 'your session has ended; sign in again', issues: [] } }, { status })
    }),
  )
})

afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

describe('apiFetch after the session ended', () => {
  it('goes to /login?next=<the page and its query> once, however many calls are refused, and none of them fails', async () => {
    const api = await loadAt('/fleets/edge-1/resources?kind=clusters')
    answers.set('/api/v1/fleets', 401).set('/api/v1/proxies/summary', 401)
    const calls = [api.apiFetch('/api/v1/fleets'), api.apiFetch('/api/v1/proxies/summary'), api.apiFetch('/api/v1/fleets')]
    for (const call of calls) expect(await outcome(call)).toEqual({ state: 'pending' })
    expect(replace.mock.calls).toEqual([[`/login?${new URLSearchParams({ next: '/fleets/edge-1/resources?kind=clusters' }).toString()}`]])
  })

  it('adds no next on the overview', async () => {
    const api = await loadAt('/')
    answers.set('/api/v1/fleets', 401)
    expect(await outcome(api.apiFetch('/api/v1/fleets'))).toEqual({ state: 'pending' })
    expect(replace.mock.calls).toEqual([['/login']])
  })

  it('lets a cancelled call go (React Query cancels with its signal when a page unmounts)', async () => {
    const api = await loadAt('/proxies')
    answers.set('/api/v1/proxies', 401)
    const controller = new AbortController()
    const call = api.apiFetch('/api/v1/proxies', { signal: controller.signal })
    expect(await outcome(call)).toEqual({ state: 'pending' })
    controller.abort(new DOMException('cancelled', 'AbortError'))
    expect(await outcome(call)).toMatchObject({ state: 'rejected', error: { name: 'AbortError' } })
    expect(replace).toHaveBeenCalledTimes(1)
  })

  it('keeps the 401 of a sign-in as an error (a wrong password), and stays on the page', async () => {
    const api = await loadAt('/fleets/edge-1/resources')
    answers.set('/api/v1/auth/sign-in', 401)
    const result = await outcome(api.apiFetch('/api/v1/auth/sign-in', { method: 'POST', body: { username: 'a', password: 'b' } }))
    expect(result).toMatchObject({ state: 'rejected', error: { status: 401, code: 'AUTH.UNAUTHENTICATED' } })
    expect(replace).not.toHaveBeenCalled()
  })

  it('does not leave the sign-in or setup page for a 401 there (no loop)', async () => {
    for (const page of ['/login?next=%2Faudit', '/setup']) {
      const api = await loadAt(page)
      answers.set('/api/v1/fleets', 401)
      expect(await outcome(api.apiFetch('/api/v1/fleets'))).toMatchObject({ state: 'rejected', error: { status: 401 } })
    }
    expect(replace).not.toHaveBeenCalled()
  })

  it('throws other refusals as before: a 403 is an error shown where it happened', async () => {
    const api = await loadAt('/fleets/core/changes')
    answers.set('/api/v1/fleets/core/commit', 403)
    expect(await outcome(api.apiFetch('/api/v1/fleets/core/commit', { method: 'POST', body: {} }))).toMatchObject({ state: 'rejected', error: { status: 403 } })
    expect(replace).not.toHaveBeenCalled()
  })
})

describe('goToSignIn (sign-out)', () => {
  it('goes to /login without next, and a 401 on the way there adds none', async () => {
    const api = await loadAt('/audit')
    void api.goToSignIn(null)
    answers.set('/api/v1/audit', 401)
    expect(await outcome(api.apiFetch('/api/v1/audit'))).toEqual({ state: 'pending' })
    expect(replace.mock.calls).toEqual([['/login']])
  })
})
