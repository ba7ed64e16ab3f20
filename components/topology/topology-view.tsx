'use client'

import '@xyflow/react/dist/style.css'
import './topology.css'
import { useQuery } from '@tanstack/react-query'
import { Controls, Handle, MarkerType, Position, ReactFlow, type Edge, type Node, type NodeProps } from '@xyflow/react'
import { LoaderCircle, Network, TriangleAlert, X } from 'lucide-react'
import Link from 'next/link'
import { memo, useMemo } from 'react'
import type { Topology, TopologyEdge, TopologyNode, TopologyNodeKind } from '@/server/contract'
import { fleetQueries } from '../fleets/queries'
import { kindOfType, resourceHrefs } from '../resources/kinds'
import { useDraftSync } from '../resources/use-draft-sync'
import { useIsClient } from '../resources/use-is-client'
import { cn } from '../ui/cn'
import { EmptyState } from '../ui/empty-state'
import { ErrorNotice } from '../ui/error-notice'
import { FleetPageHeader } from '../versions/fleet-page-header'
import { layoutTopology } from './layout'
import { topologyHref, topologyQueries, type TopologyParams } from './queries'

const KIND_LABEL: Readonly<Record<TopologyNodeKind, string>> = {
  listener: 'Listener',
  filterChain: 'Filter chain',
  routeConfiguration: 'Route configuration',
  virtualHost: 'Virtual host',
  route: 'Route',
  cluster: 'Cluster',
  endpoints: 'Endpoints',
  secret: 'Secret',
}

/** One hue per kind (text at 4.5:1 on its tint in both themes), so the stages of the flow read at a glance. */
const KIND_TONE: Readonly<Record<TopologyNodeKind, string>> = {
  listener: 'bg-indigo-50 text-indigo-800 dark:bg-indigo-950 dark:text-indigo-200',
  filterChain: 'bg-violet-50 text-violet-800 dark:bg-violet-950 dark:text-violet-200',
  routeConfiguration: 'bg-sky-50 text-sky-800 dark:bg-sky-950 dark:text-sky-200',
  virtualHost: 'bg-cyan-50 text-cyan-800 dark:bg-cyan-950 dark:text-cyan-200',
  route: 'bg-teal-50 text-teal-800 dark:bg-teal-950 dark:text-teal-200',
  cluster: 'bg-emerald-50 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200',
  endpoints: 'bg-lime-50 text-lime-800 dark:bg-lime-950 dark:text-lime-200',
  secret: 'bg-rose-50 text-rose-800 dark:bg-rose-950 dark:text-rose-200',
}

const CHANGE_LABEL = { added: 'added in the draft', modified: 'changed in the draft', removed: 'removed in the draft' } as const

/** Where a node leads: its resource; a missing one to creating it, a removed one to the Changes page. */
export function nodeHref(fleet: string, n: Pick<TopologyNode, 'resource' | 'missing' | 'change'>): string {
  const kind = kindOfType(n.resource.type)
  if (!n.missing) return resourceHrefs.edit(fleet, kind, n.resource.name)
  return n.change === 'removed' ? resourceHrefs.changes(fleet) : resourceHrefs.create(fleet, kind)
}

type NodeData = { node: TopologyNode; href: string }
type FlowNode = Node<NodeData, 'resource'>

