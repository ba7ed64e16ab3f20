'use client'

import { zodResolver } from '@hookform/resolvers/zod'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Braces, Lock, Trash2 } from 'lucide-react'
import Link from 'next/link'
import { useState } from 'react'
import { FormProvider, useForm } from 'react-hook-form'
import { z } from 'zod'
import { VariableName, type VariableView } from '@/server/contract'
import { applyServerIssues } from '../admin/server-issues'
import { ApiError } from '../api'
import { useCan } from '../auth/use-can'
import { fleetQueries } from '../fleets/queries'
import { TextField } from '../forms/fields'
import { draftQueries } from '../resources/queries'
import { Button } from '../ui/button'
import { EmptyState } from '../ui/empty-state'
import { ErrorNotice } from '../ui/error-notice'
import { Panel } from '../ui/panel'
import { Table, TableBody, TableHead, Td, Th } from '../ui/table'
import { useToast } from '../ui/toast-context'
import { FleetPageHeader } from '../versions/fleet-page-header'
import { deleteVariable, putVariable, setTemplate, variableQueries } from './queries'

const VariableFormSchema = z.object({ name: VariableName, value: z.string(), secret: z.boolean() })
type VariableForm = z.infer<typeof VariableFormSchema>

function ValueCell({ variable }: { variable: VariableView }) {
  if (variable.secret) {
    return (
      <span className="inline-flex items-center gap-1 text-fg-muted" title="A secret: sealed at rest, never shown again">
        <Lock aria-hidden className="size-3" /> secret
      </span>
    )
  }
  return <code className="font-mono text-[13px] break-all">{variable.value}</code>
}

/**
 * A fleet's variables (#14 item 4): `${NAME}` in resources, substituted when the snapshot is built.
 * Setting one changes the draft (committed, versioned and rolled back with the resources); a secret
 * is sealed and never shown again. The fleet's template and what it inherits from it are shown too.
 */
