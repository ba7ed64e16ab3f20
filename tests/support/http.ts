import { TEST_ADMIN_TOKEN } from './credentials'

export type ApiResponse<T = unknown> = Readonly<{ status: number; headers: Headers; body: T; text: string }>

export type ApiClient = <T = Record<string, unknown>>(method: string, path: string, options?: { body?: unknown; raw?: string; headers?: Record<string, string> }) => Promise<ApiResponse<T>>

/**
 * Minimal JSON client for the product's HTTP API, as `curl` would use it, with a bearer token (the
 * test servers' admin token unless another, or `null` for none, is given).
 */
export function apiClient(baseUrl: string, token: string | null = TEST_ADMIN_TOKEN): ApiClient {
  return async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...(token === null ? {} : { authorization: `Bearer ${token}` }), ...(options.headers ?? {}) }
    let body: string | undefined
    if (options.raw !== undefined) body = options.raw
    else if (options.body !== undefined) {
      body = JSON.stringify(options.body)
      headers['content-type'] ??= 'application/json'
    }
    const res = await fetch(`${baseUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body }) })
    const text = await res.text()
    let parsed: unknown = text
    try {
      parsed = text ? JSON.parse(text) : null
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, headers: res.headers, body: parsed as never, text }
  }
}