const TopologyNodeCard = memo(function TopologyNodeCard({ data }: NodeProps<FlowNode>) {
  const n = data.node
  const what = n.missing ? (n.change === 'removed' ? 'removed in the draft' : 'missing: a reference names it, the draft has no such resource') : n.change ? CHANGE_LABEL[n.change] : null
  return (
    <div
      data-testid="topology-node"
      data-id={n.id}
      data-kind={n.kind}
      data-missing={n.missing ? 'true' : 'false'}
      data-change={n.change ?? ''}
      className={cn(
        'h-full w-full rounded-md border bg-surface text-left shadow-xs',
        n.missing ? 'border-2 border-dashed border-red-600 dark:border-red-400' : n.change ? 'border-amber-500 ring-2 ring-amber-400/70 dark:border-amber-400' : 'border-line-strong',
      )}
    >
      <Handle type="target" position={Position.Top} isConnectable={false} className="!size-1.5 !min-h-0 !min-w-0 !border-0 !bg-line-strong" />
      <Link
        href={data.href}
        className="flex h-full flex-col gap-0.5 rounded-md px-2.5 py-1.5 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent"
        title={what ? `${KIND_LABEL[n.kind]} ${n.label}: ${what}` : `${KIND_LABEL[n.kind]} ${n.label}${n.path ? ` (in ${n.resource.type} ${n.resource.name})` : ''}`}
      >
        <span className="flex items-center gap-1.5">
          <span className={cn('rounded px-1 text-[10px] font-semibold tracking-wide uppercase', KIND_TONE[n.kind])}>{KIND_LABEL[n.kind]}</span>
          {n.missing ? (
            <span className="text-[10px] font-semibold text-red-700 uppercase dark:text-red-300">{n.change === 'removed' ? 'removed' : 'missing'}</span>
          ) : n.change ? (
            <span className="text-[10px] font-semibold text-amber-800 uppercase dark:text-amber-300">{n.change}</span>
          ) : null}
        </span>
        <span className="truncate font-mono text-xs font-medium text-fg">{n.label}</span>
        {n.detail.slice(0, 3).map((line, i) => (
          <span key={i} className="truncate text-[11px] leading-4 text-fg-muted">
            {line}
          </span>
        ))}
      </Link>
      <Handle type="source" position={Position.Bottom} isConnectable={false} className="!size-1.5 !min-h-0 !min-w-0 !border-0 !bg-line-strong" />
    </div>
  )
})

const NODE_TYPES = { resource: TopologyNodeCard }

const BROKEN_COLOR = '#dc2626'

function toFlowEdge(e: TopologyEdge, byId: ReadonlyMap<string, TopologyNode>): Edge {
  const target = byId.get(e.target)
  const contains = e.via === 'contains'
  const label = e.broken ? `${e.via}: ${target?.change === 'removed' ? 'removed' : 'missing'}` : contains ? undefined : e.via
  return {
    id: e.id,
    source: e.source,
    target: e.target,
    type: 'default',
    ...(label ? { label } : {}),
    ariaLabel: `${e.source} ${e.via} ${e.target}${e.broken ? ` (broken: ${e.message ?? 'missing'})` : ''}`,
    className: e.broken ? 'topology-edge-broken' : contains ? 'topology-edge-contains' : 'topology-edge-reference',
    style: e.broken ? { stroke: BROKEN_COLOR, strokeWidth: 2, strokeDasharray: '6 4' } : contains ? { strokeWidth: 1 } : { strokeWidth: 1.5 },
    markerEnd: { type: MarkerType.ArrowClosed, width: 14, height: 14, ...(e.broken ? { color: BROKEN_COLOR } : {}) },
    // data-* attributes are valid on any element; React's SVG attribute type does not list them.
    domAttributes: { 'data-via': e.via, 'data-broken': e.broken ? 'true' : 'false' } as Edge['domAttributes'],
  }
}

const FIT_WHOLE_MAX_NODES = 60

/** The graph itself: laid out once per answer, pannable and zoomable, each node a link. */
function TopologyCanvas({ fleet, topology }: { fleet: string; topology: Topology }) {
  const { nodes, edges } = useMemo(() => {
    const positions = layoutTopology(topology.nodes, topology.edges)
    const byId = new Map(topology.nodes.map((n) => [n.id, n]))
    const flowNodes: FlowNode[] = topology.nodes.map((n) => {
      const p = positions.get(n.id)!
      // Neither draggable nor selectable, React Flow would let clicks through to the pane: the node's link must get them.
      return { id: n.id, type: 'resource', position: { x: p.x, y: p.y }, width: p.width, height: p.height, data: { node: n, href: nodeHref(fleet, n) }, draggable: false, selectable: false, connectable: false, style: { pointerEvents: 'all' } }
    })
    return { nodes: flowNodes, edges: topology.edges.map((e) => toFlowEdge(e, byId)) }
  }, [fleet, topology])
  return (
    <div className="topology-canvas h-[calc(100vh-15rem)] min-h-[420px] overflow-hidden rounded-lg border border-line bg-canvas" data-testid="topology-canvas">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        // A small graph is fitted whole; a large one starts at its top left at a zoom its text reads at
        // (fitted whole it would be specks): pan, zoom, or "fit view" in the controls.
        {...(nodes.length <= FIT_WHOLE_MAX_NODES ? { fitView: true, fitViewOptions: { padding: 0.06, maxZoom: 1.25 } } : { defaultViewport: { x: 16, y: 16, zoom: 0.8 } })}
        minZoom={0.05}
        maxZoom={2}
        nodesDraggable={false}
        nodesConnectable={false}
        nodesFocusable={false}
        edgesFocusable={false}
        elementsSelectable={false}
        onlyRenderVisibleElements={nodes.length > 150}
        proOptions={{ hideAttribution: true }}
        aria-label={`Topology of ${fleet}`}
      >
        <Controls showInteractive={false} position="bottom-left" />
      </ReactFlow>
    </div>
  )
}

