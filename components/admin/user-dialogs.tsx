'use client'

import { zodResolver } from '@hookform/resolvers/zod'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useId, useState } from 'react'
import { FormProvider, useForm } from 'react-hook-form'
import type { Grant, UserView } from '@/server/contract'
import { fleetQueries } from '../fleets/queries'
import { CheckboxField, TextField } from '../forms/fields'
import { deepEqual } from '../forms/json'
import { useToast } from '../ui/toast-context'
import { FormDialog } from './form-dialog'
import { GrantsField } from './grants-field'
import { PasswordField } from './password-field'
import { createUser, updateUser, userQueries, type UserUpdateBody } from './queries'
import { UserCreateFormSchema, UserEditFormSchema, type UserCreateFormValues, type UserEditFormValues } from './schemas'
import { applyServerIssues } from './server-issues'

const trimGrants = (grants: readonly Grant[]): Grant[] => grants.map((g) => ({ role: g.role, fleets: g.fleets.trim() }))

/** A new local user with a password and roles. */
export function CreateUserDialog({ onClose }: { onClose: () => void }) {
  const formId = useId()
  const toast = useToast()
  const queryClient = useQueryClient()
  const fleets = useQuery(fleetQueries.list()).data?.map((f) => f.name)
  const [error, setError] = useState<string | null>(null)
  const form = useForm<UserCreateFormValues>({ resolver: zodResolver(UserCreateFormSchema), defaultValues: { username: '', displayName: '', password: '', grants: [{ role: 'viewer', fleets: '*' }] } })
  const create = useMutation({
    mutationFn: (values: UserCreateFormValues) => createUser({ username: values.username.trim(), displayName: values.displayName.trim(), password: values.password, grants: trimGrants(values.grants) }),
    onSuccess: async (user) => {
      toast({ tone: 'success', title: `User ${user.username} created`, description: 'They can sign in with the password you set.' })
      onClose()
      await queryClient.invalidateQueries({ queryKey: userQueries.all() })
    },
    onError: (err) => setError(applyServerIssues(err, ['username', 'displayName', 'password', 'grants'], form.setError)),
  })
  return (
    <FormDialog open onOpenChange={(open) => !open && onClose()} title="New user" description="A local user who signs in with a password. Single sign-on users are created at their first sign-in." formId={formId} submitLabel="Create user" pending={create.isPending} error={error} wide data-testid="create-user-dialog">
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
            <TextField name="username" label="User name" mono autoFocus hint="Lower-case; what they type to sign in." />
            <TextField name="displayName" label="Display name (optional)" />
          </div>
          <PasswordField name="password" label="Password" hint="At least 12 characters. Tell it to them over a safe channel." />
          <GrantsField fleetNames={fleets} />
        </form>
      </FormProvider>
    </FormDialog>
  )
}

/** Roles, display name, a new password, disabled: only what changed is sent. */
export function EditUserDialog({ user, isSelf, onClose }: { user: UserView; isSelf: boolean; onClose: () => void }) {
  const formId = useId()
  const toast = useToast()
  const queryClient = useQueryClient()
  const fleets = useQuery(fleetQueries.list()).data?.map((f) => f.name)
  const [error, setError] = useState<string | null>(null)
  const local = user.source === 'local'
  const form = useForm<UserEditFormValues>({ resolver: zodResolver(UserEditFormSchema), defaultValues: { displayName: user.displayName, password: '', grants: user.grants.map((g) => ({ ...g })), disabled: user.disabled } })
  const update = useMutation({
    mutationFn: (body: UserUpdateBody) => updateUser(user.id, body),
    onSuccess: async (updated, body) => {
      const ended = body.password !== undefined || body.disabled === true
      toast({ tone: 'success', title: `User ${updated.username} updated`, ...(ended ? { description: 'Their sessions have ended; they sign in again.' } : {}) })
      onClose()
      await queryClient.invalidateQueries({ queryKey: userQueries.all() })
    },
    onError: (err) => setError(applyServerIssues(err, ['displayName', 'password', 'grants', 'disabled'], form.setError)),
  })
  const submit = (values: UserEditFormValues): void => {
    setError(null)
    const grants = trimGrants(values.grants)
    const body: UserUpdateBody = {
      ...(values.displayName.trim() !== user.displayName ? { displayName: values.displayName.trim() } : {}),
      ...(local && values.password !== '' ? { password: values.password } : {}),
      ...(!deepEqual(grants, user.grants) ? { grants } : {}),
      ...(values.disabled !== user.disabled ? { disabled: values.disabled } : {}),
    }
    if (Object.keys(body).length === 0) onClose()
    else update.mutate(body)
  }
  return (
    <FormDialog
      open
      onOpenChange={(open) => !open && onClose()}
      title={
        <>
          Edit user <span className="font-mono">{user.username}</span>
        </>
      }
      description={local ? 'A new password or disabling the user ends their sessions at once.' : `Signs in through single sign-on: their roles are set again from their groups at each sign-in.`}
      formId={formId}
      submitLabel="Save"
      pending={update.isPending}
      error={error}
      wide
      data-testid="edit-user-dialog"
    >
      <FormProvider {...form}>
        <form id={formId} noValidate className="space-y-4" onSubmit={form.handleSubmit(submit)}>
          <TextField name="displayName" label="Display name" />
          {local ? <PasswordField name="password" label="Reset password" placeholder="Leave empty to keep it" hint="At least 12 characters; leave empty to keep the current password." /> : null}
          <GrantsField fleetNames={fleets} />
          {isSelf ? (
            <p className="text-xs text-fg-subtle">You cannot disable yourself here: ask another admin.</p>
          ) : (
            <CheckboxField name="disabled" label="Disabled" hint="A disabled user cannot sign in; their sessions end at once. Nothing they did is undone." />
          )}
        </form>
      </FormProvider>
    </FormDialog>
  )
}
