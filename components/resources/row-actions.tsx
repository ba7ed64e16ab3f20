'use client'

import { Braces, Eye, FileCode2, Pencil, Trash2 } from 'lucide-react'
import Link from 'next/link'
import type { ReactElement } from 'react'
import type { DraftResourceView } from '@/server/contract'
import { Tooltip } from '../ui/tooltip'
import { KIND_INFO, resourceHrefs, type ResourceKind } from './kinds'

const ICON_BUTTON = 'grid size-7 place-items-center rounded-md text-fg-subtle hover:bg-surface-muted hover:text-fg focus-visible:outline-2 focus-visible:outline-accent'

function Action({ label, children }: { label: string; children: ReactElement }) {
  return <Tooltip content={label}>{children}</Tooltip>
}

/**
 * Edit (the form when the resource fits it, else YAML), edit as YAML, as JSON, delete. Read-only (a
 * viewer of the fleet): view, as YAML, as JSON, and no delete.
 */
export function RowActions({ fleet, kind, view, onDelete, readOnly = false }: { fleet: string; kind: ResourceKind; view: DraftResourceView; onDelete: () => void; readOnly?: boolean }) {
  const what = `${KIND_INFO[kind].singular} ${view.name}`
  if (readOnly) {
    return (
      <div className="flex items-center justify-end gap-0.5" data-testid="row-actions" data-read-only="true">
        <Action label={`View ${what}`}>
          <Link href={resourceHrefs.edit(fleet, kind, view.name)} aria-label={`View ${what}`} className={ICON_BUTTON} data-testid="row-view">
            <Eye aria-hidden className="size-3.5" />
          </Link>
        </Action>
        <Action label="View as YAML">
          <Link href={resourceHrefs.edit(fleet, kind, view.name, 'yaml')} aria-label={`View ${what} as YAML`} className={ICON_BUTTON} data-testid="row-view-yaml">
            <FileCode2 aria-hidden className="size-3.5" />
          </Link>
        </Action>
        <Action label="View as JSON">
          <Link href={resourceHrefs.edit(fleet, kind, view.name, 'json')} aria-label={`View ${what} as JSON`} className={ICON_BUTTON} data-testid="row-view-json">
            <Braces aria-hidden className="size-3.5" />
          </Link>
        </Action>
      </div>
    )
  }
  return (
    <div className="flex items-center justify-end gap-0.5" data-testid="row-actions">
      <Action label={`Edit ${what}`}>
        <Link href={resourceHrefs.edit(fleet, kind, view.name)} aria-label={`Edit ${what}`} className={ICON_BUTTON} data-testid="row-edit">
          <Pencil aria-hidden className="size-3.5" />
        </Link>
      </Action>
      <Action label="Edit as YAML">
        <Link href={resourceHrefs.edit(fleet, kind, view.name, 'yaml')} aria-label={`Edit ${what} as YAML`} className={ICON_BUTTON} data-testid="row-edit-yaml">
          <FileCode2 aria-hidden className="size-3.5" />
        </Link>
      </Action>
      <Action label="Edit as JSON">
        <Link href={resourceHrefs.edit(fleet, kind, view.name, 'json')} aria-label={`Edit ${what} as JSON`} className={ICON_BUTTON} data-testid="row-edit-json">
          <Braces aria-hidden className="size-3.5" />
        </Link>
      </Action>
      <Action label={`Delete ${what}`}>
        <button type="button" onClick={onDelete} aria-label={`Delete ${what}`} className={`${ICON_BUTTON} hover:text-red-600 dark:hover:text-red-400`} data-testid="row-delete">
          <Trash2 aria-hidden className="size-3.5" />
        </button>
      </Action>
    </div>
  )
}
