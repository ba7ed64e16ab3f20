import { describe, expect, it } from 'vitest'
import { FleetFormSchema, formValuesOf, parseMetadataLines, selectorFromForm, type FleetFormValues } from '../../../../components/fleets/schemas'

const base: FleetFormValues = { name: 'edge', description: '', matchBy: 'cluster', nodeIdGlob: '', nodeCluster: '', metadata: '' }
const issuesOf = (values: FleetFormValues) => {
  const r = FleetFormSchema.safeParse(values)
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
}

describe('the fleet form', () => {
  it('matches by node.cluster = name without a selector', () => {
    expect(issuesOf(base)).toEqual([])
    expect(selectorFromForm(base)).toBeNull()
  })

  it('refuses a name Envoy would need to quote', () => {
    expect(issuesOf({ ...base, name: 'edge west' })[0]).toMatch(/^name: /)
  })

  it('a selector needs a condition, reported at the node id glob', () => {
    expect(issuesOf({ ...base, matchBy: 'selector' })).toEqual(['nodeIdGlob: give at least one condition: a node id glob, a node.cluster or metadata'])
  })

  it('the contract limits the stars of a glob', () => {
    expect(issuesOf({ ...base, matchBy: 'selector', nodeIdGlob: '*-*-*-*-*-*-*-*-*' })[0]).toMatch(/^nodeIdGlob: use at most 8/)
  })

  it('metadata is key=value lines', () => {
    expect(parseMetadataLines('region = eu\n\nzone=a')).toEqual({ region: 'eu', zone: 'a' })
    expect(parseMetadataLines('region')).toBe('line 1: write key=value')
    expect(parseMetadataLines('a=1\na=2')).toBe("line 2: 'a' is given twice")
    expect(issuesOf({ ...base, matchBy: 'selector', metadata: 'nope' })).toEqual(['metadata: line 1: write key=value'])
  })

  it('builds the selector from the filled fields only, and reads a fleet back', () => {
    const values: FleetFormValues = { ...base, matchBy: 'selector', nodeIdGlob: ' edge-* ', metadata: 'region=eu' }
    expect(selectorFromForm(values)).toEqual({ nodeIdGlob: 'edge-*', metadata: { region: 'eu' } })
    expect(formValuesOf({ name: 'edge', description: 'd', selector: { nodeCluster: 'x', metadata: { a: '1', b: '2' } } })).toEqual({ ...base, description: 'd', matchBy: 'selector', nodeCluster: 'x', metadata: 'a=1\nb=2' })
  })
})
