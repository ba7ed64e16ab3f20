'use client'

import { ArrowDown, ArrowUp, GripVertical, Lock, Plus, Trash2, TriangleAlert } from 'lucide-react'
import { useCallback, useRef, useState, type DragEvent } from 'react'
import { FormProvider, useFieldArray, useFormContext, useWatch } from 'react-hook-form'
import type { Finding, JsonValue } from '@/server/contract'
import { Button } from '../ui/button'
import { cn } from '../ui/cn'
import { FormSection, PickerField, RowButton, SelectField, TextField } from './fields'
import { FormIssues } from './form-issues'
import { arr, obj } from './json'
import { fromEnvoyRouteConfig, newRouteRow, newVirtualHostRow, routeConfigIssueField, toEnvoyRouteConfig } from './route-mapping'
import { dropIndex, isCatchAllRoute, routeFindings, routeInsertIndex } from './route-order'
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

type Drag = Readonly<{ from: number; over: number; after: boolean }>

/** The config analysis' findings of one route, where it is (e.g. ROUTE.SHADOWED: an earlier route catches its requests). */
function RouteFindings({ findings }: { findings: readonly Finding[] }) {
  if (findings.length === 0) return null
  return (
    <ul className="space-y-1 border-b border-line px-3 py-2" data-testid="route-findings">
      {findings.map((f) => (
        <li
          key={`${f.code}:${f.path}`}
          className={cn('flex items-start gap-1.5 text-xs', f.severity === 'error' ? 'text-red-700 dark:text-red-300' : 'text-amber-800 dark:text-amber-300')}
          data-testid="route-finding"
          data-code={f.code}
          data-path={f.path}
        >
          <TriangleAlert aria-hidden className="mt-0.5 size-3.5 shrink-0" />
          <span>
            <span className="font-mono font-semibold">{f.code}</span> {f.message}
          </span>
        </li>
      ))}
    </ul>
  )
}

type RouteCardProps = Readonly<{
  vh: number
  index: number
  count: number
  pickers: Pickers
  catchAll: boolean
  findings: readonly Finding[]
  drag: Drag | null
  onMove: (to: number) => void
  onRemove: () => void
  onDragStart: (e: DragEvent) => void
  onDragOver: (e: DragEvent) => void
  onDrop: (e: DragEvent) => void
  onDragEnd: () => void
}>

