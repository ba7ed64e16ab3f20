'use client'

import { FormProvider } from 'react-hook-form'
import { endpointsIssueField, fromEnvoyEndpoints, toEnvoyEndpoints } from './endpoints-mapping'
import { EndpointsFieldset } from './endpoints-fieldset'
import { FormSection, PickerField, TextField } from './fields'
import { FormIssues } from './form-issues'
import { EndpointsFormSchema, type EndpointsFormValues } from './schemas'
import { useResourceForm, type ResourceFormProps } from './use-resource-form'

/** A ClusterLoadAssignment: the hosts of the EDS cluster it is named after. */
export function EndpointsForm(props: ResourceFormProps) {
  const { form, unmapped, onSubmit } = useResourceForm<EndpointsFormValues>({ schema: EndpointsFormSchema, fromEnvoy: fromEnvoyEndpoints, toEnvoy: toEnvoyEndpoints, issueField: endpointsIssueField, props })
  return (
    <FormProvider {...form}>
      <form id={props.formId} onSubmit={onSubmit} noValidate className="space-y-4" data-testid="endpoints-form" aria-label="Endpoints">
        <FormIssues issues={unmapped} />
        <FormSection title="Load assignment" description="An EDS cluster takes its hosts from the load assignment with its name.">
          {props.mode === 'edit' ? (
            <TextField name="clusterName" label="Cluster" mono readOnly className="max-w-md" />
          ) : (
            <PickerField name="clusterName" label="Cluster" names={props.pickers.clusters} noun="cluster" className="max-w-md" hint="Usually an EDS cluster of this fleet." />
          )}
        </FormSection>
        <FormSection title="Endpoints" description="Hosts by locality. A weight is relative to the other hosts of the same locality.">
          <EndpointsFieldset />
        </FormSection>
      </form>
    </FormProvider>
  )
}
