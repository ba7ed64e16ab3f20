import { deriveProxyState } from '@/server/contract'
import { RelativeTime } from '../ui/relative-time'
import { Table, TableBody, TableHead, Td, Th } from '../ui/table'
import { formatDuration } from './format'
import { ProxyStateBadge } from './state-badge'
import type { ConnectionStatus } from './types'

/** The node's earlier streams, newest first: when, from where, how long, and why they ended. */
export function ConnectionHistory({ history }: { history: readonly ConnectionStatus[] }) {
  if (history.length === 0) return <p className="px-4 py-5 text-sm text-fg-subtle">No earlier connections: this is the node&apos;s first stream (older ones are kept for 24 hours).</p>
  return (
    <Table data-testid="connection-history">
      <TableHead>
        <tr>
          <Th>Connected</Th>
          <Th>Lasted</Th>
          <Th>State at the end</Th>
          <Th>Peer</Th>
          <Th>User agent</Th>
          <Th>Fleet</Th>
          <Th>Close reason</Th>
        </tr>
      </TableHead>
      <TableBody>
        {history.map((c) => (
          <tr key={c.id} data-testid="history-row">
            <Td className="whitespace-nowrap">
              <RelativeTime iso={c.connectedAt} />
            </Td>
            <Td className="whitespace-nowrap text-fg-muted">{c.disconnectedAt ? formatDuration(Date.parse(c.disconnectedAt) - Date.parse(c.connectedAt)) : 'open'}</Td>
            <Td>
              <ProxyStateBadge state={deriveProxyState({ disconnectedAt: null, types: c.types })} />
            </Td>
            <Td className="font-mono text-xs">{c.peer}</Td>
            <Td className="text-xs">
              {c.userAgentName} <span className="font-mono text-fg-subtle">{c.userAgentVersion}</span>
            </Td>
            <Td className="font-mono text-xs">{c.fleet ?? <span className="font-sans text-fg-subtle italic">none</span>}</Td>
            <Td className="max-w-80 text-xs text-fg-muted">{c.closeReason ?? '—'}</Td>
          </tr>
        ))}
      </TableBody>
    </Table>
  )
}
