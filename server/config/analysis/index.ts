import type { ConfigResource } from '../resource-types'
import { checkClusters } from './clusters'
import { checkDomains } from './domains'
import { compareFindings, type ControlPlanePort, type Finding } from './finding'
import { httpConnectionManagers, routeConfigurations } from './http-sites'
import { checkListeners } from './listeners'
import { checkRegexes } from './regexes'
import { checkRoutes } from './routes'

export type { ControlPlanePort, Finding, FindingCode, FindingSeverity } from './finding'
export { FINDING_CODES } from './finding'

export type AnalysisInput = Readonly<{
  /** A fleet's resources as canonical proto3 JSON (validated): the draft, or a version. */
  resources: readonly ConfigResource[]
  /** This control plane's own ports (xDS, HTTP): endpoints on them are reported. */
  controlPlanePorts?: readonly ControlPlanePort[]
}>

/**
 * Config analysis (#12): what the proto and reference checks cannot see — routes that can never
 * match, domains Envoy refuses, regexes RE2 refuses, unused clusters, filter chains and HTTP filters
 * Envoy refuses, endpoints that cannot be meant, timeouts that cannot apply. Pure: no I/O, the same
 * findings for the same input, errors first.
 */
export function analyzeConfig(input: AnalysisInput): Finding[] {
  const { resources, controlPlanePorts = [] } = input
  const hcms = httpConnectionManagers(resources)
  const sites = routeConfigurations(resources, hcms)
  return [...checkRoutes(sites), ...checkDomains(sites), ...checkRegexes(resources), ...checkListeners(resources, hcms), ...checkClusters(resources, hcms, controlPlanePorts)].sort(compareFindings)
}

export function countFindings(findings: readonly Finding[]): { errors: number; warnings: number } {
  const errors = findings.filter((f) => f.severity === 'error').length
  return { errors, warnings: findings.length - errors }
}
