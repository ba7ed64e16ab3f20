import { stringify } from 'yaml'
import { CliError } from './config-file'

export const OUTPUT_FORMATS = ['table', 'json', 'yaml'] as const
export type OutputFormat = (typeof OUTPUT_FORMATS)[number]

export function parseOutputFormat(value: string): OutputFormat {
  if ((OUTPUT_FORMATS as readonly string[]).includes(value)) return value as OutputFormat
  throw new CliError(`-o must be one of ${OUTPUT_FORMATS.join(', ')}, not '${value}'`)
}

/** The machine-readable forms print the API's own answer (or the command's object) unchanged. */
export function formatData(format: Exclude<OutputFormat, 'table'>, data: unknown): string {
  return format === 'json' ? `${JSON.stringify(data, null, 2)}\n` : stringify(data, { lineWidth: 0 })
}

/** Left-aligned columns, two spaces apart, headers in capitals (kubectl's look). */
export function formatTable(headers: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | null | undefined>>): string {
  const cells = [headers.map((h) => h.toUpperCase()), ...rows.map((r) => r.map((c) => (c === null || c === undefined ? '-' : String(c))))]
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)))
  return `${cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : (c ?? '').padEnd(widths[i] ?? 0))).join('  ').trimEnd()).join('\n')}\n`
}

export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '-'
  return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(1)}s`
}

/** `5m`, `120s`, `500ms`, `1h`, `1d` or a number of seconds → milliseconds. */
export function parseDuration(value: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(value.trim())
  if (!m) throw new CliError(`'${value}' is not a duration (e.g. 90s, 5m, 1h)`)
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h' | 'd']
  return Number(m[1]) * unit
}
