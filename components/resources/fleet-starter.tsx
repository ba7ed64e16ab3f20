'use client'

import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { DraftReplaced } from '@/server/contract'
import { FileUp, LoaderCircle, Rocket } from 'lucide-react'
import { useRouter } from 'next/navigation'
import { useId, useState } from 'react'
import { apiFetch, apiPath, ApiError } from '../api'
import { fleetQueries } from '../fleets/queries'
import { inputClass } from '../forms/fields'
import { Button } from '../ui/button'
import { cn } from '../ui/cn'
import { Code } from '../ui/code'
import { useToast } from '../ui/toast-context'
import { resourceHrefs } from './kinds'
import { draftQueries } from './queries'
import { STARTERS, starterBundle, starterIssues, type StarterInput, type StarterKind } from './starter-templates'

/** What each kind of resource is for, in the order traffic meets them. */
const KINDS: ReadonlyArray<{ kind: string; api: string; text: string }> = [
  { kind: 'Listener', api: 'LDS', text: 'where Envoy accepts connections (an address and port) and what it does with them: for HTTP, a connection manager naming a route configuration. A gRPC client’s listener is an API listener named after the service it dials.' },
  { kind: 'Route configuration', api: 'RDS', text: 'virtual hosts matched by the Host header, each with routes tried in order (the first match wins) that send a request to a cluster.' },
  { kind: 'Cluster', api: 'CDS', text: 'a named group of upstream hosts: how to connect to them (timeouts, TLS) and how to balance between them.' },
  { kind: 'Endpoints', api: 'EDS', text: 'the addresses of a cluster’s hosts (a ClusterLoadAssignment), sent on their own so they can change without touching the cluster.' },
  { kind: 'Secret', api: 'SDS', text: 'TLS certificates and keys that listeners and clusters name; their private parts never leave the server in the API.' },
]

