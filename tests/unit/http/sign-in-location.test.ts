import { describe, expect, it } from 'vitest'
import { signInLocation } from '@/server/http/sign-in-location'

/* The sign-in page a signed-out page request is sent to: it names the page asked for as `next`. */
describe('signInLocation', () => {
  it('names the page and its query as next', () => {
    expect(signInLocation('/fleets/edge-1/versions')).toBe('/login?next=%2Ffleets%2Fedge-1%2Fversions')
    expect(signInLocation('/audit?action=token.*&actor=root')).toBe(`/login?${new URLSearchParams({ next: '/audit?action=token.*&actor=root' }).toString()}`)
  })

  it("leaves out Next's _rsc parameter of a client navigation, and keeps the rest of the query", () => {
    expect(signInLocation('/fleets/edge-1/resources?_rsc=1x2y3')).toBe('/login?next=%2Ffleets%2Fedge-1%2Fresources')
    expect(new URLSearchParams(signInLocation('/audit?_rsc=abc&action=user.*').split('?')[1]).get('next')).toBe('/audit?action=user.*')
  })

  it('has no next for the overview, an unknown path, or one that is not a plain path of this console', () => {
    expect(signInLocation(null)).toBe('/login')
    expect(signInLocation('/')).toBe('/login')
    expect(signInLocation('/?_rsc=abc')).toBe('/login')
    expect(signInLocation('//evil.example/x')).toBe('/login')
    expect(signInLocation('/..//evil.example')).toBe('/login')
  })
})
