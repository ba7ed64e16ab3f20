import type protobuf from 'protobufjs'
import type { VersionSummary } from '../contract'
import { hashVersionContent } from '../config/hash'
import type { ValueCipher } from '../config/sealed-values'
import type { ControlPlanePort } from '../config/analysis'
import { configInvalid, LegationError } from '../errors'
import { getMetrics } from '../metrics'
import type { Db } from '../store/db'
import { templateRefText } from '../store/variables'
import { readCommitContext, type CommitContext } from '../store/commit-context'
import { inTransaction, isUniqueViolation, lockFleetOrThrow, notifyEvent, recordAudit } from '../store/tx'
import { createVersionTx, recordExpiryTx, getVersionSummaryOrThrow, writeVersionIfUnchanged, type CreatedVersion, type VersionConfigExtras } from '../store/versions'
import { checkStoredConfig, findingIssues } from './check-draft'
import type { RolloutStage } from '../config/rollout-plan'
import { insertRolloutTx } from '../store/staged-rollouts'
import { refuseDuringRolloutTx } from './rollout-guard'
import type { Prisma } from '../store/db'
import type { ActivatedVersion, OnVersionActivated } from '../config/activated-version'

export type CommitOptions = {
  db: Db
  root: protobuf.Root
  /** Opens secret variables to check the config they render (#14 item 4). */
  cipher: ValueCipher
  fleet: string
  message: string
  actor: string
  /** The draft revision the caller reviewed; if the draft moved since, the commit is refused (409). */
  ifMatch?: number
  /** Commit although the analysis warns (else 409 COMMIT.UNCONFIRMED_WARNINGS listing the warnings). */
  acceptWarnings?: boolean
  /** An expiring change: rolled back to its parent after this many seconds if still active (server/services/expiry.ts). */
  expiresInSeconds?: number
  controlPlanePorts: readonly ControlPlanePort[]
  /** Roll the new version out in these stages instead of to every proxy at once (#12 item 3). */
  stages?: readonly RolloutStage[]
  /** Told of the new active version once the transaction has committed (not for a staged rollout). */
  onActivated?: OnVersionActivated
}

/**
 * Commit: lock the fleet → check If-Match → validate and analyse the whole draft (problems and
 * error findings: 422) → refuse an empty change → warnings need acceptWarnings (409) → write the
 * next version and activate it → audit → notify, in one transaction: a refused or failed commit
 * writes nothing.
 */
export async function commitDraft(options: CommitOptions): Promise<VersionSummary> {
  return (await commitDraftWithRollout(options)).summary
}

/** commitDraft, and with `stages` the staged rollout it started. */
export async function commitDraftWithRollout(options: CommitOptions): Promise<{ summary: VersionSummary; rolloutId: string | null }> {
  const stop = getMetrics().commit.startTimer()
  try {
    const summary = await commitDraftUntimed(options)
    stop({ result: 'committed' })
    return summary
  } catch (err) {
    stop({ result: err instanceof LegationError ? 'refused' : 'failed' })
    throw err
  }
}

/** Optimistic commits read again after a concurrent change this many times, then take the fleet lock. */
const OPTIMISTIC_ATTEMPTS = 3

async function commitDraftUntimed(options: CommitOptions): Promise<{ summary: VersionSummary; rolloutId: string | null }> {
  const { db, fleet, expiresInSeconds, stages } = options
  // A plain commit reads without the lock and writes in one statement if nothing moved meanwhile;
  // staged and expiring ones, and a commit that keeps meeting concurrent changes, take the lock.
  let committed: Committed | null = null
  if (stages === undefined && expiresInSeconds === undefined) {
    for (let attempt = 0; attempt < OPTIMISTIC_ATTEMPTS && !committed; attempt++) committed = await commitOptimistically(options)
  }
  committed ??= await commitLocked(options)
  // Committed: this replica serves it now; the others hear of it through NOTIFY.
  if (committed.activated) options.onActivated?.({ ...committed.activated, committedAtMs: Date.now() })
  return { summary: await getVersionSummaryOrThrow({ db, fleet, number: committed.number }), rolloutId: committed.rolloutId }
}

