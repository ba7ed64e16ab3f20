'use client'

import { ArrowDown, ArrowUp, Lock, Plus, Trash2 } from 'lucide-react'
import { FormProvider, useFieldArray, useFormContext, useWatch } from 'react-hook-form'
import { Button } from '../ui/button'
import { FormSection, PickerField, RowButton, SelectField, TextField } from './fields'
import { FormIssues } from './form-issues'
import { fromEnvoyRouteConfig, newRouteRow, newVirtualHostRow, routeConfigIssueField, toEnvoyRouteConfig } from './route-mapping'
import { RouteConfigFormSchema, type RouteConfigFormValues } from './schemas'
import { useResourceForm, type Pickers, type ResourceFormProps } from './use-resource-form'

const MATCH_OPTIONS = [
  { value: 'prefix', label: 'Path prefix' },
  { value: 'path', label: 'Exact path' },
  { value: 'safe_regex', label: 'Path regex (RE2)' },
]
const HEADER_OPTIONS = [
  { value: 'exact', label: 'equals' },
  { value: 'prefix', label: 'starts with' },
  { value: 'regex', label: 'matches regex' },
  { value: 'present', label: 'is present' },
]
const TARGET_OPTIONS = [
  { value: 'cluster', label: 'One cluster' },
  { value: 'weighted', label: 'Weighted clusters' },
]

function HeaderMatches({ base, route }: { base: string; route: number }) {
  const { control } = useFormContext<RouteConfigFormValues>()
  const headers = useFieldArray({ control, name: `${base}.headers` as `virtualHosts.0.routes.0.headers` })
  const kinds = useWatch({ control, name: `${base}.headers` as `virtualHosts.0.routes.0.headers` })
  return (
    <div>
      {headers.fields.length > 0 ? <p className="mb-1 text-xs font-medium text-fg-muted">Only requests whose headers match</p> : null}
      <ul className="space-y-2">
        {headers.fields.map((field, k) => (
          <li key={field.id} className="grid grid-cols-[minmax(0,1fr)_9rem_minmax(0,1fr)_2rem] items-start gap-2" data-testid="header-match">
            <TextField name={`${base}.headers.${k}.name`} label={`Header name ${k + 1} of route ${route}`} hideLabel mono placeholder="x-canary" />
            <SelectField name={`${base}.headers.${k}.kind`} label={`How header ${k + 1} matches`} hideLabel options={HEADER_OPTIONS} />
            {kinds?.[k]?.kind === 'present' ? <span /> : <TextField name={`${base}.headers.${k}.value`} label={`Header value ${k + 1} of route ${route}`} hideLabel mono placeholder="value" />}
            <RowButton label={`Remove header match ${k + 1}`} onClick={() => headers.remove(k)}>
              <Trash2 aria-hidden className="size-4" />
            </RowButton>
          </li>
        ))}
      </ul>
      <Button size="sm" variant="ghost" className="mt-1" onClick={() => headers.append({ name: '', kind: 'exact', value: '' })}>
        <Plus aria-hidden className="size-3.5" />
        Match a header
      </Button>
    </div>
  )
}

function WeightedClusters({ base, route, pickers }: { base: string; route: number; pickers: Pickers }) {
  const { control } = useFormContext<RouteConfigFormValues>()
  const clusters = useFieldArray({ control, name: `${base}.weightedClusters` as `virtualHosts.0.routes.0.weightedClusters` })
  return (
    <div className="sm:col-span-2">
      <div aria-hidden className="mb-1 grid grid-cols-[minmax(0,1fr)_7rem_2rem] gap-2 text-xs font-medium text-fg-muted">
        <span>Cluster</span>
        <span>Weight</span>
        <span />
      </div>
      <ul className="space-y-2">
        {clusters.fields.map((field, k) => (
          <li key={field.id} className="grid grid-cols-[minmax(0,1fr)_7rem_2rem] items-start gap-2" data-testid="weighted-cluster">
            <PickerField name={`${base}.weightedClusters.${k}.name`} label={`Weighted cluster ${k + 1} of route ${route}`} hideLabel names={pickers.clusters} noun="cluster" />
            <TextField name={`${base}.weightedClusters.${k}.weight`} label={`Weight of cluster ${k + 1}`} hideLabel mono inputMode="numeric" placeholder="50" />
            <RowButton label={`Remove weighted cluster ${k + 1}`} onClick={() => clusters.remove(k)}>
              <Trash2 aria-hidden className="size-4" />
            </RowButton>
          </li>
        ))}
      </ul>
      <Button size="sm" variant="ghost" className="mt-1" onClick={() => clusters.append({ name: '', weight: '' })}>
        <Plus aria-hidden className="size-3.5" />
        Add cluster
      </Button>
    </div>
  )
}

