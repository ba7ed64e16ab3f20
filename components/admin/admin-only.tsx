import { ShieldAlert } from 'lucide-react'
import { EmptyState } from '../ui/empty-state'
import { Panel } from '../ui/panel'

/** What a user without admin on every fleet sees on the users and tokens pages (they are not linked for them). */
export function AdminOnly({ what }: { what: string }) {
  return (
    <Panel title={what}>
      <EmptyState icon={ShieldAlert} title={`${what} need the admin role on every fleet`} data-testid="admin-only">
        Ask an admin for a grant of <span className="font-mono">admin</span> on <span className="font-mono">*</span>.
      </EmptyState>
    </Panel>
  )
}
