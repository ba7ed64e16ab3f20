'use client'

import { linter, setDiagnostics, type Diagnostic } from '@codemirror/lint'
import { EditorState } from '@codemirror/state'
import { EditorView } from '@codemirror/view'
import { useEffect, useRef } from 'react'
import { cn } from '../ui/cn'
import { envoyAssist } from './envoy-assist'
import type { SchemaLoader } from './envoy-schema'
import type { TextFormat } from './parse-text'
import { editorSetup } from './setup'

export type EditorDiagnostic = Readonly<{ from: number; to: number; severity: 'error' | 'warning'; message: string; source?: string }>

/** Completion and hover docs from the Envoy schema: the resource's message and how to fetch a message. */
export type EditorSchema = Readonly<{ rootMessage: string; load: SchemaLoader }>

type Props = Readonly<{
  value: string
  onChange: (text: string) => void
  format: TextFormat
  /** Recomputed from the current text on every lint pass (parse errors, and server issues by path). */
  diagnose: (text: string) => readonly EditorDiagnostic[]
  /** Changing it re-runs `diagnose` at once and shows the result (new server issues or findings arrived). */
  lintKey?: unknown
  onSave?: () => void
  label: string
  className?: string
  readOnly?: boolean
  /** The Envoy message the text is (completion of fields, enum values and `@type`; hover docs). */
  schema?: EditorSchema
}>

/** `diagnose` on the editor's text, each range kept inside the document. */
function diagnostics(v: EditorView, diagnose: Props['diagnose']): Diagnostic[] {
  const length = v.state.doc.length
  return diagnose(v.state.doc.toString()).map((d) => ({ ...d, from: Math.min(d.from, length), to: Math.min(Math.max(d.to, d.from), length) }))
}

/**
 * CodeMirror 6 as a controlled-enough React component: the editor owns the text while it is
 * mounted and reports every change; a different `value` from outside (reload, discard) replaces
 * the document. One EditorView per format, created in an effect, so nothing runs on the server.
 */
export function CodeEditor({ value, onChange, format, diagnose, lintKey, onSave, label, className, readOnly, schema }: Props) {
  const host = useRef<HTMLDivElement>(null)
  const view = useRef<EditorView | null>(null)
  const latest = useRef({ onChange, diagnose, onSave, value, schema })
  useEffect(() => {
    latest.current = { onChange, diagnose, onSave, value, schema }
  })
  const rootMessage = schema?.rootMessage ?? null

  useEffect(() => {
    if (!host.current) return
    const lint = linter((v): Diagnostic[] => diagnostics(v, latest.current.diagnose), { delay: 250 })
    const editor = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: latest.current.value,
        extensions: [
          editorSetup({ format, onSave: () => latest.current.onSave?.(), ...(readOnly === undefined ? {} : { readOnly }) }),
          lint,
          rootMessage === null ? [] : envoyAssist({ format, rootMessage, readOnly: readOnly ?? false, load: (message, categories) => latest.current.schema!.load(message, categories) }),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) latest.current.onChange(update.state.doc.toString())
          }),
          EditorView.contentAttributes.of({ 'aria-label': label }),
        ],
      }),
    })
    view.current = editor
    return () => {
      editor.destroy()
      view.current = null
    }
  }, [format, label, readOnly, rootMessage])

  // A new value from outside (not the echo of our own onChange): replace the document.
  useEffect(() => {
    const editor = view.current
    if (!editor) return
    const current = editor.state.doc.toString()
    if (current !== value) editor.dispatch({ changes: { from: 0, to: current.length, insert: value } })
  }, [value])

  // forceLinting would not do: it only hurries a lint pass already scheduled by a change of the text,
  // so issues that arrive after the last pass (a refused save) would wait for the next keystroke.
  useEffect(() => {
    const editor = view.current
    if (editor) editor.dispatch(setDiagnostics(editor.state, diagnostics(editor, latest.current.diagnose)))
  }, [lintKey])

  return <div ref={host} data-testid="code-editor" data-format={format} className={cn('overflow-hidden rounded-md border border-line-strong [&_.cm-editor]:h-full', className)} />
}
