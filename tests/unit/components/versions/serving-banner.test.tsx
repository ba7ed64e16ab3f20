// @vitest-environment happy-dom
import { cleanup, render } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { ServingBanner } from '../../../../components/versions/serving-banner'

/** The console's side of #16 item 6: a version this replica refused to serve is shown, with why. */
afterEach(cleanup)

const AT = '2026-01-01T00:00:00.000Z'

describe('ServingBanner', () => {
  it('names the refused version, the one still served, and each problem', () => {
    const message = 'Cluster c: nested deeper than 100 protobuf messages, the recursion limit of protobuf parsers'
    const view = render(<ServingBanner serving={{ servingVersion: 1, servingSince: AT, rejected: { version: 2, at: AT, issues: [{ path: 'metadata.filter_metadata["x"]', message }] } }} />)
    const alert = view.getByRole('alert')
    expect(alert.getAttribute('data-version')).toBe('2')
    expect(alert.textContent).toContain('v2 is not served')
    expect(alert.textContent).toContain('keep v1')
    expect(alert.textContent).toContain(message)
  })

  it('shows nothing while every version is served', () => {
    const view = render(<ServingBanner serving={{ servingVersion: 1, servingSince: AT, rejected: null }} />)
    expect(view.queryByRole('alert')).toBeNull()
  })
})
