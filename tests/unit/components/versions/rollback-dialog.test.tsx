// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { cleanup, fireEvent, render, waitFor } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { RollbackDialog } from '../../../../components/versions/rollback-dialog'
import { Toaster } from '../../../../components/ui/toaster'
import type { DraftDiff, FleetSummary } from '../../../../server/contract'
import { versionSummary as version } from './fixtures'

const fleet: FleetSummary = { name: 'demo', description: '', selector: null, template: null, draftRevision: 7, activeVersion: null, pendingChanges: 0, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' }
const DIFF = { fleet: 'demo', from: 2, to: 1, variables: [], template: null, counts: { added: 0, removed: 0, modified: 1 }, changes: [{ type: 'Cluster', name: 'service', change: 'modified', beforeHash: 'a', afterHash: 'b', patch: '--- a/Cluster/service\n+++ b/Cluster/service\n@@ -1 +1 @@\n-connect_timeout: 1s\n+connect_timeout: 0.25s\n' }] }
const CONFLICT = { error: { code: 'DRAFT.CONFLICT', message: 'the draft changed since you looked at it (revision 7, now 8); a rollback would discard those changes', issues: [] } }

const draftDiff = (draftRevision: number, changes: Array<[string, string, 'added' | 'removed' | 'modified']>): DraftDiff => ({
  fleet: 'demo',
  draftRevision,
  activeVersion: 2,
  changes: changes.map(([type, name, change]) => ({ type: type as DraftDiff['changes'][number]['type'], name, change, beforeHash: null, afterHash: null, patch: '' })),
  counts: { added: 0, removed: 0, modified: 0 },
  issues: [],
  findings: [],
  variables: [],
  template: null,
})

type Call = { url: string; method: string; ifMatch: string | null; body: unknown }
let calls: Call[]
let rollbackAnswers: Array<[number, unknown]>
/** GET …/draft/diff answers, in order; the last one repeats. */
let draftAnswers: DraftDiff[]

beforeEach(() => {
  calls = []
  rollbackAnswers = []
  draftAnswers = [draftDiff(7, [])]
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit = {}) => {
      const headers = new Headers(init.headers)
      calls.push({ url, method: init.method ?? 'GET', ifMatch: headers.get('if-match'), body: typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined })
      if (url.endsWith('/rollback')) {
        const [status, body] = rollbackAnswers.shift()!
        return new Response(JSON.stringify(body), { status })
      }
      if (url === '/api/v1/fleets/demo/draft/diff') return new Response(JSON.stringify(draftAnswers.length > 1 ? draftAnswers.shift() : draftAnswers[0]))
      if (url.includes('/diff/')) return new Response(JSON.stringify(DIFF))
      if (url === '/api/v1/fleets') return new Response(JSON.stringify({ fleets: [] }))
      return new Response(JSON.stringify({ error: { code: 'TEST', message: `unexpected ${url}`, issues: [] } }), { status: 500 })
    }),
  )
})

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
})

function renderDialog(onRolledBack = vi.fn()) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } })
  const utils = render(
    <QueryClientProvider client={client}>
      <Toaster>
        <RollbackDialog fleet={fleet} target={version(1)} active={version(2, { active: true })} nextNumber={3} onClose={() => undefined} onRolledBack={onRolledBack} />
      </Toaster>
    </QueryClientProvider>,
  )
  return { ...utils, onRolledBack }
}

const rollbackCalls = () => calls.filter((c) => c.url.endsWith('/rollback'))
const listed = (root: HTMLElement) => [...root.querySelectorAll<HTMLElement>('[data-testid="rollback-pending-change"]')].map((li) => `${li.dataset.change} ${li.dataset.type}/${li.dataset.name}`)

