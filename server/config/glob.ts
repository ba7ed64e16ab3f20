/**
 * Glob matching (`*` any run of characters, `?` one character, everything else literal) in time
 * O(|glob| × |text|) at worst, with no backtracking blow-up: `*a*a*a…*b` against a long node id
 * used to take seconds through a RegExp (issue #16, item 8). The classic two-pointer wildcard
 * algorithm: on a mismatch, retry from the last `*` one character further on.
 */
export function globMatches(glob: string, text: string): boolean {
  let g = 0
  let t = 0
  let star = -1
  let starText = 0
  while (t < text.length) {
    const c = glob[g]
    if (c === '*') {
      star = g++
      starText = t
    } else if (c !== undefined && (c === '?' || c === text[t])) {
      g++
      t++
    } else if (star >= 0) {
      g = star + 1
      t = ++starText
    } else {
      return false
    }
  }
  while (glob[g] === '*') g++
  return g === glob.length
}
