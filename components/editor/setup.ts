import { closeBrackets, closeBracketsKeymap } from '@codemirror/autocomplete'
import { json } from '@codemirror/lang-json'
import { yaml } from '@codemirror/lang-yaml'
import { bracketMatching, foldGutter, foldKeymap, HighlightStyle, indentOnInput, indentUnit, syntaxHighlighting } from '@codemirror/language'
import { lintGutter, lintKeymap } from '@codemirror/lint'
import { EditorState, type Extension } from '@codemirror/state'
import { drawSelection, EditorView, highlightActiveLine, highlightActiveLineGutter, highlightSpecialChars, keymap, lineNumbers, type Command } from '@codemirror/view'
import { tags as t } from '@lezer/highlight'
import { defaultKeymap, history, historyKeymap, indentLess, indentMore, insertNewlineAndIndent } from '@codemirror/commands'
import type { TextFormat } from './parse-text'

const INDENT = '  '

/** Tab indents only a multi-line selection or at the start of a line; Escape then Tab leaves the editor. */
const indentOrSpaces: Command = (view) => {
  const { state } = view
  if (state.selection.ranges.some((r) => !r.empty)) return indentMore(view)
  view.dispatch(state.replaceSelection(INDENT), { userEvent: 'input' })
  return true
}

/** Syntax colours that read on both themes: `light-dark()` follows the page's color-scheme. */
const highlight = HighlightStyle.define([
  { tag: [t.propertyName, t.definition(t.propertyName)], color: 'light-dark(#1e40af, #93c5fd)' },
  { tag: [t.string, t.special(t.string)], color: 'light-dark(#047857, #6ee7b7)' },
  { tag: t.content, color: 'light-dark(#0f766e, #5eead4)' },
  { tag: [t.number, t.bool, t.null], color: 'light-dark(#b45309, #fcd34d)' },
  { tag: [t.keyword, t.typeName, t.labelName], color: 'light-dark(#7e22ce, #d8b4fe)' },
  { tag: [t.comment, t.lineComment, t.meta], color: 'var(--fg-subtle)', fontStyle: 'italic' },
  { tag: [t.separator, t.punctuation, t.brace, t.squareBracket], color: 'var(--fg-muted)' },
])

const theme = EditorView.theme({
  '&': { color: 'var(--fg)', backgroundColor: 'var(--surface)', fontSize: '13px', height: '100%' },
  '&.cm-focused': { outline: 'none' },
  '.cm-scroller': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', lineHeight: '1.6' },
  '.cm-content': { caretColor: 'var(--fg)', paddingBlock: '8px' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--fg)' },
  '.cm-gutters': { backgroundColor: 'var(--surface-muted)', color: 'var(--fg-subtle)', borderRight: '1px solid var(--line)' },
  '.cm-activeLine': { backgroundColor: 'color-mix(in srgb, var(--accent) 6%, transparent)' },
  '.cm-activeLineGutter': { backgroundColor: 'color-mix(in srgb, var(--accent) 10%, transparent)', color: 'var(--fg)' },
  '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, .cm-content ::selection': {
    backgroundColor: 'color-mix(in srgb, var(--accent) 28%, transparent) !important',
  },
  '.cm-matchingBracket': { backgroundColor: 'color-mix(in srgb, var(--accent) 20%, transparent)', outline: 'none' },
  '.cm-foldPlaceholder': { backgroundColor: 'var(--surface-muted)', border: '1px solid var(--line-strong)', color: 'var(--fg-muted)' },
  '.cm-tooltip': { backgroundColor: 'var(--surface)', border: '1px solid var(--line-strong)', color: 'var(--fg)', borderRadius: '6px', overflow: 'hidden' },
  '.cm-diagnostic': { padding: '4px 8px', fontFamily: 'ui-sans-serif, system-ui, sans-serif', fontSize: '12px' },
  '.cm-diagnostic-error': { borderLeft: '3px solid #dc2626' },
  '.cm-diagnostic-warning': { borderLeft: '3px solid #d97706' },
  '.cm-lint-marker': { width: '0.9em', height: '0.9em' },
  '.cm-panels': { backgroundColor: 'var(--surface-muted)', color: 'var(--fg)' },
  '.cm-panels.cm-panels-bottom': { borderTop: '1px solid var(--line)' },
  '.cm-panel.cm-panel-lint ul [aria-selected]': { backgroundColor: 'color-mix(in srgb, var(--accent) 15%, transparent)', color: 'var(--fg)' },
})

export type SetupOptions = Readonly<{ format: TextFormat; onSave?: () => void; readOnly?: boolean }>

/** CodeMirror's basicSetup, assembled from the @codemirror packages the project has. */
export function editorSetup({ format, onSave, readOnly }: SetupOptions): Extension[] {
  return [
    lineNumbers(),
    highlightActiveLineGutter(),
    highlightSpecialChars(),
    foldGutter(),
    lintGutter(),
    drawSelection(),
    EditorState.allowMultipleSelections.of(true),
    indentOnInput(),
    indentUnit.of(INDENT),
    EditorState.tabSize.of(2),
    syntaxHighlighting(highlight),
    bracketMatching(),
    closeBrackets(),
    highlightActiveLine(),
    history(),
    theme,
    format === 'yaml' ? yaml() : json(),
    EditorState.readOnly.of(readOnly ?? false),
    keymap.of([
      { key: 'Mod-s', run: () => (onSave?.(), true), preventDefault: true },
      { key: 'Enter', run: insertNewlineAndIndent },
      { key: 'Tab', run: indentOrSpaces },
      { key: 'Shift-Tab', run: indentLess },
      ...closeBracketsKeymap,
      ...historyKeymap,
      ...defaultKeymap,
      ...foldKeymap,
      ...lintKeymap,
    ]),
    EditorView.contentAttributes.of({ 'aria-multiline': 'true' }),
  ]
}