function StarterCard({ fleet, kind, draftRevision }: { fleet: string; kind: StarterKind; draftRevision: number | undefined }) {
  const starter = STARTERS[kind]
  const id = useId()
  const router = useRouter()
  const toast = useToast()
  const queryClient = useQueryClient()
  const [input, setInput] = useState<StarterInput>(starter.defaults)
  const [touched, setTouched] = useState(false)
  const issues = starterIssues(kind, input)
  const issueOf = (field: keyof StarterInput) => (touched ? issues.find((i) => i.field === field)?.message : undefined)
  const create = useMutation({
    mutationFn: () => apiFetch<DraftReplaced>(apiPath('fleets', fleet, 'draft'), { method: 'PUT', body: starterBundle(kind, input), ...(draftRevision === undefined ? {} : { ifMatch: draftRevision }) }),
    onSuccess: async () => {
      await Promise.all([queryClient.invalidateQueries({ queryKey: draftQueries.fleet(fleet) }), queryClient.invalidateQueries({ queryKey: fleetQueries.all() })])
      toast({ tone: 'success', title: `${starter.title}: 4 resources in the draft`, description: 'Review them under Changes and commit to serve them.' })
      router.push(resourceHrefs.changes(fleet))
    },
  })
  const submit = (e: React.FormEvent): void => {
    e.preventDefault()
    setTouched(true)
    if (issues.length === 0) create.mutate()
  }
  const field = (name: keyof StarterInput, label: string, hint: string) => {
    const problem = issueOf(name)
    return (
      <label className="block min-w-0 flex-1 text-xs">
        <span className="font-medium text-fg-muted">{label}</span>
        <input
          value={input[name]}
          onChange={(e) => setInput({ ...input, [name]: e.target.value })}
          aria-invalid={problem ? true : undefined}
          aria-describedby={`${id}-${name}`}
          className={cn(inputClass, 'mt-1 font-mono')}
          data-testid={`starter-${kind}-${name}`}
        />
        <span id={`${id}-${name}`} className={cn('mt-0.5 block', problem ? 'text-red-700 dark:text-red-300' : 'text-fg-subtle')}>
          {problem ?? hint}
        </span>
      </label>
    )
  }
  return (
    <form onSubmit={submit} noValidate className="flex flex-col rounded-md border border-line bg-surface p-3" data-testid={`starter-${kind}`} aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`} className="text-sm font-semibold">
        {starter.title}
      </h4>
      <p className="mt-1 text-xs text-fg-muted">{starter.description}</p>
      <div className="mt-3 flex flex-wrap gap-3">
        {field('name', starter.nameLabel, starter.nameHint)}
        {field('upstream', 'Upstream address', 'host:port of the one backend; an IP address.')}
      </div>
      {create.error ? (
        <p role="alert" className="mt-2 text-xs text-red-700 dark:text-red-300" data-testid="starter-error">
          {create.error instanceof ApiError && create.error.code === 'DRAFT.CONFLICT' ? 'The draft changed meanwhile; reload the page to see what it has now.' : create.error.message}
        </p>
      ) : null}
      <div className="mt-3">
        <Button type="submit" size="sm" variant="primary" disabled={create.isPending} data-testid={`starter-${kind}-create`}>
          {create.isPending ? <LoaderCircle aria-hidden className="size-3.5 animate-spin" /> : <Rocket aria-hidden className="size-3.5" />}
          Create in the draft
        </Button>
      </div>
    </form>
  )
}

/**
 * A fleet whose draft has no resources: what the kinds of resources are, and two ways to start —
 * import an existing envoy.yaml, or a starter template written to the draft (then Changes to commit).
 */
export function FleetStarter({ fleet, canEdit, draftRevision, onImport }: { fleet: string; canEdit: boolean; draftRevision: number | undefined; onImport: () => void }) {
  return (
    <section className="rounded-lg border border-line bg-surface shadow-xs" aria-labelledby="fleet-starter-title" data-testid="fleet-starter">
      <header className="border-b border-line px-4 py-3">
        <h2 id="fleet-starter-title" className="text-sm font-semibold">
          <span className="font-mono">{fleet}</span> has no resources yet
        </h2>
        <p className="mt-0.5 text-xs text-fg-muted">
          A fleet’s config is a set of Envoy resources, edited here as a draft and served once committed. Proxies whose <Code>node.cluster</Code> is <Code>{fleet}</Code> receive them over xDS.
        </p>
      </header>
      <div className="grid gap-4 p-4 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
        <div>
          <h3 className="text-xs font-semibold tracking-wide text-fg-muted uppercase">The kinds of resources</h3>
          <dl className="mt-2 space-y-2 text-sm" data-testid="resource-kinds-explained">
            {KINDS.map((k) => (
              <div key={k.kind}>
                <dt className="font-medium">
                  {k.kind} <span className="text-xs font-normal text-fg-subtle">({k.api})</span>
                </dt>
                <dd className="text-xs text-fg-muted">{k.text}</dd>
              </div>
            ))}
          </dl>
        </div>
        <div className="space-y-3">
          {canEdit ? (
            <>
              <div className="flex flex-wrap items-center gap-3 rounded-md border border-dashed border-line-strong p-3">
                <div className="min-w-0 flex-1">
                  <h3 className="text-sm font-semibold">Already run Envoy?</h3>
                  <p className="text-xs text-fg-muted">Import its envoy.yaml (or an admin /config_dump): listeners, routes, clusters and endpoints come over as they are.</p>
                </div>
                <Button size="sm" onClick={onImport} data-testid="starter-import">
                  <FileUp aria-hidden className="size-3.5" />
                  Import an envoy.yaml
                </Button>
              </div>
              <h3 className="text-xs font-semibold tracking-wide text-fg-muted uppercase">Or start from a template</h3>
              <div className="grid gap-3 xl:grid-cols-2">
                <StarterCard fleet={fleet} kind="http" draftRevision={draftRevision} />
                <StarterCard fleet={fleet} kind="grpc" draftRevision={draftRevision} />
              </div>
              <p className="text-xs text-fg-muted">Either lands on Changes: review what it adds, write a message and commit to serve it.</p>
            </>
          ) : (
            <p className="text-sm text-fg-muted">An editor of this fleet can import an envoy.yaml or start from a template (an HTTP route to one upstream, or a gRPC proxyless service).</p>
          )}
        </div>
      </div>
    </section>
  )
}
