import { getLocation, parseTree, findNodeAtLocation, type Node as JsonNode } from 'jsonc-parser'
import type { TextFormat } from './parse-text'

/**
 * Where the cursor is in a resource being typed, as the schema sees it: the path of the mapping
 * (object) it is in, and whether a key or a value is being typed there. Works on text that does not
 * parse yet (a half-typed key is the normal case): YAML is read line by line by its indentation,
 * JSON with jsonc-parser's error-tolerant scanner.
 */
export type PathSegment = string | number

export type CursorContext =
  | Readonly<{ target: 'key'; path: readonly PathSegment[]; prefix: string; from: number; to: number; column: number }>
  | Readonly<{ target: 'value'; path: readonly PathSegment[]; key: string; prefix: string; from: number; to: number; column: number }>

/** A key under the cursor (hover): the mapping it is in, its name and where it is written. */
export type KeyAt = Readonly<{ path: readonly PathSegment[]; key: string; from: number; to: number }>

// ---- YAML --------------------------------------------------------------------------------

type Frame = { kind: 'map'; col: number; key: string | null } | { kind: 'seq'; col: number; index: number }

/** One line: the columns of its `- ` dashes, then what follows them. */
type YamlLine = Readonly<{ dashes: readonly number[]; col: number; rest: string }>

const KEY_LINE = /^(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^\s'"#:{[\]},&*!|>%@`-][^#]*?|-[^\s#][^#]*?))\s*:(?:[ \t]+(.*))?$/

function splitLine(line: string): YamlLine {
  const dashes: number[] = []
  let i = 0
  for (;;) {
    while (line[i] === ' ') i++
    if (line[i] === '-' && (line[i + 1] === ' ' || line[i + 1] === undefined)) {
      dashes.push(i)
      i++
      continue
    }
    break
  }
  return { dashes, col: i, rest: line.slice(i) }
}

function parseKey(rest: string): { key: string; keyLength: number; value: string } | null {
  const m = KEY_LINE.exec(rest.replace(/\s+#.*$/, ''))
  if (!m) return null
  const key = m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2] !== undefined ? m[2].replace(/''/g, "'") : m[3]!.trim()
  const keyLength = m[1] !== undefined ? m[1].length + 2 : m[2] !== undefined ? m[2].length + 2 : m[3]!.trimEnd().length
  return { key, keyLength, value: (m[4] ?? '').trim() }
}

function isSkippable(line: string): boolean {
  const t = line.trim()
  return t === '' || t.startsWith('#') || t === '---' || t === '...'
}

function pathOf(frames: readonly Frame[]): PathSegment[] {
  const out: PathSegment[] = []
  for (const f of frames) {
    if (f.kind === 'seq') out.push(f.index)
    else if (f.key !== null) out.push(f.key)
  }
  return out
}

/** Applies a line's dashes to the stack: each opens a sequence or moves to its next item. */
function enterDashes(stack: Frame[], dashes: readonly number[]): void {
  for (const d of dashes) {
    while (stack.length > 0 && stack[stack.length - 1]!.col > d) stack.pop()
    const top = stack[stack.length - 1]
    if (top?.kind === 'seq' && top.col === d) top.index++
    else stack.push({ kind: 'seq', col: d, index: 0 })
  }
}

/** Makes the mapping at `col` the top of the stack (opening it if needed); returns the path to it. */
function enterMapping(stack: Frame[], col: number, sameLineDash: boolean): PathSegment[] {
  while (stack.length > 0 && stack[stack.length - 1]!.col > col) stack.pop()
  const top = stack[stack.length - 1]
  // `key:` then `- item` at the same column: a key back at that column ends the sequence.
  if (top?.kind === 'seq' && top.col === col && !sameLineDash) stack.pop()
  const current = stack[stack.length - 1]
  if (current?.kind === 'map' && current.col === col) return pathOf(stack.slice(0, -1))
  const path = pathOf(stack)
  stack.push({ kind: 'map', col, key: null })
  return path
}

/**
 * The stack of open mappings and sequences after the lines before `lineIndex`; `onKey` hears each
 * `key: value` line with the path of its mapping, and stops the walk by returning true.
 */
function yamlStack(lines: readonly string[], lineIndex: number, onKey?: (path: readonly PathSegment[], key: string, value: string) => boolean): Frame[] {
  const stack: Frame[] = []
  let blockIndent: number | null = null
  for (let n = 0; n < lineIndex; n++) {
    const line = lines[n]!
    if (blockIndent !== null) {
      const indent = line.length - line.trimStart().length
      if (line.trim() === '' || indent > blockIndent) continue
      blockIndent = null
    }
    if (isSkippable(line)) continue
    const { dashes, col, rest } = splitLine(line)
    enterDashes(stack, dashes)
    const key = parseKey(rest)
    if (!key) continue
    const path = enterMapping(stack, col, dashes.length > 0)
    ;(stack[stack.length - 1] as Extract<Frame, { kind: 'map' }>).key = key.key
    if (onKey?.(path, key.key, key.value)) break
    // A block scalar (`|`, `>-`): its lines are text, whatever they look like.
    if (/^[|>][-+0-9]*$/.test(key.value)) blockIndent = col
  }
  return stack
}

function lineStarts(text: string): number[] {
  const starts = [0]
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1)
  return starts
}

function lineIndexAt(starts: readonly number[], offset: number): number {
  let lo = 0
  let hi = starts.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (starts[mid]! <= offset) lo = mid
    else hi = mid - 1
  }
  return lo
}

