import { z } from 'zod'
import { ActivityQuery, ActivityResponse, AuditQuery, AuditResponse } from './activity'
import { MeSchema, SetupInput, SignInInput, TokenCreatedSchema, TokenCreateInput, TokenViewSchema, UserCreateInput, UserUpdateInput, UserViewSchema } from './auth'
import { BootstrapQuery } from './bootstrap'
import { BundleDocumentSchema, DraftReplacedSchema, ExportQuery, ImportInput, ImportResultSchema } from './bundles'
import { ApiErrorBodySchema, ListQuery, ResourceJsonSchema, ResourceTypeSchema } from './common'
import { DraftDiffSchema, DraftResourceViewSchema, DraftViewSchema } from './drafts'
import { EventsQuery } from './events'
import { FleetCreateInput, FleetListResponse, FleetStatusSchema, FleetSummarySchema, FleetUpdateInput } from './fleets'
import { ProxyDetailSchema, ProxyEventsQuery, ProxyEventViewSchema, ProxyListQuery, ProxyListResponse, ProxySummaryResponse } from './proxies'
import { OnActiveQuery, ProxyDriftSchema, VersionRolloutSchema } from './rollout'
import { EffectiveConfigSchema, VariablePutInput, VariablesViewSchema } from './variables'
import { StagedRolloutCreateInput, StagedRolloutListResponse, StagedRolloutViewSchema } from './staged-rollouts'
import { CommitInput, RollbackInput, VersionDetailSchema, VersionDiffSchema, VersionListResponse, VersionSummarySchema } from './versions'
import { SearchQuery, SearchResponse } from './search'
import { ResourceLinksSchema, TopologyQuery, TopologySchema } from './topology'
import { ConvergenceCurveSchema, XdsActivityQuery, XdsActivitySchema } from './charts'
import { MessageSchemaSchema, SchemaQuery } from './schema'

/**
 * The OpenAPI 3.1 description of /api/v1, generated from the contract's zod schemas with zod's own
 * `z.toJSONSchema` (JSON Schema 2020-12, which OpenAPI 3.1 uses as is). Every route file under
 * app/api/v1 has its operations here; tests/integration/api/openapi.test.ts fails when one is missing.
 * Served at GET /api/v1/openapi.json.
 */

type Role = 'public' | 'viewer' | 'editor' | 'admin'
type Body = Readonly<{ name: string; schema: z.ZodType }> | Readonly<{ yaml: string; description: string }>
type Operation = Readonly<{
  summary: string
  role: Role
  tags: readonly string[]
  query?: Readonly<{ name: string; schema: z.ZodType }>
  headers?: ReadonlyArray<Readonly<{ name: string; description: string }>>
  body?: Body
  /** Also accepted as YAML (`application/yaml`), as every JSON body of the API is. */
  status: number
  response?: Body | null
  description?: string
}>

const IF_MATCH = { name: 'If-Match', description: 'The revision you read (`"3"`): 409 DRAFT.CONFLICT if it changed since' }
const named = (name: string, schema: z.ZodType) => ({ name, schema })
/** A few shapes the contract has as types only, or route-local. */
const UserEnvelope = z.object({ user: UserViewSchema })
const Empty = null

const fleet = (s: string) => `/fleets/{fleet}${s}`