function Legend() {
  return (
    <ul className="flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-fg-muted" aria-label="Legend">
      <li className="flex items-center gap-1.5">
        <svg width="28" height="8" aria-hidden>
          <line x1="0" y1="4" x2="28" y2="4" stroke={BROKEN_COLOR} strokeWidth="2" strokeDasharray="6 4" />
        </svg>
        broken reference (a commit would refuse it)
      </li>
      <li className="flex items-center gap-1.5">
        <span aria-hidden className="inline-block size-3 rounded-sm border border-amber-500 ring-2 ring-amber-400/70" />
        pending change (draft against the active version)
      </li>
      <li className="flex items-center gap-1.5">
        <span aria-hidden className="inline-block size-3 rounded-sm border-2 border-dashed border-red-600" />
        not in the draft
      </li>
    </ul>
  )
}

/** The same graph as text: every connection, for a screen reader, a phone, or a search with Ctrl-F. */
function ConnectionList({ fleet, topology }: { fleet: string; topology: Topology }) {
  const byId = new Map(topology.nodes.map((n) => [n.id, n]))
  const name = (id: string) => {
    const n = byId.get(id)
    return n ? `${KIND_LABEL[n.kind].toLowerCase()} ${n.label}` : id
  }
  const references = topology.edges.filter((e) => e.via !== 'contains')
  return (
    <details className="rounded-lg border border-line bg-surface text-sm" data-testid="topology-connections">
      <summary className="cursor-pointer px-4 py-2.5 font-medium">References as a list ({references.length})</summary>
      <ul className="divide-y divide-line border-t border-line">
        {references.map((e) => {
          const from = byId.get(e.source)
          const to = byId.get(e.target)
          return (
            <li key={e.id} className="flex flex-wrap items-center gap-x-2 gap-y-0.5 px-4 py-1.5" data-testid="topology-connection" data-broken={e.broken ? 'true' : 'false'} data-edge={`${e.source} ${e.via} ${e.target}`}>
              {from ? (
                <Link href={nodeHref(fleet, from)} className="font-mono text-xs text-accent hover:underline">
                  {name(e.source)}
                </Link>
              ) : null}
              <span className="text-xs text-fg-subtle">→ {e.via} →</span>
              {to ? (
                <Link href={nodeHref(fleet, to)} className={cn('font-mono text-xs hover:underline', e.broken ? 'text-red-700 dark:text-red-300' : 'text-accent')}>
                  {name(e.target)}
                </Link>
              ) : null}
              {e.broken ? <span className="text-xs text-red-700 dark:text-red-300">broken: {e.message}</span> : null}
            </li>
          )
        })}
      </ul>
    </details>
  )
}