describe('RollbackDialog', () => {
  it('with nothing pending, shows the diff, then rolls back with If-Match of the draft it checked', async () => {
    draftAnswers = [draftDiff(9, [])]
    rollbackAnswers.push([201, version(3, { origin: 'ROLLBACK', rollbackOf: 1, active: true })])
    const { getByTestId, queryByTestId, onRolledBack } = renderDialog()
    await waitFor(() => expect(getByTestId('rollback-diff').dataset.state).toBe('ready'))
    expect(getByTestId('rollback-diff').querySelector('.d2h-wrapper')).not.toBeNull()
    await waitFor(() => expect((getByTestId('rollback-confirm') as HTMLButtonElement).disabled).toBe(false))
    expect(queryByTestId('rollback-pending')).toBeNull()
    fireEvent.click(getByTestId('rollback-confirm'))
    await waitFor(() => expect(onRolledBack).toHaveBeenCalledWith(expect.objectContaining({ number: 3 })))
    // The revision of the draft it loaded, not the (older) one in the fleet summary.
    expect(rollbackCalls()).toEqual([{ url: '/api/v1/fleets/demo/versions/1/rollback', method: 'POST', ifMatch: '"9"', body: {} }])
  })

  it('lists the pending changes and rolls back only once the operator ticks discarding them, with If-Match of that draft', async () => {
    draftAnswers = [draftDiff(8, [['Cluster', 'service', 'modified'], ['Listener', 'edge', 'added']])]
    rollbackAnswers.push([201, version(3, { origin: 'ROLLBACK', rollbackOf: 1, active: true })])
    const { getByTestId, onRolledBack } = renderDialog()
    await waitFor(() => expect(getByTestId('rollback-pending').dataset.revision).toBe('8'))
    expect(listed(getByTestId('rollback-pending'))).toEqual(['modified Cluster/service', 'added Listener/edge'])
    expect(getByTestId('rollback-pending').textContent).toContain('2 uncommitted changes')
    await waitFor(() => expect(getByTestId('rollback-diff').dataset.state).toBe('ready'))
    const confirm = getByTestId('rollback-confirm') as HTMLButtonElement
    expect(confirm.dataset.discard).toBe('true')
    expect(confirm.textContent).toContain('Discard 2 changes and roll back')
    expect(confirm.disabled).toBe(true)

    fireEvent.click(getByTestId('rollback-discard-confirm'))
    expect(confirm.disabled).toBe(false)
    fireEvent.click(confirm)
    await waitFor(() => expect(onRolledBack).toHaveBeenCalledTimes(1))
    expect(rollbackCalls().map((c) => [c.ifMatch, c.body])).toEqual([['"8"', {}]])
  })

  it('on DRAFT.CONFLICT reloads the draft, shows the changes made meanwhile, and needs a fresh tick before sending their revision', async () => {
    draftAnswers = [draftDiff(7, []), draftDiff(8, [['Cluster', 'service', 'modified']])]
    rollbackAnswers.push([409, CONFLICT], [201, version(3, { origin: 'ROLLBACK', rollbackOf: 1, active: true })])
    const { getByTestId, queryByTestId, onRolledBack } = renderDialog()
    await waitFor(() => expect(getByTestId('rollback-diff').dataset.state).toBe('ready'))
    await waitFor(() => expect((getByTestId('rollback-confirm') as HTMLButtonElement).disabled).toBe(false))
    fireEvent.click(getByTestId('rollback-confirm'))

    await waitFor(() => expect(queryByTestId('rollback-conflict')).not.toBeNull())
    expect(getByTestId('rollback-conflict').textContent).toContain('changed while you were reviewing')
    await waitFor(() => expect(getByTestId('rollback-pending').dataset.revision).toBe('8'))
    expect(listed(getByTestId('rollback-pending'))).toEqual(['modified Cluster/service'])
    const confirm = getByTestId('rollback-confirm') as HTMLButtonElement
    expect(confirm.textContent).toContain('Discard 1 change and roll back')
    expect(confirm.disabled).toBe(true)
    expect(onRolledBack).not.toHaveBeenCalled()

    fireEvent.click(getByTestId('rollback-discard-confirm'))
    expect(confirm.disabled).toBe(false)
    fireEvent.click(confirm)
    await waitFor(() => expect(onRolledBack).toHaveBeenCalledTimes(1))
    expect(rollbackCalls().map((c) => c.ifMatch)).toEqual(['"7"', '"8"'])
  })

  it('shows any other refusal as the server words it', async () => {
    rollbackAnswers.push([409, { error: { code: 'VERSION.ALREADY_ACTIVE', message: "the active version of fleet 'demo' already has the content of version 1", issues: [] } }])
    const { getByTestId, queryByTestId } = renderDialog()
    await waitFor(() => expect(getByTestId('rollback-diff').dataset.state).toBe('ready'))
    await waitFor(() => expect((getByTestId('rollback-confirm') as HTMLButtonElement).disabled).toBe(false))
    fireEvent.click(getByTestId('rollback-confirm'))
    await waitFor(() => expect(queryByTestId('error-notice')).not.toBeNull())
    expect(getByTestId('error-notice').textContent).toContain('Nothing to roll back')
    expect(getByTestId('error-notice').textContent).toContain('VERSION.ALREADY_ACTIVE')
    expect(queryByTestId('rollback-conflict')).toBeNull()
  })
})
