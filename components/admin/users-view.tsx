'use client'

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Pencil, Trash2, UserPlus, Users } from 'lucide-react'
import { useState } from 'react'
import type { UserView } from '@/server/contract'
import { authQueries } from '../auth/queries'
import { useCan } from '../auth/use-can'
import { ConfirmDialog } from '../resources/confirm-dialog'
import { Badge } from '../ui/badge'
import { Button } from '../ui/button'
import { EmptyState } from '../ui/empty-state'
import { ErrorNotice } from '../ui/error-notice'
import { Panel } from '../ui/panel'
import { RelativeTime } from '../ui/relative-time'
import { Table, TableBody, TableHead, Td, Th } from '../ui/table'
import { useToast } from '../ui/toast-context'
import { AdminOnly } from './admin-only'
import { GrantBadges } from './grant-badges'
import { deleteUser, userQueries } from './queries'
import { CreateUserDialog, EditUserDialog } from './user-dialogs'

const ICON_BUTTON = 'grid size-7 place-items-center rounded-md text-fg-subtle hover:bg-surface-muted hover:text-fg focus-visible:outline-2 focus-visible:outline-accent disabled:pointer-events-none disabled:opacity-40'

/** /settings/users: who may sign in, with which roles (admin on every fleet only). */
export function UsersView() {
  return useCan('admin', null) ? <UsersAdmin /> : <AdminOnly what="Users" />
}

function UsersAdmin() {
  const toast = useToast()
  const queryClient = useQueryClient()
  const { data: users, error, refetch } = useQuery(userQueries.list())
  const me = useQuery(authQueries.me()).data?.principal
  const [creating, setCreating] = useState(false)
  const [editing, setEditing] = useState<UserView | null>(null)
  const [deleting, setDeleting] = useState<UserView | null>(null)
  const remove = useMutation({
    mutationFn: (user: UserView) => deleteUser(user.id),
    onSuccess: async (_none, user) => {
      setDeleting(null)
      toast({ tone: 'success', title: `User ${user.username} deleted` })
      await queryClient.invalidateQueries({ queryKey: userQueries.all() })
    },
    onError: (err) => toast({ tone: 'error', title: 'Could not delete the user', description: err.message }),
  })
  const isSelf = (u: UserView) => me?.kind === 'user' && me.name === u.username

  return (
    <>
      <Panel
        title="Users"
        description={users ? `${users.length} user${users.length === 1 ? '' : 's'} · roles per fleet glob; the strongest matching role counts` : undefined}
        data-testid="users-panel"
        actions={
          <Button size="sm" variant="primary" onClick={() => setCreating(true)} data-testid="new-user">
            <UserPlus aria-hidden className="size-3.5" />
            New user
          </Button>
        }
      >
        {error && !users ? (
          <ErrorNotice className="m-4" title="Could not load the users" error={error} onRetry={() => void refetch()} />
        ) : !users ? (
          <p className="px-4 py-6 text-sm text-fg-subtle">Loading users…</p>
        ) : users.length === 0 ? (
          <EmptyState icon={Users} title="No users">
            Create one, or let people sign in through single sign-on.
          </EmptyState>
        ) : (
          <Table data-testid="users-table">
            <TableHead>
              <tr>
                <Th>User</Th>
                <Th>Roles</Th>
                <Th>Status</Th>
                <Th>Last sign-in</Th>
                <Th>Created</Th>
                <Th className="w-0">
                  <span className="sr-only">Actions</span>
                </Th>
              </tr>
            </TableHead>
            <TableBody>
              {users.map((u) => (
                <tr key={u.id} data-testid="user-row" data-username={u.username} data-disabled={u.disabled ? 'true' : 'false'} className="align-top hover:bg-surface-muted/50">
                  <Td className="align-top">
                    <div className="flex items-center gap-1.5">
                      <span className="font-mono font-medium">{u.username}</span>
                      {isSelf(u) ? <Badge tone="info">you</Badge> : null}
                      {u.source !== 'local' ? <Badge title="Signs in through single sign-on">{u.source}</Badge> : null}
                    </div>
                    {u.displayName ? <div className="text-xs text-fg-subtle">{u.displayName}</div> : null}
                  </Td>
                  <Td className="align-top">
                    <GrantBadges grants={u.grants} />
                  </Td>
                  <Td className="align-top">{u.disabled ? <Badge tone="danger">disabled</Badge> : <Badge tone="success">active</Badge>}</Td>
                  <Td className="align-top text-xs whitespace-nowrap text-fg-muted">{u.lastSignInAt ? <RelativeTime iso={u.lastSignInAt} /> : <span className="text-fg-subtle">never</span>}</Td>
                  <Td className="align-top text-xs whitespace-nowrap text-fg-muted">
                    <RelativeTime iso={u.createdAt} />
                  </Td>
                  <Td className="align-top">
                    <div className="flex items-center justify-end gap-0.5">
                      <button type="button" className={ICON_BUTTON} aria-label={`Edit user ${u.username}`} title="Roles, password, disable" onClick={() => setEditing(u)} data-testid="edit-user">
                        <Pencil aria-hidden className="size-3.5" />
                      </button>
                      <button
                        type="button"
                        className={`${ICON_BUTTON} hover:text-red-600 dark:hover:text-red-400`}
                        aria-label={`Delete user ${u.username}`}
                        title={isSelf(u) ? 'You cannot delete yourself: ask another admin' : `Delete ${u.username}`}
                        disabled={isSelf(u)}
                        onClick={() => setDeleting(u)}
                        data-testid="delete-user"
                      >
                        <Trash2 aria-hidden className="size-3.5" />
                      </button>
                    </div>
                  </Td>
                </tr>
              ))}
            </TableBody>
          </Table>
        )}
      </Panel>
      {creating ? <CreateUserDialog onClose={() => setCreating(false)} /> : null}
      {editing ? <EditUserDialog key={editing.id} user={editing} isSelf={isSelf(editing)} onClose={() => setEditing(null)} /> : null}
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(open) => !open && setDeleting(null)}
        title={
          <>
            Delete user <span className="font-mono">{deleting?.username}</span>?
          </>
        }
        description="They can no longer sign in and their sessions end. The versions and audit entries that name them stay. To keep the account for later, disable it instead."
        confirmLabel="Delete user"
        pending={remove.isPending}
        onConfirm={() => deleting && remove.mutate(deleting)}
        data-testid="delete-user-dialog"
      />
    </>
  )
}
