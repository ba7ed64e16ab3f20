import { z } from 'zod'
import { ResourceJsonSchema, resourceKeyShape, ConfigIssueSchema } from './common'
import { checkVariableValue, MAX_VARIABLE_VALUE_BYTES, VARIABLE_NAME_PATTERN } from '../config/variables'

export { MAX_VARIABLE_VALUE_BYTES, VARIABLE_NAME_PATTERN }

export const VariableName = z.string().regex(VARIABLE_NAME_PATTERN, 'a letter or _, then letters, digits or _ (at most 128)')

/** One variable as the API shows it: a secret's value never (null). */
export const VariableViewSchema = z.object({ name: z.string(), value: z.string().nullable(), secret: z.boolean() }).readonly()
export type VariableView = z.infer<typeof VariableViewSchema>

/**
 * GET /fleets/{fleet}/variables: the draft's variables, and those the fleet inherits from its
 * template fleet's active version (its own ones of the same name win).
 */
export const VariablesViewSchema = z
  .object({
    fleet: z.string(),
    draftRevision: z.number().int(),
    /** The template fleet this fleet is built on, and the version of it the draft would use. */
    template: z.object({ fleet: z.string(), version: z.number().int().nullable() }).readonly().nullable(),
    variables: z.array(VariableViewSchema),
    inherited: z.array(VariableViewSchema),
  })
  .readonly()
export type VariablesView = z.infer<typeof VariablesViewSchema>

/** PUT /fleets/{fleet}/variables/{name} (If-Match: the draft revision, optional). */
export const VariablePutInput = z.strictObject({
  value: z.string().superRefine((v, ctx) => {
    const problem = checkVariableValue(v)
    if (problem) ctx.addIssue({ code: 'custom', message: problem })
  }),
  secret: z.boolean().default(false),
})
export type VariablePutInput = z.infer<typeof VariablePutInput>

/** A variable's change between the active version and the draft (or two versions); secrets show no values. */
export const VariableChangeSchema = z
  .object({ name: z.string(), change: z.enum(['added', 'removed', 'modified']), secret: z.boolean(), before: z.string().nullable(), after: z.string().nullable() })
  .readonly()
export type VariableChange = z.infer<typeof VariableChangeSchema>

/** The template version a draft or version is built on: `fleet@number`. */
export const TemplateChangeSchema = z.object({ before: z.string().nullable(), after: z.string().nullable() }).readonly()

/**
 * GET /fleets/{fleet}/effective?version=N|draft: what the fleet serves (or would): template and own
 * resources merged, variables substituted; a secret variable's value shows as `<set:…>`.
 */
export const EffectiveConfigSchema = z
  .object({
    fleet: z.string(),
    /** null: the draft. */
    version: z.number().int().nullable(),
    template: z.string().nullable(),
    variables: z.array(VariableViewSchema),
    resources: z.array(z.object({ ...resourceKeyShape, hash: z.string(), resource: ResourceJsonSchema, fromTemplate: z.boolean() }).readonly()),
    /** Placeholders that name no variable, and values that do not fit their field. */
    issues: z.array(ConfigIssueSchema),
  })
  .readonly()
export type EffectiveConfig = z.infer<typeof EffectiveConfigSchema>