type Committed = { number: number; rolloutId: string | null; activated: Omit<ActivatedVersion, 'committedAtMs'> | null }

/** What the checks of a commit decided: the content to write and what the audit says about it. */
type Checked = { extras: VersionConfigExtras; before: string | null; acceptedWarnings: string[] }

/**
 * Every check a commit makes of the draft as read (either path): If-Match, the template, validation
 * and analysis (422 on problems), no changes, warnings (409 unless accepted). Throws the refusal.
 */
function checkCommit(options: CommitOptions, context: CommitContext): Checked {
  const { root, cipher, fleet, ifMatch, acceptWarnings, controlPlanePorts } = options
  const locked = context.fleet
  if (ifMatch !== undefined && ifMatch !== locked.draft_revision) {
    throw new LegationError('DRAFT.CONFLICT', `the draft changed since you reviewed it (revision ${ifMatch}, now ${locked.draft_revision}); review the changes again`, [], { currentRevision: locked.draft_revision })
  }
  const config = context.draft
  const template = config.templateRef
  if (template && template.versionId === null) {
    throw new LegationError('TEMPLATE.NOT_COMMITTED', `fleet '${fleet}' is built on template fleet '${template.fleet}', which has no committed version yet; commit the template first`, [{ path: 'template', message: 'has no committed version' }])
  }
  const validated = getMetrics().commitValidation.startTimer()
  const { issues, findings } = checkStoredConfig(root, cipher, config, controlPlanePorts)
  const errors = findings.filter((f) => f.severity === 'error')
  if (issues.length + errors.length > 0) {
    const count = issues.length + errors.length
    const refused = configInvalid(`the draft of fleet '${fleet}' has ${count} problem${count === 1 ? '' : 's'}; nothing was committed`, issues)
    throw new LegationError('CONFIG.INVALID', refused.message, [...refused.issues, ...findingIssues(errors)], errors.length > 0 ? { findings: errors } : {})
  }
  validated()
  const before = context.activeContentHash
  const extras = { variables: config.variables, templateRef: template ? templateRefText(template) : null, templateVersionId: template?.versionId ?? null }
  if (before !== null && before === hashVersionContent(config.resources, extras)) throw new LegationError('COMMIT.NO_CHANGES', `the draft of fleet '${fleet}' has no changes against the active version`)
  const warnings = findings.filter((f) => f.severity === 'warning')
  if (warnings.length > 0 && acceptWarnings !== true) {
    throw new LegationError(
      'COMMIT.UNCONFIRMED_WARNINGS',
      `the config analysis has ${warnings.length} warning${warnings.length === 1 ? '' : 's'} for the draft of fleet '${fleet}'; nothing was committed. Review ${warnings.length === 1 ? 'it' : 'them'}, then commit with "acceptWarnings": true to commit anyway`,
      findingIssues(warnings),
      { warnings },
    )
  }
  return { extras, before, acceptedWarnings: warnings.map((w) => `${w.code} ${w.resource.type}/${w.resource.name} ${w.path}`) }
}

function activatedOf(fleet: string, created: CreatedVersion, context: CommitContext): Omit<ActivatedVersion, 'committedAtMs'> {
  const { templateRef: _ref, ...stored } = context.draft
  return { fleet, versionId: created.versionId, number: created.number, config: stored }
}

/**
 * The usual commit (#13 item 1): one read, the checks, one guarded write (writeVersionIfUnchanged)
 * that also records the audit row and notifies: two round trips instead of six. Null when the fleet
 * changed between the read and the write (nothing was written).
 */
