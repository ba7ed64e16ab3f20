import type { ResourceChange } from '@/server/contract'
import type { ReactNode } from 'react'
import type { DiffViewFormat } from './render-patch'
import { ResourceChangeCard } from './resource-change-card'

/** Every changed resource of a diff, in the API's (type, name) order; `empty` when nothing changed. */
export function ResourceChangeList({ changes, format, empty }: { changes: readonly ResourceChange[]; format?: DiffViewFormat; empty: ReactNode }) {
  if (changes.length === 0) return <>{empty}</>
  return (
    <div className="space-y-2" data-testid="resource-change-list">
      {changes.map((change) => (
        <ResourceChangeCard key={`${change.type}/${change.name}`} change={change} {...(format ? { format } : {})} />
      ))}
    </div>
  )
}
