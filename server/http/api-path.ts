/**
 * Paths under /api/ must be in normal form before Next sees them. Next normalises a path it does
 * not like with a 308 redirect: `…/draft/clusters/%2E%2E` to `…/draft`, so a client that follows
 * redirects turned `DELETE` of a resource named `%2E%2E` into `DELETE` of the whole draft (#16 item 4).
 * And it answers a malformed escape with a plain-text 500. So here every non-canonical API path is
 * refused with a 400 in the API's error shape, and no API path ever gets a redirect.
 */
export type ApiPathProblem = Readonly<{ status: 400; code: 'REQUEST.BAD_PATH'; message: string }>

const problem = (message: string): ApiPathProblem => ({ status: 400, code: 'REQUEST.BAD_PATH', message })

/** `/api`, `/api/…` and the same with extra leading slashes (`//api/…`), which Next would also redirect. */
export function isApiPath(url: string): boolean {
  return /^\/+api(?:[/?\\#]|$)/.test(url)
}

/** %XX escapes that are not two hex digits. */
const MALFORMED_ESCAPE = /%(?![0-9A-Fa-f]{2})/
/** NUL and the other C0 controls and DEL: PostgreSQL cannot store NUL, and none belongs in a name. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001F\u007F]/

function decode(text: string): string | null {
  try {
    return decodeURIComponent(text)
  } catch {
    return null
  }
}

/**
 * Null when `url` (the request target as received, path and query) is fine for the API; otherwise
 * why not. Dot segments count raw (`..`) or percent-encoded in any case (`%2E%2e`, `.%2E`).
 */
export function checkApiPath(url: string): ApiPathProblem | null {
  const queryAt = url.search(/[?#]/)
  const path = queryAt < 0 ? url : url.slice(0, queryAt)
  const query = queryAt < 0 ? '' : url.slice(queryAt + 1)
  if (MALFORMED_ESCAPE.test(path)) return problem('the path has a malformed percent-escape (a % must be followed by two hex digits)')
  if (MALFORMED_ESCAPE.test(query)) return problem('the query has a malformed percent-escape (a % must be followed by two hex digits)')
  // WHATWG URL parsing (Next's) treats a backslash like a slash.
  if (path.includes('\\')) return problem('the path contains a backslash; separate segments with /')
  const segments = path.split('/').slice(1)
  for (const [i, segment] of segments.entries()) {
    const decoded = decode(segment)
    if (decoded === null) return problem(`path segment ${i + 1} is not valid UTF-8 after percent-decoding (a malformed escape)`)
    if (decoded === '.' || decoded === '..') return problem(`the path contains a dot segment ('${segment}'); resource names cannot be '.' or '..'`)
    if (segment === '') return problem(i === segments.length - 1 ? 'the path ends with a slash; remove it' : 'the path contains an empty segment (//)')
    if (CONTROL.test(decoded)) return problem(`path segment ${i + 1} contains a control character (such as NUL)`)
  }
  const decodedQuery = decode(query.replace(/\+/g, ' '))
  if (decodedQuery === null) return problem('the query is not valid UTF-8 after percent-decoding (a malformed escape)')
  if (CONTROL.test(decodedQuery)) return problem('the query contains a control character (such as NUL)')
  return null
}

/** The parts of Node's ServerResponse that keepApiErrorsInShape touches (no node:http import here). */
type NodeResponse = {
  statusCode: number
  getHeader: (name: string) => unknown
  setHeader: (name: string, value: string | number) => unknown
  removeHeader: (name: string) => void
  writeHead: (...args: never[]) => unknown
  write: (...args: never[]) => boolean
  end: (...args: never[]) => unknown
}

const FALLBACK_CODES: Readonly<Record<number, string>> = { 404: 'REQUEST.NOT_FOUND', 405: 'REQUEST.METHOD_NOT_ALLOWED' }

/**
 * For a request under /api/: if Next itself answers an error (no route for the path: its HTML 404
 * page; a route without the method: an empty 405), the body is replaced by the API's error shape,
 * so every API error is `{ error: { code, message, issues } }` whoever produced it (#16 fuzz test).
 * Answers from route handlers are JSON already and pass untouched, as do successes and streams.
 */
export function keepApiErrorsInShape(res: NodeResponse & { headersSent: boolean }, method: string, path: string): void {
  const writeHead = res.writeHead.bind(res) as (status: number, ...rest: unknown[]) => unknown
  const write = res.write.bind(res) as (...args: unknown[]) => boolean
  const end = res.end.bind(res) as (...args: unknown[]) => unknown
  let decided = false
  let replaced: string | null = null
  // Decided once, when the status and headers are final: at writeHead, or at the first write/end
  // before headers went out (Node then calls writeHead itself).
  const decide = (status: number, headers?: Record<string, unknown>): void => {
    if (decided) return
    decided = true
    const type = String(headers?.['content-type'] ?? headers?.['Content-Type'] ?? res.getHeader('content-type') ?? '')
    if (status < 400 || type.includes('json')) return
    const message = status === 404 ? `no API route ${path}` : status === 405 ? `${method} is not allowed on ${path}` : `the request failed (${status})`
    replaced = JSON.stringify({ error: { code: FALLBACK_CODES[status] ?? (status >= 500 ? 'INTERNAL' : 'REQUEST.INVALID'), message, issues: [] } })
    res.setHeader('content-type', 'application/json')
    res.setHeader('content-length', Buffer.byteLength(replaced))
    res.setHeader('cache-control', 'no-store')
    res.removeHeader('content-encoding')
  }
  ;(res as { writeHead: unknown }).writeHead = (status: number, ...rest: unknown[]) => {
    const headers = rest.find((r): r is Record<string, unknown> => typeof r === 'object' && r !== null && !Array.isArray(r))
    decide(status, headers)
    if (replaced !== null && headers) {
      for (const key of Object.keys(headers)) if (/^content-(type|length|encoding)$/i.test(key)) delete headers[key]
    }
    return writeHead(status, ...rest)
  }
  ;(res as { write: unknown }).write = (...args: unknown[]) => {
    if (!res.headersSent) decide(res.statusCode)
    if (replaced === null) return write(...args)
    // Swallowed, but as written: a caller waiting for the write's callback goes on.
    const callback = args.find((a): a is () => void => typeof a === 'function')
    if (callback) queueMicrotask(callback)
    return true
  }
  ;(res as { end: unknown }).end = (...args: unknown[]) => {
    if (!res.headersSent) decide(res.statusCode)
    if (replaced === null) return end(...args)
    const callback = args.find((a) => typeof a === 'function')
    return method === 'HEAD' ? end(callback) : end(replaced, callback)
  }
}