/** Per fleet: the draft as a picture (listener → … → endpoints, and secrets), linked to every resource. */
export function TopologyPage({ fleet, params }: { fleet: string; params: TopologyParams }) {
  useDraftSync(fleet)
  const isClient = useIsClient()
  const { data: fleets } = useQuery(fleetQueries.list())
  const activeVersion = fleets?.find((f) => f.name === fleet)?.activeVersion?.number ?? null
  const query = useQuery({ ...topologyQueries.graph(fleet, activeVersion, params), enabled: fleets !== undefined })
  const t = query.data
  const pending = t ? new Set(t.nodes.filter((n) => n.change !== null).map((n) => `${n.resource.type}/${n.resource.name}`)).size : 0
  const detailHref = (detail: 'full' | 'resources') => {
    const search = new URLSearchParams()
    if (params.focus) search.set('focus', `${params.focus.type}/${params.focus.name}`)
    search.set('detail', detail)
    return `${topologyHref(fleet)}?${search.toString()}`
  }

  return (
    <>
      <FleetPageHeader
        fleet={fleet}
        crumbs={[{ label: 'Topology' }]}
        title={params.focus ? <>Topology around <span className="font-mono">{params.focus.name}</span></> : 'Topology'}
        description={
          t ? (
            <span data-testid="topology-summary">
              The draft: {t.resources.shown === t.resources.total ? `${t.resources.total} resources` : `${t.resources.shown} of ${t.resources.total} resources`}
              {' · '}
              <span className={t.broken > 0 ? 'font-medium text-red-700 dark:text-red-300' : undefined} data-testid="topology-broken-count">
                {t.broken} broken reference{t.broken === 1 ? '' : 's'}
              </span>
              {' · '}
              {pending} pending change{pending === 1 ? '' : 's'}
              {t.activeVersion === null ? ' (nothing committed yet)' : ` against v${t.activeVersion}`}
            </span>
          ) : (
            'How listeners, routes, clusters, endpoints and secrets refer to each other.'
          )
        }
        actions={
          <div className="inline-flex rounded-md border border-line-strong bg-surface p-0.5 text-xs shadow-xs" role="group" aria-label="Detail">
            {(['full', 'resources'] as const).map((d) => (
              <Link
                key={d}
                href={detailHref(d)}
                aria-current={t?.detail === d ? 'true' : undefined}
                className={cn('rounded px-2.5 py-1 font-medium', t?.detail === d ? 'bg-surface-muted text-fg' : 'text-fg-muted hover:text-fg')}
                data-testid={`topology-detail-${d}`}
              >
                {d === 'full' ? 'Routes and chains' : 'Resources only'}
              </Link>
            ))}
          </div>
        }
      />
      <div className="space-y-3">
        {params.focus ? (
          <p className="flex items-center gap-2 text-sm text-fg-muted" data-testid="topology-focus">
            Showing what leads to {params.focus.type} <span className="font-mono">{params.focus.name}</span> and what it leads to.
            <Link href={topologyHref(fleet)} className="inline-flex items-center gap-1 text-accent hover:underline">
              <X aria-hidden className="size-3.5" /> Whole fleet
            </Link>
          </p>
        ) : null}
        {t?.truncated ? (
          <p role="status" className="flex items-start gap-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950/60 dark:text-amber-200" data-testid="topology-cut">
            <TriangleAlert aria-hidden className="mt-0.5 size-4 shrink-0" />
            This fleet is too large to draw whole: the first {t.resources.shown} resources from the listeners down are shown. Open a resource and choose &ldquo;Show in topology&rdquo; to see everything around it.
          </p>
        ) : t?.detail === 'resources' && params.detail !== 'resources' ? (
          <p className="text-sm text-fg-muted">Filter chains, virtual hosts and routes are folded into their resources: the full graph would have over 300 nodes.</p>
        ) : null}
        <Legend />
        {query.error && !t ? (
          <ErrorNotice title={`Could not load the topology of ${fleet}`} error={query.error} onRetry={() => void query.refetch()} />
        ) : !t || !isClient ? (
          <p className="flex items-center gap-2 text-sm text-fg-subtle">
            <LoaderCircle aria-hidden className="size-4 animate-spin" /> Loading…
          </p>
        ) : t.nodes.length === 0 ? (
          <EmptyState icon={Network} title={params.focus ? `${params.focus.type} ${params.focus.name} is not in the draft` : `The draft of ${fleet} is empty`} data-testid="topology-empty">
            <Link href={resourceHrefs.list(fleet, 'listeners')} className="text-accent underline-offset-2 hover:underline">
              Go to the resources
            </Link>
          </EmptyState>
        ) : (
          <>
            {/* A new answer (the draft or the active version moved) is laid out and fitted afresh. */}
            <TopologyCanvas key={`${t.draftRevision}/${t.activeVersion ?? 0}/${t.detail}`} fleet={fleet} topology={t} />
            <ConnectionList fleet={fleet} topology={t} />
          </>
        )}
      </div>
    </>
  )
}
