import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser'
import YAML, { CST, isMap, isNode, isScalar, isSeq, Lexer, LineCounter } from 'yaml'
import { MAX_BODY_DEPTH } from '../config/limits'
import { LegationError } from '../errors'

/** Alias expansions a YAML body may make (yaml's maxAliasCount): anchors are for reuse, not for bombs. */
const MAX_YAML_ALIAS_COUNT = 100

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

const tooDeep = (where?: string) => {
  const message = `the body is nested deeper than ${MAX_BODY_DEPTH} levels of objects and arrays`
  return new LegationError('REQUEST.BAD_BODY', message, [{ path: where ?? '', message: `nested deeper than ${MAX_BODY_DEPTH} levels` }])
}

function lineAndColumn(text: string, index: number): string {
  let line = 1
  let lineStart = 0
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) {
    line++
    lineStart = i + 1
  }
  return `line ${line}, column ${index - lineStart + 1}`
}

/**
 * The index of the bracket that opens level `limit + 1` of JSON text, or -1. A plain scan, before
 * JSON.parse: a 4 MB body of `[` would otherwise become two million nested arrays first.
 */
function jsonTooDeepAt(text: string, limit: number): number {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++ // backslash: skip the escaped character
      else if (c === 0x22) inString = false
    } else if (c === 0x22) inString = true
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return i
    } else if (c === 0x7d || c === 0x5d) depth--
  }
  return -1
}

/**
 * Whether YAML text may nest deeper than `limit`, judged from the lexer's tokens (the lexer does not
 * recurse, and this stops at the first token past the limit). yaml's composer recurses once per
 * level: thousands of levels overflow the stack, and with prettyErrors a few hundred thousand
 * crashed the whole process (V8 out of memory). The estimate counts flow brackets exactly and block
 * levels by indentation and indicators per line; it can be off by a level here and there, so it is
 * used with headroom, and the exact limit is checked on the parsed value (checkBodyValue).
 */
function yamlMayNestDeeperThan(text: string, limit: number): boolean {
  const flow: Array<{ seq: boolean; pair: boolean }> = []
  const block: Array<{ indent: number; levels: number }> = []
  let flowLevels = 0
  let blockLevels = 0
  let atLineStart = true
  let indent = 0
  for (const token of new Lexer().lex(text)) {
    const type = CST.tokenType(token)
    if (type === 'newline') {
      atLineStart = true
      indent = 0
      continue
    }
    if (type === 'space' || type === 'comment') {
      if (atLineStart && type === 'space') indent = token.length
      continue
    }
    if (type === 'doc-start' || type === 'doc-end' || type === 'doc-mode') {
      flow.length = block.length = flowLevels = blockLevels = 0
      continue
    }
    if (atLineStart && flow.length === 0) {
      // A line's first token closes the block levels opened at its indentation or deeper.
      while (block.length > 0 && block[block.length - 1]!.indent >= indent) blockLevels -= block.pop()!.levels
      block.push({ indent, levels: 0 })
    }
    atLineStart = false
    if (flow.length === 0 && (type === 'seq-item-ind' || type === 'explicit-key-ind' || type === 'map-value-ind')) {
      block[block.length - 1]!.levels++
      blockLevels++
    } else if (type === 'flow-seq-start' || type === 'flow-map-start') {
      flow.push({ seq: type === 'flow-seq-start', pair: false })
      flowLevels++
    } else if (type === 'flow-seq-end' || type === 'flow-map-end') {
      const closed = flow.pop()
      if (closed) flowLevels -= closed.pair ? 2 : 1
    } else if (type === 'map-value-ind') {
      // `[a: b]` holds a one-pair map: one more level inside that sequence.
      const top = flow[flow.length - 1]!
      if (top.seq && !top.pair) {
        top.pair = true
        flowLevels++
      }
    }
    if (flowLevels + blockLevels > limit) return true
  }
  return false
}

function parseYaml(text: string): unknown {
  if (yamlMayNestDeeperThan(text, 2 * MAX_BODY_DEPTH)) throw tooDeep()
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
  try {
    return doc.toJS({ maxAliasCount: MAX_YAML_ALIAS_COUNT }) as unknown
  } catch (err) {
    // yaml throws a ReferenceError when aliases would expand past maxAliasCount (a "billion laughs").
    if (err instanceof ReferenceError && /alias/i.test(err.message)) {
      throw new LegationError('REQUEST.BAD_BODY', `the YAML expands its aliases too often (more than ${MAX_YAML_ALIAS_COUNT} nodes through *aliases): write the values out`, [{ path: '', message: 'too many alias expansions' }])
    }
    throw err
  }
}

/**
 * One document of a multi-document body: its 0-based index in the body, the line it starts on, and
 * the line of a field inside it (the nearest existing ancestor's when the field is missing); YAML only.
 */
