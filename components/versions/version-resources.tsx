'use client'

import type { VersionDetail } from '@/server/contract'
import { ChevronRight } from 'lucide-react'
import { useMemo, useState } from 'react'
import YAML from 'yaml'
import { Button } from '../ui/button'
import { Panel } from '../ui/panel'

type Resource = VersionDetail['resources'][number]

/** The resource as Envoy's docs write it: YAML of the canonical proto3 JSON (snake_case), as in the diffs. */
export function resourceYaml(resource: Resource['resource']): string {
  return YAML.stringify(resource, { lineWidth: 0 })
}

function ResourceItem({ resource, open, onToggle }: { resource: Resource; open: boolean; onToggle: () => void }) {
  const yaml = useMemo(() => (open ? resourceYaml(resource.resource) : ''), [open, resource.resource])
  return (
    <li data-testid="version-resource" data-type={resource.type} data-name={resource.name}>
      <button type="button" onClick={onToggle} aria-expanded={open} className="flex w-full items-center gap-2 px-4 py-2 text-left text-[13px] hover:bg-surface-muted/60">
        <ChevronRight aria-hidden className={`size-3.5 shrink-0 text-fg-subtle transition-transform ${open ? 'rotate-90' : ''}`} />
        <span className="w-44 shrink-0 text-fg-muted">{resource.type}</span>
        <span className="min-w-0 flex-1 truncate font-mono font-medium">{resource.name}</span>
        <span className="hidden font-mono text-xs text-fg-subtle sm:inline" title={`content hash ${resource.hash}`}>
          {resource.hash.slice(0, 12)}
        </span>
      </button>
      {open ? (
        <pre className="overflow-x-auto border-t border-line bg-surface-muted/50 px-4 py-2.5 pl-10 font-mono text-xs leading-5 text-fg" data-testid="version-resource-yaml">
          {yaml}
        </pre>
      ) : null}
    </li>
  )
}

/** Every resource of a version in (type, name) order, each opening to its YAML. */
export function VersionResources({ resources }: { resources: VersionDetail['resources'] }) {
  const [open, setOpen] = useState<ReadonlySet<string>>(() => new Set())
  const key = (r: Resource) => `${r.type}/${r.name}`
  const allOpen = resources.length > 0 && open.size === resources.length
  const toggle = (k: string) =>
    setOpen((current) => {
      const next = new Set(current)
      if (next.has(k)) next.delete(k)
      else next.add(k)
      return next
    })
  return (
    <Panel
      title={`Resources (${resources.length})`}
      description="The complete configuration of this version"
      actions={
        resources.length > 0 ? (
          <Button size="sm" variant="ghost" onClick={() => setOpen(allOpen ? new Set() : new Set(resources.map(key)))}>
            {allOpen ? 'Collapse all' : 'Expand all'}
          </Button>
        ) : undefined
      }
      data-testid="version-resources"
    >
      {resources.length === 0 ? (
        <p className="px-4 py-6 text-sm text-fg-muted">This version has no resources: its proxies are served an empty configuration.</p>
      ) : (
        <ul className="divide-y divide-line">
          {resources.map((r) => (
            <ResourceItem key={key(r)} resource={r} open={open.has(key(r))} onToggle={() => toggle(key(r))} />
          ))}
        </ul>
      )}
    </Panel>
  )
}
