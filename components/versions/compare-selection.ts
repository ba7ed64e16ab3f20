/**
 * The versions picked for a comparison: at most two, in the order they were picked. Picking a third
 * drops the oldest pick, so the last two clicks always win; picking a picked one unpicks it.
 */
export function toggleCompareSelection(selected: readonly number[], number: number): number[] {
  if (selected.includes(number)) return selected.filter((n) => n !== number)
  return [...selected, number].slice(-2)
}

/** A diff reads from the older version to the newer one, whatever order they were picked in. */
export function compareRange(selected: readonly number[]): { from: number; to: number } | null {
  if (selected.length !== 2) return null
  const [a, b] = selected as [number, number]
  return { from: Math.min(a, b), to: Math.max(a, b) }
}

export function versionDiffHref(fleet: string, from: number, to: number): string {
  return `/fleets/${encodeURIComponent(fleet)}/versions/diff?${new URLSearchParams({ from: String(from), to: String(to) }).toString()}`
}

export function versionHref(fleet: string, number: number): string {
  return `/fleets/${encodeURIComponent(fleet)}/versions/${number}`
}

/** The history; with `follow`, the page opens on the live rollout of that version. */
export function versionsHref(fleet: string, follow?: number): string {
  return `/fleets/${encodeURIComponent(fleet)}/versions${follow === undefined ? '' : `?follow=${follow}`}`
}

/** `?from=&to=` as the diff page receives them: positive integers, else null (the page then asks for them). */
export function parseVersionParam(value: string | string[] | undefined): number | null {
  const raw = Array.isArray(value) ? value[0] : value
  if (raw === undefined || !/^\d{1,9}$/.test(raw)) return null
  const n = Number(raw)
  return n >= 1 ? n : null
}
