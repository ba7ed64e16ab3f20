import { autocompletion, startCompletion, type Completion, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete'
import type { Extension } from '@codemirror/state'
import { EditorView, hoverTooltip, type Tooltip } from '@codemirror/view'
import type { MessageSchemaView, SchemaFieldView } from '@/server/contract'
import { cursorContext, keyAt, scalarAt, type CursorContext, type PathSegment } from './cursor-path'
import { findField, messageOfTypeUrl, resolveMapping, typeSummary, valueChoices, type ResolvedMapping, type SchemaLoader } from './envoy-schema'
import type { TextFormat } from './parse-text'

/**
 * The editor knows Envoy (#15): completion of field names, enum values and `@type` URLs, and hover
 * docs for field names, from GET /schema/{message} (the descriptors the server validates with). The
 * text is read where the cursor is, so a half-typed document is fine; a message is fetched when the
 * cursor first gets into it.
 */
export type EnvoyAssistOptions = Readonly<{ format: TextFormat; rootMessage: string; load: SchemaLoader; readOnly: boolean }>

const MAX_VALUES_SHOWN = 24

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string | null, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag)
  if (className) node.className = className
  if (text !== undefined) node.textContent = text
  return node
}

/** A field explained: name and type, oneof and deprecation, the .proto comment, the enum values. Text only, never HTML. */
function fieldDoc(field: SchemaFieldView, owner: MessageSchemaView | null, testId: string | null): HTMLElement {
  const root = el('div', 'cm-envoy-doc')
  if (testId) root.dataset['testid'] = testId
  root.dataset['field'] = field.name
  const head = el('div', 'cm-envoy-doc-head')
  head.append(el('code', 'cm-envoy-doc-name', field.name), el('span', 'cm-envoy-doc-type', typeSummary(field)))
  root.append(head)
  const meta: string[] = [`${field.kind === 'scalar' ? 'proto type' : field.kind === 'enum' ? 'enum' : 'message'}: ${field.type}`]
  if (field.oneof) {
    const members = owner?.oneofs.find((o) => o.name === field.oneof)?.fields ?? []
    meta.push(`oneof ${field.oneof}: set only one of ${members.join(', ')}`)
  }
  if (field.deprecated) meta.push('deprecated')
  root.append(el('div', 'cm-envoy-doc-meta', meta.join(' · ')))
  for (const paragraph of (field.doc ?? '').split('\n\n').filter((p) => p !== '')) root.append(el('p', 'cm-envoy-doc-text', paragraph))
  if (!field.doc) root.append(el('p', 'cm-envoy-doc-text cm-envoy-doc-muted', 'No comment for this field in the .proto file.'))
  const values = valueChoices(field)
  if (field.kind === 'enum' && values.length > 0) {
    const shown = values.slice(0, MAX_VALUES_SHOWN).map((v) => v.name)
    root.append(el('p', 'cm-envoy-doc-values', `Values: ${shown.join(', ')}${values.length > shown.length ? `, … (${values.length - shown.length} more)` : ''}`))
  }
  return root
}

function textDoc(title: string, body: string | null): HTMLElement {
  const root = el('div', 'cm-envoy-doc')
  root.append(el('div', 'cm-envoy-doc-head', title))
  if (body) root.append(el('p', 'cm-envoy-doc-text', body))
  return root
}

/** What a field name completes to: `name: ` for a value, a new indented block for a message, list or map. */
function keyInsert(format: TextFormat, field: SchemaFieldView | null, name: string, column: number): string {
  if (format === 'json') return `${name}": `
  const quoted = /^[\w.-]+$/.test(name) ? name : JSON.stringify(name)
  if (!field) return `${quoted}: `
  const indent = ' '.repeat(column + 2)
  if (field.label === 'repeated') return `${quoted}:\n${indent}- `
  const block = field.label === 'map' || (field.kind === 'message' && (field.wellKnown === null || field.wellKnown === 'any' || field.wellKnown === 'struct'))
  return block ? `${quoted}:\n${indent}` : `${quoted}: `
}