/** Every (path, method) of /api/v1, with the smallest role that may call it. */
const OPERATIONS: Readonly<Record<string, Readonly<Record<string, Operation>>>> = {
  '/auth/me': { get: { summary: 'Who the caller is, and whether the console should offer setup or single sign-on', role: 'public', tags: ['auth'], status: 200, response: named('Me', MeSchema) } },
  '/auth/setup': { post: { summary: 'Create the first admin with the setup token from the server log', role: 'public', tags: ['auth'], body: named('SetupInput', SetupInput), status: 201, response: named('UserEnvelope', UserEnvelope) } },
  '/auth/sign-in': { post: { summary: 'Sign in; sets the session cookie', role: 'public', tags: ['auth'], body: named('SignInInput', SignInInput), status: 200, response: named('UserEnvelope', UserEnvelope) } },
  '/auth/sign-out': { post: { summary: 'Sign out; clears the session cookie', role: 'public', tags: ['auth'], status: 204, response: Empty } },
  '/auth/oidc/start': { get: { summary: 'Start single sign-on (302 to the identity provider); `?next=` is where to land after', role: 'public', tags: ['auth'], status: 302, response: Empty } },
  '/auth/oidc/callback': { get: { summary: "The identity provider's redirect back (302 into the console)", role: 'public', tags: ['auth'], status: 302, response: Empty } },

  '/fleets': {
    get: { summary: 'Fleets the caller may read, with active version and pending changes', role: 'viewer', tags: ['fleets'], status: 200, response: named('FleetListResponse', FleetListResponse) },
    post: { summary: 'Create a fleet (a selector that would take connected proxies needs confirmTakeover)', role: 'admin', tags: ['fleets'], body: named('FleetCreateInput', FleetCreateInput), status: 201, response: named('FleetSummary', FleetSummarySchema) },
  },
  [fleet('')]: {
    get: { summary: 'One fleet, and what this replica serves for it', role: 'viewer', tags: ['fleets'], status: 200, response: named('FleetStatus', FleetStatusSchema) },
    patch: { summary: "Change a fleet's description or selector", role: 'admin', tags: ['fleets'], body: named('FleetUpdateInput', FleetUpdateInput), status: 200, response: named('FleetSummary', FleetSummarySchema) },
    delete: { summary: 'Delete a fleet and its history', role: 'admin', tags: ['fleets'], status: 204, response: Empty },
  },
  [fleet('/bootstrap')]: { get: { summary: 'An Envoy bootstrap that joins a proxy to this fleet over ADS', role: 'viewer', tags: ['fleets'], query: named('BootstrapQuery', BootstrapQuery), status: 200, response: { yaml: 'application/yaml', description: 'Envoy bootstrap (YAML; JSON with ?format=json)' } } },
  [fleet('/export')]: {
    get: {
      summary: 'A version (default: the active one) or the draft as a bundle',
      description: 'One YAML document `{type, name, resource}` per resource in (type, name) order; PUT it to /fleets/{fleet}/draft to import it. Private keys appear as `<set:fingerprint>` markers, never as key material. `?format=bootstrap`: an Envoy static bootstrap of the same resources (RDS, EDS and SDS references made static; what could not be, as comments on top).',
      role: 'viewer',
      tags: ['bundles'],
      query: named('ExportQuery', ExportQuery),
      status: 200,
      response: { yaml: 'application/yaml', description: 'A bundle (YAML documents of BundleDocument), or an Envoy bootstrap' },
    },
  },
  [fleet('/draft')]: {
    get: { summary: 'The whole draft; ETag = draft revision', role: 'viewer', tags: ['drafts'], status: 200, response: named('DraftView', DraftViewSchema) },
    put: {
      summary: 'Replace the whole draft with a bundle, in one transaction',
      description:
        'Body: YAML documents `{type, name, resource}` (`application/yaml`: a stream of documents or one list) or a JSON array of them. `?dryRun=true` answers the diff without writing. A `<set:…>` marker keeps the value stored in this fleet. Any bad document refuses the whole bundle, naming the document (index, line) and field.',
      role: 'editor',
      tags: ['drafts', 'bundles'],
      headers: [IF_MATCH],
      query: named('DryRunQuery', z.object({ dryRun: z.enum(['true', 'false']).optional() })),
      body: named('Bundle', z.array(BundleDocumentSchema)),
      status: 200,
      response: named('DraftReplaced', DraftReplacedSchema),
    },
    delete: { summary: 'Discard uncommitted changes: the draft becomes the active version again', role: 'editor', tags: ['drafts'], status: 200, response: named('DraftView', DraftViewSchema) },
  },
  [fleet('/rollouts')]: {
    get: { summary: "The fleet's staged rollouts, newest first", role: 'viewer', tags: ['rollouts'], status: 200, response: named('StagedRolloutList', StagedRolloutListResponse) },
    post: {
      summary: 'Commit the draft and roll the new version out in stages',
      description:
        'The commit\'s checks, If-Match and acceptWarnings apply. The new version is served to the proxies the current stage takes (node id glob, metadata, a stable percentage) and the active version to everyone else. A stage goes on when every proxy of it runs the version and it has soaked (`soakSeconds`), or waits for a promote (`approval`); a NACK of the version by any proxy halts the rollout and every proxy gets the active version again. After the last stage the version becomes active. While a rollout is open (running, paused, waiting, halted), commits and rollbacks of the fleet are refused with 409 ROLLOUT.OPEN.',
      role: 'editor',
      tags: ['rollouts'],
      headers: [IF_MATCH],
      body: named('StagedRolloutCreateInput', StagedRolloutCreateInput),
      status: 201,
      response: named('StagedRollout', StagedRolloutViewSchema),
    },
  },
  [fleet('/rollouts/{id}')]: { get: { summary: 'One staged rollout: stages with their proxies and how many run the version, state, reason, rejections', role: 'viewer', tags: ['rollouts'], status: 200, response: named('StagedRollout', StagedRolloutViewSchema) } },
  [fleet('/rollouts/{id}/{action}')]: {
    post: { summary: 'pause, resume, promote (the next stage now; completes after the last), abort (everyone back on the active version), retry (after a halt); audited', role: 'editor', tags: ['rollouts'], status: 200, response: named('StagedRollout', StagedRolloutViewSchema) },
  },
  [fleet('/variables')]: {
    get: { summary: "The draft's variables (a secret's value is never shown) and those inherited from the fleet's template; ETag = draft revision", role: 'viewer', tags: ['variables'], status: 200, response: named('VariablesView', VariablesViewSchema) },
  },
  [fleet('/variables/{name}')]: {
    put: {
      summary: 'Set a draft variable',
      description: 'Resources use it as `${NAME}` in any string, and in numeric, enum, boolean, duration and wrapper fields given as strings; it is substituted when the snapshot is built, and an unknown name is refused at commit naming the resource and field. `secret: true` seals the value at rest; it is never shown again. A change to a variable is a draft change: committed, versioned, diffed and rolled back with the resources.',
      role: 'editor',
      tags: ['variables'],
      headers: [IF_MATCH],
      body: named('VariablePutInput', VariablePutInput),
      status: 200,
      response: named('VariablesView', VariablesViewSchema),
    },
    delete: { summary: 'Remove a draft variable', role: 'editor', tags: ['variables'], headers: [IF_MATCH], status: 200, response: named('VariablesView', VariablesViewSchema) },
  },
  [fleet('/effective')]: {
    get: {
      summary: 'What the fleet serves for a version (default: the active one) or would serve for its draft: template merged, variables substituted, secrets as <set:…>',
      role: 'viewer',
      tags: ['variables'],
      query: named('EffectiveQuery', z.object({ version: z.string().optional() })),
      status: 200,
      response: named('EffectiveConfig', EffectiveConfigSchema),
    },
  },
  [fleet('/import')]: {
    post: {
      summary: "Import an Envoy config (static bootstrap, admin /config_dump, or a bundle) into the fleet's draft",
      description:
        "`content` is the config as text (YAML or JSON); `format` is detected when left out. Listeners, clusters and secrets of `static_resources` (or of the config dump's sections) become resources; `options.splitRoutes` serves inline route configurations over RDS, `options.splitEndpoints` a STATIC cluster's endpoints over EDS (DNS clusters keep theirs). What is not taken over as it is (bootstrap-only fields, v2 types, extensions without a descriptor, redacted secrets) is listed in `findings` with its path. `options.mode`: `replace` (default) makes the draft the import, `merge` adds it. `dryRun` answers the diff without writing. A syntax error names its line and column, an invalid resource its field; the write is one transaction.",
      role: 'editor',
      tags: ['drafts', 'bundles'],
      headers: [IF_MATCH],
      body: named('ImportInput', ImportInput),
      status: 200,
      response: named('ImportResult', ImportResultSchema),
    },
  },
  [fleet('/draft/diff')]: { get: { summary: 'The draft against the active version, per resource, and what a commit would refuse', role: 'viewer', tags: ['drafts'], status: 200, response: named('DraftDiff', DraftDiffSchema) } },
  [fleet('/draft/check')]: {
    post: {
      summary: 'A dry run of the commit checks, of the draft or of the draft with one resource saved',
      role: 'editor',
      tags: ['drafts'],
      body: named('DraftCheckRequest', z.object({ type: ResourceTypeSchema.optional(), name: z.string().optional(), resource: ResourceJsonSchema.optional() })),
      status: 200,
      response: named('DraftCheckAnswer', z.record(z.string(), z.unknown())),
    },
  },
  [fleet('/draft/predict')]: {
    get: { summary: "The draft checked against the fleet's connected clients' own validators (what they would NACK)", role: 'viewer', tags: ['drafts'], status: 200, response: named('DraftPrediction', z.record(z.string(), z.unknown())) },
  },
  [fleet('/draft/{type}')]: {
    get: { summary: 'The draft resources of one type', role: 'viewer', tags: ['drafts'], status: 200, response: named('DraftView', DraftViewSchema) },
    post: { summary: 'Create a resource (its name from its own name field)', role: 'editor', tags: ['drafts'], body: named('EnvoyResource', ResourceJsonSchema), status: 201, response: named('DraftResourceView', DraftResourceViewSchema) },
  },
  [fleet('/draft/{type}/{name}')]: {
    get: { summary: 'One draft resource (`?format=yaml`: the Envoy resource as YAML); ETag = its revision', role: 'viewer', tags: ['drafts'], status: 200, response: named('DraftResourceView', DraftResourceViewSchema) },
    put: { summary: 'Create or replace one resource (`If-None-Match: *`: create only)', role: 'editor', tags: ['drafts'], headers: [IF_MATCH], body: named('EnvoyResource', ResourceJsonSchema), status: 200, response: named('DraftResourceView', DraftResourceViewSchema) },
    delete: { summary: 'Remove a resource (refused while others refer to it, unless ?force=true)', role: 'editor', tags: ['drafts'], headers: [IF_MATCH], status: 204, response: Empty },
  },
  [fleet('/draft/{type}/{name}/links')]: {
    get: { summary: 'What a draft resource refers to (`uses`) and which draft resources refer to it (`usedBy`), with the field; for a name the draft lacks, the broken references to it', role: 'viewer', tags: ['drafts'], status: 200, response: named('ResourceLinks', ResourceLinksSchema) },
  },
  [fleet('/topology')]: {
    get: {
      summary: "The draft as a graph: listener → filter chain → route configuration → virtual host → route → cluster → endpoints, and secrets",
      description: 'Broken references (the commit would refuse them) are edges with `broken: true` to a node with `missing: true`; nodes of resources with a pending change carry it. Past 300 nodes, filter chains, virtual hosts and routes are folded into their resource (`detail: resources`), and past 300 resources only the first from the listeners down are drawn (`resources.shown`); `?focus=Type/name` narrows to what leads to a resource and what it leads to.',
      role: 'viewer',
      tags: ['fleets'],
      query: named('TopologyQuery', TopologyQuery),
      status: 200,
      response: named('Topology', TopologySchema),
    },
  },
  [fleet('/xds-activity')]: {
    get: {
      summary: 'Pushes, ACKs, NACKs and connected proxies of the fleet over the last hour or day, per bucket',
      description: '`range=hour` (default): 60 one-minute buckets; `range=day`: 96 of 15 minutes; aligned to the bucket width, the last one holding now. Counted in SQL from the proxies\' stream timelines (kept 24 hours) and their connections; `connected` is the proxies with a live stream at the end of each bucket.',
      role: 'viewer',
      tags: ['fleets'],
      query: named('XdsActivityQuery', XdsActivityQuery),
      status: 200,
      response: named('XdsActivity', XdsActivitySchema),
    },
  },
  [fleet('/commit')]: { post: { summary: 'Validate the draft and make it the next version, atomically', role: 'editor', tags: ['versions'], headers: [IF_MATCH], body: named('CommitInput', CommitInput), status: 201, response: named('VersionSummary', VersionSummarySchema) } },
  [fleet('/versions')]: { get: { summary: 'Version history with convergence', role: 'viewer', tags: ['versions'], query: named('ListQuery', ListQuery), status: 200, response: named('VersionListResponse', VersionListResponse) } },
  [fleet('/versions/{number}')]: { get: { summary: 'One version with its resources', role: 'viewer', tags: ['versions'], status: 200, response: named('VersionDetail', VersionDetailSchema) } },
  [fleet('/versions/{number}/diff/{other}')]: { get: { summary: 'Version {number} against version {other}, per resource', role: 'viewer', tags: ['versions'], status: 200, response: named('VersionDiff', VersionDiffSchema) } },
  [fleet('/versions/{number}/convergence')]: {
    get: {
      summary: 'The convergence curve of a version: one point per proxy that reached (ACKed) or rejected (NACKed) it',
      description: 'Points are `[ms since the commit, n]`, in time order. Past `pointLimit` proxies, every k-th is sent (with its exact rank) and the first and last.',
      role: 'viewer',
      tags: ['versions'],
      status: 200,
      response: named('ConvergenceCurve', ConvergenceCurveSchema),
    },
  },
  [fleet('/versions/{number}/rollout')]: { get: { summary: "Where a version's rollout stands", role: 'viewer', tags: ['versions'], status: 200, response: named('VersionRollout', VersionRolloutSchema) } },
  [fleet('/versions/{number}/rollback')]: { post: { summary: 'A new version with the content of {number}; the draft is reset to it', role: 'editor', tags: ['versions'], headers: [IF_MATCH], body: named('RollbackInput', RollbackInput), status: 201, response: named('VersionSummary', VersionSummarySchema) } },

  '/proxies': { get: { summary: 'Proxy status', role: 'viewer', tags: ['proxies'], query: named('ProxyListQuery', ProxyListQuery.and(OnActiveQuery)), status: 200, response: named('ProxyListResponse', ProxyListResponse) } },
  '/proxies/summary': { get: { summary: 'Proxy counts per fleet and state', role: 'viewer', tags: ['proxies'], status: 200, response: named('ProxySummaryResponse', ProxySummaryResponse) } },
  '/proxies/{node}': { get: { summary: 'One proxy: status, history and the resources last sent', role: 'viewer', tags: ['proxies'], status: 200, response: named('ProxyDetail', ProxyDetailSchema) } },
  '/proxies/{node}/drift': { get: { summary: "Desired against actual: what the proxy ACKed against its fleet's active version", role: 'viewer', tags: ['proxies'], status: 200, response: named('ProxyDrift', ProxyDriftSchema) } },
  '/proxies/{node}/events': { get: { summary: "A proxy's stream timeline", role: 'viewer', tags: ['proxies'], query: named('ProxyEventsQuery', ProxyEventsQuery), status: 200, response: named('ProxyEventsResponse', z.object({ events: z.array(ProxyEventViewSchema) })) } },
  '/search': {
    get: {
      summary: 'Search everywhere: fleets, draft resources by name or content, versions by message or number, proxies by node id',
      description: 'Only the fleets the caller may read. Content is matched on values (a domain, a path prefix, an endpoint address or `address:port`), never on field names or key material. At most `limit` of each kind; `more` says which kinds have more.',
      role: 'viewer',
      tags: ['search'],
      query: named('SearchQuery', SearchQuery),
      status: 200,
      response: named('SearchResponse', SearchResponse),
    },
  },
  '/schema/{message}': {
    get: {
      summary: "One Envoy message as the console's editor completes it: fields with type, enum values, oneof and comment; the type URLs its Any fields may hold",
      description: 'Read from the protobuf descriptors the server validates with (the comments of the .proto files, Sphinx markup reduced to text). `{message}` is fully qualified (`envoy.config.cluster.v3.Cluster`). An Any field names its extension category, or takes `?categories=` (the `categories` of the field the message was reached through); with neither, it offers every extension. Any role on any fleet; cacheable for an hour.',
      role: 'viewer',
      tags: ['schema'],
      query: named('SchemaQuery', SchemaQuery),
      status: 200,
      response: named('MessageSchema', MessageSchemaSchema),
    },
  },
  '/activity': { get: { summary: 'Recent commits, rollbacks, draft edits, NACKs and connections', role: 'viewer', tags: ['activity'], query: named('ActivityQuery', ActivityQuery), status: 200, response: named('ActivityResponse', ActivityResponse) } },
  '/audit': { get: { summary: 'Who changed what, when', role: 'viewer', tags: ['activity'], query: named('AuditQuery', AuditQuery), status: 200, response: named('AuditResponse', AuditResponse) } },
  '/events': { get: { summary: 'Server-Sent Events: fleet, draft, version, proxy and snapshot events', role: 'viewer', tags: ['activity'], query: named('EventsQuery', EventsQuery), status: 200, response: { yaml: 'text/event-stream', description: 'One `data:` line of LegationEvent JSON per event, heartbeats as comments' } } },

  '/users': {
    get: { summary: 'Users and their roles', role: 'admin', tags: ['users'], status: 200, response: named('UserListResponse', z.object({ users: z.array(UserViewSchema) })) },
    post: { summary: 'Create a local user', role: 'admin', tags: ['users'], body: named('UserCreateInput', UserCreateInput), status: 201, response: named('UserView', UserViewSchema) },
  },
  '/users/{id}': {
    patch: { summary: 'Change a user (name, password, roles, disabled)', role: 'admin', tags: ['users'], body: named('UserUpdateInput', UserUpdateInput), status: 200, response: named('UserView', UserViewSchema) },
    delete: { summary: 'Delete a user', role: 'admin', tags: ['users'], status: 204, response: Empty },
  },
  '/tokens': {
    get: { summary: 'API and proxy tokens', role: 'admin', tags: ['tokens'], status: 200, response: named('TokenListResponse', z.object({ tokens: z.array(TokenViewSchema) })) },
    post: { summary: 'Create a token; the secret is in the answer once', role: 'admin', tags: ['tokens'], body: named('TokenCreateInput', TokenCreateInput), status: 201, response: named('TokenCreated', TokenCreatedSchema) },
  },
  '/tokens/{id}': { delete: { summary: 'Revoke a token', role: 'admin', tags: ['tokens'], status: 200, response: named('TokenView', TokenViewSchema) } },
  '/openapi.json': { get: { summary: 'This description', role: 'public', tags: ['meta'], status: 200, response: { yaml: 'application/json', description: 'OpenAPI 3.1' } } },
}

