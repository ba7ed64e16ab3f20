/**
 * A small reader of the Prometheus text exposition format (what GET /metrics answers), so tests
 * assert values, not just names. Comments (# HELP, # TYPE) are skipped; label values are unescaped.
 */
export type Sample = Readonly<{ name: string; labels: Readonly<Record<string, string>>; value: number }>

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g

export function parsePrometheusText(text: string): Sample[] {
  const samples: Sample[] = []
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const m = LINE.exec(line)
    if (!m) throw new Error(`not a sample line: ${line}`)
    const labels: Record<string, string> = {}
    for (const l of (m[2] ?? '').matchAll(LABEL)) labels[l[1]!] = l[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c))
    const raw = m[3]!
    samples.push({ name: m[1]!, labels, value: raw === '+Inf' ? Infinity : raw === '-Inf' ? -Infinity : Number(raw) })
  }
  return samples
}

/** The samples of `name` whose labels include `labels`. */
export function samplesOf(samples: readonly Sample[], name: string, labels: Readonly<Record<string, string>> = {}): Sample[] {
  return samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
}

/** The value of the one sample of `name` whose labels include `labels`, or undefined; throws when several match. */
export function valueOf(samples: readonly Sample[], name: string, labels: Readonly<Record<string, string>> = {}): number | undefined {
  const found = samplesOf(samples, name, labels)
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}: ${JSON.stringify(found.map((s) => s.labels))}`)
  return found[0]?.value
}

/** The sum over every sample of `name` whose labels include `labels` (0 when there is none). */
export function sumOf(samples: readonly Sample[], name: string, labels: Readonly<Record<string, string>> = {}): number {
  return samplesOf(samples, name, labels).reduce((sum, s) => sum + s.value, 0)
}

export type Scrape = Readonly<{ status: number; contentType: string; text: string; samples: Sample[] }>

/** GET /metrics, with `Authorization: Bearer <token>` when a token is given. */
export async function scrapeMetrics(baseUrl: string, token?: string): Promise<Scrape> {
  const res = await fetch(`${baseUrl}/metrics`, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } })
  const text = await res.text()
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text, samples: res.status === 200 ? parsePrometheusText(text) : [] }
}
