import http from 'node:http'
import { expect } from 'vitest'
import { adminHeaders } from './credentials'

export type RawResponse = Readonly<{ status: number; headers: http.IncomingHttpHeaders; text: string; json: unknown }>

/**
 * One HTTP request with the path sent byte for byte as given (fetch and URL normalise `..`, `%2e`
 * and bad escapes before they reach the wire; a hostile client does not). Admin token by default.
 * Never follows redirects.
 */
export function rawRequest(baseUrl: string, method: string, path: string, options: { body?: string; headers?: Record<string, string>; timeoutMs?: number } = {}): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl)
  const headers: Record<string, string> = { ...adminHeaders(), ...(options.body === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(options.body)) }), ...(options.headers ?? {}) }
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port: Number(port), method, path, headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        let json: unknown = undefined
        try {
          json = text ? (JSON.parse(text) as unknown) : undefined
        } catch {
          /* not JSON */
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json })
      })
      res.on('error', reject)
    })
    req.setTimeout(options.timeoutMs ?? 10_000, () => req.destroy(new Error(`${method} ${path}: no answer within ${options.timeoutMs ?? 10_000} ms`)))
    req.on('error', reject)
    if (options.body !== undefined) req.write(options.body)
    req.end()
  })
}

/** The API's error shape: `{"error": {"code", "message", "issues": [{"path", "message"}]}}`. */
export function expectApiError(res: { status: number; text: string }, status: number | ((s: number) => boolean), code?: string): { code: string; message: string; issues: Array<{ path: string; message: string }> } {
  const what = `${res.status} ${res.text.slice(0, 300)}`
  if (typeof status === 'number') expect(res.status, what).toBe(status)
  else expect(status(res.status), what).toBe(true)
  let body: unknown
  try {
    body = JSON.parse(res.text) as unknown
  } catch {
    throw new Error(`not JSON: ${what}`)
  }
  const error = (body as { error?: unknown }).error as { code: unknown; message: unknown; issues: unknown } | undefined
  expect(error, what).toBeTypeOf('object')
  expect(typeof error!.code, what).toBe('string')
  expect(typeof error!.message, what).toBe('string')
  expect(Array.isArray(error!.issues), what).toBe(true)
  for (const issue of error!.issues as Array<Record<string, unknown>>) {
    expect(typeof issue['path'], what).toBe('string')
    expect(typeof issue['message'], what).toBe('string')
  }
  if (code !== undefined) expect(error!.code, what).toBe(code)
  return error as { code: string; message: string; issues: Array<{ path: string; message: string }> }
}
