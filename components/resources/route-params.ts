import { isResourceKind, type ResourceKind } from './kinds'
import type { EditorView } from './unsaved-edits'

/** Route segments may arrive URL-encoded; resource and fleet names never contain '%'. */
export function decodeSegment(raw: string): string {
  try {
    return decodeURIComponent(raw)
  } catch {
    return raw
  }
}

export function kindParam(raw: string): ResourceKind | null {
  return isResourceKind(raw) ? raw : null
}

export function viewParam(raw: string | string[] | undefined): EditorView | null {
  const v = Array.isArray(raw) ? raw[0] : raw
  return v === 'form' || v === 'yaml' || v === 'json' ? v : null
}
