'use client'

import { ChevronDown } from 'lucide-react'
import { useId, type ReactNode } from 'react'
import { get, useFormContext, useWatch, type FieldValues } from 'react-hook-form'
import { cn } from '../ui/cn'

// Form controls bound to the surrounding react-hook-form by name. Every control has a visible or
// screen-reader label, and its error (from zod or from the server) is announced and linked with
// aria-describedby, so keyboard and screen-reader users get the same information.

export const inputClass =
  'block h-8 w-full min-w-0 rounded-md border border-line-strong bg-surface px-2.5 text-sm text-fg placeholder:text-fg-subtle focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-accent aria-[invalid=true]:border-red-500 read-only:bg-surface-muted read-only:text-fg-muted dark:aria-[invalid=true]:border-red-400'

/**
 * The server words its messages for a path (`port_value: value must be…`); at the field, the label
 * already names it, so a leading `field_name: ` is dropped.
 */
export function fieldMessage(message: string): string {
  return message.replace(/^[a-z_][a-z0-9_]*: /, '')
}

export function useFieldError(name: string): string | undefined {
  const { formState } = useFormContext()
  const error = get(formState.errors, name) as { message?: unknown } | undefined
  return typeof error?.message === 'string' ? fieldMessage(error.message) : undefined
}

export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null
  return (
    <p id={id} className="mt-1 text-xs text-red-700 first-letter:uppercase dark:text-red-300" data-testid="field-error" role="alert">
      {message}
    </p>
  )
}

type BaseProps = Readonly<{
  name: string
  label: ReactNode
  /** Shown under the control when there is no error. */
  hint?: ReactNode
  /** The label is for screen readers only (rows of a table-like list, where the column says it). */
  hideLabel?: boolean
  className?: string
}>

function FieldShell({ name, label, hint, hideLabel, className, id, children }: BaseProps & { id: string; children: ReactNode }) {
  const error = useFieldError(name)
  return (
    <div className={cn('min-w-0', className)} data-field={name} data-invalid={error ? 'true' : undefined}>
      <label htmlFor={id} className={hideLabel ? 'sr-only' : 'mb-1 block text-xs font-medium text-fg-muted'}>
        {label}
      </label>
      {children}
      {error ? <FieldError id={`${id}-error`} message={error} /> : hint ? <p className="mt-1 text-xs text-fg-subtle">{hint}</p> : null}
    </div>
  )
}

export function TextField({ inputMode, placeholder, readOnly, autoFocus, mono, ...base }: BaseProps & { inputMode?: 'numeric' | 'text'; placeholder?: string; readOnly?: boolean; autoFocus?: boolean; mono?: boolean }) {
  const { register } = useFormContext()
  const id = useId()
  const error = useFieldError(base.name)
  return (
    <FieldShell {...base} id={id}>
      <input
        id={id}
        type="text"
        inputMode={inputMode}
        placeholder={placeholder}
        readOnly={readOnly}
        autoFocus={autoFocus}
        autoComplete="off"
        spellCheck={false}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        className={cn(inputClass, mono && 'font-mono text-[13px]')}
        {...register(base.name)}
      />
    </FieldShell>
  )
}

export type Option = Readonly<{ value: string; label: string }>

const selectClass = 'appearance-none truncate pr-8 read-only:bg-surface read-only:text-fg'

/** A native select (keyboard and screen readers know it) with the console's chevron. */
function SelectBox({ children }: { children: ReactNode }) {
  return (
    <div className="relative">
      {children}
      <ChevronDown aria-hidden className="pointer-events-none absolute top-1/2 right-2.5 size-4 -translate-y-1/2 text-fg-subtle" />
    </div>
  )
}

export function SelectField({ options, ...base }: BaseProps & { options: readonly Option[] }) {
  const { register, getValues } = useFormContext()
  const id = useId()
  const error = useFieldError(base.name)
  return (
    <FieldShell {...base} id={id}>
      <SelectBox>
        <select
          id={id}
          // The initial selection in the markup too, so nothing can read the first option as an edit.
          defaultValue={getValues(base.name) as string}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          className={cn(inputClass, selectClass)}
          {...register(base.name)}
        >
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </SelectBox>
    </FieldShell>
  )
}

/**
 * A choice among the fleet's draft resources (clusters, route configurations, secrets). The current
 * value is always an option, even when it names nothing in the draft (the commit check reports it).
 */
export function PickerField({ names, emptyLabel, noun, ...base }: BaseProps & { names: readonly string[] | undefined; emptyLabel?: string; noun: string }) {
  const { register, control } = useFormContext<FieldValues>()
  const current = (useWatch({ control, name: base.name }) as string | undefined) ?? ''
  const id = useId()
  const error = useFieldError(base.name)
  const known = names ?? []
  const missing = current !== '' && names !== undefined && !known.includes(current)
  const options = [...(current !== '' && !known.includes(current) ? [current] : []), ...known]
  return (
    <FieldShell {...base} id={id} hint={missing ? `No ${noun} named “${current}” in the draft; a commit will refuse it` : base.hint}>
      <SelectBox>
        <select
          id={id}
          defaultValue={current}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          className={cn(inputClass, selectClass, 'font-mono text-[13px]')}
          {...register(base.name)}
        >
          <option value="">{emptyLabel ?? `Choose a ${noun}…`}</option>
          {options.map((n) => (
            <option key={n} value={n}>
              {n}
              {missing && n === current ? ' (missing)' : ''}
            </option>
          ))}
        </select>
      </SelectBox>
    </FieldShell>
  )
}

export function CheckboxField({ name, label, hint }: { name: string; label: ReactNode; hint?: ReactNode }) {
  const { register } = useFormContext()
  const id = useId()
  return (
    <div className="flex items-start gap-2" data-field={name}>
      <input id={id} type="checkbox" className="mt-0.5 size-4 rounded border-line-strong accent-[var(--accent)]" {...register(name)} />
      <div>
        <label htmlFor={id} className="text-sm font-medium">
          {label}
        </label>
        {hint ? <p className="text-xs text-fg-subtle">{hint}</p> : null}
      </div>
    </div>
  )
}

/** A titled group of fields. */
export function FormSection({ title, description, children, actions, ...rest }: { title: ReactNode; description?: ReactNode; children: ReactNode; actions?: ReactNode; 'data-testid'?: string }) {
  return (
    <fieldset className="min-w-0 rounded-lg border border-line bg-surface" {...rest}>
      <div className="flex items-start justify-between gap-3 border-b border-line px-4 py-2.5">
        <div className="min-w-0">
          <legend className="float-left text-sm font-semibold">{title}</legend>
          {description ? <p className="clear-left pt-0.5 text-xs text-fg-subtle">{description}</p> : null}
        </div>
        {actions ? <div className="flex shrink-0 items-center gap-2">{actions}</div> : null}
      </div>
      <div className="space-y-4 p-4">{children}</div>
    </fieldset>
  )
}

/** Small icon button for list rows (remove, move); always has an accessible name. */
export function RowButton({ label, onClick, children, disabled }: { label: string; onClick: () => void; children: ReactNode; disabled?: boolean }) {
  return (
    <button
      type="button"
      onClick={onClick}
      disabled={disabled}
      aria-label={label}
      title={label}
      className="grid size-8 shrink-0 place-items-center rounded-md text-fg-subtle hover:bg-surface-muted hover:text-fg focus-visible:outline-2 focus-visible:outline-accent disabled:opacity-40"
    >
      {children}
    </button>
  )
}
