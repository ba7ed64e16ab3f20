'use client'

import { MapPin, Plus, Trash2 } from 'lucide-react'
import { useFieldArray, useFormContext } from 'react-hook-form'
import { Button } from '../ui/button'
import { newEndpointRow, newLocalityRow } from './endpoints-mapping'
import { RowButton, TextField } from './fields'
import type { LocalityValues } from './schemas'

type WithLocalities = { localities: LocalityValues[] }

function LocalityGroup({ index, count, onRemove }: { index: number; count: number; onRemove: () => void }) {
  const { control } = useFormContext<WithLocalities>()
  const endpoints = useFieldArray({ control, name: `localities.${index}.endpoints` })
  const n = index + 1
  return (
    <div className="rounded-md border border-line" data-testid="locality" data-index={index}>
      <div className="flex flex-wrap items-end gap-3 border-b border-line bg-surface-muted/50 px-3 py-2.5">
        <MapPin aria-hidden className="mb-2 hidden size-4 shrink-0 text-fg-subtle sm:block" />
        <TextField name={`localities.${index}.region`} label={count > 1 ? `Region (locality ${n})` : 'Region'} placeholder="optional, e.g. eu-west-1" className="min-w-0 flex-1 sm:w-48 sm:flex-none" />
        <TextField name={`localities.${index}.zone`} label={count > 1 ? `Zone (locality ${n})` : 'Zone'} placeholder="optional, e.g. eu-west-1a" className="min-w-0 flex-1 sm:w-48 sm:flex-none" />
        <div className="ml-auto">
          <RowButton label={`Remove locality ${n} and its endpoints`} onClick={onRemove}>
            <Trash2 aria-hidden className="size-4" />
          </RowButton>
        </div>
      </div>
      <div className="px-3 py-2.5">
        {endpoints.fields.length > 0 ? (
          <div aria-hidden className="mb-1 grid grid-cols-[minmax(0,1fr)_5rem_4rem_2rem] gap-2 text-xs font-medium text-fg-muted sm:grid-cols-[minmax(0,1fr)_7rem_6rem_2rem]">
            <span>
              Address<span className="hidden sm:inline"> (IP or DNS name)</span>
            </span>
            <span>Port</span>
            <span>Weight</span>
            <span />
          </div>
        ) : (
          <p className="py-1 text-sm text-fg-subtle">No endpoints in this locality.</p>
        )}
        <ul className="space-y-2">
          {endpoints.fields.map((field, j) => (
            <li key={field.id} className="grid grid-cols-[minmax(0,1fr)_5rem_4rem_2rem] items-start gap-2 sm:grid-cols-[minmax(0,1fr)_7rem_6rem_2rem]" data-testid="endpoint-row">
              <TextField name={`localities.${index}.endpoints.${j}.address`} label={`Address of endpoint ${j + 1}${count > 1 ? ` in locality ${n}` : ''}`} hideLabel mono placeholder="10.0.0.1 or service.internal" />
              <TextField name={`localities.${index}.endpoints.${j}.port`} label={`Port of endpoint ${j + 1}${count > 1 ? ` in locality ${n}` : ''}`} hideLabel mono inputMode="numeric" placeholder="8080" />
              <TextField name={`localities.${index}.endpoints.${j}.weight`} label={`Weight of endpoint ${j + 1}${count > 1 ? ` in locality ${n}` : ''}`} hideLabel mono inputMode="numeric" placeholder="1" />
              <RowButton label={`Remove endpoint ${j + 1}`} onClick={() => endpoints.remove(j)}>
                <Trash2 aria-hidden className="size-4" />
              </RowButton>
            </li>
          ))}
        </ul>
        <Button size="sm" variant="ghost" className="mt-2" onClick={() => endpoints.append(newEndpointRow())}>
          <Plus aria-hidden className="size-3.5" />
          Add endpoint
        </Button>
      </div>
    </div>
  )
}

/** The hosts of a cluster, grouped by locality (region/zone): address, port and weight each. */
export function EndpointsFieldset() {
  const { control } = useFormContext<WithLocalities>()
  const localities = useFieldArray({ control, name: 'localities' })
  return (
    <div className="space-y-3" data-testid="endpoints-fieldset">
      {localities.fields.length === 0 ? <p className="text-sm text-fg-subtle">No endpoints: Envoy will have no host to send this cluster&apos;s traffic to.</p> : null}
      {localities.fields.map((field, i) => (
        <LocalityGroup key={field.id} index={i} count={localities.fields.length} onRemove={() => localities.remove(i)} />
      ))}
      <Button size="sm" onClick={() => localities.append(newLocalityRow())}>
        <Plus aria-hidden className="size-3.5" />
        {localities.fields.length === 0 ? 'Add an endpoint' : 'Add locality'}
      </Button>
    </div>
  )
}
