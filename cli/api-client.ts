import { ApiErrorBodySchema, type ApiErrorBody } from '../server/contract'
import { CliError, type CliConfig } from './config-file'

export type RequestOptions = Readonly<{
  query?: Record<string, string | undefined>
  /** Sent as JSON. */
  json?: unknown
  /** Sent as is, with `contentType`. */
  text?: string
  contentType?: string
  headers?: Record<string, string>
}>

export type ApiResponse = Readonly<{ status: number; headers: Headers; text: string }>

/** An error answer of the API, `{error: {code, message, issues}}`, kept whole so callers can print its details. */
export class ApiCallError extends CliError {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody['error'],
  ) {
    super(formatApiError(status, body))
  }
}

/** The API's message, then one line per issue (`path: message`), as the console lists them. */
export function formatApiError(status: number, error: ApiErrorBody['error']): string {
  const lines = [`${error.message} (${status} ${error.code})`]
  for (const issue of error.issues) lines.push(`  ${issue.resource ? `${issue.resource.type}/${issue.resource.name} ` : ''}${issue.path ? `${issue.path}: ` : ''}${issue.message}`)
  return lines.join('\n')
}

export type ApiClient = Readonly<{
  baseUrl: string
  request: (method: string, path: string, options?: RequestOptions) => Promise<ApiResponse>
  json: <T>(method: string, path: string, options?: RequestOptions) => Promise<T>
}>

/** Only the HTTP API: the CLI works against any Legation it can reach, with an API token. */
export function createApiClient(config: CliConfig, fetchImpl: typeof fetch = fetch): ApiClient {
  const request = async (method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse> => {
    const url = new URL(`${config.url}/api/v1${path}`)
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) url.searchParams.set(k, v)
    const headers: Record<string, string> = { authorization: `Bearer ${config.token}`, accept: 'application/json', ...options.headers }
    let body: string | undefined
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json'
      body = JSON.stringify(options.json)
    } else if (options.text !== undefined) {
      headers['content-type'] = options.contentType ?? 'text/plain'
      body = options.text
    }
    let res: Response
    try {
      res = await fetchImpl(url, { method, headers, ...(body === undefined ? {} : { body }) })
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause
      throw new CliError(`cannot reach ${config.url}: ${cause?.code ?? cause?.message ?? (err as Error).message}`)
    }
    const text = await res.text()
    if (res.status >= 400) {
      let parsed: unknown = null
      try {
        parsed = JSON.parse(text)
      } catch {
        // not the API's error shape: a proxy in front of it, or not a Legation at all
      }
      const error = ApiErrorBodySchema.safeParse(parsed)
      if (error.success) throw new ApiCallError(res.status, error.data.error)
      throw new CliError(`${method} ${url.pathname} answered ${res.status} ${res.statusText}${text ? `: ${text.slice(0, 500)}` : ''}`)
    }
    return { status: res.status, headers: res.headers, text }
  }
  return {
    baseUrl: config.url,
    request,
    json: async <T>(method: string, path: string, options?: RequestOptions): Promise<T> => {
      const res = await request(method, path, options)
      try {
        return JSON.parse(res.text) as T
      } catch {
        throw new CliError(`${method} ${path} did not answer JSON; is ${config.url} a Legation server?`)
      }
    },
  }
}

export const fleetPath = (fleet: string, rest = ''): string => `/fleets/${encodeURIComponent(fleet)}${rest}`
