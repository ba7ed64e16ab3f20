import { describe, expect, it } from 'vitest'
import { userAgentVersionOf } from '../../../server/xds-types/wire'

describe('userAgentVersionOf', () => {
  it('takes user_agent_version, else Envoy’s user_agent_build_version, else nothing', () => {
    expect(userAgentVersionOf({ user_agent_version: '1.14.1' })).toBe('1.14.1')
    // What Envoy sends (proto-loader keepCase, defaults): a SemanticVersion with metadata.
    expect(userAgentVersionOf({ user_agent_version: '', user_agent_build_version: { version: { major_number: 1, minor_number: 30, patch: 2 }, metadata: null } })).toBe('1.30.2')
    expect(userAgentVersionOf({ user_agent_build_version: { version: { major_number: 1, minor_number: '30' } } })).toBe('')
    expect(userAgentVersionOf({})).toBe('')
  })
})
