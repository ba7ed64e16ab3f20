import type { VersionSummary } from '@/server/store/versions'
import { RotateCcw } from 'lucide-react'
import { Badge } from '../ui/badge'
import { Button } from '../ui/button'
import { cn } from '../ui/cn'
import { RelativeTime } from '../ui/relative-time'
import { Td } from '../ui/table'
import { ChangeCounts } from './change-counts'
import { formatVersion } from './format-version'
import { VersionOrigin } from './version-origin'

export function VersionRow({ version, onRollback }: { version: VersionSummary; onRollback: (version: VersionSummary) => void }) {
  return (
    <tr data-testid="version-row" data-version={version.number} data-active={version.active} className={cn(version.active && 'bg-emerald-50/50 dark:bg-emerald-950/20')}>
      <Td className="whitespace-nowrap">
        <span className="font-mono font-semibold">{formatVersion(version.number)}</span>
        {version.active ? (
          <Badge tone="success" className="ml-2" data-testid="version-active-badge">
            active
          </Badge>
        ) : null}
      </Td>
      <Td className="max-w-96">
        <span className="line-clamp-2" title={version.message}>
          {version.message}
        </span>
      </Td>
      <Td className="whitespace-nowrap text-fg-muted">{version.author}</Td>
      <Td className="whitespace-nowrap text-fg-muted">
        <RelativeTime iso={version.createdAt} />
      </Td>
      <Td>
        <VersionOrigin version={version} />
      </Td>
      <Td>
        <ChangeCounts counts={version.changes} />
      </Td>
      <Td className="text-right font-mono text-fg-muted tabular-nums">{version.resourceCount}</Td>
      <Td className="w-px text-right">
        {version.active ? (
          <span className="text-xs whitespace-nowrap text-fg-subtle">serving</span>
        ) : (
          <Button size="sm" data-testid="rollback-button" onClick={() => onRollback(version)} aria-label={`Roll back to ${formatVersion(version.number)}`}>
            <RotateCcw aria-hidden className="size-3.5" />
            Roll back
          </Button>
        )}
      </Td>
    </tr>
  )
}
