import type { StoredConfig } from './render'

/**
 * A version that a commit or rollback has just made active, with the config it holds, handed to the
 * snapshot engine of the replica that wrote it right after the transaction commits (#13 item 1): that
 * replica publishes the snapshot at once instead of waiting for its own NOTIFY and reading the version
 * back. Every other replica still learns of it through LISTEN/NOTIFY.
 */
export type ActivatedVersion = Readonly<{
  fleet: string
  versionId: string
  number: number
  /** Exactly what the version stores: its resources and variables, and its template version's. */
  config: StoredConfig
  /** When the transaction committed (ms since the epoch): the commit → converged metric starts here. */
  committedAtMs: number
}>

export type OnVersionActivated = (activated: ActivatedVersion) => void
