import { jsonLanguage } from '@codemirror/lang-json'
import YAML, { isMap, LineCounter } from 'yaml'

export type TextFormat = 'yaml' | 'json'

export type TextProblem = Readonly<{ message: string; from: number; to: number; line: number }>
export type ParsedText = Readonly<{ ok: true; value: Record<string, unknown> }> | Readonly<{ ok: false; problems: TextProblem[] }>

function lineAt(text: string, offset: number): number {
  let line = 1
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++
  return line
}

function problem(text: string, message: string, from: number, to = from): TextProblem {
  const start = Math.max(0, Math.min(from, text.length))
  return { message, from: start, to: Math.max(start, Math.min(to, text.length)), line: lineAt(text, start) }
}

function parseYaml(text: string): ParsedText {
  const lineCounter = new LineCounter()
  // The server reads YAML bodies the same way (server/http/body.ts): one document, unique keys.
  const doc = YAML.parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false })
  if (doc.errors.length > 0) {
    return { ok: false, problems: doc.errors.map((e) => problem(text, e.message.split('\n')[0] ?? e.message, e.pos[0], e.pos[1])) }
  }
  if (!isMap(doc.contents)) return { ok: false, problems: [problem(text, 'an Envoy resource is a mapping of fields (`key: value` lines)', 0, text.length)] }
  return { ok: true, value: doc.toJS({ maxAliasCount: 100 }) as Record<string, unknown> }
}

/** Where JSON.parse gave up: from its message when it says, else the first error node of the JSON grammar. */
function jsonErrorOffset(text: string, message: string): number {
  const position = /position (\d+)/.exec(message)
  if (position) return Number(position[1])
  const lineCol = /line (\d+) column (\d+)/.exec(message)
  if (lineCol) {
    const lines = text.split('\n').slice(0, Number(lineCol[1]) - 1)
    return lines.reduce((n, l) => n + l.length + 1, 0) + Number(lineCol[2]) - 1
  }
  let offset = text.length
  jsonLanguage.parser.parse(text).iterate({
    enter: (node) => {
      if (node.type.isError && node.from < offset) offset = node.from
      return offset === text.length
    },
  })
  return offset
}

function parseJson(text: string): ParsedText {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    const message = (err as Error).message
    const at = jsonErrorOffset(text, message)
    return { ok: false, problems: [problem(text, message.replace(/^JSON\.parse: /, ''), at, at + 1)] }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, problems: [problem(text, 'an Envoy resource is a JSON object ({ … })', 0, text.length)] }
  return { ok: true, value: value as Record<string, unknown> }
}

/** Parses what the user typed; problems carry offsets for the editor's inline diagnostics. */
export function parseResourceText(text: string, format: TextFormat): ParsedText {
  if (text.trim() === '') return { ok: false, problems: [problem(text, 'the resource is empty', 0, 0)] }
  return format === 'yaml' ? parseYaml(text) : parseJson(text)
}

/** The same YAML the server writes (`?format=yaml`, diffs): no line folding. */
export function formatResource(value: unknown, format: TextFormat): string {
  return format === 'yaml' ? YAML.stringify(value, { lineWidth: 0 }) : `${JSON.stringify(value, null, 2)}\n`
}
