import { Badge } from '../ui/badge'

/** Resources whose draft differs from the active version; anything above zero is waiting for a commit. */
export function PendingChanges({ count }: { count: number }) {
  if (count === 0) {
    return (
      <span data-testid="fleet-pending" data-count={0} className="text-fg-subtle" title="The draft matches the active version">
        0 · in sync
      </span>
    )
  }
  return (
    <Badge data-testid="fleet-pending" data-count={count} tone="warning" title="Resources changed in the draft and not committed yet">
      <span aria-hidden className="size-1.5 rounded-full bg-current" />
      {count} pending
    </Badge>
  )
}
