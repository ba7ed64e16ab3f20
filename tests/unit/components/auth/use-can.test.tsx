// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { cleanup, renderHook } from '@testing-library/react'
import type { ReactNode } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import { grantsAllow, roleOn } from '../../../../components/auth/can'
import { authQueries } from '../../../../components/auth/queries'
import { useCan } from '../../../../components/auth/use-can'
import { can, type Principal } from '../../../../server/access/principal'
import { ROLES, type Grant, type Me, type Role } from '../../../../server/contract'

const g = (role: Role, fleets: string): Grant => ({ role, fleets })

describe('roleOn: the strongest role among the grants whose glob matches', () => {
  const cases: Array<[string, readonly Grant[], string | null, Role | null]> = [
    ['no grants', [], 'edge', null],
    ['a global viewer', [g('viewer', '*')], 'edge', 'viewer'],
    ['a glob that matches', [g('editor', 'edge-*')], 'edge-eu', 'editor'],
    ['a glob that does not', [g('editor', 'edge-*')], 'core', null],
    ['? is one character', [g('editor', 'edge-?')], 'edge-1', 'editor'],
    ['? is not two', [g('editor', 'edge-?')], 'edge-12', null],
    ['an exact name', [g('admin', 'demo')], 'demo', 'admin'],
    ['an exact name is not a prefix', [g('admin', 'demo')], 'demo-2', null],
    ['the stronger of two matches, in any order', [g('editor', 'edge-*'), g('viewer', '*')], 'edge-eu', 'editor'],
    ['a weaker later grant does not lower it', [g('admin', '*'), g('viewer', 'edge-*')], 'edge-eu', 'admin'],
    ['viewer elsewhere', [g('editor', 'edge-*'), g('viewer', '*')], 'core', 'viewer'],
    ['every fleet needs a * grant', [g('admin', 'edge-*')], null, null],
    ['every fleet with a * grant', [g('editor', 'edge-*'), g('viewer', '*')], null, 'viewer'],
    ['a glob of only stars is not *', [g('admin', '**')], null, null],
  ]
  it.each(cases)('%s', (_name, grants, fleet, expected) => {
    expect(roleOn(grants, fleet)).toBe(expected)
  })
})

describe('grantsAllow agrees with the server’s can() on every role, grant and fleet', () => {
  const grantSets: Array<readonly Grant[]> = [[], [g('viewer', '*')], [g('editor', '*')], [g('admin', '*')], [g('editor', 'edge-*'), g('viewer', '*')], [g('admin', 'edge-*')], [g('viewer', 'edge-?'), g('admin', 'core')], [g('admin', '**')]]
  const fleets = [null, 'edge', 'edge-1', 'edge-eu', 'core', 'demo']
  for (const grants of grantSets) {
    const principal: Principal = { kind: 'user', id: 'u', name: 'someone', grants }
    for (const fleet of fleets) {
      for (const need of ROLES) {
        it(`${JSON.stringify(grants)} ${need} on ${fleet ?? 'everything'}`, () => {
          expect(grantsAllow(grants, need, fleet)).toBe(can(principal, need, fleet))
        })
      }
    }
  }
})

describe('useCan', () => {
  afterEach(cleanup)
  const me = (grants: readonly Grant[] | null): Me => ({ principal: grants ? { kind: 'user', name: 'someone', grants: [...grants] } : null, setupRequired: false, sso: { enabled: false, label: '' } })
  function render(data: Me | undefined, need: Role, fleet: string | null): boolean {
    const client = new QueryClient({ defaultOptions: { queries: { retry: false, enabled: false } } })
    if (data) client.setQueryData(authQueries.me().queryKey, data)
    const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>
    return renderHook(() => useCan(need, fleet), { wrapper }).result.current
  }

  it('a viewer of a fleet may read it but not edit it', () => {
    expect(render(me([g('viewer', '*')]), 'viewer', 'demo')).toBe(true)
    expect(render(me([g('viewer', '*')]), 'editor', 'demo')).toBe(false)
  })
  it('an editor of edge-* edits edge fleets only, and administers nothing', () => {
    const grants = [g('editor', 'edge-*'), g('viewer', '*')]
    expect(render(me(grants), 'editor', 'edge-eu')).toBe(true)
    expect(render(me(grants), 'editor', 'core')).toBe(false)
    expect(render(me(grants), 'admin', null)).toBe(false)
  })
  it('only an admin of * administers users and tokens', () => {
    expect(render(me([g('admin', '*')]), 'admin', null)).toBe(true)
    expect(render(me([g('admin', 'edge-*')]), 'admin', null)).toBe(false)
  })
  it('offers nothing while nobody is known (not loaded, or signed out)', () => {
    expect(render(undefined, 'viewer', 'demo')).toBe(false)
    expect(render(me(null), 'viewer', 'demo')).toBe(false)
  })
})