function RouteCard({ vh, index, count, pickers, onMove, onRemove }: { vh: number; index: number; count: number; pickers: Pickers; onMove: (to: number) => void; onRemove: () => void }) {
  const base = `virtualHosts.${vh}.routes.${index}` as const
  const { control } = useFormContext<RouteConfigFormValues>()
  const route = useWatch({ control, name: base })
  const n = index + 1
  return (
    <li className="rounded-md border border-line" data-testid="route-card" data-index={index} data-locked={route.locked ? 'true' : undefined} id={`route-${vh}-${index}`}>
      <div className="flex items-center gap-2 border-b border-line bg-surface-muted/50 px-3 py-1.5">
        <span className="text-xs font-semibold text-fg-muted">Route {n}</span>
        {route.locked ? (
          <span className="inline-flex min-w-0 items-center gap-1 truncate text-xs text-fg-subtle">
            <Lock aria-hidden className="size-3 shrink-0" />
            <span className="font-mono">
              {route.matchKind} {route.matchValue}
            </span>
          </span>
        ) : null}
        <div className="ml-auto flex items-center">
          <RowButton label={`Move route ${n} up`} onClick={() => onMove(index - 1)} disabled={index === 0}>
            <ArrowUp aria-hidden className="size-4" />
          </RowButton>
          <RowButton label={`Move route ${n} down`} onClick={() => onMove(index + 1)} disabled={index === count - 1}>
            <ArrowDown aria-hidden className="size-4" />
          </RowButton>
          <RowButton label={`Remove route ${n}`} onClick={onRemove}>
            <Trash2 aria-hidden className="size-4" />
          </RowButton>
        </div>
      </div>
      {route.locked ? (
        <p className="px-3 py-2.5 text-sm text-fg-muted">
          This route is kept as it is: {route.lockedReason}. Switch to YAML to change it.
        </p>
      ) : (
        <div className="space-y-3 px-3 py-3">
          <div className="grid gap-3 sm:grid-cols-[10rem_minmax(0,1fr)_10rem_minmax(0,1fr)]">
            <SelectField name={`${base}.matchKind`} label="Match" options={MATCH_OPTIONS} />
            <TextField name={`${base}.matchValue`} label={route.matchKind === 'safe_regex' ? 'Regex' : 'Path'} mono placeholder={route.matchKind === 'safe_regex' ? '^/api/v[0-9]+/.*' : '/'} />
            <SelectField name={`${base}.target`} label="Send to" options={TARGET_OPTIONS} />
            {route.target === 'cluster' ? <PickerField name={`${base}.cluster`} label="Cluster" names={pickers.clusters} noun="cluster" /> : <div />}
            {route.target === 'weighted' ? <WeightedClusters base={base} route={n} pickers={pickers} /> : null}
          </div>
          <HeaderMatches base={base} route={n} />
          <div className="grid gap-3 sm:grid-cols-4">
            <TextField name={`${base}.timeout`} label="Timeout" mono placeholder="15s" hint="Empty: 15s" />
            <TextField name={`${base}.retryOn`} label="Retry on" mono placeholder="5xx,reset,connect-failure" />
            <TextField name={`${base}.numRetries`} label="Retries" mono inputMode="numeric" placeholder="1" />
            <TextField name={`${base}.prefixRewrite`} label="Prefix rewrite" mono placeholder="/" />
          </div>
        </div>
      )}
    </li>
  )
}

function VirtualHostCard({ index, pickers, onRemove }: { index: number; pickers: Pickers; onRemove: () => void }) {
  const { control } = useFormContext<RouteConfigFormValues>()
  const routes = useFieldArray({ control, name: `virtualHosts.${index}.routes` })
  const name = useWatch({ control, name: `virtualHosts.${index}.name` })
  return (
    <FormSection
      title={
        <>
          Virtual host <span className="font-mono">{name || index + 1}</span>
        </>
      }
      description="Requests whose Host matches one of its domains; its routes are tried in order, the first match wins."
      data-testid="virtual-host"
      actions={
        <RowButton label={`Remove virtual host ${name || index + 1}`} onClick={onRemove}>
          <Trash2 aria-hidden className="size-4" />
        </RowButton>
      }
    >
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField name={`virtualHosts.${index}.name`} label="Name" mono />
        <TextField name={`virtualHosts.${index}.domains`} label="Domains" mono placeholder="example.com, *.example.com" hint="Comma-separated; * matches every host." />
      </div>
      <ol className="space-y-3">
        {routes.fields.map((field, j) => (
          <RouteCard key={field.id} vh={index} index={j} count={routes.fields.length} pickers={pickers} onMove={(to) => routes.move(j, to)} onRemove={() => routes.remove(j)} />
        ))}
      </ol>
      <Button size="sm" onClick={() => routes.append(newRouteRow())}>
        <Plus aria-hidden className="size-3.5" />
        Add route
      </Button>
    </FormSection>
  )
}

export function RouteConfigForm(props: ResourceFormProps) {
  const { form, unmapped, onSubmit } = useResourceForm<RouteConfigFormValues>({ schema: RouteConfigFormSchema, fromEnvoy: fromEnvoyRouteConfig, toEnvoy: toEnvoyRouteConfig, issueField: routeConfigIssueField, props })
  const hosts = useFieldArray({ control: form.control, name: 'virtualHosts' })
  return (
    <FormProvider {...form}>
      <form id={props.formId} onSubmit={onSubmit} noValidate className="space-y-4" data-testid="route-config-form" aria-label="Route configuration">
        <FormIssues issues={unmapped} />
        <FormSection title="Route configuration" description="Listeners name it in their RDS settings.">
          <TextField name="name" label="Name" mono readOnly={props.mode === 'edit'} autoFocus={props.mode === 'create'} className="max-w-md" />
        </FormSection>
        {hosts.fields.map((field, i) => (
          <VirtualHostCard key={field.id} index={i} pickers={props.pickers} onRemove={() => hosts.remove(i)} />
        ))}
        <Button onClick={() => hosts.append(newVirtualHostRow())}>
          <Plus aria-hidden className="size-4" />
          Add virtual host
        </Button>
      </form>
    </FormProvider>
  )
}
