/**
 * The admin API token every test server gets (as LEGATION_BOOTSTRAP_TOKEN, stored hashed at start),
 * and that apiClient sends unless told otherwise. Tests of access control build their own principals.
 */
export const TEST_ADMIN_TOKEN = 'lgt_integration-tests-admin-token-0123456789'

export const adminHeaders = (): Record<string, string> => ({ authorization: `Bearer ${TEST_ADMIN_TOKEN}` })

export type Grant = Readonly<{ role: 'viewer' | 'editor' | 'admin'; fleets: string }>
export const TEST_PASSWORD = 'correct horse battery staple'

/**
 * Creates a local user (with the admin token) and signs it in as a browser would: the answer's
 * session cookie, and the same-origin Origin header that cookie-borne writes need.
 */
export async function signInAs(baseUrl: string, username: string, grants: readonly Grant[] = [{ role: 'editor', fleets: '*' }]): Promise<Record<string, string>> {
  const created = await fetch(`${baseUrl}/api/v1/users`, { method: 'POST', headers: { ...adminHeaders(), 'content-type': 'application/json' }, body: JSON.stringify({ username, password: TEST_PASSWORD, grants }) })
  if (created.status !== 201 && created.status !== 409) throw new Error(`creating user ${username}: ${created.status} ${await created.text()}`)
  const res = await fetch(`${baseUrl}/api/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json', origin: baseUrl }, body: JSON.stringify({ username, password: TEST_PASSWORD }) })
  if (res.status !== 200) throw new Error(`signing in ${username}: ${res.status} ${await res.text()}`)
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!
  return { cookie, origin: baseUrl }
}

/** Signs the browser page's context in as `username` (an editor on every fleet unless `grants` say otherwise). */
export async function signInBrowser(page: { context: () => { addCookies: (cookies: Array<{ name: string; value: string; url: string }>) => Promise<void> } }, baseUrl: string, username = 'operator', grants?: readonly Grant[]): Promise<void> {
  const cookie = (await signInAs(baseUrl, username, grants ?? [{ role: 'admin', fleets: '*' }]))['cookie'] ?? ''
  const eq = cookie.indexOf('=')
  await page.context().addCookies([{ name: cookie.slice(0, eq), value: cookie.slice(eq + 1), url: baseUrl }])
}
