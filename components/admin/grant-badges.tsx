import type { Grant } from '@/server/contract'
import { Badge, type BadgeTone } from '../ui/badge'

const TONE: Readonly<Record<Grant['role'], BadgeTone>> = { viewer: 'neutral', editor: 'info', admin: 'warning' }

/** Each grant as "role on fleets"; `roleless` for proxy tokens, whose grants only name fleets. */
export function GrantBadges({ grants, roleless = false }: { grants: readonly Grant[]; roleless?: boolean }) {
  return (
    <span className="flex flex-wrap gap-1" data-testid="grants">
      {grants.map((g, i) => (
        <Badge key={i} tone={roleless ? 'neutral' : TONE[g.role]}>
          {roleless ? null : <span>{g.role}</span>}
          {roleless ? null : <span className="font-normal">on</span>}
          <span className="font-mono">{g.fleets}</span>
        </Badge>
      ))}
    </span>
  )
}
