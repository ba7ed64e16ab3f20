import { describe, expect, it } from 'vitest'
import { inRollout, nextRolloutStep, rolloutBucket, stageTakes, type RolloutStage, type StageObservation } from '../../../server/config/rollout-plan'

const node = (id: string, metadata: Record<string, string> = {}) => ({ id, metadata })
const stage = (s: Partial<RolloutStage>): RolloutStage => ({ soakSeconds: 0, approval: false, ...s })

describe('which proxies a stage takes', () => {
  it('by node id glob and metadata, every condition holding', () => {
    const canary = stage({ nodeIdGlob: 'canary-*', metadata: { zone: 'a' } })
    expect(stageTakes(canary, node('canary-1', { zone: 'a' }))).toBe(true)
    expect(stageTakes(canary, node('canary-1', { zone: 'b' }))).toBe(false)
    expect(stageTakes(canary, node('prod-1', { zone: 'a' }))).toBe(false)
  })

  it('by a stable share of the node ids: about the percentage, the same every time, growing with it', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => `proxy-${i}`)
    const ten = ids.filter((id) => stageTakes(stage({ percent: 10 }), node(id)))
    expect(ten.length).toBeGreaterThan(150)
    expect(ten.length).toBeLessThan(250)
    expect(ids.filter((id) => stageTakes(stage({ percent: 10 }), node(id)))).toEqual(ten)
    const fifty = new Set(ids.filter((id) => stageTakes(stage({ percent: 50 }), node(id))))
    expect(ten.every((id) => fifty.has(id))).toBe(true)
    expect(ids.every((id) => stageTakes(stage({ percent: 100 }), node(id)))).toBe(true)
    expect(rolloutBucket('proxy-1')).toBe(rolloutBucket('proxy-1'))
  })

  it('a later stage includes the earlier ones', () => {
    const stages = [stage({ nodeIdGlob: 'canary-*' }), stage({ percent: 100 })]
    expect(inRollout(stages, 0, node('canary-1'))).toBe(true)
    expect(inRollout(stages, 0, node('prod-1'))).toBe(false)
    expect(inRollout(stages, 1, node('prod-1'))).toBe(true)
    expect(inRollout([stage({ nodeIdGlob: 'a-*' }), stage({ nodeIdGlob: 'b-*' })], 1, node('a-1'))).toBe(true)
  })
})

describe('the rule to go on', () => {
  const base: StageObservation = { stage: 0, stageCount: 2, members: 3, reached: 3, rejection: null, soakedMs: 10_000, soakSeconds: 5, approval: false }
  it('halts on a NACK, whatever else holds', () => {
    expect(nextRolloutStep({ ...base, rejection: { nodeId: 'canary-2', message: 'bad lb policy' } })).toEqual({ kind: 'halt', reason: 'proxy canary-2 rejected the new version: bad lb policy' })
  })
  it('waits for every proxy of the stage, then for the soak time', () => {
    expect(nextRolloutStep({ ...base, reached: 2 })).toEqual({ kind: 'wait' })
    expect(nextRolloutStep({ ...base, soakedMs: 4_999 })).toEqual({ kind: 'wait' })
  })
  it('goes on, waits for approval, or completes after the last stage', () => {
    expect(nextRolloutStep(base)).toEqual({ kind: 'advance', to: 1 })
    expect(nextRolloutStep({ ...base, approval: true })).toEqual({ kind: 'await-approval' })
    expect(nextRolloutStep({ ...base, stage: 1 })).toEqual({ kind: 'complete' })
    // A stage that takes no proxy goes on once soaked.
    expect(nextRolloutStep({ ...base, members: 0, reached: 0 })).toEqual({ kind: 'advance', to: 1 })
  })
})
