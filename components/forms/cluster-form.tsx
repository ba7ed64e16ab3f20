'use client'

import Link from 'next/link'
import { FormProvider, useWatch } from 'react-hook-form'
import { KIND_INFO, resourceHrefs } from '../resources/kinds'
import { clusterIssueField, fromEnvoyCluster, toEnvoyCluster } from './cluster-mapping'
import { EndpointsFieldset } from './endpoints-fieldset'
import { CheckboxField, FormSection, SelectField, TextField } from './fields'
import { FormIssues } from './form-issues'
import { ClusterFormSchema, type ClusterFormValues } from './schemas'
import { useResourceForm, type ResourceFormProps } from './use-resource-form'

const TYPE_OPTIONS = [
  { value: 'STATIC', label: 'STATIC: the addresses below' },
  { value: 'STRICT_DNS', label: 'STRICT_DNS: resolve names, use every address' },
  { value: 'LOGICAL_DNS', label: 'LOGICAL_DNS: resolve names, use the first address' },
  { value: 'EDS', label: 'EDS: endpoints served by this control plane' },
] as const

const LB_OPTIONS = ['ROUND_ROBIN', 'LEAST_REQUEST', 'RING_HASH', 'RANDOM', 'MAGLEV', 'CLUSTER_PROVIDED'].map((v) => ({ value: v, label: v }))

export function ClusterForm(props: ResourceFormProps) {
  const { form, unmapped, onSubmit } = useResourceForm<ClusterFormValues>({ schema: ClusterFormSchema, fromEnvoy: fromEnvoyCluster, toEnvoy: toEnvoyCluster, issueField: clusterIssueField, props })
  const [type, healthCheck, name] = useWatch({ control: form.control, name: ['type', 'healthCheck.enabled', 'name'] })
  const edsName = name.trim()
  const hasAssignment = props.pickers.endpoints?.includes(edsName) ?? false
  return (
    <FormProvider {...form}>
      <form id={props.formId} onSubmit={onSubmit} noValidate className="space-y-4" data-testid="cluster-form" aria-label="Cluster">
        <FormIssues issues={unmapped} />
        <FormSection title="Cluster">
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField name="name" label="Name" mono readOnly={props.mode === 'edit'} autoFocus={props.mode === 'create'} hint={props.mode === 'edit' ? 'Routes refer to a cluster by name, so it cannot be renamed here.' : undefined} />
            <TextField name="connectTimeout" label="Connect timeout" mono placeholder="5s" hint="Seconds with an s, e.g. 0.25s. Empty: Envoy's default (5s)." />
            <SelectField name="type" label="Discovery type" options={TYPE_OPTIONS} />
            <SelectField name="lbPolicy" label="Load balancing policy" options={LB_OPTIONS} />
          </div>
        </FormSection>

        <FormSection
          title="Endpoints"
          data-testid="cluster-endpoints"
          description={type === 'EDS' ? undefined : type === 'STATIC' ? 'IP addresses of the hosts.' : 'DNS names (or IPs) Envoy resolves to find the hosts.'}
        >
          {type === 'EDS' ? (
            <p className="text-sm text-fg-muted">
              An EDS cluster gets its hosts from the load assignment named <span className="font-mono">{edsName || '(the cluster’s name)'}</span>, served over ADS.{' '}
              {edsName === '' ? null : hasAssignment ? (
                <Link className="text-accent underline-offset-2 hover:underline" href={resourceHrefs.edit(props.fleet, 'endpoints', edsName)}>
                  Edit its endpoints
                </Link>
              ) : (
                <Link className="text-accent underline-offset-2 hover:underline" href={resourceHrefs.create(props.fleet, 'endpoints')}>
                  Create the {KIND_INFO.endpoints.singular}
                </Link>
              )}
            </p>
          ) : (
            <EndpointsFieldset />
          )}
        </FormSection>

        <FormSection title="Health check" description="Active HTTP health checking of every host.">
          <CheckboxField name="healthCheck.enabled" label="Check hosts over HTTP" />
          {healthCheck ? (
            <div className="grid gap-4 sm:grid-cols-3">
              <TextField name="healthCheck.path" label="Path" mono placeholder="/healthz" className="sm:col-span-3" />
              <TextField name="healthCheck.interval" label="Interval" mono placeholder="5s" />
              <TextField name="healthCheck.timeout" label="Timeout" mono placeholder="1s" />
              <div />
              <TextField name="healthCheck.healthyThreshold" label="Healthy threshold" mono inputMode="numeric" hint="Passes in a row to become healthy" />
              <TextField name="healthCheck.unhealthyThreshold" label="Unhealthy threshold" mono inputMode="numeric" hint="Failures in a row to become unhealthy" />
            </div>
          ) : null}
        </FormSection>

        <FormSection title="Circuit breaker" description="Limits for the DEFAULT priority. Empty fields keep Envoy's defaults (1024, and 3 retries).">
          <div className="grid gap-4 sm:grid-cols-4">
            <TextField name="circuitBreaker.maxConnections" label="Max connections" mono inputMode="numeric" placeholder="1024" />
            <TextField name="circuitBreaker.maxPendingRequests" label="Max pending requests" mono inputMode="numeric" placeholder="1024" />
            <TextField name="circuitBreaker.maxRequests" label="Max requests" mono inputMode="numeric" placeholder="1024" />
            <TextField name="circuitBreaker.maxRetries" label="Max retries" mono inputMode="numeric" placeholder="3" />
          </div>
        </FormSection>
      </form>
    </FormProvider>
  )
}
