'use client'

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Ban, KeyRound, Plus } from 'lucide-react'
import { useState } from 'react'
import type { TokenCreated, TokenView } from '@/server/contract'
import { useCan } from '../auth/use-can'
import { ConfirmDialog } from '../resources/confirm-dialog'
import { Badge } from '../ui/badge'
import { Button } from '../ui/button'
import { cn } from '../ui/cn'
import { EmptyState } from '../ui/empty-state'
import { ErrorNotice } from '../ui/error-notice'
import { formatTimestamp } from '../ui/format-time'
import { Panel } from '../ui/panel'
import { RelativeTime } from '../ui/relative-time'
import { Table, TableBody, TableHead, Td, Th } from '../ui/table'
import { useToast } from '../ui/toast-context'
import { useNow } from '../ui/use-now'
import { AdminOnly } from './admin-only'
import { GrantBadges } from './grant-badges'
import { revokeToken, tokenQueries } from './queries'
import { CreateTokenDialog, TokenSecretDialog } from './token-dialogs'
import { tokenStatus, type TokenStatus } from './token-status'

const STATUS_TONE = { active: 'success', expired: 'neutral', revoked: 'danger' } as const

/** /settings/tokens: API tokens (CI, GitOps) and proxy tokens (xDS), admin on every fleet only. */
export function TokensView() {
  return useCan('admin', null) ? <TokensAdmin /> : <AdminOnly what="Tokens" />
}

function TokensAdmin() {
  const toast = useToast()
  const queryClient = useQueryClient()
  const now = useNow()
  const { data: tokens, error, refetch } = useQuery(tokenQueries.list())
  const [creating, setCreating] = useState(false)
  // The one place the secret lives, until the dialog that shows it closes.
  const [created, setCreated] = useState<TokenCreated | null>(null)
  const [revoking, setRevoking] = useState<TokenView | null>(null)
  const revoke = useMutation({
    mutationFn: (token: TokenView) => revokeToken(token.id),
    onSuccess: async (token) => {
      setRevoking(null)
      toast({ tone: 'success', title: `Token ${token.name} revoked`, description: 'Requests with it are refused from now on.' })
      await queryClient.invalidateQueries({ queryKey: tokenQueries.all() })
    },
    onError: (err) => toast({ tone: 'error', title: 'Could not revoke the token', description: err.message }),
  })

  return (
    <>
      <Panel
        title="Tokens"
        description={tokens ? `${tokens.filter((t) => tokenStatus(t, now) === 'active').length} active of ${tokens.length} · tokens cannot sign in to the console` : undefined}
        data-testid="tokens-panel"
        actions={
          <Button size="sm" variant="primary" onClick={() => setCreating(true)} data-testid="new-token">
            <Plus aria-hidden className="size-3.5" />
            New token
          </Button>
        }
      >
        {error && !tokens ? (
          <ErrorNotice className="m-4" title="Could not load the tokens" error={error} onRetry={() => void refetch()} />
        ) : !tokens ? (
          <p className="px-4 py-6 text-sm text-fg-subtle">Loading tokens…</p>
        ) : tokens.length === 0 ? (
          <EmptyState icon={KeyRound} title="No tokens yet">
            Create an API token for CI or GitOps, or a proxy token for proxies that cannot present a client certificate.
          </EmptyState>
        ) : (
          <Table data-testid="tokens-table">
            <TableHead>
              <tr>
                <Th>Name</Th>
                <Th>Kind</Th>
                <Th>Grants</Th>
                <Th>Created</Th>
                <Th>Last used</Th>
                <Th>Expires</Th>
                <Th>Status</Th>
                <Th className="w-0">
                  <span className="sr-only">Actions</span>
                </Th>
              </tr>
            </TableHead>
            <TableBody>
              {tokens.map((t) => {
                const status: TokenStatus = tokenStatus(t, now)
                return (
                  <tr key={t.id} data-testid="token-row" data-name={t.name} data-status={status} className={cn('align-top hover:bg-surface-muted/50', status !== 'active' && 'text-fg-muted')}>
                    <Td className="align-top font-mono font-medium">{t.name}</Td>
                    <Td className="align-top">
                      <Badge tone={t.kind === 'api' ? 'info' : 'neutral'}>{t.kind}</Badge>
                    </Td>
                    <Td className="align-top">
                      <GrantBadges grants={t.grants} roleless={t.kind === 'proxy'} />
                    </Td>
                    <Td className="align-top text-xs whitespace-nowrap">
                      <RelativeTime iso={t.createdAt} />
                      <div className="text-fg-subtle">by {t.createdBy}</div>
                    </Td>
                    <Td className="align-top text-xs whitespace-nowrap" data-testid="token-last-used">
                      {t.lastUsedAt ? <RelativeTime iso={t.lastUsedAt} /> : <span className="text-fg-subtle">never</span>}
                    </Td>
                    <Td className="align-top text-xs whitespace-nowrap">
                      {t.revokedAt ? (
                        // A revoked token never works again: when it would have expired no longer matters.
                        <span className="text-fg-subtle">—</span>
                      ) : t.expiresAt ? (
                        <span title={formatTimestamp(t.expiresAt)}>
                          <RelativeTime iso={t.expiresAt} />
                        </span>
                      ) : (
                        <span className="text-fg-subtle">never</span>
                      )}
                    </Td>
                    <Td className="align-top text-xs whitespace-nowrap">
                      <Badge tone={STATUS_TONE[status]}>{status}</Badge>
                      {t.revokedAt ? (
                        <div className="mt-0.5 text-fg-subtle">
                          <RelativeTime iso={t.revokedAt} />
                        </div>
                      ) : null}
                    </Td>
                    <Td className="align-top">
                      {t.revokedAt ? null : (
                        <Button size="sm" variant="ghost" className="hover:text-red-600 dark:hover:text-red-400" onClick={() => setRevoking(t)} aria-label={`Revoke token ${t.name}`} data-testid="revoke-token">
                          <Ban aria-hidden className="size-3.5" />
                          Revoke
                        </Button>
                      )}
                    </Td>
                  </tr>
                )
              })}
            </TableBody>
          </Table>
        )}
      </Panel>
      {creating ? (
        <CreateTokenDialog
          onClose={() => setCreating(false)}
          onCreated={(c) => {
            setCreating(false)
            setCreated(c)
          }}
        />
      ) : null}
      {created ? <TokenSecretDialog created={created} onClose={() => setCreated(null)} /> : null}
      <ConfirmDialog
        open={revoking !== null}
        onOpenChange={(open) => !open && setRevoking(null)}
        title={
          <>
            Revoke token <span className="font-mono">{revoking?.name}</span>?
          </>
        }
        description={
          revoking?.kind === 'proxy'
            ? 'New xDS streams with it are refused at once; open ones at their next reconnect. This cannot be undone.'
            : 'Every request with it is refused from now on (401). This cannot be undone: to replace it, create a new token first.'
        }
        confirmLabel="Revoke token"
        pending={revoke.isPending}
        onConfirm={() => revoking && revoke.mutate(revoking)}
        data-testid="revoke-token-dialog"
      />
    </>
  )
}
