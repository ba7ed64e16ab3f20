/**
 * A Secret's diff must not print its private key. The server already shows sealed values as
 * `<set:fingerprint>` markers, which are kept; anything else in clear is hidden here. Inside a Secret's YAML patch, the value of every
 * `inline_string` / `inline_bytes` line (and the lines of a block scalar under it) is hidden, unless
 * its parent key is known to hold public material (a certificate chain, a CA). A hunk may start in
 * the middle of a block: an unknown parent is treated as secret.
 */
const PUBLIC_PARENTS = new Set(['certificate_chain', 'trusted_ca', 'crl', 'ocsp_staple', 'watched_directory', 'custom_validator_config'])
const KEY_LINE = /^(\s*(?:- )*)([A-Za-z_@][\w@.-]*):/
const INLINE = /^(\s*(?:- )*)(inline_string|inline_bytes):/
/** The API's own marker for a sealed value: a fingerprint, safe to show (it says whether the key changed). */
const SEALED = /:\s*"?<set:[0-9a-f]{8}>"?\s*$/

export const HIDDEN_VALUE = '<hidden>'

export function redactSecretPatch(patch: string): string {
  const lines = patch.split('\n')
  let stack: Array<{ indent: number; key: string }> = []
  let hiddenIndent: number | null = null
  let inHunk = false
  return lines
    .map((line) => {
      if (line.startsWith('@@')) {
        inHunk = true
        stack = []
        hiddenIndent = null
        return line
      }
      if (!inHunk || line === '' || line.startsWith('\\')) return line
      const sign = line[0]!
      const body = line.slice(1)
      if (body.trim() === '') return line
      const indent = body.length - body.trimStart().length
      if (hiddenIndent !== null && indent > hiddenIndent && !KEY_LINE.test(body)) return `${sign}${' '.repeat(indent)}${HIDDEN_VALUE}`
      if (hiddenIndent !== null && (indent <= hiddenIndent || KEY_LINE.test(body))) hiddenIndent = null
      const key = KEY_LINE.exec(body)
      if (!key) return line
      const keyIndent = key[1]!.length
      stack = stack.filter((entry) => entry.indent < keyIndent)
      const parent = stack.at(-1)?.key
      stack.push({ indent: keyIndent, key: key[2]! })
      const inline = INLINE.exec(body)
      if (inline && !SEALED.test(body) && !(parent !== undefined && PUBLIC_PARENTS.has(parent))) {
        hiddenIndent = keyIndent
        return `${sign}${inline[1]}${inline[2]}: ${HIDDEN_VALUE}`
      }
      return line
    })
    .join('\n')
}
