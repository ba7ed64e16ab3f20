import * as re2Wasm from 're2-wasm/build/wasm/re2'

/**
 * Regexes as Envoy compiles them: Google RE2 (Envoy's only safe_regex engine), here as WebAssembly.
 * The package's RE2 class is skipped on purpose: it first translates JavaScript syntax (`\u0041`,
 * `\cA`) that Envoy's RE2 rejects, and never frees the compiled program; the wrapper takes the
 * pattern as RE2 reads it, and each program is deleted once used. RE2's default options are
 * Envoy's (UTF-8, case-sensitive, `.` not matching a newline, `^`/`$` at the ends of the text).
 * Only `(?<name>…)` is rewritten to `(?P<name>…)`: the RE2 inside the package predates the newer
 * spelling, which the RE2 in current Envoy accepts.
 */
// An Emscripten CommonJS module: under Node's ESM loader its exports sit on `default`.
const { WrappedRE2 } = (re2Wasm as unknown as { default?: typeof re2Wasm }).default ?? re2Wasm

type Program = InstanceType<typeof WrappedRE2> & { delete?: () => void }

function withProgram<T>(pattern: string, run: (p: Program) => T): T {
  const program = new WrappedRE2(pattern.replace(/\(\?<(?![=!])/g, '(?P<'), false, false, false) as Program
  try {
    return run(program)
  } finally {
    program.delete?.()
  }
}

/** RE2's own message for a pattern it refuses (e.g. `missing ]: [`), or null when it compiles. */
export function re2Error(pattern: string): string | null {
  return withProgram(pattern, (p) => (p.ok() ? null : p.error()))
}

/** Whether `pattern` matches the whole of `input` (Envoy's safe_regex match on a path); null if it does not compile. */
export function re2FullMatch(pattern: string, input: string): boolean | null {
  if (re2Error(pattern) !== null) return null
  return withProgram(`^(?:${pattern})$`, (p) => p.ok() && p.match(input, 0, false).index !== -1)
}
