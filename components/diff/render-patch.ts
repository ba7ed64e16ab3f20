import { html, parse } from 'diff2html'
import type { ColorSchemeType } from 'diff2html/lib/types'

export type DiffViewFormat = 'line-by-line' | 'side-by-side'
export const DIFF_VIEW_FORMATS: readonly DiffViewFormat[] = ['line-by-line', 'side-by-side']

/**
 * The HTML diff2html makes of one unified patch (jsdiff's createTwoFilesPatch, server/config/diff.ts),
 * or null when the patch has no hunk to show (an empty patch: the caller shows a plain-text note).
 * diff2html escapes the file names and every line (render-utils escapeForHtml), so the result can
 * be set as HTML. The colours follow the operating system, as the console's theme does.
 */
export function renderPatchHtml(patch: string, format: DiffViewFormat): string | null {
  if (patch.trim() === '') return null
  const files = parse(patch)
  if (files.length === 0 || files.every((f) => f.blocks.length === 0)) return null
  return html(files, { outputFormat: format, drawFileList: false, matching: 'lines', diffStyle: 'word', colorScheme: 'auto' as ColorSchemeType })
}