function RouteCard({ vh, index, count, pickers, catchAll, findings, drag, onMove, onRemove, onDragStart, onDragOver, onDrop, onDragEnd }: RouteCardProps) {
  const base = `virtualHosts.${vh}.routes.${index}` as const
  const { control } = useFormContext<RouteConfigFormValues>()
  const route = useWatch({ control, name: base })
  const n = index + 1
  const target = drag !== null && drag.over === index && drag.from !== index
  return (
    <li
      className={cn(
        'rounded-md border border-line',
        drag?.from === index && 'opacity-50',
        target && (drag.after ? 'shadow-[0_3px_0_0_var(--accent)]' : 'shadow-[0_-3px_0_0_var(--accent)]'),
        findings.some((f) => f.code === 'ROUTE.SHADOWED') && 'border-amber-300 dark:border-amber-800',
      )}
      data-testid="route-card"
      data-index={index}
      data-catch-all={catchAll ? 'true' : undefined}
      data-locked={route.locked ? 'true' : undefined}
      id={`route-${vh}-${index}`}
      onDragOver={onDragOver}
      onDrop={onDrop}
    >
      <div className="flex items-center gap-2 border-b border-line bg-surface-muted/50 px-3 py-1.5">
        <span
          draggable
          onDragStart={onDragStart}
          onDragEnd={onDragEnd}
          className="-ml-1.5 cursor-grab text-fg-subtle hover:text-fg active:cursor-grabbing"
          title="Drag to reorder (or use the move buttons)"
          data-testid="route-drag-handle"
        >
          <GripVertical aria-hidden className="size-4" />
        </span>
        <span className="text-xs font-semibold text-fg-muted">Route {n}</span>
        {catchAll ? (
          <span className="rounded bg-surface-muted px-1.5 text-[11px] text-fg-muted" title="Matches every request: routes after it in this virtual host never match">
            catch-all
          </span>
        ) : null}
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
      <RouteFindings findings={findings} />
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

type VirtualHostCardProps = Readonly<{
  index: number
  pickers: Pickers
  findings: readonly Finding[]
  /** This virtual host's routes as the form would save them now (what the catch-all test reads). */
  envoyRoutes: (vh: number) => readonly JsonValue[]
  onRemove: () => void
}>

function VirtualHostCard({ index, pickers, findings, envoyRoutes, onRemove }: VirtualHostCardProps) {
  const { control } = useFormContext<RouteConfigFormValues>()
  const routes = useFieldArray({ control, name: `virtualHosts.${index}.routes` })
  const name = useWatch({ control, name: `virtualHosts.${index}.name` })
  // Re-rendered on every edit of the routes, so the catch-all marks follow the match fields.
  useWatch({ control, name: `virtualHosts.${index}.routes` })
  const saved = envoyRoutes(index)
  const [drag, setDrag] = useState<Drag | null>(null)
  const [announcement, setAnnouncement] = useState('')
  const list = useRef<HTMLOListElement>(null)

  const move = (from: number, to: number, focus: 'up' | 'down' | null): void => {
    if (to < 0 || to >= routes.fields.length || to === from) return
    routes.move(from, to)
    setAnnouncement(`Route ${from + 1} moved to position ${to + 1} of ${routes.fields.length}.`)
    // The same button of the moved route keeps the focus (or the other one, at the top or bottom).
    if (focus) {
      requestAnimationFrame(() => {
        const at = (dir: 'up' | 'down') => list.current?.querySelector<HTMLButtonElement>(`button[aria-label="Move route ${to + 1} ${dir}"]`)
        const button = at(focus)
        ;(button && !button.disabled ? button : at(focus === 'up' ? 'down' : 'up'))?.focus()
      })
    }
  }
  const addRoute = (): void => {
    const at = routeInsertIndex(envoyRoutes(index))
    // Its prefix is left to type: a second `/` would itself be a catch-all.
    routes.insert(at, newRouteRow(at < routes.fields.length ? '' : '/'), { focusName: `virtualHosts.${index}.routes.${at}.matchValue` })
    if (at < routes.fields.length) setAnnouncement(`Route added as route ${at + 1}, before the catch-all route.`)
  }
  const over = (j: number) => (e: DragEvent) => {
    if (drag === null) return
    e.preventDefault()
    e.dataTransfer.dropEffect = 'move'
    const box = e.currentTarget.getBoundingClientRect()
    const after = e.clientY > box.top + box.height / 2
    if (drag.over !== j || drag.after !== after) setDrag({ ...drag, over: j, after })
  }
  const drop = (j: number) => (e: DragEvent) => {
    if (drag === null) return
    e.preventDefault()
    move(drag.from, dropIndex(drag.from, j, drag.after), null)
    setDrag(null)
  }

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
      <ol className="space-y-3" ref={list} data-testid="route-list">
        {routes.fields.map((field, j) => (
          <RouteCard
            key={field.id}
            vh={index}
            index={j}
            count={routes.fields.length}
            pickers={pickers}
            catchAll={isCatchAllRoute(saved[j])}
            findings={routeFindings(findings, index, j)}
            drag={drag}
            onMove={(to) => move(j, to, to < j ? 'up' : 'down')}
            onRemove={() => routes.remove(j)}
            onDragStart={(e) => {
              e.dataTransfer.effectAllowed = 'move'
              e.dataTransfer.setData('text/plain', `route ${j + 1}`)
              setDrag({ from: j, over: j, after: false })
            }}
            onDragOver={over(j)}
            onDrop={drop(j)}
            onDragEnd={() => setDrag(null)}
          />
        ))}
      </ol>
      <p aria-live="polite" className="sr-only" data-testid="route-order-status">
        {announcement}
      </p>
      <Button size="sm" onClick={addRoute} data-testid="add-route" title="Adds a route before the first catch-all route (prefix /), which would otherwise match its requests first">
        <Plus aria-hidden className="size-3.5" />
        Add route
      </Button>
    </FormSection>
  )
}

const NO_FINDINGS: readonly Finding[] = []

export function RouteConfigForm(props: ResourceFormProps) {
  const { form, unmapped, onSubmit } = useResourceForm<RouteConfigFormValues>({ schema: RouteConfigFormSchema, fromEnvoy: fromEnvoyRouteConfig, toEnvoy: toEnvoyRouteConfig, issueField: routeConfigIssueField, props })
  const hosts = useFieldArray({ control: form.control, name: 'virtualHosts' })
  const { initial } = props
  const envoyRoutes = useCallback((vh: number) => arr(obj(arr(toEnvoyRouteConfig(form.getValues(), initial)['virtual_hosts'])[vh])['routes']), [form, initial])
  const findings = props.findings ?? NO_FINDINGS
  return (
    <FormProvider {...form}>
      <form id={props.formId} onSubmit={onSubmit} noValidate className="space-y-4" data-testid="route-config-form" aria-label="Route configuration">
        <FormIssues issues={unmapped} />
        <FormSection title="Route configuration" description="Listeners name it in their RDS settings.">
          <TextField name="name" label="Name" mono readOnly={props.mode === 'edit'} autoFocus={props.mode === 'create'} className="max-w-md" />
        </FormSection>
        {hosts.fields.map((field, i) => (
          <VirtualHostCard key={field.id} index={i} pickers={props.pickers} findings={findings} envoyRoutes={envoyRoutes} onRemove={() => hosts.remove(i)} />
        ))}
        <Button onClick={() => hosts.append(newVirtualHostRow())}>
          <Plus aria-hidden className="size-4" />
          Add virtual host
        </Button>
      </form>
    </FormProvider>
  )
}
