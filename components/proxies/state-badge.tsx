import { CircleCheck, CircleDashed, CircleSlash, CircleX, Clock, type LucideIcon } from 'lucide-react'
import type { ProxyState } from '@/server/contract'
import { Badge } from '../ui/badge'
import { cn } from '../ui/cn'
import { describeProxyState } from './type-status'

/** An icon per state as well as colour and text, so no state is told by colour alone. */
export const STATE_ICON: Record<ProxyState, LucideIcon> = {
  SYNCED: CircleCheck,
  STALE: Clock,
  NOT_SENT: CircleDashed,
  NACKED: CircleX,
  DISCONNECTED: CircleSlash,
}

export function ProxyStateBadge({ state, className, ...rest }: { state: ProxyState; className?: string; 'data-testid'?: string }) {
  const look = describeProxyState(state)
  const Icon = STATE_ICON[state]
  return (
    <Badge tone={look.tone} data-state={state} title={look.meaning} className={cn(state === 'DISCONNECTED' && 'opacity-80', className)} {...rest}>
      <Icon aria-hidden className="size-3" />
      {look.label}
    </Badge>
  )
}
