'use client'

import { useMutation, useQuery } from '@tanstack/react-query'
import { LogOut } from 'lucide-react'
import { apiFetch, goToSignIn } from '../api'
import { Button } from '../ui/button'
import { authQueries } from './queries'

/** Who is signed in, and sign-out. */
export function UserMenu() {
  const me = useQuery(authQueries.me())
  const signOut = useMutation({
    mutationFn: () => apiFetch('/api/v1/auth/sign-out', { method: 'POST' }),
    onSettled: () => void goToSignIn(null),
  })
  const name = me.data?.principal?.name
  if (!name) return null
  return (
    <div className="flex items-center gap-2 text-xs text-fg-muted md:px-1">
      <span className="truncate" data-testid="signed-in-user" title={`Signed in as ${name}`}>
        {name}
      </span>
      <Button size="sm" variant="ghost" onClick={() => signOut.mutate()} disabled={signOut.isPending} aria-label="Sign out">
        <LogOut className="size-3.5" aria-hidden /> Sign out
      </Button>
    </div>
  )
}
