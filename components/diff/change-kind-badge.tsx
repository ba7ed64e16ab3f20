import type { ChangeKind } from '@/server/contract'
import { Badge, type BadgeTone } from '../ui/badge'

const TONE: Record<ChangeKind, BadgeTone> = { added: 'success', modified: 'warning', removed: 'danger' }

export function ChangeKindBadge({ change }: { change: ChangeKind }) {
  return <Badge tone={TONE[change]}>{change}</Badge>
}
