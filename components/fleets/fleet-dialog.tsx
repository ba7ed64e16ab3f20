'use client'

import { zodResolver } from '@hookform/resolvers/zod'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { TriangleAlert } from 'lucide-react'
import { useId, useState } from 'react'
import { FormProvider, useForm, useFormContext, useWatch } from 'react-hook-form'
import { SelectorTakeoverDetailsSchema, type FleetSummary, type SelectorTakeoverDetails } from '@/server/contract'
import { FormDialog } from '../admin/form-dialog'
import { applyServerIssues } from '../admin/server-issues'
import { ApiError } from '../api'
import { FieldError, inputClass, SelectField, TextField, useFieldError } from '../forms/fields'
import { cn } from '../ui/cn'
import { useToast } from '../ui/toast-context'
import { createFleet, fleetQueries, updateFleet } from './queries'
import { FleetFormSchema, formValuesOf, selectorFromForm, type FleetFormValues } from './schemas'

const FIELDS = ['name', 'description', 'nodeIdGlob', 'nodeCluster', 'metadata'] as const

/** The server's issue paths (`selector.nodeIdGlob`, `selector`) at the form's fields. */
function toFormIssues(err: unknown): unknown {
  if (!(err instanceof ApiError)) return err
  const issues = err.issues.map((i) => ({ ...i, path: i.path === 'selector' ? 'nodeIdGlob' : i.path.replace(/^selector\./, '').replace(/^metadata\..*/, 'metadata') }))
  return new ApiError(err.status, err.code, err.message, issues, err.details)
}

/** What a 409 FLEET.SELECTOR_TAKEOVER says the selector would take, or null for any other answer. */
function takeoversOf(err: unknown): SelectorTakeoverDetails | null {
  if (!(err instanceof ApiError) || err.code !== 'FLEET.SELECTOR_TAKEOVER') return null
  const parsed = SelectorTakeoverDetailsSchema.safeParse(err.details)
  return parsed.success ? parsed.data : { total: 0, takeovers: [] }
}

type Body = Readonly<{ description: string; selector: ReturnType<typeof selectorFromForm> }>

/**
 * Creates a fleet (`fleet` null) or edits one's description and selector. A selector that would take
 * proxies connected to other fleets is refused once with the list (409 FLEET.SELECTOR_TAKEOVER):
 * the dialog shows it and asks again, and only the same settings, confirmed, are sent with
 * `confirmTakeover`. A fleet cannot be renamed: the API has no rename (its name is the key of its
 * versions, drafts and grants).
 */
export function FleetDialog({ fleet, onClose, onCreated }: { fleet: FleetSummary | null; onClose: () => void; /** After a create: e.g. go on to the new fleet. */ onCreated?: (name: string) => void }) {
  const formId = useId()
  const toast = useToast()
  const queryClient = useQueryClient()
  const [error, setError] = useState<string | null>(null)
  /** The refused settings (as sent) and what they would take: confirming sends exactly these. */
  const [takeover, setTakeover] = useState<{ body: string; details: SelectorTakeoverDetails } | null>(null)
  const form = useForm<FleetFormValues>({ resolver: zodResolver(FleetFormSchema), defaultValues: formValuesOf(fleet) })
  const save = useMutation({
    mutationFn: ({ name, body, confirmTakeover }: { name: string; body: Body; confirmTakeover: boolean }) => {
      const confirm = confirmTakeover ? { confirmTakeover: true } : {}
      if (!fleet) return createFleet({ name, ...body, ...confirm })
      return updateFleet(fleet.name, {
        ...(body.description !== fleet.description ? { description: body.description } : {}),
        ...(JSON.stringify(body.selector) !== JSON.stringify(fleet.selector) ? { selector: body.selector } : {}),
        ...confirm,
      })
    },
    onSuccess: async (saved, { confirmTakeover }) => {
      toast({ tone: 'success', title: fleet ? `Fleet ${saved.name} updated` : `Fleet ${saved.name} created`, ...(confirmTakeover ? { description: 'The proxies it takes move to it when they next connect.' } : {}) })
      onClose()
      await queryClient.invalidateQueries({ queryKey: fleetQueries.all() })
      if (!fleet) onCreated?.(saved.name)
    },
    onError: (err, { body }) => {
      const details = takeoversOf(err)
      if (details) {
        setTakeover({ body: JSON.stringify(body), details })
        return
      }
      setError(applyServerIssues(toFormIssues(err), FIELDS, form.setError))
    },
  })
  const submit = (values: FleetFormValues): void => {
    setError(null)
    const body: Body = { description: values.description.trim(), selector: selectorFromForm(values) }
    if (fleet && body.description === fleet.description && JSON.stringify(body.selector) === JSON.stringify(fleet.selector)) return onClose()
    const confirmTakeover = takeover !== null && takeover.body === JSON.stringify(body)
    if (!confirmTakeover) setTakeover(null)
    save.mutate({ name: values.name, body, confirmTakeover })
  }
  return (
    <FormDialog
      open
      onOpenChange={(open) => !open && onClose()}
      title={
        fleet ? (
          <>
            Edit fleet <span className="font-mono">{fleet.name}</span>
          </>
        ) : (
          'New fleet'
        )
      }
      description={fleet ? 'Its description and which proxies it serves. A fleet keeps its name: to rename one, create the new fleet and move its proxies.' : 'A group of proxies sharing one configuration. It starts with an empty draft; nothing is served until its first commit.'}
      formId={formId}
      submitLabel={takeover ? `Take over ${takeover.details.total === 1 ? '1 proxy' : `${takeover.details.total} proxies`}` : fleet ? 'Save' : 'Create fleet'}
      submitTone={takeover ? 'danger' : 'primary'}
      pending={save.isPending}
      error={error}
      wide
      data-testid="fleet-dialog"
    >
      <FormProvider {...form}>
        <form id={formId} noValidate className="space-y-4" onSubmit={form.handleSubmit(submit)}>
          {fleet ? null : <TextField name="name" label="Name" mono autoFocus hint="Letters, digits, dots, dashes or underscores. Proxies name it as their node.cluster unless a selector is set." />}
          <TextField name="description" label="Description" hint="What these proxies are, who owns them." autoFocus={fleet !== null} />
          <SelectorFields name={fleet?.name ?? null} onChange={() => setTakeover(null)} />
          {takeover ? <TakeoverList details={takeover.details} /> : null}
        </form>
      </FormProvider>
    </FormDialog>
  )
}