export function VariablesPage({ fleet }: { fleet: string }) {
  const queryClient = useQueryClient()
  const toast = useToast()
  const canEdit = useCan('editor', fleet)
  const canAdmin = useCan('admin', fleet)
  const view = useQuery(variableQueries.list(fleet))
  const fleets = useQuery(fleetQueries.list())
  const form = useForm<VariableForm>({ resolver: zodResolver(VariableFormSchema), defaultValues: { name: '', value: '', secret: false } })
  const [templateChoice, setTemplateChoice] = useState<string | null>(null)

  const refresh = async () => {
    await Promise.all([queryClient.invalidateQueries({ queryKey: variableQueries.all(fleet) }), queryClient.invalidateQueries({ queryKey: fleetQueries.all() }), queryClient.invalidateQueries({ queryKey: draftQueries.fleet(fleet) })])
  }
  const save = useMutation({
    mutationFn: (input: VariableForm) => putVariable(fleet, input.name, { value: input.value, secret: input.secret }, view.data?.draftRevision ?? 0),
    onSuccess: async (_data, input) => {
      form.reset({ name: '', value: '', secret: false })
      toast({ tone: 'success', title: `Variable ${input.name} saved to the draft`, description: 'Commit it on the Changes page to serve it.' })
      await refresh()
    },
    onError: (err) => {
      const message = applyServerIssues(err, ['name', 'value', 'secret'], form.setError)
      if (message) form.setError('root', { type: 'server', message })
    },
  })
  const remove = useMutation({
    mutationFn: (name: string) => deleteVariable(fleet, name, view.data?.draftRevision ?? 0),
    onSuccess: async (_data, name) => {
      toast({ tone: 'success', title: `Variable ${name} removed from the draft` })
      await refresh()
    },
    onError: (err) => toast({ tone: 'error', title: err instanceof ApiError ? err.message : String(err) }),
  })
  const template = useMutation({
    mutationFn: (name: string | null) => setTemplate(fleet, name),
    onSuccess: async () => {
      toast({ tone: 'success', title: 'Template changed', description: 'The next commit serves it.' })
      setTemplateChoice(null)
      await refresh()
    },
    onError: (err) => toast({ tone: 'error', title: err instanceof ApiError ? err.message : String(err) }),
  })

  const data = view.data
  const own = new Set(data?.variables.map((v) => v.name) ?? [])
  const templateOptions = [{ value: '', label: 'None' }, ...(fleets.data ?? []).filter((f) => f.name !== fleet && f.template === null).map((f) => ({ value: f.name, label: f.name }))]
  const currentTemplate = data?.template?.fleet ?? ''

  return (
    <div className="space-y-4">
      <FleetPageHeader fleet={fleet} title="Variables" description={<>Write <code className="font-mono">{'${NAME}'}</code> in any string of a resource, or as the value of a number, enum or duration field; the value is substituted when the snapshot is built.</>} />
      {view.error ? <ErrorNotice error={view.error} /> : null}
      {data ? (
        <>
          <Panel title="Template" description="A template fleet's resources and variables are served by this fleet, with its own over them; each commit takes the template's active version." data-testid="template-panel">
            <div className="flex flex-wrap items-end gap-3 p-4 text-sm">
              {canAdmin ? (
                <>
                  <label className="flex flex-col gap-1 text-xs font-medium text-fg-muted">
                    Template fleet
                    <select
                      className="h-8 rounded-md border border-line-strong bg-surface px-2 text-sm text-fg"
                      value={templateChoice ?? currentTemplate}
                      onChange={(e) => setTemplateChoice(e.target.value)}
                      data-testid="template-select"
                    >
                      {templateOptions.map((o) => (
                        <option key={o.value} value={o.value}>
                          {o.label}
                        </option>
                      ))}
                    </select>
                  </label>
                  <Button size="sm" disabled={templateChoice === null || templateChoice === currentTemplate || template.isPending} onClick={() => template.mutate(templateChoice === '' ? null : templateChoice)} data-testid="template-save">
                    Set template
                  </Button>
                </>
              ) : (
                <p>{data.template ? <>Built on <strong>{data.template.fleet}</strong></> : 'No template'}</p>
              )}
              {data.template ? (
                <p className="text-fg-muted" data-testid="template-version">
                  The draft uses {data.template.fleet} version {data.template.version ?? '(none committed yet)'}.
                </p>
              ) : null}
            </div>
          </Panel>

          <Panel title={`${data.variables.length} variable${data.variables.length === 1 ? '' : 's'} in the draft`} description="Changes here are draft changes: review and commit them on the Changes page." actions={<Link href={`/fleets/${encodeURIComponent(fleet)}/changes`} className="text-xs text-accent hover:underline">Changes</Link>}>
            {data.variables.length === 0 ? (
              <EmptyState icon={Braces} title="No variables yet" data-testid="no-variables">
                {canEdit ? 'Add one below, then use it in a resource as ${NAME}.' : 'An editor of this fleet can add them.'}
              </EmptyState>
            ) : (
              <Table data-testid="variables-table">
                <TableHead>
                  <tr>
                    <Th>Name</Th>
                    <Th>Value</Th>
                    {canEdit ? <Th className="w-0"><span className="sr-only">Actions</span></Th> : null}
                  </tr>
                </TableHead>
                <TableBody>
                  {data.variables.map((v) => (
                    <tr key={v.name} data-testid="variable-row">
                      <Td><code className="font-mono font-semibold">{v.name}</code></Td>
                      <Td><ValueCell variable={v} /></Td>
                      {canEdit ? (
                        <Td>
                          <Button size="sm" variant="ghost" aria-label={`Remove variable ${v.name}`} onClick={() => remove.mutate(v.name)} disabled={remove.isPending}>
                            <Trash2 aria-hidden className="size-3.5" />
                          </Button>
                        </Td>
                      ) : null}
                    </tr>
                  ))}
                </TableBody>
              </Table>
            )}
          </Panel>

          {canEdit ? (
            <Panel title="Set a variable" description="A name already set is replaced. A secret is sealed at rest and never shown again (set it anew to change it).">
              <FormProvider {...form}>
                <form className="grid gap-3 p-4 sm:grid-cols-[12rem_1fr_auto_auto] sm:items-end" onSubmit={form.handleSubmit((values) => save.mutate(values))} data-testid="variable-form">
                  <TextField name="name" label="Name" placeholder="SERVICE_NAME" mono />
                  <TextField name="value" label="Value" mono />
                  <label className="flex h-8 items-center gap-2 text-sm">
                    <input type="checkbox" {...form.register('secret')} data-testid="variable-secret" /> Secret
                  </label>
                  <Button type="submit" variant="primary" disabled={save.isPending}>
                    Save to draft
                  </Button>
                  {form.formState.errors.root?.message ? <p role="alert" className="text-sm text-red-700 sm:col-span-4 dark:text-red-300">{form.formState.errors.root.message}</p> : null}
                </form>
              </FormProvider>
            </Panel>
          ) : null}

          {data.inherited.length > 0 ? (
            <Panel title={`Inherited from ${data.template?.fleet ?? 'the template'}`} description="Used where this fleet does not set the same name." data-testid="inherited-variables">
              <Table>
                <TableHead>
                  <tr>
                    <Th>Name</Th>
                    <Th>Value</Th>
                  </tr>
                </TableHead>
                <TableBody>
                  {data.inherited.map((v) => (
                    <tr key={v.name} className={own.has(v.name) ? 'text-fg-subtle line-through' : undefined}>
                      <Td><code className="font-mono">{v.name}</code></Td>
                      <Td><ValueCell variable={v} /></Td>
                    </tr>
                  ))}
                </TableBody>
              </Table>
            </Panel>
          ) : null}
        </>
      ) : null}
    </div>
  )
}
