import type { ResourceJson } from '@/server/contract'
import { formatResource, parseResourceText, type ParsedText } from '../editor/parse-text'
import type { FormFit } from '../forms/fit'
import type { EditorView } from './unsaved-edits'

/**
 * What is being edited, in the view it is edited in: the form's resource, or the text as typed.
 * Switching views converts between them, so nothing typed is lost on the way.
 */
export type EditorContent = Readonly<{ view: 'form'; json: ResourceJson }> | Readonly<{ view: 'yaml' | 'json'; text: string }>

export function contentResource(content: EditorContent): ParsedText {
  return content.view === 'form' ? { ok: true, value: content.json as Record<string, unknown> } : parseResourceText(content.text, content.view)
}

export type Conversion = Readonly<{ ok: true; content: EditorContent }> | Readonly<{ ok: false; reason: string }>

export function convertContent(content: EditorContent, target: EditorView, fit: (resource: ResourceJson) => FormFit): Conversion {
  if (content.view === target) return { ok: true, content }
  const parsed = contentResource(content)
  if (!parsed.ok) {
    const first = parsed.problems[0]!
    return { ok: false, reason: `Fix the ${content.view.toUpperCase()} first (line ${first.line}: ${first.message}).` }
  }
  const resource = parsed.value as ResourceJson
  if (target === 'form') {
    const f = fit(resource)
    return f.fits ? { ok: true, content: { view: 'form', json: resource } } : { ok: false, reason: `The form cannot show this: ${f.reason}. Keep editing it as YAML or JSON.` }
  }
  return { ok: true, content: { view: target, text: formatResource(resource, target) } }
}