type JsonSchema = Record<string, unknown>

/** The JSON Schemas of a set of named zod schemas, as OpenAPI components (refs between them resolved to #/components/schemas). */
function componentsOf(schemas: ReadonlyMap<string, z.ZodType>, io: 'input' | 'output'): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>()
  for (const [id, schema] of schemas) if (!registry.has(schema)) registry.add(schema, { id })
  const out = z.toJSONSchema(registry, { target: 'draft-2020-12', io, unrepresentable: 'any', uri: (id) => `#/components/schemas/${id}` })
  return Object.fromEntries(
    Object.entries(out.schemas).map(([id, s]) => {
      const { $schema: _s, $id: _i, ...rest } = s as JsonSchema
      return [id, rest]
    }),
  )
}

function pathParameters(path: string): JsonSchema[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: m[1] === 'type' ? { type: 'string', enum: ['listeners', 'routes', 'clusters', 'endpoints', 'secrets'] } : { type: 'string' } }))
}

function queryParameters(schema: z.ZodType): JsonSchema[] {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as JsonSchema
  const parts = Array.isArray(json['allOf']) ? (json['allOf'] as JsonSchema[]) : [json]
  return parts.flatMap((part) => {
    const required = new Set((part['required'] as string[] | undefined) ?? [])
    return Object.entries((part['properties'] as Record<string, JsonSchema> | undefined) ?? {}).map(([name, s]) => ({ name, in: 'query', required: required.has(name), schema: s }))
  })
}

