import type { VersionSummary } from '@/server/contract'

/** A version as GET …/versions lists it: a commit of one modified resource, on top of the previous number. */
export const versionSummary = (number: number, fields: Partial<VersionSummary> = {}): VersionSummary => ({
  number,
  message: `version ${number}`,
  author: 'e2e',
  createdAt: '2026-01-01T00:00:00.000Z',
  origin: 'COMMIT',
  rollbackOf: null,
  parent: number > 1 ? number - 1 : null,
  contentHash: `h${number}`,
  resourceCount: 1,
  changes: { added: 0, removed: 0, modified: 1 },
  active: false,
  ...fields,
})
