'use client'

import Link from 'next/link'
import type { TypeStatus } from '@/server/contract'
import { Badge } from '../ui/badge'
import { cn } from '../ui/cn'
import { formatTimestamp } from '../ui/format-time'
import { Tooltip } from '../ui/tooltip'
import { describeTypeStatus, type StatusType } from './type-status'

function NackTooltip({ type, message, version, at }: { type: string; message: string; version: string; at: string }) {
  return (
    <div className="space-y-1">
      <p className="font-medium text-red-700 dark:text-red-300">{type} NACK</p>
      <p className="font-mono text-[11px] leading-snug break-words whitespace-pre-wrap">{message}</p>
      <p className="text-fg-subtle">
        version_info {version} · {formatTimestamp(at)}
      </p>
    </div>
  )
}

/**
 * One type of one proxy: "SYNCED v3", "NACKED v4". A NACKED badge is a link to the proxy's detail
 * (where the full text is) and shows the NACK text on hover and on keyboard focus.
 */
export function TypeStatusBadge({ type, status, detailHref }: { type: StatusType; status: TypeStatus | undefined; detailHref?: string }) {
  const badge = describeTypeStatus(status)
  const common = { 'data-testid': 'type-status', 'data-type': type.short, 'data-state': badge.subscribed ? badge.state : 'UNSUBSCRIBED', 'data-version': badge.version ?? '' }
  if (!badge.subscribed) {
    return (
      <span {...common} className="text-xs text-fg-subtle" title={`${type.short}: not subscribed`}>
        <span aria-hidden>—</span>
        <span className="sr-only">{type.short} not subscribed</span>
      </span>
    )
  }
  // No icon here: five badges a row must fit, and the text says the state (the State column has icons).
  const body = (
    <Badge tone={badge.tone} className={cn('px-1.5 text-[11px] tabular-nums', badge.state === 'NACKED' && 'font-semibold')}>
      {badge.text}
    </Badge>
  )
  if (badge.nack && detailHref) {
    return (
      <Tooltip content={<NackTooltip type={type.short} message={badge.nack.message} version={badge.nack.version} at={badge.nack.at} />}>
        <Link {...common} href={detailHref} aria-label={`${type.short} ${badge.text}: ${badge.nack.message}`} className="inline-flex rounded-md focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-red-500">
          {body}
        </Link>
      </Tooltip>
    )
  }
  return (
    <Tooltip
      content={
        <span>
          <span className="font-medium">{type.short}</span> · {badge.detail}
          {badge.nack ? <span className="mt-1 block font-mono text-[11px] whitespace-pre-wrap">{badge.nack.message}</span> : null}
        </span>
      }
    >
      <span {...common} className="inline-flex">
        <span className="sr-only">{type.short} </span>
        {body}
      </span>
    </Tooltip>
  )
}
