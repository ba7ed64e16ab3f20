/** Versions count 1, 2, 3… per fleet; the console writes them as v1, v2, v3. */
export function formatVersion(number: number): string {
  return `v${number}`
}
