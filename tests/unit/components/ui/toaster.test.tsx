// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { DISMISS_AFTER_MS, Toaster } from '../../../../components/ui/toaster'
import { useToast } from '../../../../components/ui/toast-context'
import type { ToastInput } from '../../../../components/ui/toast-context'

function Trigger({ toast }: { toast: ToastInput }) {
  const show = useToast()
  return (
    <button type="button" onClick={() => show(toast)}>
      show
    </button>
  )
}

function showToast(toast: ToastInput): HTMLElement {
  render(
    <Toaster>
      <Trigger toast={toast} />
    </Toaster>,
  )
  fireEvent.click(screen.getByText('show'))
  return screen.getByTestId('toast')
}

const advance = (ms: number) => act(() => void vi.advanceTimersByTime(ms))

beforeEach(() => void vi.useFakeTimers())
afterEach(() => {
  cleanup()
  vi.useRealTimers()
})

describe('toasts leave by themselves (#15)', () => {
  it('a success after DISMISS_AFTER_MS.success, not before', () => {
    showToast({ tone: 'success', title: 'Saved' })
    advance(DISMISS_AFTER_MS.success - 100)
    expect(screen.queryByTestId('toast')).not.toBeNull()
    advance(200)
    expect(screen.queryByTestId('toast')).toBeNull()
  })

  it('an error stays longer', () => {
    showToast({ tone: 'error', title: 'Refused' })
    advance(DISMISS_AFTER_MS.success + 100)
    expect(screen.queryByTestId('toast')).not.toBeNull()
    advance(DISMISS_AFTER_MS.error - DISMISS_AFTER_MS.success)
    expect(screen.queryByTestId('toast')).toBeNull()
  })

  it('waits while hovered, then goes on with the time it had left', () => {
    const toast = showToast({ tone: 'success', title: 'Saved' })
    advance(2000)
    fireEvent.mouseEnter(toast)
    expect(toast.getAttribute('data-paused')).toBe('true')
    advance(DISMISS_AFTER_MS.success * 3)
    expect(screen.queryByTestId('toast')).not.toBeNull()
    fireEvent.mouseLeave(toast)
    advance(DISMISS_AFTER_MS.success - 2000 - 100)
    expect(screen.queryByTestId('toast')).not.toBeNull()
    advance(200)
    expect(screen.queryByTestId('toast')).toBeNull()
  })

  it('waits while its close button has the focus', () => {
    showToast({ tone: 'success', title: 'Saved' })
    const close = screen.getByRole('button', { name: 'Dismiss' })
    fireEvent.focus(close)
    expect(screen.getByTestId('toast').getAttribute('data-paused')).toBe('true')
    advance(DISMISS_AFTER_MS.error * 2)
    expect(screen.queryByTestId('toast')).not.toBeNull()
    fireEvent.blur(close)
    advance(DISMISS_AFTER_MS.success)
    expect(screen.queryByTestId('toast')).toBeNull()
  })

  it('the close button still closes it at once', () => {
    showToast({ tone: 'error', title: 'Refused' })
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }))
    expect(screen.queryByTestId('toast')).toBeNull()
  })
})
