import Link from 'next/link'
import type { VariableChange } from '@/server/contract'
import { Panel } from '../ui/panel'

const CHANGE_LABEL: Record<VariableChange['change'], string> = { added: 'added', removed: 'removed', modified: 'changed' }

/** Variables and the template version the draft changes (#14 item 4); a secret's values are never shown. */
export function VariableChanges({ fleet, changes, template }: { fleet: string; changes: readonly VariableChange[]; template: { before: string | null; after: string | null } | null }) {
  return (
    <Panel
      title="Variables and template"
      description="Substituted into the resources when the snapshot is built; the resource changes below show the result."
      actions={
        <Link href={`/fleets/${encodeURIComponent(fleet)}/variables`} className="text-xs text-accent hover:underline">
          Variables
        </Link>
      }
      data-testid="variable-changes"
    >
      <ul className="divide-y divide-line text-sm">
        {template ? (
          <li className="px-4 py-2" data-testid="template-change">
            Template: <code className="font-mono">{template.before ?? 'none'}</code> → <code className="font-mono">{template.after ?? 'none'}</code>
          </li>
        ) : null}
        {changes.map((c) => (
          <li key={c.name} className="flex flex-wrap items-baseline gap-x-2 px-4 py-2" data-testid="variable-change">
            <code className="font-mono font-semibold">{c.name}</code>
            <span className="text-fg-muted">{CHANGE_LABEL[c.change]}</span>
            {c.secret ? (
              <span className="text-fg-muted">(secret: value not shown)</span>
            ) : (
              <span className="font-mono text-xs">
                {c.before !== null ? <del className="text-red-700 dark:text-red-300">{c.before}</del> : null}
                {c.before !== null && c.after !== null ? ' → ' : null}
                {c.after !== null ? <ins className="text-green-800 no-underline dark:text-green-300">{c.after}</ins> : null}
              </span>
            )}
          </li>
        ))}
      </ul>
    </Panel>
  )
}