export type BodyDocument = Readonly<{ index: number; line: number | null; value: unknown; lineOf?: (path: ReadonlyArray<string | number>) => number | null }>

function aliasBomb(): LegationError {
  return new LegationError('REQUEST.BAD_BODY', `the YAML expands its aliases too often (more than ${MAX_YAML_ALIAS_COUNT} nodes through *aliases): write the values out`, [{ path: '', message: 'too many alias expansions' }])
}

/** Every document of a YAML stream (`---` separated); empty documents are skipped, the index counts them. */
function parseYamlDocuments(text: string): Array<BodyDocument & { itemLines?: Array<number | null> }> {
  if (yamlMayNestDeeperThan(text, 2 * MAX_BODY_DEPTH)) throw tooDeep()
  const lineCounter = new LineCounter()
  const parsed = YAML.parseAllDocuments(text, { uniqueKeys: true, prettyErrors: true, lineCounter })
  const docs = Array.isArray(parsed) ? parsed : [parsed]
  const out: Array<BodyDocument & { itemLines?: Array<number | null> }> = []
  for (const [index, doc] of docs.entries()) {
    const error = doc.errors[0]
    if (error) {
      const pos = error.linePos?.[0]
      const where = pos ? `line ${pos.line}, column ${pos.col}` : 'body'
      const first = error.message.split('\n')[0] ?? error.message
      throw new LegationError('REQUEST.BAD_BODY', `document ${index}: malformed YAML at ${where}: ${first}`, [{ path: `[${index}]`, message: `${where}: ${first}` }], { document: index, ...(pos ? { line: pos.line, column: pos.col } : {}) })
    }
    if (doc.contents === null) continue
    let value: unknown
    try {
      value = doc.toJS({ maxAliasCount: MAX_YAML_ALIAS_COUNT }) as unknown
    } catch (err) {
      if (err instanceof ReferenceError && /alias/i.test(err.message)) throw aliasBomb()
      throw err
    }
    const start = doc.contents.range[0]
    const itemLines = isSeq(doc.contents) ? doc.contents.items.map((item) => (isNode(item) && item.range ? lineCounter.linePos(item.range[0]).line : null)) : undefined
    // The line of a field is its key's (a block value starts on the next line); of a list item, the item's.
    const lineOf = (path: ReadonlyArray<string | number>): number | null => {
      let node: unknown = doc.contents
      let line = isNode(node) && node.range ? lineCounter.linePos(node.range[0]).line : null
      for (const segment of path) {
        const next: { key?: unknown; value: unknown } | undefined = isMap(node)
          ? node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment))
          : isSeq(node) && typeof segment === 'number'
            ? { value: node.items[segment] }
            : undefined
        const at = next && (isNode(next.key) ? next.key : next.value)
        if (!next || !isNode(at) || !at.range) break
        line = lineCounter.linePos(at.range[0]).line
        node = next.value
      }
      return line
    }
    out.push({ index, line: lineCounter.linePos(start).line, value, lineOf, ...(itemLines ? { itemLines } : {}) })
  }
  return out
}

/**
 * A body of several documents: a YAML stream (`---` between documents), one YAML list, or a JSON
 * array, with the same limits and checks as readBody. A YAML syntax error names its document, line and column.
 */
