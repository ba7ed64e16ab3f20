'use client'

import { useId } from 'react'
import { FormProvider, useFormContext, useWatch } from 'react-hook-form'
import { cn } from '../ui/cn'
import { FormSection, PickerField, TextField, useFieldError } from './fields'
import { FormIssues } from './form-issues'
import { fromEnvoyListener, listenerIssueField, toEnvoyListener } from './listener-mapping'
import { ListenerFormSchema, type ListenerFormValues } from './schemas'
import { useResourceForm, type ResourceFormProps } from './use-resource-form'

function ModeChoice() {
  const { register } = useFormContext<ListenerFormValues>()
  const id = useId()
  const error = useFieldError('mode')
  const options = [
    { value: 'http', label: 'HTTP', hint: 'HTTP connection manager; routes from a route configuration (RDS)' },
    { value: 'tcp', label: 'TCP proxy', hint: 'Forward connections to one cluster' },
  ] as const
  return (
    <div role="radiogroup" aria-labelledby={`${id}-label`} data-field="mode">
      <p id={`${id}-label`} className="mb-1 text-xs font-medium text-fg-muted">
        Protocol
      </p>
      <div className="grid gap-2 sm:grid-cols-2">
        {options.map((o) => (
          <label key={o.value} className={cn('flex cursor-pointer items-start gap-2 rounded-md border border-line-strong p-2.5 has-[:checked]:border-accent has-[:checked]:bg-accent-soft/50 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-accent')}>
            <input type="radio" value={o.value} className="mt-0.5 accent-[var(--accent)]" {...register('mode')} />
            <span>
              <span className="block text-sm font-medium">{o.label}</span>
              <span className="block text-xs text-fg-subtle">{o.hint}</span>
            </span>
          </label>
        ))}
      </div>
      {error ? <p className="mt-1 text-xs text-red-700 dark:text-red-300">{error}</p> : null}
    </div>
  )
}

export function ListenerForm(props: ResourceFormProps) {
  const { form, unmapped, onSubmit } = useResourceForm<ListenerFormValues>({ schema: ListenerFormSchema, fromEnvoy: fromEnvoyListener, toEnvoy: toEnvoyListener, issueField: listenerIssueField, props })
  const mode = useWatch({ control: form.control, name: 'mode' })
  return (
    <FormProvider {...form}>
      <form id={props.formId} onSubmit={onSubmit} noValidate className="space-y-4" data-testid="listener-form" aria-label="Listener">
        <FormIssues issues={unmapped} />
        <FormSection title="Listener">
          <div className="grid gap-4 sm:grid-cols-[minmax(0,1fr)_minmax(0,1fr)_8rem]">
            <TextField name="name" label="Name" mono readOnly={props.mode === 'edit'} autoFocus={props.mode === 'create'} />
            <TextField name="address" label="Address" mono placeholder="0.0.0.0" hint="0.0.0.0 or :: for every interface" />
            <TextField name="port" label="Port" mono inputMode="numeric" placeholder="10000" />
          </div>
        </FormSection>
        <FormSection title="Filter chain" description="What the listener does with each connection.">
          <ModeChoice />
          <div className="grid gap-4 sm:grid-cols-2">
            {mode === 'http' ? (
              <PickerField name="routeConfigName" label="Route configuration" names={props.pickers.routes} noun="route configuration" hint="Served over ADS (RDS), with the router filter." />
            ) : (
              <PickerField name="cluster" label="Cluster" names={props.pickers.clusters} noun="cluster" />
            )}
            <TextField name="statPrefix" label="Stat prefix" mono placeholder={mode === 'http' ? 'ingress_http' : 'ingress_tcp'} hint="Names this listener's statistics." />
          </div>
        </FormSection>
        <FormSection title="TLS" description="Terminate TLS with a certificate served over SDS.">
          <PickerField name="tlsSecret" label="Certificate (secret)" names={props.pickers.secrets} noun="secret" emptyLabel="None: plain text" className="max-w-md" />
        </FormSection>
      </form>
    </FormProvider>
  )
}