function SelectorFields({ name, onChange }: { name: string | null; onChange: () => void }) {
  const { control, register } = useFormContext<FleetFormValues>()
  const matchBy = useWatch({ control, name: 'matchBy' })
  const typedName = useWatch({ control, name: 'name' })
  const metadataId = useId()
  const metadataError = useFieldError('metadata')
  return (
    <div className="space-y-4 rounded-lg border border-line p-4" onChange={onChange}>
      <SelectField
        name="matchBy"
        label="Which proxies"
        options={[
          { value: 'cluster', label: `Those whose node.cluster is '${name ?? (typedName || 'the name')}'` },
          { value: 'selector', label: 'Those a selector matches' },
        ]}
      />
      {matchBy === 'selector' ? (
        <>
          <p className="text-xs text-fg-muted">Every condition given must hold. A proxy matched by two fleets&apos; selectors is refused.</p>
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField name="nodeIdGlob" label="Node id glob" mono placeholder="edge-*" hint="* matches any characters." />
            <TextField name="nodeCluster" label="node.cluster" mono placeholder="edge" />
          </div>
          <div data-field="metadata" data-invalid={metadataError ? 'true' : undefined}>
            <label htmlFor={metadataId} className="mb-1 block text-xs font-medium text-fg-muted">
              Node metadata
            </label>
            <textarea
              id={metadataId}
              rows={3}
              spellCheck={false}
              placeholder="region=eu-west-1"
              aria-invalid={metadataError ? true : undefined}
              aria-describedby={metadataError ? `${metadataId}-error` : undefined}
              className={cn(inputClass, 'h-auto py-1.5 font-mono text-[13px]')}
              {...register('metadata')}
            />
            {metadataError ? <FieldError id={`${metadataId}-error`} message={metadataError} /> : <p className="mt-1 text-xs text-fg-subtle">One key=value a line: string values of the node&apos;s metadata.</p>}
          </div>
        </>
      ) : null}
    </div>
  )
}

function TakeoverList({ details }: { details: SelectorTakeoverDetails }) {
  const moves = details.takeovers.filter((t) => t.outcome === 'moves').length
  return (
    <div role="alert" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2.5 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/50 dark:text-amber-100" data-testid="takeover-confirmation">
      <p className="flex items-start gap-2 font-medium">
        <TriangleAlert aria-hidden className="mt-0.5 size-4 shrink-0" />
        <span>
          This selector matches {details.total === 1 ? '1 proxy' : `${details.total} proxies`} connected to other fleets. {moves > 0 ? 'They move to this fleet when they next connect' : ''}
          {moves < details.takeovers.length ? `${moves > 0 ? '; ' : ''}those also selected by another fleet are refused` : ''}. Save again to confirm.
        </span>
      </p>
      <ul className="mt-2 max-h-40 space-y-0.5 overflow-y-auto pl-6 text-xs" data-testid="takeover-list">
        {details.takeovers.map((t) => (
          <li key={t.nodeId} data-testid="takeover-row" data-node-id={t.nodeId}>
            <span className="font-mono">{t.nodeId}</span> from <span className="font-mono">{t.fromFleet}</span>
            {t.outcome === 'ambiguous' ? ` — then refused: also selected by ${t.alsoSelectedBy.join(', ')}` : ''}
          </li>
        ))}
        {details.total > details.takeovers.length ? <li>and {details.total - details.takeovers.length} more</li> : null}
      </ul>
    </div>
  )
}

