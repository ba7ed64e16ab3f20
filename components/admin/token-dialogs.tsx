'use client'

import { zodResolver } from '@hookform/resolvers/zod'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Check, Copy, KeyRound, TriangleAlert } from 'lucide-react'
import { Dialog } from 'radix-ui'
import { useId, useState } from 'react'
import { FormProvider, useForm, useFormContext, useWatch } from 'react-hook-form'
import type { TokenCreated } from '@/server/contract'
import { fleetQueries } from '../fleets/queries'
import { FieldError, inputClass, SelectField, TextField, useFieldError } from '../forms/fields'
import { Button } from '../ui/button'
import { cn } from '../ui/cn'
import { FormDialog } from './form-dialog'
import { GrantsField } from './grants-field'
import { createToken, tokenQueries } from './queries'
import { EXPIRY_CHOICES, EXPIRY_LABEL, expiresAtOf, TokenCreateFormSchema, type TokenCreateFormValues } from './schemas'
import { applyServerIssues } from './server-issues'

const KIND_OPTIONS = [
  { value: 'api', label: 'API token: CI, GitOps, scripts (Authorization: Bearer)' },
  { value: 'proxy', label: 'Proxy token: xDS config of the fleets it names' },
] as const

/** A new API or proxy token; on success the parent shows its secret once (TokenSecretDialog). */
export function CreateTokenDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (created: TokenCreated) => void }) {
  const formId = useId()
  const queryClient = useQueryClient()
  const fleets = useQuery(fleetQueries.list()).data?.map((f) => f.name)
  const [error, setError] = useState<string | null>(null)
  const form = useForm<TokenCreateFormValues>({ resolver: zodResolver(TokenCreateFormSchema), defaultValues: { name: '', kind: 'api', grants: [{ role: 'viewer', fleets: '*' }], expiry: '90', expiresOn: '' } })
  const [kind, expiry] = useWatch({ control: form.control, name: ['kind', 'expiry'] })
  const create = useMutation({
    mutationFn: (values: TokenCreateFormValues) => {
      const expiresAt = expiresAtOf(values, Date.now())
      // A proxy token's grants only name fleets (server/access proxyTokenAllows); the role is not used.
      const grants = values.grants.map((g) => ({ role: values.kind === 'proxy' ? ('viewer' as const) : g.role, fleets: g.fleets.trim() }))
      return createToken({ name: values.name.trim(), kind: values.kind, grants, ...(expiresAt ? { expiresAt } : {}) })
    },
    onSuccess: async (created) => {
      onCreated(created)
      await queryClient.invalidateQueries({ queryKey: tokenQueries.all() })
    },
    onError: (err) => setError(applyServerIssues(err, ['name', 'kind', 'grants', 'expiresAt'], form.setError)),
  })
  return (
    <FormDialog open onOpenChange={(open) => !open && onClose()} title="New token" description="The secret is shown once, right after it is created; Legation keeps only its hash." formId={formId} submitLabel="Create token" pending={create.isPending} error={error} wide data-testid="create-token-dialog">
      <FormProvider {...form}>
        <form
          id={formId}
          noValidate
          className="space-y-4"
          onSubmit={form.handleSubmit((values) => {
            setError(null)
            create.mutate(values)
          })}
        >
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField name="name" label="Name" mono autoFocus hint="What uses it, e.g. ci-deploy or edge-proxies." />
            <SelectField name="kind" label="Kind" options={KIND_OPTIONS} />
          </div>
          <GrantsField fleetsOnly={kind === 'proxy'} fleetNames={fleets} />
          <div className="grid gap-4 sm:grid-cols-2">
            <SelectField name="expiry" label="Expires" options={EXPIRY_CHOICES.map((c) => ({ value: c, label: EXPIRY_LABEL[c] }))} />
            {expiry === 'date' ? <DateField /> : null}
          </div>
        </form>
      </FormProvider>
    </FormDialog>
  )
}

