import type protobuf from 'protobufjs'
import type { VersionSummary } from '../contract'
import { hashVersionContent } from '../config/hash'
import type { ValueCipher } from '../config/sealed-values'
import type { ControlPlanePort } from '../config/analysis'
import { configInvalid, LegationError } from '../errors'
import { getMetrics } from '../metrics'
import type { Db } from '../store/db'
import { templateRefText } from '../store/variables'
import { readCommitContextTx } from '../store/commit-context'
import { inTransaction, lockFleetOrThrow, notifyEvent, recordAudit } from '../store/tx'
import { createVersionTx, recordExpiryTx, getVersionSummaryOrThrow } from '../store/versions'
import { checkStoredConfig, findingIssues } from './check-draft'
import type { RolloutStage } from '../config/rollout-plan'
import { insertRolloutTx } from '../store/staged-rollouts'
import { refuseDuringRolloutTx } from './rollout-guard'
import type { Prisma } from '../store/db'
import type { OnVersionActivated } from '../config/activated-version'

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

async function commitDraftUntimed(options: CommitOptions): Promise<{ summary: VersionSummary; rolloutId: string | null }> {
  const { db, root, cipher, fleet, message, actor, ifMatch, acceptWarnings, expiresInSeconds, controlPlanePorts, stages } = options
  const { number, rolloutId, activated } = await inTransaction(db, async (tx) => {
    const locked = await lockFleetOrThrow(tx, fleet)
    const context = await readCommitContextTx(tx, locked)
    if (context.openRollout) await refuseDuringRolloutTx(tx, locked, 'commit')
    if (stages && locked.active_version_id === null) {
      throw new LegationError('ROLLOUT.NO_ACTIVE_VERSION', `fleet '${fleet}' has no active version to keep the other proxies on; commit its first version without stages`)
    }
    if (stages && expiresInSeconds !== undefined) throw new LegationError('REQUEST.INVALID', 'a staged rollout cannot also expire', [{ path: 'expiresInSeconds', message: 'not with stages' }])
    if (ifMatch !== undefined && ifMatch !== locked.draft_revision) {
      throw new LegationError('DRAFT.CONFLICT', `the draft changed since you reviewed it (revision ${ifMatch}, now ${locked.draft_revision}); review the changes again`, [], { currentRevision: locked.draft_revision })
    }
    const config = context.draft
    const template = config.templateRef
    if (template && template.versionId === null) {
      throw new LegationError('TEMPLATE.NOT_COMMITTED', `fleet '${fleet}' is built on template fleet '${template.fleet}', which has no committed version yet; commit the template first`, [{ path: 'template', message: 'has no committed version' }])
    }
    const draft = config.resources
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
    if (before !== null && before === hashVersionContent(draft, extras)) throw new LegationError('COMMIT.NO_CHANGES', `the draft of fleet '${fleet}' has no changes against the active version`)
    const warnings = findings.filter((f) => f.severity === 'warning')
    if (warnings.length > 0 && acceptWarnings !== true) {
      throw new LegationError(
        'COMMIT.UNCONFIRMED_WARNINGS',
        `the config analysis has ${warnings.length} warning${warnings.length === 1 ? '' : 's'} for the draft of fleet '${fleet}'; nothing was committed. Review ${warnings.length === 1 ? 'it' : 'them'}, then commit with "acceptWarnings": true to commit anyway`,
        findingIssues(warnings),
        { warnings },
      )
    }
    const created = await createVersionTx(tx, locked, draft, { message, author: actor, origin: 'COMMIT', activate: stages === undefined }, extras, context.parent)
    if (stages) {
      const id = await insertRolloutTx(tx, { fleetId: locked.id, fromVersionId: locked.active_version_id, toVersionId: created.versionId, stages, createdBy: actor })
      const at = new Date().toISOString()
      await recordAudit(tx, { actor, action: 'rollout.start', fleetName: fleet, target: `version/${created.number}`, beforeHash: before, afterHash: created.contentHash, detail: { rollout: id, message, stages, changes: created.changes, ...(warnings.length > 0 ? { acceptedWarnings: warnings.map((w) => `${w.code} ${w.resource.type}/${w.resource.name} ${w.path}`) } : {}) } as Prisma.InputJsonValue })
      await notifyEvent(tx, { kind: 'rollout.changed', fleet, rollout: id, state: 'running', stage: 0, toVersion: created.number, actor, at })
      return { number: created.number, rolloutId: id, activated: null }
    }
    const expiresAt = expiresInSeconds === undefined ? null : await recordExpiryTx(tx, created.versionId, expiresInSeconds)
    await recordAudit(
      tx,
      { actor, action: 'version.commit', fleetName: fleet, target: `version/${created.number}`, beforeHash: before, afterHash: created.contentHash, detail: { message, changes: created.changes, ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}), ...(warnings.length > 0 ? { acceptedWarnings: warnings.map((w) => `${w.code} ${w.resource.type}/${w.resource.name} ${w.path}`) } : {}) } },
      { kind: 'version.created', fleet, version: created.number, origin: 'COMMIT', actor, at: new Date().toISOString() },
    )
    const { templateRef: _ref, ...stored } = config
    return { number: created.number, rolloutId: null, activated: { fleet, versionId: created.versionId, number: created.number, config: stored } }
  })
  // Committed: this replica serves it now; the others hear of it through NOTIFY.
  if (activated) options.onActivated?.({ ...activated, committedAtMs: Date.now() })
  return { summary: await getVersionSummaryOrThrow({ db, fleet, number }), rolloutId }
}
