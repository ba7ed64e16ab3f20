import type { ResourceJson } from '@/server/contract'
import type { ResourceKind } from './kinds'

/**
 * Edits not saved yet, kept in localStorage per fleet and resource until they are saved or
 * discarded: a reload, a crash or a conflict never loses what was typed. Secrets are not kept
 * (their text may hold key material).
 */
export type EditorView = 'form' | 'yaml' | 'json'

export type UnsavedEdit = Readonly<{
  v: 1
  /** The revision the edit started from: what a save sends as If-Match. null for a new resource. */
  baseRevision: number | null
  view: EditorView
  /** The resource as the form last produced it (view = form). */
  json?: ResourceJson
  /** The text as typed (view = yaml or json). */
  text?: string
  savedAt: string
}>

const PREFIX = 'legation.unsaved:'

export function unsavedKey(fleet: string, kind: ResourceKind, name: string | null): string {
  return `${PREFIX}${JSON.stringify([fleet, kind, name])}`
}

function isEdit(value: unknown): value is UnsavedEdit {
  if (typeof value !== 'object' || value === null) return false
  const e = value as Record<string, unknown>
  return e['v'] === 1 && (e['baseRevision'] === null || typeof e['baseRevision'] === 'number') && (e['view'] === 'form' || e['view'] === 'yaml' || e['view'] === 'json') && typeof e['savedAt'] === 'string'
}

export function readUnsaved(key: string): UnsavedEdit | null {
  try {
    const raw = window.localStorage.getItem(key)
    if (raw === null) return null
    const parsed = JSON.parse(raw) as unknown
    return isEdit(parsed) ? parsed : null
  } catch {
    return null
  }
}

export function writeUnsaved(key: string, edit: UnsavedEdit): void {
  try {
    window.localStorage.setItem(key, JSON.stringify(edit))
  } catch {
    // Full or disabled storage: the edit still lives in the page's state.
  }
}

export function clearUnsaved(key: string): void {
  try {
    window.localStorage.removeItem(key)
  } catch {
    /* nothing kept */
  }
}

/** Names of the resources of one kind with unsaved edits in this browser (for the table). */
export function listUnsaved(fleet: string, kind: ResourceKind): Set<string> {
  const names = new Set<string>()
  try {
    for (let i = 0; i < window.localStorage.length; i++) {
      const key = window.localStorage.key(i)
      if (!key?.startsWith(PREFIX)) continue
      const [f, k, name] = JSON.parse(key.slice(PREFIX.length)) as [string, string, string | null]
      if (f === fleet && k === kind && name !== null) names.add(name)
    }
  } catch {
    /* none known */
  }
  return names
}