function unquotePrefix(text: string): string {
  return text.replace(/^["']/, '')
}

function yamlCursorContext(text: string, offset: number): CursorContext | null {
  const starts = lineStarts(text)
  const lineIndex = lineIndexAt(starts, offset)
  const lines = text.split('\n')
  const lineStart = starts[lineIndex]!
  const line = lines[lineIndex]!
  const before = line.slice(0, offset - lineStart)
  const after = line.slice(offset - lineStart)
  if (/#/.test(before.replace(/"[^"]*"|'[^']*'/g, ''))) return null // in a comment
  const stack = yamlStack(lines, lineIndex)
  const { dashes, col, rest } = splitLine(before)
  enterDashes(stack, dashes)
  const restEnd = after.match(/^[^\s:#]*/)?.[0] ?? ''
  // A key being typed: `  lb_po`, `- na`, an empty line, or the start of a key already there (`lb_|policy: X`).
  if (!rest.includes(':') && !/^[{[|>&*!]/.test(rest)) {
    const path = enterMapping(stack, col, dashes.length > 0)
    return { target: 'key', path, prefix: unquotePrefix(rest), from: lineStart + col + (/^["']/.test(rest) ? 1 : 0), to: offset + restEnd.length, column: col }
  }
  // A value being typed: `  lb_policy: RO`.
  const key = parseKey(rest)
  if (!key || /^[{[|>&*!]/.test(key.value)) return null
  const path = enterMapping(stack, col, dashes.length > 0)
  const valueStart = before.length - key.value.length
  const quoted = /^["']/.test(key.value)
  const valueEnd = after.match(/^[^\s#"']*/)?.[0] ?? ''
  return { target: 'value', path, key: key.key, prefix: unquotePrefix(key.value), from: lineStart + valueStart + (quoted ? 1 : 0), to: offset + valueEnd.length, column: col }
}

function yamlKeyAt(text: string, offset: number): KeyAt | null {
  const starts = lineStarts(text)
  const lineIndex = lineIndexAt(starts, offset)
  const lines = text.split('\n')
  const line = lines[lineIndex]!
  if (isSkippable(line)) return null
  const { dashes, col, rest } = splitLine(line)
  const key = parseKey(rest)
  if (!key) return null
  const from = starts[lineIndex]! + col
  const to = from + key.keyLength
  if (offset < from || offset > to) return null
  const stack = yamlStack(lines, lineIndex)
  enterDashes(stack, dashes)
  return { path: enterMapping(stack, col, dashes.length > 0), key: key.key, from, to }
}

// ---- JSON --------------------------------------------------------------------------------

function jsonCursorContext(text: string, offset: number): CursorContext | null {
  const location = getLocation(text, offset)
  const path = location.path
  if (path.length === 0) return null
  const node = location.previousNode
  // jsonc-parser types a key being typed as `property`, a value as `string`; both from their opening quote.
  const inString = node !== undefined && (node.type === 'string' || node.type === 'property') && offset > node.offset && offset <= node.offset + node.length
  const prefix = inString ? text.slice(node.offset + 1, offset) : ''
  const from = inString ? node.offset + 1 : offset
  const to = offset
  if (location.isAtPropertyKey) return { target: 'key', path: path.slice(0, -1), prefix, from, to, column: 0 }
  const key = path[path.length - 1]
  if (typeof key !== 'string') return null
  return { target: 'value', path: path.slice(0, -1), key, prefix, from, to, column: 0 }
}

function jsonKeyAt(text: string, offset: number): KeyAt | null {
  const location = getLocation(text, offset)
  const node = location.previousNode
  if (!location.isAtPropertyKey || !node || node.type !== 'property' || typeof node.value !== 'string') return null
  return { path: location.path.slice(0, -1), key: node.value, from: node.offset, to: node.offset + node.length }
}

// ---- both --------------------------------------------------------------------------------

export function cursorContext(format: TextFormat, text: string, offset: number): CursorContext | null {
  return format === 'yaml' ? yamlCursorContext(text, offset) : jsonCursorContext(text, offset)
}

export function keyAt(format: TextFormat, text: string, offset: number): KeyAt | null {
  return format === 'yaml' ? yamlKeyAt(text, offset) : jsonKeyAt(text, offset)
}

/**
 * A scalar written under `key` in the mapping at `path` (the `@type` of an Any), read from the text
 * as it is: JSON through jsonc-parser's tolerant tree, YAML by the lines of that mapping (above and
 * below the cursor), so a document that does not parse yet still answers.
 */
export function scalarAt(format: TextFormat, text: string, path: readonly PathSegment[], key: string): string | null {
  if (format === 'json') {
    const tree = parseTree(text)
    const found: JsonNode | undefined = tree ? findNodeAtLocation(tree, [...path, key]) : undefined
    return found && typeof found.value === 'string' ? found.value : null
  }
  const lines = text.split('\n')
  let found: string | null = null
  yamlStack(lines, lines.length, (at, k, value) => {
    if (k !== key || value === '' || !samePath(at, path)) return false
    found = value.replace(/^(["'])(.*)\1$/, '$2')
    return true
  })
  return found
}

function samePath(a: readonly PathSegment[], b: readonly PathSegment[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i])
}
