'use client'

import { useMutation, useQueryClient } from '@tanstack/react-query'
import { FileUp, Info, LoaderCircle, TriangleAlert } from 'lucide-react'
import { useRouter } from 'next/navigation'
import { Dialog } from 'radix-ui'
import { useId, useState, type ChangeEvent, type ReactNode } from 'react'
import type { ImportFinding, ImportMode, ImportResult } from '@/server/contract'
import { ApiError } from '../api'
import { ResourceChangeList } from '../diff/resource-change-list'
import { fleetQueries } from '../fleets/queries'
import { Button } from '../ui/button'
import { ErrorNotice } from '../ui/error-notice'
import { useToast } from '../ui/toast-context'
import { resourceHrefs } from './kinds'
import { draftQueries, importIntoDraft, type ImportRequest } from './queries'

const FORMAT_LABEL: Readonly<Record<ImportResult['format'], string>> = { bootstrap: 'an Envoy bootstrap', 'config-dump': 'an Envoy config dump', bundle: 'a Legation bundle' }

function Choice({ children, testId, ...input }: { type: 'checkbox' | 'radio'; name?: string; checked: boolean; onChange: () => void; testId: string; children: ReactNode }) {
  return (
    <label className="inline-flex items-center gap-2">
      <input {...input} data-testid={testId} />
      {children}
    </label>
  )
}

function FindingList({ findings }: { findings: readonly ImportFinding[] }) {
  if (findings.length === 0) return null
  const warnings = findings.filter((f) => f.severity === 'warning').length
  return (
    <section aria-label="Findings" data-testid="import-findings" className="overflow-hidden rounded-md border border-line text-sm">
      <header className="border-b border-line bg-surface-muted/60 px-3 py-2 font-medium">
        {findings.length} part{findings.length === 1 ? '' : 's'} not taken over as written{warnings > 0 ? ` (${warnings} warning${warnings === 1 ? '' : 's'})` : ''}
      </header>
      <ul className="max-h-56 divide-y divide-line overflow-y-auto">
        {findings.map((f, i) => (
          <li key={`${f.code}/${f.path}/${i}`} className="flex items-start gap-2 px-3 py-1.5" data-testid="import-finding" data-code={f.code} data-severity={f.severity}>
            {f.severity === 'warning' ? <TriangleAlert aria-label="warning" className="mt-0.5 size-3.5 shrink-0 text-amber-700 dark:text-amber-300" /> : <Info aria-label="info" className="mt-0.5 size-3.5 shrink-0 text-fg-subtle" />}
            <span className="min-w-0">
              <span className="font-mono text-xs break-all text-fg-muted">
                {f.path || '(top)'}
                {f.line === null ? '' : ` · line ${f.line}`}
              </span>
              <span className="block first-letter:uppercase">{f.message}</span>
            </span>
          </li>
        ))}
      </ul>
    </section>
  )
}

/**
 * Import an existing Envoy config into the fleet's draft (POST …/import): paste or upload an
 * envoy.yaml, a config dump or a bundle → preview (a dry run: what it adds, changes and removes, and
 * the findings) → apply exactly what was previewed (If-Match of the draft revision the preview saw)
 * → the Changes page, to review and commit. Editors only (the caller renders it for them).
 */
