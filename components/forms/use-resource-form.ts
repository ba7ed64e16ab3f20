'use client'

import { zodResolver } from '@hookform/resolvers/zod'
import { useEffect, useMemo, useRef } from 'react'
import { get, useForm, type DefaultValues, type FieldValues, type Path, type UseFormReturn } from 'react-hook-form'
import type { z } from 'zod'
import type { Finding, ResourceJson } from '@/server/contract'
import type { ApiIssue } from '../api'

export type ResourceFormProps = Readonly<{
  /** The resource the form starts from; what the form does not edit is merged back from it. */
  initial: ResourceJson
  mode: 'create' | 'edit'
  /** Problems the server reported for the last save: each is shown at its field, or above the form. */
  issues: readonly ApiIssue[]
  /** The config analysis' findings for the resource as edited (shown where the form can place them, e.g. at a route). */
  findings?: readonly Finding[]
  /** Every edit, as the Envoy resource it would save (for the YAML view and for keeping unsaved work). */
  onChange?: (resource: ResourceJson) => void
  onSubmit: (resource: ResourceJson) => void
  /** Names in the fleet's draft, for the pickers; undefined while loading. */
  pickers: Pickers
  /** `id` of the <form>, so a Save button elsewhere on the page can submit it. */
  formId: string
  fleet: string
}>

export type Pickers = Readonly<{ clusters?: readonly string[]; routes?: readonly string[]; secrets?: readonly string[]; endpoints?: readonly string[] }>

type Options<V extends FieldValues> = Readonly<{
  schema: z.ZodType<V, V>
  fromEnvoy: (resource: ResourceJson) => V
  toEnvoy: (values: V, base: ResourceJson) => ResourceJson
  issueField: (path: string) => string | null
  props: ResourceFormProps
}>

export type ResourceForm<V extends FieldValues> = Readonly<{
  form: UseFormReturn<V>
  /** Server issues with no field in this form (their paths are listed above the form). */
  unmapped: readonly ApiIssue[]
  onSubmit: (e?: React.BaseSyntheticEvent) => Promise<void>
}>

/**
 * react-hook-form + zod for one Envoy resource: values from `fromEnvoy(initial)`, submit and change
 * give `toEnvoy(values, initial)`, and server issues are put on the fields their paths map to.
 */
export function useResourceForm<V extends FieldValues>({ schema, fromEnvoy, toEnvoy, issueField, props }: Options<V>): ResourceForm<V> {
  const { initial, issues, onChange, onSubmit } = props
  const defaultValues = useMemo(() => fromEnvoy(initial), [fromEnvoy, initial])
  const form = useForm<V>({ resolver: zodResolver(schema), defaultValues: defaultValues as DefaultValues<V>, mode: 'onSubmit', reValidateMode: 'onChange' })

  // Only fields the form has: an index past the end of a list is listed above the form instead.
  const placed = useMemo(() => {
    const values = form.getValues()
    return issues.map((issue) => {
      const field = issueField(issue.path)
      return { issue, field: field !== null && get(values, field) !== undefined ? field : null }
    })
  }, [issues, issueField, form])

  useEffect(() => {
    let focused = false
    for (const { issue, field } of placed) {
      if (field === null) continue
      form.setError(field as Path<V>, { type: 'server', message: issue.message })
      if (!focused) {
        form.setFocus(field as Path<V>)
        focused = true
      }
    }
  }, [placed, form])

  const latest = useRef({ onChange, toEnvoy, initial })
  useEffect(() => {
    latest.current = { onChange, toEnvoy, initial }
  })
  useEffect(
    () =>
      form.subscribe({
        formState: { values: true },
        callback: ({ values }) => {
          const { onChange: notify, toEnvoy: build, initial: base } = latest.current
          notify?.(build(values as V, base))
        },
      }),
    [form],
  )

  return {
    form,
    unmapped: placed.filter((p) => p.field === null).map((p) => p.issue),
    onSubmit: form.handleSubmit((values) => onSubmit(toEnvoy(values, initial))),
  }
}
