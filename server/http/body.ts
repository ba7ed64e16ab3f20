import YAML from 'yaml'
import { LegationError } from '../errors'

const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml']

async function readLimited(req: Request, maxBytes: number): Promise<string> {
  const declared = Number(req.headers.get('content-length') ?? '0')
  const tooLarge = () => new LegationError('REQUEST.TOO_LARGE', `request body is larger than ${maxBytes} bytes`)
  if (declared > maxBytes) throw tooLarge()
  if (!req.body) return ''
  const reader = req.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined)
      throw tooLarge()
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks).toString('utf8')
}

function parseYaml(text: string): unknown {
  const docs = YAML.parseAllDocuments(text, { uniqueKeys: true, prettyErrors: true })
  if (Array.isArray(docs) && docs.length > 1) throw new LegationError('REQUEST.BAD_BODY', 'expected one YAML document, got several')
  const doc = Array.isArray(docs) ? docs[0] : docs
  if (!doc) return undefined
  const error = doc.errors[0]
  if (error) {
    const pos = error.linePos?.[0]
    const where = pos ? `line ${pos.line}, column ${pos.col}` : 'body'
    throw new LegationError('REQUEST.BAD_BODY', `malformed YAML at ${where}: ${error.message.split('\n')[0]}`, [{ path: where, message: error.message.split('\n')[0] ?? error.message }])
  }
  return doc.toJS({ maxAliasCount: 100 }) as unknown
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch (err) {
    throw new LegationError('REQUEST.BAD_BODY', `malformed JSON: ${(err as Error).message}`)
  }
}

/**
 * Reads a JSON or YAML request body (by Content-Type; without one, JSON first, then YAML), refusing
 * bodies over `maxBytes`. An empty body is `undefined`.
 */
export async function readBody(req: Request, maxBytes: number): Promise<unknown> {
  const contentType = (req.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
  const text = await readLimited(req, maxBytes)
  if (text.trim() === '') return undefined
  if (contentType === 'application/json' || contentType.endsWith('+json')) return parseJson(text)
  if (YAML_TYPES.includes(contentType)) return parseYaml(text)
  if (contentType === '' || contentType === 'text/plain') {
    const trimmed = text.trimStart()
    return trimmed.startsWith('{') || trimmed.startsWith('[') ? parseJson(text) : parseYaml(text)
  }
  throw new LegationError('REQUEST.UNSUPPORTED_MEDIA_TYPE', `unsupported Content-Type '${contentType}': send application/json or application/yaml`)
}

/** `If-Match: "3"` or `If-Match: 3` → 3. A malformed header is an error, never silently ignored. */
export function parseRevisionHeader(value: string | null, header = 'If-Match'): number | undefined {
  if (value === null || value.trim() === '' || value.trim() === '*') return undefined
  const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(value.trim())
  if (!match) throw new LegationError('REQUEST.INVALID', `${header} must be a revision number such as "3"`, [{ path: header, message: 'expected a revision number' }])
  return Number(match[1])
}

export function etag(revision: number): string {
  return `"${revision}"`
}