export async function readBodyDocuments(req: Request, maxBytes: number): Promise<BodyDocument[]> {
  const contentType = (req.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
  const text = await readLimited(req, maxBytes)
  if (text.trim() === '') return []
  const asJson = contentType === 'application/json' || contentType.endsWith('+json') || ((contentType === '' || contentType === 'text/plain') && /^\s*[[{]/.test(text))
  if (!asJson && !YAML_TYPES.includes(contentType) && contentType !== '' && contentType !== 'text/plain') {
    throw new LegationError('REQUEST.UNSUPPORTED_MEDIA_TYPE', `unsupported Content-Type '${contentType}': send application/json or application/yaml`)
  }
  if (asJson) {
    const value = parseJson(text)
    checkBodyValue(value)
    if (!Array.isArray(value)) throw new LegationError('REQUEST.BAD_BODY', 'a JSON bundle is an array of documents ({ type, name, resource })', [{ path: '', message: 'expected an array' }])
    return value.map((v, index) => ({ index, line: null, value: v as unknown }))
  }
  const docs = parseYamlDocuments(text)
  checkBodyValue(docs.map((d) => d.value))
  // One YAML document holding a list is the YAML spelling of the JSON array: its items are the documents.
  const only = docs.length === 1 ? docs[0]! : null
  if (only && Array.isArray(only.value)) {
    return only.value.map((value: unknown, index) => ({ index, line: only.itemLines?.[index] ?? null, value, lineOf: (path: ReadonlyArray<string | number>) => only.lineOf?.([index, ...path]) ?? null }))
  }
  return docs.map(({ index, line, value, lineOf }) => ({ index, line, value, ...(lineOf ? { lineOf } : {}) }))
}

/**
 * Text that holds a config of its own (the `content` of POST /fleets/{fleet}/import): JSON when it
 * starts with `{` or `[` (one document), else a YAML stream, with the limits and checks of a
 * request body. A syntax error names its line and column, in JSON too.
 */
export function parseDocumentsText(text: string): BodyDocument[] {
  if (text.trim() === '') return []
  if (/^\s*[[{]/.test(text)) {
    const errors: ParseError[] = []
    const deepAt = jsonTooDeepAt(text, MAX_BODY_DEPTH)
    if (deepAt >= 0) throw tooDeep(lineAndColumn(text, deepAt))
    parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false })
    const first = errors[0]
    if (first) {
      const where = lineAndColumn(text, first.offset)
      const problem = printParseErrorCode(first.error)
      throw new LegationError('REQUEST.BAD_BODY', `malformed JSON at ${where}: ${problem}`, [{ path: where, message: problem }])
    }
    const value = parseJson(text)
    checkBodyValue(value)
    return [{ index: 0, line: null, value }]
  }
  const docs = parseYamlDocuments(text)
  checkBodyValue(docs.map((d) => d.value))
  return docs.map(({ index, line, value, lineOf }) => ({ index, line, value, ...(lineOf ? { lineOf } : {}) }))
}

function parseJson(text: string): unknown {
  const deepAt = jsonTooDeepAt(text, MAX_BODY_DEPTH)
  if (deepAt >= 0) throw tooDeep(lineAndColumn(text, deepAt))
  try {
    return JSON.parse(text) as unknown
  } catch (err) {
    throw new LegationError('REQUEST.BAD_BODY', `malformed JSON: ${(err as Error).message}`)
  }
}

// eslint-disable-next-line no-control-regex
const NUL = /\u0000/
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
const PLAIN_KEY = /^[A-Za-z_$@][A-Za-z0-9_$@-]*$/

type Step = Readonly<{ parent: Step | null; key: string | number }>

function pathOf(step: Step | null): string {
  const keys: Array<string | number> = []
  for (let s = step; s; s = s.parent) keys.push(s.key)
  return keys.reverse().reduce<string>((acc, key) => {
    if (typeof key === 'number') return `${acc}[${key}]`
    if (PLAIN_KEY.test(key)) return acc === '' ? key : `${acc}.${key}`
    return `${acc}[${JSON.stringify(key)}]`
  }, '')
}

function badText(text: string): string | null {
  if (NUL.test(text)) return 'contains a NUL character (\\u0000), which cannot be stored'
  if (LONE_SURROGATE.test(text)) return 'is not valid Unicode (a lone UTF-16 surrogate), which cannot be stored'
  return null
}

/**
 * The parsed body, checked once for what no route can take: nesting deeper than MAX_BODY_DEPTH (the
 * exact count; aliases in YAML can deepen a value beyond its text), and strings or keys PostgreSQL
 * cannot store (NUL; lone surrogates, which are not Unicode). Iterative, so depth costs no stack.
 */
function checkBodyValue(value: unknown): void {
  const stack: Array<{ value: unknown; at: Step | null; depth: number }> = [{ value, at: null, depth: 0 }]
  while (stack.length > 0) {
    const { value: v, at, depth } = stack.pop()!
    if (typeof v === 'string') {
      const problem = badText(v)
      if (problem) throw badBody(at, `the value ${problem}`)
    } else if (typeof v === 'object' && v !== null) {
      if (depth + 1 > MAX_BODY_DEPTH) throw tooDeep(pathOf(at))
      if (Array.isArray(v)) {
        for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], at: { parent: at, key: i }, depth: depth + 1 })
      } else {
        const entries = Object.entries(v as Record<string, unknown>)
        for (let i = entries.length - 1; i >= 0; i--) {
          const [key, item] = entries[i]!
          const step = { parent: at, key }
          const problem = badText(key)
          if (problem) throw badBody(step, `the key ${problem}`)
          stack.push({ value: item, at: step, depth: depth + 1 })
        }
      }
    }
  }
}

function badBody(at: Step | null, problem: string): LegationError {
  const path = pathOf(at)
  return new LegationError('REQUEST.BAD_BODY', `${path || 'the body'}: ${problem}`, [{ path, message: problem }])
}

/**
 * Reads a JSON or YAML request body (by Content-Type; without one, JSON first, then YAML), refusing
 * bodies over `maxBytes`, nested deeper than MAX_BODY_DEPTH, or holding text PostgreSQL cannot store,
 * each with a 4xx in the API's error shape (#16 item 13). An empty body is `undefined`.
 */
export async function readBody(req: Request, maxBytes: number): Promise<unknown> {
  const contentType = (req.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
  const text = await readLimited(req, maxBytes)
  if (text.trim() === '') return undefined
  const value = parseBody(contentType, text)
  checkBodyValue(value)
  return value
}

function parseBody(contentType: string, text: string): unknown {
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