async function commitOptimistically(options: CommitOptions): Promise<Committed | null> {
  const { db, fleet, message, actor } = options
  const context = await readCommitContext(db, { name: fleet })
  if (!context) throw new LegationError('FLEET.NOT_FOUND', `fleet '${fleet}' does not exist`)
  if (context.openRollout) await refuseDuringRolloutTx(db, context.fleet, 'commit')
  const checked = checkCommit(options, context)
  const asRead = { draftRevision: context.fleet.draft_revision, templateFleetId: context.templateFleetId }
  const created = await writeVersionIfUnchanged(db, context.fleet, asRead, context.draft.resources, { message, author: actor, origin: 'COMMIT' }, checked.extras, context.parent, (v) => ({
    entry: { actor, action: 'version.commit', fleetName: fleet, target: `version/${v.number}`, beforeHash: checked.before, afterHash: v.contentHash, detail: { message, changes: v.changes, ...(checked.acceptedWarnings.length > 0 ? { acceptedWarnings: checked.acceptedWarnings } : {}) } },
    event: { kind: 'version.created', fleet, version: v.number, origin: 'COMMIT', actor, at: new Date().toISOString() },
  })).catch((err: unknown) => {
    // A concurrent commit took the version number first: read again.
    if (isUniqueViolation(err)) return null
    throw err
  })
  return created ? { number: created.number, rolloutId: null, activated: activatedOf(fleet, created, context) } : null
}

/** Under the fleet lock, in one transaction: staged and expiring commits, and commits that kept meeting concurrent changes. */
async function commitLocked(options: CommitOptions): Promise<Committed> {
  const { db, fleet, message, actor, expiresInSeconds, stages } = options
  return inTransaction(db, async (tx) => {
    const locked = await lockFleetOrThrow(tx, fleet)
    const context = await readCommitContext(tx, { id: locked.id })
    if (!context) throw new LegationError('FLEET.NOT_FOUND', `fleet '${fleet}' does not exist`)
    if (context.openRollout) await refuseDuringRolloutTx(tx, locked, 'commit')
    if (stages && locked.active_version_id === null) {
      throw new LegationError('ROLLOUT.NO_ACTIVE_VERSION', `fleet '${fleet}' has no active version to keep the other proxies on; commit its first version without stages`)
    }
    if (stages && expiresInSeconds !== undefined) throw new LegationError('REQUEST.INVALID', 'a staged rollout cannot also expire', [{ path: 'expiresInSeconds', message: 'not with stages' }])
    const { extras, before, acceptedWarnings } = checkCommit(options, context)
    const accepted = acceptedWarnings.length > 0 ? { acceptedWarnings } : {}
    const created = await createVersionTx(tx, locked, context.draft.resources, { message, author: actor, origin: 'COMMIT', activate: stages === undefined }, extras, context.parent)
    if (stages) {
      const id = await insertRolloutTx(tx, { fleetId: locked.id, fromVersionId: locked.active_version_id, toVersionId: created.versionId, stages, createdBy: actor })
      const at = new Date().toISOString()
      await recordAudit(tx, { actor, action: 'rollout.start', fleetName: fleet, target: `version/${created.number}`, beforeHash: before, afterHash: created.contentHash, detail: { rollout: id, message, stages, changes: created.changes, ...accepted } as Prisma.InputJsonValue })
      await notifyEvent(tx, { kind: 'rollout.changed', fleet, rollout: id, state: 'running', stage: 0, toVersion: created.number, actor, at })
      return { number: created.number, rolloutId: id, activated: null }
    }
    const expiresAt = expiresInSeconds === undefined ? null : await recordExpiryTx(tx, created.versionId, expiresInSeconds)
    await recordAudit(
      tx,
      { actor, action: 'version.commit', fleetName: fleet, target: `version/${created.number}`, beforeHash: before, afterHash: created.contentHash, detail: { message, changes: created.changes, ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}), ...accepted } },
      { kind: 'version.created', fleet, version: created.number, origin: 'COMMIT', actor, at: new Date().toISOString() },
    )
    return { number: created.number, rolloutId: null, activated: activatedOf(fleet, created, context) }
  })
}
