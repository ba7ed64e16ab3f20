import type { FieldValues, Path, UseFormSetError } from 'react-hook-form'
import { ApiError } from '../api'

/**
 * Puts the server's refusal at the fields it names (`username`, `grants.0.fleets`); what names no
 * field of the form is returned, for the dialog to show above its buttons.
 */
export function applyServerIssues<T extends FieldValues>(error: unknown, fields: readonly string[], setError: UseFormSetError<T>): string | null {
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : 'something went wrong'
  let placed = 0
  for (const issue of error.issues) {
    const root = issue.path.split('.')[0] ?? ''
    if (issue.path !== '' && fields.includes(root)) {
      setError(issue.path as Path<T>, { type: 'server', message: issue.message })
      placed++
    }
  }
  // USER.EXISTS / TOKEN.EXISTS name no path but are about the name.
  const nameField = error.code === 'USER.EXISTS' ? 'username' : error.code === 'TOKEN.EXISTS' ? 'name' : null
  if (nameField && fields.includes(nameField)) {
    setError(nameField as Path<T>, { type: 'server', message: error.message })
    return null
  }
  return placed > 0 && placed === error.issues.length ? null : error.message
}
