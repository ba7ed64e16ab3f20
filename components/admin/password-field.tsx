'use client'

import { Eye, EyeOff } from 'lucide-react'
import { useId, useState } from 'react'
import { useFormContext } from 'react-hook-form'
import { FieldError, inputClass, useFieldError } from '../forms/fields'
import { cn } from '../ui/cn'

/** A new password, with a show/hide toggle (an admin types it for someone else and may need to read it back). */
export function PasswordField({ name, label, hint, placeholder }: { name: string; label: string; hint?: string; placeholder?: string }) {
  const { register } = useFormContext()
  const id = useId()
  const [visible, setVisible] = useState(false)
  const error = useFieldError(name)
  return (
    <div className="min-w-0" data-field={name}>
      <label htmlFor={id} className="mb-1 block text-xs font-medium text-fg-muted">
        {label}
      </label>
      <div className="relative">
        <input
          id={id}
          type={visible ? 'text' : 'password'}
          autoComplete="new-password"
          placeholder={placeholder}
          spellCheck={false}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          className={cn(inputClass, 'pr-9')}
          {...register(name)}
        />
        <button
          type="button"
          onClick={() => setVisible((v) => !v)}
          aria-label={visible ? 'Hide the password' : 'Show the password'}
          className="absolute top-1/2 right-1.5 grid size-6 -translate-y-1/2 place-items-center rounded text-fg-subtle hover:text-fg focus-visible:outline-2 focus-visible:outline-accent"
        >
          {visible ? <EyeOff aria-hidden className="size-3.5" /> : <Eye aria-hidden className="size-3.5" />}
        </button>
      </div>
      {error ? <FieldError id={`${id}-error`} message={error} /> : hint ? <p className="mt-1 text-xs text-fg-subtle">{hint}</p> : null}
    </div>
  )
}
