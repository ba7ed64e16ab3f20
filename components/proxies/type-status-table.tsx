'use client'

import type { TypeStatus } from '@/server/contract'
import { Badge } from '../ui/badge'
import { cn } from '../ui/cn'
import { RelativeTime } from '../ui/relative-time'
import { Table, TableBody, TableHead, Th } from '../ui/table'
import { STATE_ICON } from './state-badge'
import { shortVersionInfo } from './format'
import { describeTypeStatus, shortTypeName, STATUS_TYPES } from './type-status'

const MAX_NAMES_SHOWN = 6

/** The proxy's types in ADS push order, then any other type it asked for. */
export function orderedTypes(types: Readonly<Record<string, TypeStatus>>): TypeStatus[] {
  const order = (url: string): number => {
    const i = STATUS_TYPES.findIndex((t) => t.typeUrl === url)
    return i === -1 ? STATUS_TYPES.length : i
  }
  return Object.values(types).sort((a, b) => order(a.typeUrl) - order(b.typeUrl) || a.typeUrl.localeCompare(b.typeUrl))
}

function Names({ t }: { t: TypeStatus }) {
  const total = t.nameCount ?? t.names.length
  if (t.wildcard && t.names.length === 0) return <span className="text-fg-muted">all (wildcard)</span>
  if (total === 0) return <span className="text-fg-subtle italic">none</span>
  const shown = t.names.slice(0, MAX_NAMES_SHOWN)
  return (
    <span className="font-mono text-xs break-all" title={t.names.join('\n')}>
      {t.wildcard ? <span className="font-sans text-fg-muted">wildcard + </span> : null}
      {shown.join(', ')}
      {total > shown.length ? <span className="font-sans text-fg-subtle"> and {total - shown.length} more</span> : null}
    </span>
  )
}

function Sent({ legation, versionInfo, nonce, at }: { legation: number | undefined; versionInfo: string | undefined; nonce: string | undefined; at: string | undefined }) {
  if (nonce === undefined) return <span className="text-fg-subtle">—</span>
  return (
    <div className="leading-tight">
      <div>
        <span className="font-mono font-semibold">{legation === undefined ? '?' : `v${legation}`}</span>
        <span className="ml-1.5 font-mono text-[11px] text-fg-muted" title={`version_info ${versionInfo ?? ''}`}>
          {shortVersionInfo(versionInfo)}
        </span>
      </div>
      <div className="text-[11px] text-fg-subtle">
        nonce <span className="font-mono">{nonce}</span>
        {at ? (
          <>
            {' '}
            · <RelativeTime iso={at} />
          </>
        ) : null}
      </div>
    </div>
  )
}

/** Per type: what was asked for, sent and acknowledged, and the full text of the last NACK. */
export function TypeStatusTable({ types }: { types: Readonly<Record<string, TypeStatus>> }) {
  const list = orderedTypes(types)
  if (list.length === 0) return <p className="px-4 py-6 text-sm text-fg-subtle">The proxy has not subscribed to any type yet.</p>
  return (
    <Table data-testid="type-status-table">
      <TableHead>
        <tr>
          <Th>Type</Th>
          <Th>State</Th>
          <Th>Subscribed names</Th>
          <Th>Sent (nonce, when)</Th>
          <Th>ACKed (nonce, when)</Th>
          <Th className="text-right">Resources</Th>
        </tr>
      </TableHead>
      <TableBody>
        {list.map((t) => {
          const badge = describeTypeStatus(t)
          const Icon = STATE_ICON[badge.state]
          const short = shortTypeName(t.typeUrl)
          return [
            <tr key={t.typeUrl} data-testid="type-status-row" data-type={short} data-state={badge.state} className={cn(t.lastNack && 'border-b-0')}>
              <td className="px-3 py-2 pl-4 align-top">
                <div className="font-semibold">{short}</div>
                <div className="text-[11px] text-fg-subtle" title={t.typeUrl}>
                  {t.typeUrl.split('.').at(-1)}
                </div>
              </td>
              <td className="px-3 py-2 align-top">
                <Badge tone={badge.tone} className="font-mono text-[11px]" title={badge.detail}>
                  <Icon aria-hidden className="size-3" />
                  {badge.text}
                </Badge>
                <div className="mt-1 text-[11px] text-fg-subtle">{badge.detail}</div>
              </td>
              <td className="max-w-72 px-3 py-2 align-top">
                <Names t={t} />
              </td>
              <td className="px-3 py-2 align-top">
                <Sent legation={t.sentFromVersion} versionInfo={t.versionSent} nonce={t.nonceSent} at={t.lastSendAt} />
              </td>
              <td className="px-3 py-2 align-top">
                <Sent legation={t.ackedFromVersion} versionInfo={t.versionAcked} nonce={t.nonceAcked} at={t.ackedAt} />
              </td>
              <td className="px-3 py-2 pr-4 text-right align-top font-mono tabular-nums">{t.resourceCount ?? t.resourceNames.length}</td>
            </tr>,
            t.lastNack ? (
              <tr key={`${t.typeUrl}:nack`} data-testid="nack-row" data-type={short}>
                <td colSpan={6} className="px-4 pt-0 pb-3">
                  <div
                    className={cn(
                      'rounded-md border p-2.5',
                      badge.state === 'NACKED' ? 'border-red-200 bg-red-50 text-red-900 dark:border-red-900 dark:bg-red-950/50 dark:text-red-200' : 'border-line bg-surface-muted text-fg-muted',
                    )}
                  >
                    <p className="mb-1 text-xs font-medium">
                      {badge.state === 'NACKED' ? `${short} NACK: the proxy rejected` : `Earlier ${short} NACK (since superseded): the proxy rejected`} version_info{' '}
                      <span className="font-mono">{t.lastNack.version}</span> (nonce <span className="font-mono">{t.lastNack.nonce}</span>, gRPC code {t.lastNack.code}) <RelativeTime iso={t.lastNack.at} />
                    </p>
                    <pre data-testid="nack-message" className="font-mono text-xs leading-relaxed break-words whitespace-pre-wrap">
                      {t.lastNack.message}
                    </pre>
                  </div>
                </td>
              </tr>
            ) : null,
          ]
        })}
      </TableBody>
    </Table>
  )
}
