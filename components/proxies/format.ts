/** "21:29:54.123": UTC, to the millisecond, for a stream's timeline where several events share a second. */
export function formatClock(iso: string): string {
  return new Date(iso).toISOString().slice(11, 23)
}

/** "45 s", "12 min", "3 h 5 min", "2 d 4 h": how long a stream lasted. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000))
  if (s < 60) return `${s} s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m} min`
  const h = Math.floor(m / 60)
  if (h < 24) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`
  const d = Math.floor(h / 24)
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`
}

/** version_info values are content hashes; the start is enough to tell two apart at a glance. */
export function shortVersionInfo(value: string | undefined, length = 10): string {
  if (!value) return ''
  return value.length > length + 1 ? `${value.slice(0, length)}…` : value
}
