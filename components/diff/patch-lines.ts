export type PatchLine = Readonly<{ kind: 'add' | 'remove' | 'context' | 'hunk' | 'note'; text: string }>

/**
 * Splits a unified diff (jsdiff's createTwoFilesPatch, see server/config/diff.ts) into typed lines.
 * The file header (`===`, `---`, `+++`) is dropped: the card around the patch already names the
 * resource. Only lines before the first hunk count as header, so a removed YAML line that happens to
 * start with `--` stays a removal.
 */
export function patchLines(patch: string): PatchLine[] {
  const lines = patch.split('\n')
  if (lines.at(-1) === '') lines.pop()
  const firstHunk = lines.findIndex((l) => l.startsWith('@@'))
  if (firstHunk === -1) return []
  return lines.slice(firstHunk).map((text): PatchLine => {
    if (text.startsWith('@@')) return { kind: 'hunk', text }
    if (text.startsWith('+')) return { kind: 'add', text }
    if (text.startsWith('-')) return { kind: 'remove', text }
    if (text.startsWith('\\')) return { kind: 'note', text }
    return { kind: 'context', text }
  })
}
