import type { ConfigIssue } from './config/issues'

/** Expected failures that reach a user, each with a stable code (domain-driven-hexagon style). */
export type LegationErrorCode =
  | 'REQUEST.INVALID'
  | 'REQUEST.BAD_BODY'
  | 'REQUEST.TOO_LARGE'
  | 'REQUEST.UNSUPPORTED_MEDIA_TYPE'
  | 'FLEET.NOT_FOUND'
  | 'FLEET.EXISTS'
  | 'FLEET.SELECTOR_TOO_BROAD'
  | 'FLEET.SELECTOR_TAKEOVER'
  | 'RESOURCE.NOT_FOUND'
  | 'RESOURCE.EXISTS'
  | 'RESOURCE.REFERENCED'
  | 'RESOURCE.TYPE_UNKNOWN'
  | 'DRAFT.CONFLICT'
  | 'DRAFT.PENDING_CHANGES'
  | 'CONFIG.INVALID'
  | 'COMMIT.NO_CHANGES'
  | 'COMMIT.UNCONFIRMED_WARNINGS'
  | 'VERSION.NOT_FOUND'
  | 'VERSION.ALREADY_ACTIVE'
  | 'SERVICE.UNAVAILABLE'
  | 'PROXY.NOT_FOUND'
  | 'AUTH.UNAUTHENTICATED'
  | 'AUTH.FORBIDDEN'
  | 'AUTH.LOCKED'
  | 'AUTH.SETUP_DONE'
  | 'REQUEST.CROSS_ORIGIN'
  | 'USER.NOT_FOUND'
  | 'USER.EXISTS'
  | 'TOKEN.NOT_FOUND'
  | 'TOKEN.EXISTS'
  | 'TEMPLATE.NOT_COMMITTED'
  | 'TEMPLATE.INVALID'
  | 'TEMPLATE.IN_USE'
  | 'VARIABLE.NOT_FOUND'
  | 'ROLLOUT.OPEN'
  | 'ROLLOUT.NO_ACTIVE_VERSION'
  | 'ROLLOUT.NOT_FOUND'
  | 'ROLLOUT.BAD_STATE'

const STATUS: Record<LegationErrorCode, number> = {
  'REQUEST.INVALID': 422,
  'REQUEST.BAD_BODY': 400,
  'REQUEST.TOO_LARGE': 413,
  'REQUEST.UNSUPPORTED_MEDIA_TYPE': 415,
  'FLEET.NOT_FOUND': 404,
  'FLEET.EXISTS': 409,
  'FLEET.SELECTOR_TOO_BROAD': 409,
  'FLEET.SELECTOR_TAKEOVER': 409,
  'RESOURCE.NOT_FOUND': 404,
  'RESOURCE.EXISTS': 409,
  'RESOURCE.REFERENCED': 409,
  'RESOURCE.TYPE_UNKNOWN': 404,
  'DRAFT.CONFLICT': 409,
  'DRAFT.PENDING_CHANGES': 409,
  'CONFIG.INVALID': 422,
  'COMMIT.NO_CHANGES': 409,
  'COMMIT.UNCONFIRMED_WARNINGS': 409,
  'VERSION.NOT_FOUND': 404,
  'VERSION.ALREADY_ACTIVE': 409,
  'SERVICE.UNAVAILABLE': 503,
  'PROXY.NOT_FOUND': 404,
  'AUTH.UNAUTHENTICATED': 401,
  'AUTH.FORBIDDEN': 403,
  'AUTH.LOCKED': 429,
  'AUTH.SETUP_DONE': 409,
  'REQUEST.CROSS_ORIGIN': 403,
  'USER.NOT_FOUND': 404,
  'USER.EXISTS': 409,
  'TOKEN.NOT_FOUND': 404,
  'TOKEN.EXISTS': 409,
  'TEMPLATE.NOT_COMMITTED': 409,
  'TEMPLATE.INVALID': 422,
  'TEMPLATE.IN_USE': 409,
  'VARIABLE.NOT_FOUND': 404,
  'ROLLOUT.OPEN': 409,
  'ROLLOUT.NO_ACTIVE_VERSION': 409,
  'ROLLOUT.NOT_FOUND': 404,
  'ROLLOUT.BAD_STATE': 409,
}

export type IssueView = Readonly<{ path: string; message: string; code?: string; resource?: { type: string; name: string } }>

export class LegationError extends Error {
  override readonly name = 'LegationError'
  readonly status: number
  constructor(
    readonly code: LegationErrorCode,
    message: string,
    readonly issues: readonly IssueView[] = [],
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message)
    this.status = STATUS[code]
  }
}

export function configInvalid(message: string, issues: readonly ConfigIssue[]): LegationError {
  return new LegationError('CONFIG.INVALID', message, issues.map((i) => ({ path: i.path, message: i.message, code: i.code, ...(i.resource ? { resource: i.resource } : {}) })))
}

/**
 * Errors cross from the server's module graph into Next's bundle (a separate copy of this file),
 * so recognise them by shape, not by instanceof.
 */
export function isLegationError(err: unknown): err is LegationError {
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'LegationError' && typeof (err as { code?: unknown }).code === 'string' && typeof (err as { status?: unknown }).status === 'number'
}