const JSON_AND_YAML = ['application/json', 'application/yaml']

/** Builds the whole document; pure, and the same for every call. */
export function buildOpenApiDocument(options: { version: string }): Record<string, unknown> {
  const inputs = new Map<string, z.ZodType>()
  const outputs = new Map<string, z.ZodType>([['ApiError', ApiErrorBodySchema], ['BundleDocument', BundleDocumentSchema]])
  for (const ops of Object.values(OPERATIONS)) {
    for (const op of Object.values(ops)) {
      if (op.body && 'schema' in op.body) inputs.set(op.body.name, op.body.schema)
      if (op.response && 'schema' in op.response) outputs.set(op.response.name, op.response.schema)
    }
  }
  const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
  const paths: Record<string, Record<string, unknown>> = {}
  for (const [path, ops] of Object.entries(OPERATIONS)) {
    const item: Record<string, unknown> = {}
    for (const [method, op] of Object.entries(ops)) {
      const parameters = [...pathParameters(path), ...(op.query ? queryParameters(op.query.schema) : []), ...(op.headers ?? []).map((h) => ({ name: h.name, in: 'header', required: false, description: h.description, schema: { type: 'string' } }))]
      const success =
        op.response === undefined || op.response === null
          ? { description: op.status === 302 ? 'Redirect' : 'No content' }
          : 'schema' in op.response
            ? { description: 'OK', content: { 'application/json': { schema: ref(op.response.name) } } }
            : { description: op.response.description, content: { [op.response.yaml]: { schema: { type: 'string' } } } }
      item[method] = {
        operationId: `${method}${path.replace(/\{(\w+)\}/g, 'By-$1').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
        summary: op.summary,
        ...(op.description ? { description: op.description } : {}),
        tags: [...op.tags],
        'x-legation-role': op.role,
        ...(op.role === 'public' ? { security: [] } : {}),
        ...(parameters.length > 0 ? { parameters } : {}),
        ...(op.body
          ? { requestBody: { required: true, content: Object.fromEntries(JSON_AND_YAML.map((t) => [t, { schema: 'schema' in op.body! ? ref(op.body!.name) : { type: 'string' } }])) } }
          : {}),
        responses: {
          [String(op.status)]: success,
          default: { description: 'An error: `{ error: { code, message, issues, details? } }`', content: { 'application/json': { schema: ref('ApiError') } } },
        },
      }
    }
    paths[path] = item
  }
  // Request bodies are described as the server reads them (zod input), answers as it writes them (output).
  const clash = [...inputs.keys()].filter((name) => outputs.has(name))
  if (clash.length > 0) throw new Error(`OpenAPI: ${clash.join(', ')} named both as a request and an answer`)
  return {
    openapi: '3.1.0',
    info: {
      title: 'Legation API',
      version: options.version,
      description:
        'The JSON API of Legation, an Envoy xDS control plane. Every route needs a console session or `Authorization: Bearer <API token>` (401 without, 403 with too small a role: see `x-legation-role`), except those with `security: []`. Request bodies may also be YAML (`Content-Type: application/yaml`).',
    },
    servers: [{ url: '/api/v1' }],
    security: [{ bearerAuth: [] }, { sessionCookie: [] }],
    paths,
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API token (`lgt_…`), made under /tokens' },
        sessionCookie: { type: 'apiKey', in: 'cookie', name: 'legation_session', description: 'The console session (writes must come from the console origin)' },
      },
      schemas: { ...componentsOf(outputs, 'output'), ...componentsOf(inputs, 'input') },
    },
  }
}

/** (path, method) pairs the description has, as `GET /fleets/{fleet}`; for the coverage test. */
export function describedOperations(): string[] {
  return Object.entries(OPERATIONS).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
}