export function ImportDialog({ fleet, open, onOpenChange }: { fleet: string; open: boolean; onOpenChange: (open: boolean) => void }) {
  const ids = useId()
  const router = useRouter()
  const toast = useToast()
  const queryClient = useQueryClient()
  const [content, setContent] = useState('')
  const [fileName, setFileName] = useState<string | null>(null)
  const [splitRoutes, setSplitRoutes] = useState(true)
  const [splitEndpoints, setSplitEndpoints] = useState(true)
  const [mode, setMode] = useState<ImportMode>('replace')
  const [preview, setPreview] = useState<ImportResult | null>(null)

  const request = (): ImportRequest => ({ content, options: { splitRoutes, splitEndpoints, mode } })
  const previewing = useMutation({ mutationFn: () => importIntoDraft(fleet, { ...request(), dryRun: true }), onSuccess: setPreview })
  const applying = useMutation({
    mutationFn: (seen: ImportResult) => importIntoDraft(fleet, request(), seen.previousDraftRevision),
    onSuccess: async (done) => {
      toast({ tone: 'success', title: `Imported into the draft of ${fleet}`, description: `${done.counts.added} added, ${done.counts.modified} changed, ${done.counts.removed} removed. Review and commit.` })
      await Promise.all([queryClient.invalidateQueries({ queryKey: draftQueries.fleet(fleet) }), queryClient.invalidateQueries({ queryKey: fleetQueries.all() })])
      onOpenChange(false)
      router.push(resourceHrefs.changes(fleet))
    },
  })
  const pending = previewing.isPending || applying.isPending
  // Any edit of the input makes the preview stale: it is shown again only for what will be applied.
  const edited = () => {
    setPreview(null)
    previewing.reset()
    applying.reset()
  }
  const change = (apply: () => void) => {
    apply()
    edited()
  }
  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0]
    if (!file) return
    setContent(await file.text())
    setFileName(file.name)
    edited()
  }
  const error = applying.error ?? previewing.error
  const conflict = error instanceof ApiError && error.code === 'DRAFT.CONFLICT'

  return (
    <Dialog.Root open={open} onOpenChange={(next) => !pending && onOpenChange(next)}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-zinc-950/50" />
        <Dialog.Content
          className="fixed top-1/2 left-1/2 z-50 flex max-h-[calc(100vh-4rem)] w-[min(56rem,calc(100vw-2rem))] -translate-x-1/2 -translate-y-1/2 flex-col overflow-hidden rounded-lg border border-line bg-surface text-fg shadow-2xl"
          data-testid="import-dialog"
        >
          <div className="border-b border-line px-5 py-3.5">
            <Dialog.Title className="text-base font-semibold">Import an Envoy config into {fleet}</Dialog.Title>
            <Dialog.Description className="mt-1 text-sm text-fg-muted">
              An envoy.yaml (static bootstrap), an admin /config_dump or a Legation bundle, YAML or JSON. You see what it changes in the draft before anything is written.
            </Dialog.Description>
          </div>
          <div className="min-h-0 flex-1 space-y-4 overflow-y-auto px-5 py-4 text-sm">
            <div className="space-y-1.5">
              <div className="flex items-center justify-between gap-2">
                <label htmlFor={`${ids}-content`} className="font-medium">
                  Config
                </label>
                <label className="inline-flex cursor-pointer items-center gap-1.5 rounded-md border border-line-strong px-2 py-1 text-xs hover:bg-surface-muted focus-within:outline-2 focus-within:outline-accent">
                  <FileUp aria-hidden className="size-3.5" />
                  {fileName ? `From ${fileName}` : 'Upload a file'}
                  <input type="file" accept=".yaml,.yml,.json,application/json,application/yaml,text/yaml" className="sr-only" onChange={(e) => void onFile(e)} data-testid="import-file" />
                </label>
              </div>
              <textarea
                id={`${ids}-content`}
                value={content}
                onChange={(e) => {
                  setContent(e.target.value)
                  setFileName(null)
                  edited()
                }}
                spellCheck={false}
                rows={12}
                placeholder={'static_resources:\n  listeners:\n  - name: listener_0\n    …'}
                className="w-full resize-y rounded-md border border-line-strong bg-surface p-2 font-mono text-xs placeholder:text-fg-subtle focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-accent"
                data-testid="import-content"
              />
            </div>
            <fieldset className="flex flex-wrap gap-x-6 gap-y-2">
              <legend className="sr-only">Options</legend>
              <Choice type="checkbox" checked={splitRoutes} onChange={() => change(() => setSplitRoutes(!splitRoutes))} testId="import-split-routes">
                Serve inline routes over RDS
              </Choice>
              <Choice type="checkbox" checked={splitEndpoints} onChange={() => change(() => setSplitEndpoints(!splitEndpoints))} testId="import-split-endpoints">
                Serve static endpoints over EDS
              </Choice>
              <Choice type="radio" name={`${ids}-mode`} checked={mode === 'replace'} onChange={() => change(() => setMode('replace'))} testId="import-replace">
                Replace the draft
              </Choice>
              <Choice type="radio" name={`${ids}-mode`} checked={mode === 'merge'} onChange={() => change(() => setMode('merge'))} testId="import-merge">
                Merge into the draft
              </Choice>
            </fieldset>
            {error ? <ErrorNotice title={conflict ? 'The draft changed since the preview: preview again' : 'The import was refused; nothing was written'} error={error} /> : null}
            {preview ? (
              <div className="space-y-3" data-testid="import-preview">
                <p role="status" className="font-medium" data-testid="import-summary">
                  Read as {FORMAT_LABEL[preview.format]}: {preview.counts.added} added, {preview.counts.modified} changed, {preview.counts.removed} removed, {preview.counts.unchanged} unchanged
                </p>
                <FindingList findings={preview.findings} />
                <ResourceChangeList changes={preview.changes} empty={<p className="text-fg-muted">The draft already is this config: nothing to import.</p>} />
              </div>
            ) : null}
          </div>
          <div className="flex justify-end gap-2 border-t border-line bg-surface-muted/40 px-5 py-3">
            <Dialog.Close asChild>
              <Button disabled={pending}>Cancel</Button>
            </Dialog.Close>
            {preview === null ? (
              <Button variant="primary" onClick={() => previewing.mutate()} disabled={pending || content.trim() === ''} data-testid="import-preview-button">
                {previewing.isPending ? <LoaderCircle aria-hidden className="size-4 animate-spin" /> : null}
                Preview
              </Button>
            ) : preview.changes.length > 0 ? (
              <Button variant="primary" onClick={() => applying.mutate(preview)} disabled={pending} data-testid="import-apply">
                {applying.isPending ? <LoaderCircle aria-hidden className="size-4 animate-spin" /> : null}
                Import {preview.changes.length} change{preview.changes.length === 1 ? '' : 's'}
              </Button>
            ) : null}
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  )
}