function applyKey(format: TextFormat, field: SchemaFieldView | null, name: string, at: CursorContext): Completion['apply'] {
  return (view, _completion, from, to) => {
    const line = view.state.doc.lineAt(from)
    let end = to
    let insert: string
    if (format === 'json') {
      const opened = view.state.sliceDoc(from - 1, from) === '"'
      if (view.state.sliceDoc(end, end + 1) === '"') end++
      insert = `${opened ? '' : '"'}${keyInsert('json', field, name, at.column)}`
    } else {
      // Completing the start of a key already followed by its colon replaces only the name.
      const rest = view.state.sliceDoc(end, line.to)
      insert = /^\s*:/.test(rest) ? name : keyInsert('yaml', field, name, at.column)
    }
    view.dispatch({ changes: { from, to: end, insert }, selection: { anchor: from + insert.length }, userEvent: 'input.complete' })
    // A value with a fixed set of choices (an enum, a bool, `@type`): offer them at once.
    if (insert.endsWith(': ') && (field === null || valueChoices(field).length > 0)) startCompletion(view)
  }
}

function keyOptions(resolved: ResolvedMapping, format: TextFormat, at: CursorContext): Completion[] {
  const fieldOption = (field: SchemaFieldView, owner: MessageSchemaView): Completion => ({
    label: field.name,
    type: 'property',
    detail: `${typeSummary(field)}${field.oneof ? ` · oneof ${field.oneof}` : ''}${field.deprecated ? ' · deprecated' : ''}`,
    info: () => fieldDoc(field, owner, null),
    apply: applyKey(format, field, field.name, at),
    boost: field.deprecated ? -50 : 0,
  })
  switch (resolved.kind) {
    case 'message':
      return resolved.schema.fields.map((f) => fieldOption(f, resolved.schema))
    case 'any': {
      const typeOption: Completion = {
        label: '@type',
        type: 'keyword',
        detail: 'type URL of the message inside',
        info: () => textDoc('@type', `The type URL of the message this ${resolved.field.name} holds; its fields go next to it. ${resolved.typeUrls.length} known here.`),
        apply: applyKey(format, null, '@type', at),
        boost: 99,
      }
      return [typeOption, ...(resolved.inner ? resolved.inner.fields.map((f) => fieldOption(f, resolved.inner!)) : [])]
    }
    case 'element':
      return valueOptions(resolved.field)
  }
}

function valueOptions(field: SchemaFieldView): Completion[] {
  return valueChoices(field).map((v) => ({ label: v.name, type: field.kind === 'enum' ? 'enum' : 'constant', ...(v.doc ? { info: v.doc } : {}) }))
}

function typeUrlOptions(typeUrls: readonly string[]): Completion[] {
  return typeUrls.map((url) => ({ label: url, type: 'type', detail: messageOfTypeUrl(url)?.split('.').pop() ?? '' }))
}

function fieldIn(resolved: ResolvedMapping | null, key: string): { field: SchemaFieldView; owner: MessageSchemaView } | null {
  const owner = resolved?.kind === 'message' ? resolved.schema : resolved?.kind === 'any' ? resolved.inner : null
  const field = owner ? findField(owner, key) : null
  return owner && field ? { field, owner } : null
}

function completionSource({ format, rootMessage, load }: EnvoyAssistOptions) {
  return async (ctx: CompletionContext): Promise<CompletionResult | null> => {
    const text = ctx.state.doc.toString()
    const at = cursorContext(format, text, ctx.pos)
    if (!at) return null
    // Typing opens the list once a name is started; Ctrl-Space (explicit) opens it anywhere.
    if (!ctx.explicit && at.target === 'key' && at.prefix === '') return null
    const typeAt = (p: readonly PathSegment[]) => scalarAt(format, text, p, '@type')
    const resolved = await resolveMapping(load, rootMessage, at.path, typeAt).catch(() => null)
    if (ctx.aborted || !resolved) return null
    let options: Completion[]
    if (at.target === 'key') options = keyOptions(resolved, format, at)
    else if (at.key === '@type' && resolved.kind === 'any') options = typeUrlOptions(resolved.typeUrls)
    else {
      const found = fieldIn(resolved, at.key)
      options = found ? valueOptions(found.field) : []
    }
    if (options.length === 0) return null
    return { from: at.from, to: at.to, options, validFor: /^[\w@./-]*$/ }
  }
}

