import 'diff2html/bundles/css/diff2html.min.css'
import './diff.css'
import { renderPatchHtml, type DiffViewFormat } from './render-patch'

/**
 * A unified diff of two resources as YAML, rendered by diff2html. The card around it names the
 * resource, so diff2html's own file header is hidden (diff.css). A patch with no hunk (empty, or
 * the two sides equal) falls back to a plain-text note, or to the raw text when it has any.
 */
export function PatchView({ patch, format = 'line-by-line' }: { patch: string; format?: DiffViewFormat }) {
  const html = renderPatchHtml(patch, format)
  if (html === null) {
    return (
      <pre className="overflow-x-auto bg-surface-muted/50 px-3 py-2 font-mono text-xs leading-5 whitespace-pre text-fg-muted" data-testid="patch" data-format="text">
        {patch.trim() === '' ? 'No line-level differences to show.' : patch}
      </pre>
    )
  }
  return <div className="legation-diff" data-testid="patch" data-format={format} dangerouslySetInnerHTML={{ __html: html }} />
}
