'use client'

import { ChevronDown, Plus, Trash2 } from 'lucide-react'
import { useFieldArray, useFormContext, type FieldValues, type UseFormRegister } from 'react-hook-form'
import { ROLES } from '@/server/contract'
import { FieldError, inputClass, RowButton, useFieldError } from '../forms/fields'
import { Button } from '../ui/button'
import { cn } from '../ui/cn'

const ROLE_HINT = { viewer: 'reads everything but secret material', editor: 'also edits drafts, commits, rolls back', admin: 'also fleets; on * also users and tokens' } as const

/**
 * The `grants` of a user or token: rows of a role and a fleet glob (`*` every fleet, `edge-*`).
 * The role on a fleet is the strongest of the rows whose glob matches it. With `fleetsOnly` (proxy
 * tokens, which only fetch xDS config) the rows name fleets and the role is not asked.
 */
export function GrantsField({ fleetsOnly = false, fleetNames }: { fleetsOnly?: boolean; fleetNames?: readonly string[] }) {
  const { control, register } = useFormContext<FieldValues>()
  const { fields, append, remove } = useFieldArray({ control, name: 'grants' })
  const listError = useFieldError('grants')
  const rowError = (i: number, field: 'role' | 'fleets') => `grants.${i}.${field}`
  return (
    <fieldset className="min-w-0 space-y-2" data-testid="grants-field">
      <legend className="mb-1 text-xs font-medium text-fg-muted">{fleetsOnly ? 'Fleets it may fetch config for' : 'Roles'}</legend>
      {fields.map((field, i) => (
        <GrantRow key={field.id} index={i} fleetsOnly={fleetsOnly} canRemove={fields.length > 1} onRemove={() => remove(i)} register={register} roleName={rowError(i, 'role')} fleetsName={rowError(i, 'fleets')} />
      ))}
      <datalist id="grant-fleet-names">
        <option value="*" />
        {fleetNames?.map((f) => <option key={f} value={f} />)}
      </datalist>
      <FieldError id="grants-error" message={listError} />
      <div className="flex flex-wrap items-center justify-between gap-2">
        <Button size="sm" variant="ghost" onClick={() => append({ role: 'viewer', fleets: '' })} data-testid="add-grant">
          <Plus aria-hidden className="size-3.5" />
          Add {fleetsOnly ? 'fleets' : 'a role'}
        </Button>
        <p className="text-xs text-fg-subtle">
          Fleets: <span className="font-mono">*</span> for all, a name, or a glob such as <span className="font-mono">edge-*</span>.
        </p>
      </div>
    </fieldset>
  )
}

function GrantRow({
  index,
  fleetsOnly,
  canRemove,
  onRemove,
  register,
  roleName,
  fleetsName,
}: {
  index: number
  fleetsOnly: boolean
  canRemove: boolean
  onRemove: () => void
  register: UseFormRegister<FieldValues>
  roleName: string
  fleetsName: string
}) {
  const roleError = useFieldError(roleName)
  const fleetsError = useFieldError(fleetsName)
  return (
    <div className="flex items-start gap-2" data-testid="grant-row">
      {fleetsOnly ? null : (
        <label className="relative w-36 shrink-0">
          <span className="sr-only">Role {index + 1}</span>
          {/* As SelectField draws it: Chromium counts a select as read-only, which inputClass would grey out. */}
          <select className={cn(inputClass, 'appearance-none pr-8 read-only:bg-surface read-only:text-fg')} aria-invalid={roleError ? true : undefined} data-testid="grant-role" {...register(roleName)}>
            {ROLES.map((r) => (
              <option key={r} value={r} title={ROLE_HINT[r]}>
                {r}
              </option>
            ))}
          </select>
          <ChevronDown aria-hidden className="pointer-events-none absolute top-4 right-2.5 size-4 -translate-y-1/2 text-fg-subtle" />
        </label>
      )}
      {fleetsOnly ? null : <span className="pt-2 text-xs text-fg-subtle">on</span>}
      <label className="min-w-0 flex-1">
        <span className="sr-only">Fleets of role {index + 1}</span>
        <input
          type="text"
          list="grant-fleet-names"
          placeholder="* or edge-*"
          autoComplete="off"
          spellCheck={false}
          className={cn(inputClass, 'font-mono text-[13px]')}
          aria-invalid={fleetsError ? true : undefined}
          data-testid="grant-fleets"
          {...register(fleetsName)}
        />
        <FieldError id={`grant-${index}-error`} message={fleetsError ?? roleError} />
      </label>
      <RowButton label={`Remove row ${index + 1}`} onClick={onRemove} disabled={!canRemove}>
        <Trash2 aria-hidden className="size-4" />
      </RowButton>
    </div>
  )
}
