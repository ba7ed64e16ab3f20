import { resourceTypeFromPlural, RESOURCE_TYPES, RESOURCE_TYPE_INFO, type ResourceType } from '../config/resource-types'
import { LegationError } from '../errors'
import { VersionNumber } from '../contract'

export function resourceTypeParamOrThrow(plural: string): ResourceType {
  const type = resourceTypeFromPlural(plural)
  if (!type) {
    const known = RESOURCE_TYPES.map((t) => RESOURCE_TYPE_INFO[t].plural).join(', ')
    throw new LegationError('RESOURCE.TYPE_UNKNOWN', `unknown resource type '${plural}'; use one of ${known}`)
  }
  return type
}

export function versionParamOrThrow(value: string, name = 'version'): number {
  const parsed = VersionNumber.safeParse(value)
  if (!parsed.success) throw new LegationError('VERSION.NOT_FOUND', `'${value}' is not a version number`, [{ path: name, message: 'expected a positive integer' }])
  return parsed.data
}

export function booleanQuery(url: URL, name: string): boolean {
  const v = url.searchParams.get(name)
  return v === 'true' || v === '1' || v === ''
}
export { hostnameOfHostHeader } from '../config/bootstrap'
