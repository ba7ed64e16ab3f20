'use client'

import { keepPreviousData, useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query'
import { Eye, FileWarning, History, LoaderCircle, Lock, Save, SearchX, TriangleAlert, Undo2 } from 'lucide-react'
import Link from 'next/link'
import { usePathname, useRouter } from 'next/navigation'
import { Tabs } from 'radix-ui'
import { useCallback, useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react'
import type { DraftCheckResult, DraftResourceView, Finding, ResourceJson } from '@/server/contract'
import { ApiError, type ApiIssue } from '../api'
import { useCan } from '../auth/use-can'
import { AnalysisFindings, countLabel } from '../changes/analysis-findings'
import { CodeEditor, type EditorDiagnostic } from '../editor/code-editor'
import { locatePath } from '../editor/line-of-path'
import { useEditorSchema } from '../editor/use-editor-schema'
import { formatResource, parseResourceText, type TextFormat } from '../editor/parse-text'
import { fleetQueries } from '../fleets/queries'
import { deepEqual } from '../forms/json'
import { formFit, hasForm, ResourceForm } from '../forms/resource-form'
import type { Pickers } from '../forms/use-resource-form'
import { Button } from '../ui/button'
import { cn } from '../ui/cn'
import { EmptyState } from '../ui/empty-state'
import { ErrorNotice } from '../ui/error-notice'
import { sectionHref } from '../shell/fleet-href'
import { RelativeTime } from '../ui/relative-time'
import { useToast } from '../ui/toast-context'
import { useSettled } from '../ui/use-settled'
import { ResourceLinksPanel } from '../topology/resource-links'
import { FleetPageHeader } from '../versions/fleet-page-header'
import { ConfirmDialog } from './confirm-dialog'
import { ConflictDialog } from './conflict-dialog'
import { contentResource, convertContent, type EditorContent } from './editor-content'
import { KIND_INFO, resourceHrefs, type ResourceKind } from './kinds'
import { checkDraftResource, createDraftResource, draftQueries, putDraftResource } from './queries'
import { redactSecret, restoreSecret } from './secret-redaction'
import { newResourceTemplate } from './templates'
import { clearUnsaved, readUnsaved, unsavedKey, writeUnsaved, type EditorView, type UnsavedEdit } from './unsaved-edits'
import { useDraftSync } from './use-draft-sync'
import { useIsClient } from './use-is-client'

type Props = Readonly<{ fleet: string; kind: ResourceKind; /** null: a new resource. */ name: string | null; requestedView: EditorView | null }>

const VIEW_LABEL: Record<EditorView, string> = { form: 'Form', yaml: 'YAML', json: 'JSON' }

function usePickers(fleet: string): Pickers {
  const [clusters, routes, secrets, endpoints] = useQueries({ queries: (['clusters', 'routes', 'secrets', 'endpoints'] as const).map((k) => draftQueries.list(fleet, k)) })
  const names = (d: { resources: DraftResourceView[] } | undefined) => d?.resources.map((r) => r.name)
  const c = names(clusters?.data)
  const r = names(routes?.data)
  const s = names(secrets?.data)
  const e = names(endpoints?.data)
  // Stable identities while the lists do not change: the forms re-render less.
  const key = JSON.stringify([c, r, s, e])
  // eslint-disable-next-line react-hooks/exhaustive-deps
  return useMemo(() => ({ clusters: c, routes: r, secrets: s, endpoints: e }), [key])
}

const NO_FINDINGS: readonly Finding[] = []
/** A problem the check reports for the resource being edited (what a save would be refused for). */
type CheckIssue = DraftCheckResult['issues'][number]
const NO_ISSUES: readonly CheckIssue[] = []

/**
 * The config analysis of what is being edited, before it is saved: POST …/draft/check with the
 * content in place of the saved resource, once typing settles (and again when the draft changes:
 * the key sits under the fleet's draft queries, which live events refresh). Only this resource's
 * findings are returned; `elsewhere` counts the ones the edit leaves in other resources. `issues`:
 * what a save of it would be refused for (an unknown field, a bad enum value, a missing reference),
 * marked in the text editor while typing.
 */
function useLiveFindings(fleet: string, kind: ResourceKind, content: EditorContent, enabled: boolean): { findings: readonly Finding[]; elsewhere: number; issues: readonly CheckIssue[] } {
  const info = KIND_INFO[kind]
  const parsed = useMemo(() => contentResource(content), [content])
  const body = parsed.ok ? JSON.stringify(parsed.value) : null
  const settled = useSettled(body, 400)
  const resource = useMemo(() => (settled === null ? null : (JSON.parse(settled) as ResourceJson)), [settled])
  const resourceName = resource && typeof resource[info.nameField] === 'string' ? (resource[info.nameField] as string) : ''
  const check = useQuery({
    queryKey: [...draftQueries.fleet(fleet), 'check', kind, settled] as const,
    queryFn: ({ signal }) => checkDraftResource(fleet, info.type, resource, signal),
    enabled: enabled && resource !== null && resourceName !== '',
    placeholderData: keepPreviousData,
    retry: false,
  })
  const all = check.data?.findings
  const allIssues = check.data?.issues
  return useMemo(() => {
    const issues = allIssues?.filter((i) => !i.resource || (i.resource.type === info.type && i.resource.name === resourceName)) ?? NO_ISSUES
    if (!all) return { findings: NO_FINDINGS, elsewhere: 0, issues }
    const own = all.filter((f) => f.resource.type === info.type && f.resource.name === resourceName)
    return { findings: own, elsewhere: all.length - own.length, issues }
  }, [all, allIssues, info.type, resourceName])
}

/**
 * Whether the resource as saved in the draft is what proxies get: the same as the active version,
 * different (then a commit serves it), or not served at all (no version yet). Says nothing until known.
 */
function ServedState({ fleet, type, name }: { fleet: string; type: string; name: string }) {
  const { data } = useQuery(draftQueries.servedState(fleet))
  if (!data) return null
  const change = data.changes.find((c) => c.type === type && c.name === name)
  const state = data.activeVersion === null ? 'unserved' : change ? 'pending' : 'served'
  return (
    <span data-testid="resource-served-state" data-state={state}>
      {' · '}
      {state === 'unserved' ? (
        'not served yet: the fleet has no version'
      ) : state === 'served' ? (
        `the same as the served v${data.activeVersion}`
      ) : (
        <>
          {change?.change === 'added' ? `not in the served v${data.activeVersion} yet` : `differs from the served v${data.activeVersion}`}:{' '}
          <Link href={sectionHref('changes', fleet)} className="underline underline-offset-2 hover:text-fg">
            commit it under Changes
          </Link>
        </>
      )}
    </span>
  )
}

/** Edit one resource of the draft (or create one): form, YAML or JSON, with conflicts handled. */
export function ResourceEditorPage({ fleet, kind, name, requestedView }: Props) {
  useDraftSync(fleet)
  const isClient = useIsClient()
  const info = KIND_INFO[kind]
  const query = useQuery({ ...draftQueries.resource(fleet, kind, name ?? ''), enabled: name !== null })
  const pickers = usePickers(fleet)
  // A viewer of the fleet sees the resource read-only: no save, no discard, the editor locked.
  const canEdit = useCan('editor', fleet)
  const title = name === null ? `New ${info.singular}` : `${info.singular[0]!.toUpperCase()}${info.singular.slice(1)} ${name}`
  const header = (
    <FleetPageHeader
      fleet={fleet}
      crumbs={[{ label: 'Resources', href: resourceHrefs.list(fleet, 'listeners') }, { label: info.label, href: resourceHrefs.list(fleet, kind) }, { label: name === null ? 'New' : <span className="font-mono">{name}</span> }]}
      title={
        name === null ? (
          title
        ) : (
          <>
            {info.singular[0]!.toUpperCase()}
            {info.singular.slice(1)} <span className="font-mono">{name}</span>
          </>
        )
      }
      description={
        query.data ? (
          <span data-testid="resource-revision" data-revision={query.data.revision}>
            <abbr title="This resource's own revision: each save of it adds one. It is not the draft's revision (on the Versions page), which counts every save in the fleet's draft." className="no-underline">
              Revision r{query.data.revision}
            </abbr>{' '}
            · changed by {query.data.updatedBy} <RelativeTime iso={query.data.updatedAt} />
            <ServedState fleet={fleet} type={query.data.type} name={query.data.name} />
          </span>
        ) : name === null ? (
          `A new ${info.singular} in the draft of ${fleet}. Proxies get it once the draft is committed.`
        ) : undefined
      }
    />
  )

  if (name === null && !canEdit) {
    return (
      <>
        {header}
        <EmptyState icon={Lock} title={`Creating a ${info.singular} needs the editor role on ${fleet}`} data-testid="read-only-notice">
          <Link href={resourceHrefs.list(fleet, kind)} className="text-accent underline-offset-2 hover:underline">
            Back to the {info.label.toLowerCase()}
          </Link>
        </EmptyState>
      </>
    )
  }
  if (name !== null && query.error && !query.data) {
    const missing = query.error instanceof ApiError && (query.error.code === 'RESOURCE.NOT_FOUND' || query.error.code === 'FLEET.NOT_FOUND')
    return (
      <>
        {header}
        {missing ? (
          <EmptyState icon={SearchX} title={query.error.message} data-testid="resource-not-found">
            <Link href={resourceHrefs.list(fleet, kind)} className="text-accent underline-offset-2 hover:underline">
              Back to the {info.label.toLowerCase()}
            </Link>
          </EmptyState>
        ) : (
          <ErrorNotice title={`Could not load ${info.singular} ${name}`} error={query.error} onRetry={() => void query.refetch()} />
        )}
      </>
    )
  }
  if (!isClient || (name !== null && !query.data)) {
    return (
      <>
        {header}
        <p className="flex items-center gap-2 text-sm text-fg-subtle">
          <LoaderCircle aria-hidden className="size-4 animate-spin" /> Loading…
        </p>
      </>
    )
  }
  return (
    <>
      {header}
      {/* Read-only, the page simply shows the latest revision (a change elsewhere starts it afresh). */}
      <Workbench key={canEdit ? 'edit' : `view-${query.data?.revision ?? 'new'}`} fleet={fleet} kind={kind} name={name} loaded={query.data ?? null} latest={query.data ?? null} requestedView={requestedView} pickers={pickers} readOnly={!canEdit} />
      {/* Who refers to this resource and what it refers to (#15 "used by"). */}
      {name !== null ? (
        <div className="mt-5">
          <ResourceLinksPanel fleet={fleet} kind={kind} name={name} />
        </div>
      ) : null}
    </>
  )
}

type Base = Readonly<{ revision: number | null; resource: ResourceJson }>

/**
 * One save: `body` is what is sent (secrets restored), `shown` what the editor showed (kept for the
 * conflict dialog). `target`: the revision for If-Match, null to overwrite whatever is there, or
 * 'create' to POST (a new resource, or one deleted meanwhile that the operator recreates).
 */
type SaveInput = Readonly<{ body: unknown; shown: ResourceJson; target: number | null | 'create' }>

function isConflict(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'DRAFT.CONFLICT'
}

type WorkbenchProps = Readonly<{
  fleet: string
  kind: ResourceKind
  name: string | null
  /** As loaded when the page opened (null: new resource). */
  loaded: DraftResourceView | null
  /** As the server has it now (refreshed by live events). */
  latest: DraftResourceView | null
  requestedView: EditorView | null
  pickers: Pickers
  /** View only (a viewer of the fleet): nothing can be changed, saved or discarded. */
  readOnly: boolean
}>

function initialContent(kind: ResourceKind, resource: ResourceJson, stored: UnsavedEdit | null, requested: EditorView | null, display: (r: ResourceJson) => ResourceJson): { content: EditorContent; notice: string | null } {
  const fit = (r: ResourceJson) => formFit(kind, r)
  const start: EditorContent = stored
    ? stored.view === 'form' && stored.json
      ? { view: 'form', json: stored.json }
      : { view: stored.view === 'json' ? 'json' : 'yaml', text: stored.text ?? '' }
    : hasForm(kind) && fit(resource).fits
      ? { view: 'form', json: display(resource) }
      : { view: 'yaml', text: formatResource(display(resource), 'yaml') }
  const target = requested === 'form' && !hasForm(kind) ? 'yaml' : requested
  if (target === null) return { content: start, notice: null }
  const converted = convertContent(start, target, fit)
  return converted.ok ? { content: converted.content, notice: null } : { content: start, notice: converted.reason }
}

function Workbench({ fleet, kind, name, loaded, latest, requestedView, pickers, readOnly }: WorkbenchProps) {
  const info = KIND_INFO[kind]
  const router = useRouter()
  const pathname = usePathname()
  const queryClient = useQueryClient()
  const toast = useToast()
  const formId = useId()
  const storageKey = unsavedKey(fleet, kind, name)
  // Secret text may hold key material: it is never written to localStorage. A read-only view has no edits to keep.
  const persist = kind !== 'secrets' && !readOnly
  const display = useCallback((r: ResourceJson) => (kind === 'secrets' ? redactSecret(r) : r), [kind])

  const [initial] = useState(() => {
    const resource = loaded?.resource ?? newResourceTemplate(kind)
    const stored = persist ? readUnsaved(storageKey) : null
    return { base: { revision: loaded?.revision ?? null, resource }, stored, ...initialContent(kind, resource, stored, requestedView, display) }
  })
  const [base, setBase] = useState<Base>(() => ({ ...initial.base, revision: initial.stored ? (initial.stored.baseRevision ?? initial.base.revision) : initial.base.revision }))
  const [content, setContent] = useState<EditorContent>(initial.content)
  const [formSeed, setFormSeed] = useState<ResourceJson>(() => (initial.content.view === 'form' ? initial.content.json : display(initial.base.resource)))
  const [formGeneration, setFormGeneration] = useState(0)
  const [restored, setRestored] = useState<UnsavedEdit | null>(initial.stored)
  const [notice, setNotice] = useState<string | null>(initial.notice)
  // Problems the Changes page found for this resource (a commit would refuse them), when it was just there.
  const [issues, setIssues] = useState<readonly ApiIssue[]>(() =>
    name === null ? [] : (queryClient.getQueryData(draftQueries.diff(fleet).queryKey)?.issues.filter((i) => i.resource?.type === info.type && i.resource.name === name) ?? []),
  )
  const [fromReview] = useState(() => issues.length > 0)
  const [conflict, setConflict] = useState<{ mine: ResourceJson; shown: ResourceJson } | null>(null)
  const [confirmDiscard, setConfirmDiscard] = useState(false)
  const finished = useRef(false)

  // Like the other mutations of the console (commit, delete, rollback): the save is a useMutation.
  // A conflict (409 on If-Match) opens the conflict dialog and keeps the edits; any other refusal is
  // shown with its issues at their fields or lines.
  const saveMutation = useMutation({
    mutationFn: ({ body, target }: SaveInput) =>
      name === null || target === 'create' ? createDraftResource(fleet, kind, body) : putDraftResource(fleet, kind, name, body, target ?? undefined),
    onSuccess: (saved) => {
      finished.current = true
      clearUnsaved(storageKey)
      queryClient.setQueryData(draftQueries.resource(fleet, kind, saved.name).queryKey, saved)
      void queryClient.invalidateQueries({ queryKey: draftQueries.lists(fleet) })
      void queryClient.invalidateQueries({ queryKey: fleetQueries.all() })
      const own = saved.findings.filter((f) => f.resource.type === info.type && f.resource.name === saved.name)
      toast({
        tone: 'success',
        title: `Saved ${info.singular} ${saved.name}`,
        description: `Revision r${saved.revision} is in the draft; review and commit it under Changes.${own.length > 0 ? ` The config analysis has ${countLabel(own)} for it (listed under Changes).` : ''}`,
      })
      setConflict(null)
      router.push(resourceHrefs.list(fleet, kind))
    },
    onError: (err, { body, shown }) => {
      if (isConflict(err)) {
        setConflict({ mine: body as ResourceJson, shown })
        return
      }
      setIssues(err instanceof ApiError ? err.issues : [])
      setConflict(null)
    },
  })
  const saving = saveMutation.isPending
  const saveError = saveMutation.error && !isConflict(saveMutation.error) ? saveMutation.error : null
  // Secrets are not analysed (and their text shows <set:…> markers); a viewer cannot run the check.
  const live = useLiveFindings(fleet, kind, content, !readOnly && kind !== 'secrets')

  const view = content.view
  const dirty = useMemo(() => {
    const parsed = contentResource(content)
    return !parsed.ok || !deepEqual(parsed.value, display(base.resource))
  }, [content, base.resource, display])

  // Keep unsaved work until it is saved or discarded.
  useEffect(() => {
    if (!persist || finished.current) return
    if (!dirty) clearUnsaved(storageKey)
    else writeUnsaved(storageKey, { v: 1, baseRevision: base.revision, view: content.view, ...(content.view === 'form' ? { json: content.json } : { text: content.text }), savedAt: new Date().toISOString() })
  }, [persist, dirty, storageKey, base.revision, content])

  const replaceContent = (next: EditorContent): void => {
    setContent(next)
    if (next.view === 'form') {
      setFormSeed(next.json)
      setFormGeneration((g) => g + 1)
    }
  }

  const switchView = (target: EditorView): void => {
    const converted = convertContent(content, target, (r) => formFit(kind, r))
    if (!converted.ok) {
      setNotice(converted.reason)
      return
    }
    setNotice(null)
    replaceContent(converted.content)
    router.replace(`${pathname}?view=${target}`, { scroll: false })
  }

  /** Back to a version from the server: the one loaded, or theirs after a conflict. */
  const resetTo = (resource: ResourceJson, revision: number | null): void => {
    setBase({ revision, resource })
    const fits = hasForm(kind) && formFit(kind, resource).fits
    replaceContent(view === 'form' && fits ? { view: 'form', json: display(resource) } : { view: view === 'json' ? 'json' : 'yaml', text: formatResource(display(resource), view === 'json' ? 'json' : 'yaml') })
    setIssues([])
    saveMutation.reset()
    setRestored(null)
    clearUnsaved(storageKey)
  }

  const save = (shown: ResourceJson, target: number | null | 'create' = base.revision): void => {
    saveMutation.reset()
    const nameField = info.nameField
    const resourceName = typeof shown[nameField] === 'string' ? (shown[nameField] as string).trim() : ''
    if (resourceName === '') {
      setIssues([{ path: nameField, message: `the ${info.singular} needs a name` }])
      return
    }
    let body: unknown = shown
    if (kind === 'secrets') {
      const restoredSecret = restoreSecret(shown, base.resource)
      if (restoredSecret.missing.length > 0) {
        setIssues(restoredSecret.missing.map((path) => ({ path, message: 'this hidden value has nothing to stand for here; paste the value itself' })))
        return
      }
      body = restoredSecret.value
    }
    saveMutation.mutate({ body, shown, target })
  }

  const saveText = (): void => {
    if (content.view === 'form') return
    const parsed = parseResourceText(content.text, content.view)
    if (!parsed.ok) {
      setNotice(`Fix the ${content.view.toUpperCase()} syntax first: line ${parsed.problems[0]!.line}: ${parsed.problems[0]!.message}`)
      return
    }
    setNotice(null)
    save(parsed.value as ResourceJson)
  }

  const changedOnServer = latest !== null && base.revision !== null && latest.revision !== base.revision
  const views: EditorView[] = hasForm(kind) ? ['form', 'yaml', 'json'] : ['yaml', 'json']

  return (
    <div className="space-y-3" data-testid="resource-editor" data-view={view} data-dirty={dirty ? 'true' : 'false'}>
      <Tabs.Root value={view} onValueChange={(v) => switchView(v as EditorView)} activationMode="manual">
        <div className="sticky top-0 z-20 -mx-4 flex flex-wrap items-center gap-3 border-b border-line bg-canvas/95 px-4 py-2 backdrop-blur md:-mx-8 md:px-8">
          <Tabs.List aria-label="Edit as" className="inline-flex rounded-md border border-line-strong bg-surface p-0.5 shadow-xs">
            {views.map((v) => (
              <Tabs.Trigger
                key={v}
                value={v}
                data-testid={`view-${v}`}
                className="h-7 rounded px-3 text-xs font-medium text-fg-subtle transition-colors hover:text-fg focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-accent data-[state=active]:bg-surface-muted data-[state=active]:text-fg"
              >
                {VIEW_LABEL[v]}
              </Tabs.Trigger>
            ))}
          </Tabs.List>
          {readOnly ? (
            <span className="inline-flex items-center gap-1 text-xs text-fg-subtle" data-testid="read-only-indicator">
              <Eye aria-hidden className="size-3.5" />
              Read-only: you have the viewer role on {fleet}
            </span>
          ) : dirty ? (
            <span className="text-xs text-amber-700 dark:text-amber-400" data-testid="unsaved-indicator">
              Unsaved changes{persist ? ' (kept in this browser)' : ''}
            </span>
          ) : (
            <span className="text-xs text-fg-subtle">No changes</span>
          )}
          <div className="ml-auto flex items-center gap-2">
            <Link href={resourceHrefs.list(fleet, kind)} className="text-xs text-fg-muted hover:text-fg hover:underline">
              Back to {info.label.toLowerCase()}
            </Link>
            {readOnly ? null : (
              <>
                <Button size="sm" variant="ghost" disabled={!dirty || saving} onClick={() => setConfirmDiscard(true)} data-testid="discard-edits">
                  <Undo2 aria-hidden className="size-3.5" />
                  Discard changes
                </Button>
                {view === 'form' ? (
                  <Button size="sm" variant="primary" type="submit" form={formId} disabled={saving} data-testid="save-resource">
                    {saving ? <LoaderCircle aria-hidden className="size-3.5 animate-spin" /> : <Save aria-hidden className="size-3.5" />}
                    {name === null ? 'Create' : 'Save'}
                  </Button>
                ) : (
                  <Button size="sm" variant="primary" onClick={saveText} disabled={saving} data-testid="save-resource" title="Ctrl+S / ⌘S in the editor">
                    {saving ? <LoaderCircle aria-hidden className="size-3.5 animate-spin" /> : <Save aria-hidden className="size-3.5" />}
                    {name === null ? 'Create' : 'Save'}
                  </Button>
                )}
              </>
            )}
          </div>
        </div>

        <div className="mt-3 space-y-3">
          {restored ? (
            <Banner tone="info" icon={<History aria-hidden className="size-4" />} testId="restored-banner">
              Restored edits you had not saved (<RelativeTime iso={restored.savedAt} />)
              {restored.baseRevision !== null && loaded && restored.baseRevision !== loaded.revision ? `, made on revision r${restored.baseRevision}; the draft has r${loaded.revision} now, so saving will ask which to keep` : ''}.
              <button type="button" className="ml-2 font-medium underline underline-offset-2" onClick={() => setRestored(null)}>
                Keep them
              </button>
              <button type="button" className="ml-2 font-medium underline underline-offset-2" onClick={() => setConfirmDiscard(true)}>
                Discard them
              </button>
            </Banner>
          ) : null}
          {changedOnServer && !conflict ? (
            <Banner tone="warning" icon={<TriangleAlert aria-hidden className="size-4" />} testId="changed-banner">
              {latest.updatedBy} changed this {info.singular} after you opened it (now r{latest.revision}). Saving will ask whether to overwrite it.
            </Banner>
          ) : null}
          {notice ? (
            <Banner tone="warning" icon={<FileWarning aria-hidden className="size-4" />} testId="editor-notice">
              {notice}
            </Banner>
          ) : null}
          {saveError ? <SaveError error={saveError} view={view} /> : null}
          {fromReview && !saveError && issues.length > 0 ? (
            <Banner tone="warning" icon={<TriangleAlert aria-hidden className="size-4" />} testId="review-issues">
              A commit would refuse this {info.singular}: {issues.length === 1 ? 'the problem is' : `${issues.length} problems are`} marked {view === 'form' ? 'at the fields below' : 'in the editor'}.
            </Banner>
          ) : null}

          <AnalysisFindings
            fleet={fleet}
            findings={live.findings}
            linkResources={false}
            testId="resource-findings"
            title={`Config analysis of this ${info.singular}, unsaved edits included: ${countLabel(live.findings)}${view === 'form' ? '' : ' (marked in the editor)'}${live.elsewhere > 0 ? `; ${live.elsewhere} more in other resources (see Changes)` : ''}`}
          />

          <Tabs.Content value="form" tabIndex={-1}>
            {content.view === 'form' ? (
              // A disabled fieldset disables every control of the form at once, row buttons included.
              <fieldset disabled={readOnly} className="contents" data-testid={readOnly ? 'read-only-form' : undefined}>
                <ResourceForm
                  key={formGeneration}
                  kind={kind}
                  formId={formId}
                  fleet={fleet}
                  mode={name === null ? 'create' : 'edit'}
                  initial={formSeed}
                  issues={issues}
                  findings={live.findings}
                  pickers={pickers}
                  onChange={(json) => setContent({ view: 'form', json })}
                  onSubmit={(json) => save(json)}
                />
              </fieldset>
            ) : null}
          </Tabs.Content>
          {(['yaml', 'json'] as const).map((format) => (
            <Tabs.Content key={format} value={format} tabIndex={-1}>
              {content.view === format ? (
                <TextEditor format={format} text={content.text} issues={issues} checkIssues={live.issues} findings={live.findings} onChange={(text) => setContent({ view: format, text })} onSave={readOnly ? undefined : saveText} kind={kind} readOnly={readOnly} />
              ) : null}
            </Tabs.Content>
          ))}
        </div>
      </Tabs.Root>

      {conflict && name !== null ? (
        <ConflictDialog
          fleet={fleet}
          kind={kind}
          name={name}
          mine={conflict.shown}
          // The revision the edit started from, when this browser has it: after restoring edits made on an
          // older revision it only has the loaded one. Secrets are not merged (their keys are not shown).
          base={kind !== 'secrets' && (base.resource !== loaded?.resource || base.revision === loaded?.revision) ? display(base.resource) : null}
          display={display}
          pending={saving}
          onClose={() => setConflict(null)}
          onOverwrite={(theirs) => save(conflict.shown, theirs.revision)}
          onRecreate={() => save(conflict.shown, 'create')}
          onSaveMerged={(merged, theirs) => save(merged, theirs.revision)}
          onLoadTheirs={(theirs) => {
            resetTo(theirs.resource, theirs.revision)
            setConflict(null)
            toast({ tone: 'success', title: `Loaded revision r${theirs.revision}`, description: 'Your edits were discarded.' })
          }}
        />
      ) : null}
      <ConfirmDialog
        open={confirmDiscard}
        onOpenChange={setConfirmDiscard}
        title="Discard your changes?"
        description={`The ${info.singular} goes back to ${latest ? `revision r${latest.revision}` : 'where it started'}; what you typed is lost.`}
        confirmLabel="Discard changes"
        onConfirm={() => {
          resetTo(latest?.resource ?? initial.base.resource, latest?.revision ?? null)
          setConfirmDiscard(false)
        }}
        data-testid="discard-edits-dialog"
      />
    </div>
  )
}

function Banner({ tone, icon, children, testId }: { tone: 'info' | 'warning'; icon: ReactNode; children: ReactNode; testId: string }) {
  return (
    <div
      role="status"
      data-testid={testId}
      className={cn(
        'flex items-start gap-2 rounded-md border px-3 py-2 text-sm',
        tone === 'info' ? 'border-indigo-200 bg-indigo-50 text-indigo-900 dark:border-indigo-900 dark:bg-indigo-950/60 dark:text-indigo-200' : 'border-amber-200 bg-amber-50 text-amber-900 dark:border-amber-900 dark:bg-amber-950/60 dark:text-amber-200',
      )}
    >
      <span className="mt-0.5 shrink-0">{icon}</span>
      <div className="min-w-0">{children}</div>
    </div>
  )
}

/** The server's refusal; its issues are shown at their fields (form) or lines (editor), so only counted here. */
function SaveError({ error, view }: { error: unknown; view: EditorView }) {
  if (error instanceof ApiError && error.issues.length > 0) {
    return (
      <div role="alert" data-testid="save-error" className="flex items-start gap-2 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/60 dark:text-red-200">
        <TriangleAlert aria-hidden className="mt-0.5 size-4 shrink-0" />
        <div className="min-w-0">
          <p className="font-medium">Not saved: the server refused it.</p>
          <p className="break-words first-letter:uppercase">{error.message}</p>
          <p className="mt-0.5 text-xs opacity-80">
            {error.issues.length} problem{error.issues.length === 1 ? ' is' : 's are'} marked {view === 'form' ? 'at the fields below' : 'in the editor'}. <span className="font-mono">{error.code}</span>
          </p>
        </div>
      </div>
    )
  }
  return <ErrorNotice title="Not saved" error={error} />
}

function TextEditor({
  format,
  text,
  issues,
  checkIssues,
  findings,
  onChange,
  onSave,
  kind,
  readOnly,
}: {
  format: TextFormat
  text: string
  issues: readonly ApiIssue[]
  /** What the debounced check says a save would be refused for (while typing). */
  checkIssues: readonly CheckIssue[]
  /** The config analysis' findings for this resource: marked as errors or warnings at their paths. */
  findings: readonly Finding[]
  onChange: (text: string) => void
  onSave: (() => void) | undefined
  kind: ResourceKind
  readOnly: boolean
}) {
  const diagnose = useCallback(
    (current: string): EditorDiagnostic[] => {
      const parsed = parseResourceText(current, format)
      const out: EditorDiagnostic[] = parsed.ok ? [] : parsed.problems.map((p) => ({ from: p.from, to: p.to, severity: 'error', message: p.message, source: `${format.toUpperCase()} syntax` }))
      for (const issue of issues) {
        const at = locatePath(current, issue.path)
        if (at) out.push({ from: at.from, to: at.to, severity: 'error', message: issue.path ? `${issue.path}: ${issue.message}` : issue.message, source: 'Refused by the server' })
      }
      for (const f of findings) {
        const at = locatePath(current, f.path)
        if (at) out.push({ from: at.from, to: at.to, severity: f.severity, message: `${f.path}: ${f.message}`, source: `Config analysis (${f.code})` })
      }
      // A refused save already marks the same problems; the check while typing adds the ones it has not seen.
      const refused = new Set(issues.map((i) => `${i.path}\n${i.message}`))
      for (const i of checkIssues) {
        const at = refused.has(`${i.path}\n${i.message}`) ? null : locatePath(current, i.path)
        if (at) out.push({ from: at.from, to: at.to, severity: 'error', message: i.path ? `${i.path}: ${i.message}` : i.message, source: `Checked while typing (${i.code})` })
      }
      return out
    },
    [format, issues, checkIssues, findings],
  )
  const lintKey = useMemo(() => [issues, checkIssues, findings], [issues, checkIssues, findings])
  const schema = useEditorSchema(KIND_INFO[kind].type)
  const placed = useMemo(() => issues.map((issue) => ({ issue, line: locatePath(text, issue.path)?.line ?? null })), [issues, text])
  const syntax = useMemo(() => parseResourceText(text, format), [text, format])
  return (
    <div className="space-y-2">
      {placed.length > 0 ? (
        <ul className="space-y-0.5 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-xs text-red-800 dark:border-red-900 dark:bg-red-950/60 dark:text-red-200" data-testid="editor-issues">
          {placed.map(({ issue, line }) => (
            <li key={`${issue.path}:${issue.message}`} data-testid="editor-issue" data-line={line ?? ''}>
              {line !== null ? <span className="font-medium">line {line}: </span> : null}
              {issue.path ? <span className="font-mono">{issue.path}: </span> : null}
              {issue.message}
            </li>
          ))}
        </ul>
      ) : null}
      <CodeEditor
        format={format}
        value={text}
        onChange={onChange}
        diagnose={diagnose}
        lintKey={lintKey}
        {...(onSave ? { onSave } : {})}
        readOnly={readOnly}
        schema={schema}
        label={`${KIND_INFO[kind].singular} as ${format.toUpperCase()}`}
        className="h-[max(24rem,calc(100vh-17rem))]"
      />
      <p className="flex flex-wrap justify-between gap-2 text-xs text-fg-subtle">
        <span data-testid="syntax-status" data-ok={syntax.ok ? 'true' : 'false'}>
          {syntax.ok ? `Valid ${format.toUpperCase()}` : `${syntax.problems.length} syntax error${syntax.problems.length === 1 ? '' : 's'}, first on line ${syntax.problems[0]!.line}`}
          {syntax.ok && checkIssues.length > 0 ? (
            <span data-testid="check-issues" data-count={checkIssues.length}>
              {' · '}
              {checkIssues.length === 1 ? '1 problem' : `${checkIssues.length} problems`} a save would be refused for, marked in the editor
            </span>
          ) : null}
          {kind === 'secrets' ? ' · private keys show as <set:…>; leave the marker to keep the stored key' : ''}
        </span>
        <span>{readOnly ? 'Read-only · hover a field for its docs' : 'Ctrl+S saves · Ctrl+Space completes Envoy fields, hover explains them'} · Esc then Tab leaves the editor</span>
      </p>
    </div>
  )
}
