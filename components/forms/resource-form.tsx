'use client'

import type { ResourceJson } from '@/server/contract'
import type { ResourceKind } from '../resources/kinds'
import { ClusterForm } from './cluster-form'
import { clusterFit } from './cluster-mapping'
import { EndpointsForm } from './endpoints-form'
import { endpointsFit } from './endpoints-mapping'
import { doesNotFit, type FormFit } from './fit'
import { ListenerForm } from './listener-form'
import { listenerFit } from './listener-mapping'
import { RouteConfigForm } from './route-config-form'
import { routeConfigFit } from './route-mapping'
import type { ResourceFormProps } from './use-resource-form'

/** Whether `kind` has a form and this resource fits it; secrets are always edited as text. */
export function formFit(kind: ResourceKind, resource: ResourceJson): FormFit {
  switch (kind) {
    case 'clusters':
      return clusterFit(resource)
    case 'listeners':
      return listenerFit(resource)
    case 'routes':
      return routeConfigFit(resource)
    case 'endpoints':
      return endpointsFit(resource)
    case 'secrets':
      return doesNotFit('secrets are edited as YAML or JSON')
  }
}

export function hasForm(kind: ResourceKind): boolean {
  return kind !== 'secrets'
}

export function ResourceForm({ kind, ...props }: ResourceFormProps & { kind: ResourceKind }) {
  switch (kind) {
    case 'clusters':
      return <ClusterForm {...props} />
    case 'listeners':
      return <ListenerForm {...props} />
    case 'routes':
      return <RouteConfigForm {...props} />
    case 'endpoints':
      return <EndpointsForm {...props} />
    case 'secrets':
      return null
  }
}
