import type { ResourceChange } from '@/server/config/diff'
import { ChangeKindBadge } from './change-kind-badge'
import { PatchView } from './patch-view'

export function ResourceChangeCard({ change }: { change: ResourceChange }) {
  return (
    <div className="overflow-hidden rounded-md border border-line" data-testid="resource-change" data-change={change.change}>
      <div className="flex items-center gap-2 border-b border-line bg-surface px-3 py-1.5 text-xs">
        <ChangeKindBadge change={change.change} />
        <span className="text-fg-subtle">{change.type}</span>
        <span className="font-mono font-medium">{change.name}</span>
      </div>
      <PatchView patch={change.patch} />
    </div>
  )
}