function hoverSource({ format, rootMessage, load }: EnvoyAssistOptions) {
  return async (view: EditorView, pos: number): Promise<Tooltip | null> => {
    const text = view.state.doc.toString()
    const key = keyAt(format, text, pos)
    if (!key) return null
    const resolved = await resolveMapping(load, rootMessage, key.path, (p) => scalarAt(format, text, p, '@type')).catch(() => null)
    let dom: HTMLElement | null = null
    if (resolved?.kind === 'any' && key.key === '@type') {
      const typeUrl = scalarAt(format, text, key.path, '@type')
      dom = textDoc('@type', `The type URL of the message in ${resolved.field.name} (google.protobuf.Any)${typeUrl ? `: ${typeUrl}` : ''}. ${resolved.inner?.doc ?? ''}`.trim())
      dom.dataset['testid'] = 'schema-hover'
    } else {
      const found = fieldIn(resolved, key.key)
      if (found) dom = fieldDoc(found.field, found.owner, 'schema-hover')
    }
    if (!dom) return null
    const shown = dom
    return { pos: key.from, end: key.to, above: true, create: () => ({ dom: shown }) }
  }
}

const assistTheme = EditorView.theme({
  // The setup's tooltips clip their content (rounded corners); the docs beside the list sit outside it.
  '.cm-tooltip.cm-tooltip-autocomplete': { overflow: 'visible' },
  '.cm-tooltip.cm-tooltip-autocomplete > ul': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', fontSize: '12.5px', maxHeight: '16rem' },
  '.cm-tooltip.cm-tooltip-autocomplete > ul > li': { padding: '2px 8px' },
  '.cm-tooltip-autocomplete ul li[aria-selected]': { backgroundColor: 'var(--accent)', color: 'var(--accent-fg, #fff)' },
  '.cm-completionDetail': { marginLeft: '1em', fontStyle: 'normal', color: 'inherit', opacity: '0.85', fontFamily: 'ui-sans-serif, system-ui, sans-serif', fontSize: '11.5px' },
  '.cm-completionMatchedText': { textDecoration: 'none', fontWeight: '600' },
  '.cm-tooltip.cm-completionInfo': { maxWidth: '28rem', padding: '0' },
  '.cm-envoy-doc': { maxWidth: '28rem', maxHeight: '20rem', overflowY: 'auto', padding: '8px 10px', fontFamily: 'ui-sans-serif, system-ui, sans-serif', fontSize: '12px', lineHeight: '1.5' },
  '.cm-envoy-doc-head': { display: 'flex', flexWrap: 'wrap', gap: '0 8px', alignItems: 'baseline', fontWeight: '600' },
  '.cm-envoy-doc-name': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' },
  '.cm-envoy-doc-type': { fontWeight: '500', color: 'var(--fg-muted)' },
  '.cm-envoy-doc-meta': { marginTop: '2px', color: 'var(--fg-muted)', wordBreak: 'break-word' },
  '.cm-envoy-doc-text': { marginTop: '6px' },
  '.cm-envoy-doc-muted': { color: 'var(--fg-muted)', fontStyle: 'italic' },
  '.cm-envoy-doc-values': { marginTop: '6px', fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', fontSize: '11.5px', wordBreak: 'break-word' },
})

export function envoyAssist(options: EnvoyAssistOptions): Extension {
  return [
    options.readOnly ? [] : autocompletion({ override: [completionSource(options)], maxRenderedOptions: 400, icons: false }),
    hoverTooltip(hoverSource(options), { hoverTime: 350 }),
    assistTheme,
  ]
}
