import type { ResourceChange } from '@/server/contract'
import type { ReactNode } from 'react'
import { ChangeKindBadge } from './change-kind-badge'
import { PatchView } from './patch-view'
import type { DiffViewFormat } from './render-patch'

/** One resource's change: a header naming it, then its YAML diff. `actions` go to the right of the header. */
export function ResourceChangeCard({ change, format, actions }: { change: Pick<ResourceChange, 'type' | 'name' | 'change' | 'patch'>; format?: DiffViewFormat; actions?: ReactNode }) {
  return (
    <div className="overflow-hidden rounded-md border border-line" data-testid="resource-change" data-change={change.change} data-type={change.type} data-name={change.name}>
      <div className="flex items-center gap-2 border-b border-line bg-surface px-3 py-1.5 text-xs">
        <ChangeKindBadge change={change.change} />
        <span className="text-fg-subtle">{change.type}</span>
        <span className="min-w-0 truncate font-mono font-medium">{change.name}</span>
        {actions ? <span className="ml-auto flex shrink-0 items-center gap-2">{actions}</span> : null}
      </div>
      <PatchView patch={change.patch} {...(format ? { format } : {})} />
    </div>
  )
}
