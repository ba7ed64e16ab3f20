import { z } from 'zod'
import { resourceKeyShape } from './common'

/** A resource a client would reject (or ignore part of), in its words or Legation's, and how many of its proxies subscribe to it. */
const ClientVerdictSchema = z.object({ ...resourceKeyShape, message: z.string(), proxies: z.number().int() }).readonly()

/** One kind of client of the fleet (user agent name and version) and what it would do with the draft. */
export const ClientPredictionSchema = z
  .object({
    userAgentName: z.string(),
    userAgentVersion: z.string(),
    /** Connected proxies of the fleet with this user agent. */
    proxies: z.number().int(),
    /** Whether Legation could check the draft against this client (false: no validator for it; see `reason`). */
    checked: z.boolean(),
    reason: z.string().nullable(),
    /** What it would reject, among the resources its proxies subscribe to, and how many of them would. */
    rejections: z.array(ClientVerdictSchema).readonly(),
    /**
     * What it would accept without applying (Envoy: fields newer than its release, which xDS ignores
     * unless --reject-unknown-dynamic-fields; optional filters it skips).
     */
    ignored: z.array(ClientVerdictSchema).readonly(),
  })
  .readonly()
export type ClientPrediction = z.infer<typeof ClientPredictionSchema>

/** GET /fleets/{fleet}/draft/predict: the draft checked against the fleet's connected clients before a commit. */
export const DraftPredictionSchema = z
  .object({
    fleet: z.string(),
    draftRevision: z.number().int(),
    /** Proxies that would reject something (each counted once). */
    rejectingProxies: z.number().int(),
    clients: z.array(ClientPredictionSchema).readonly(),
  })
  .readonly()
export type DraftPrediction = z.infer<typeof DraftPredictionSchema>