/** The day the token stops working (at the end of it, local time). */
function DateField() {
  const { register } = useFormContext<TokenCreateFormValues>()
  const id = useId()
  const error = useFieldError('expiresOn')
  return (
    <div className="min-w-0" data-field="expiresOn">
      <label htmlFor={id} className="mb-1 block text-xs font-medium text-fg-muted">
        Last day it works
      </label>
      <input id={id} type="date" className={inputClass} aria-invalid={error ? true : undefined} data-testid="token-expires-on" {...register('expiresOn')} />
      <FieldError id={`${id}-error`} message={error} />
    </div>
  )
}

/**
 * The new token's secret, this once: a warning, the value with a copy button, and how to use it.
 * Closing drops it from memory; nothing else in the console ever had it.
 */
export function TokenSecretDialog({ created, onClose }: { created: TokenCreated; onClose: () => void }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null)
  const { token, secret } = created
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(secret)
      setCopied('yes')
    } catch {
      setCopied('failed')
    }
  }
  const usage = token.kind === 'api' ? `curl -H "Authorization: Bearer ${secret}" ${typeof window === 'undefined' ? '' : window.location.origin}/api/v1/fleets` : `authorization: Bearer ${secret}`
  return (
    <Dialog.Root open onOpenChange={(open) => !open && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-zinc-950/50" />
        <Dialog.Content
          // A click beside the dialog must not throw the secret away; Escape and Done close it.
          onInteractOutside={(e) => e.preventDefault()}
          className="fixed top-1/2 left-1/2 z-50 flex max-h-[calc(100vh-4rem)] w-[min(40rem,calc(100vw-2rem))] -translate-x-1/2 -translate-y-1/2 flex-col overflow-hidden rounded-lg border border-line bg-surface text-fg shadow-2xl"
          data-testid="token-secret-dialog"
        >
          <div className="border-b border-line px-5 py-3.5">
            <Dialog.Title className="flex items-center gap-2 text-base font-semibold">
              <KeyRound aria-hidden className="size-4" />
              Token <span className="font-mono">{token.name}</span> created
            </Dialog.Title>
            <Dialog.Description className="mt-1 text-sm text-fg-muted">{token.kind === 'api' ? 'An API token: send it as Authorization: Bearer.' : 'A proxy token: the proxies of its fleets send it as gRPC metadata (or with REST discovery).'}</Dialog.Description>
          </div>
          <div className="space-y-3 px-5 py-4 text-sm">
            <p role="alert" className="flex items-start gap-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-amber-900 dark:border-amber-900 dark:bg-amber-950/60 dark:text-amber-200" data-testid="token-secret-warning">
              <TriangleAlert aria-hidden className="mt-0.5 size-4 shrink-0" />
              <span>
                <strong>Copy it now.</strong> This is the only time Legation shows this secret; it stores only a hash of it. If it is lost, create a new token and revoke this one.
              </span>
            </p>
            <div className="flex items-center gap-2">
              <label className="min-w-0 flex-1">
                <span className="sr-only">Token secret</span>
                <input readOnly value={secret} onFocus={(e) => e.currentTarget.select()} className={cn(inputClass, 'font-mono text-[13px] read-only:bg-surface read-only:text-fg')} data-testid="token-secret" />
              </label>
              <Button variant="primary" onClick={() => void copy()} data-testid="copy-secret">
                {copied === 'yes' ? <Check aria-hidden className="size-4" /> : <Copy aria-hidden className="size-4" />}
                {copied === 'yes' ? 'Copied' : 'Copy'}
              </Button>
            </div>
            {copied === 'failed' ? <p className="text-xs text-red-700 dark:text-red-300">The browser did not allow copying: select the secret and copy it yourself.</p> : null}
            <div>
              <p className="mb-1 text-xs font-medium text-fg-muted">Use it like this</p>
              <pre className="rounded-md bg-surface-muted px-3 py-2 font-mono text-xs break-all whitespace-pre-wrap">{usage}</pre>
            </div>
          </div>
          <div className="flex justify-end gap-2 border-t border-line bg-surface-muted/40 px-5 py-3">
            <Dialog.Close asChild>
              <Button data-testid="close-secret">I have copied it</Button>
            </Dialog.Close>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  )
}
