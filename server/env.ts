import path from 'node:path'
import { z } from 'zod'
import { Port, XdsHost } from './config/bootstrap'
import { parseRoleMap } from './access/role-map'

const port = (fallback: number) =>
  z.coerce.number({ error: 'expected a port number' }).int('expected an integer port').min(0, 'expected a port from 0 (any free port) to 65535').max(65535, 'expected a port from 0 (any free port) to 65535').default(fallback)

const durationMs = (fallback: number) => z.coerce.number({ error: 'expected milliseconds' }).int().min(0, 'expected 0 or more milliseconds').default(fallback)

const boolean = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false' })
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes')

/** With an issuer, single sign-on needs the client, the callback and at least one role mapping. */
const OIDC_REQUIRED = ['LEGATION_OIDC_CLIENT_ID', 'LEGATION_OIDC_CLIENT_SECRET', 'LEGATION_OIDC_REDIRECT_URL'] as const

/** Every setting the process reads, validated once at start (the t3 `env.js` idea). */
export const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port(3000),
  XDS_HOST: z.string().min(1).default('0.0.0.0'),
  XDS_PORT: port(18000),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// or postgresql:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  LEGATION_DATA_DIR: z.string().min(1).default('./.legation'),
  /** Embedded PostgreSQL only: a database that cannot be opened (password file missing or wrong) is moved aside, never deleted, and a new one created. */
  LEGATION_RESET_DATA: boolean(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Seed the `demo` fleet on first start with an empty database. */
  LEGATION_DEMO: boolean(true),
  /** Largest accepted API request body. */
  LEGATION_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(4 * 1024 * 1024),
  /** Base64 of 32 bytes sealing private keys at rest; unset: `<data dir>/secret.key`, generated once. */
  LEGATION_SECRET_KEY: z.string().min(1).optional(),
  /** Fleet for proxies whose node.cluster names no fleet; unset means such proxies are refused. */
  LEGATION_DEFAULT_FLEET: z.string().min(1).optional(),
  /** xDS connections older than this (±10%) are asked to reconnect (GOAWAY), to rebalance replicas; 0 = never. */
  LEGATION_XDS_MAX_CONNECTION_AGE_MS: durationMs(30 * 60_000),
  LEGATION_XDS_MAX_CONNECTION_AGE_GRACE_MS: durationMs(10_000),
  /** Replicas sharing a database: one that has not refreshed its proxies' status for this long is presumed gone (its streams shown disconnected); each refreshes every quarter of it (at most every 10 s). Set the same on every replica. */
  LEGATION_STALE_REPLICA_MS: z.coerce.number({ error: 'expected milliseconds' }).int().min(2000, 'expected at least 2000 milliseconds').default(45_000),
  /** New xDS streams admitted per second during a reconnect storm (burst twice that); 0 = unlimited. */
  LEGATION_XDS_MAX_NEW_STREAMS_PER_SECOND: z.coerce.number().int().min(0).default(500),
  /** TLS on the xDS port: off, tls (server certificate), mtls (proxies must present a certificate from the client CA). */
  LEGATION_XDS_TLS: z.enum(['off', 'tls', 'mtls'], { error: 'expected off, tls or mtls' }).default('off'),
  /** PEM files; with TLS on and these unset, a development CA and certificate are generated under <data dir>/tls. */
  LEGATION_XDS_TLS_CERT: z.string().min(1).optional(),
  LEGATION_XDS_TLS_KEY: z.string().min(1).optional(),
  LEGATION_XDS_TLS_CLIENT_CA: z.string().min(1).optional(),
  /** PEM files: serve the console and API over HTTPS (session cookies become Secure). Unset: HTTP, for use behind a TLS-terminating proxy. */
  LEGATION_HTTPS_CERT: z.string().min(1).optional(),
  LEGATION_HTTPS_KEY: z.string().min(1).optional(),
  /** With mtls: what the client certificate's CN/SAN must name: the node id, the fleet, or nothing. */
  LEGATION_XDS_IDENTITY: z.enum(['node-id', 'fleet', 'none'], { error: 'expected node-id, fleet or none' }).default('node-id'),
  /** The xDS address proxies can reach (behind NAT, a load balancer, Compose), used in generated bootstraps. */
  LEGATION_XDS_PUBLIC_HOST: z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined), XdsHost.optional()),
  LEGATION_XDS_PUBLIC_PORT: z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined), Port.optional()),
  /** gRPC xDS streams: `none` (any proxy that reaches the port, or mTLS with LEGATION_XDS_TLS=mtls) or `token` (each stream carries a proxy token of its fleet). */
  LEGATION_XDS_AUTH: z.enum(['none', 'token'], { error: 'expected none or token' }).default('none'),
  /** REST discovery (POST /v3/discovery:*) of non-secret types: open to anyone who reaches the port, or only to proxy tokens. Secrets always need a proxy token. */
  LEGATION_XDS_REST_AUTH: z.enum(['open', 'token'], { error: 'expected open or token' }).default('open'),
  /** A console session ends after this many minutes without a request, and after LEGATION_SESSION_MAX_HOURS in any case. */
  LEGATION_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).default(480),
  LEGATION_SESSION_MAX_HOURS: z.coerce.number().int().min(1).default(168),
  /** Single sign-on with an OpenID Connect provider (authorization code + PKCE); unset: local users only. */
  LEGATION_OIDC_ISSUER: z.url({ error: 'expected the issuer URL, e.g. https://accounts.example.com' }).optional(),
  LEGATION_OIDC_CLIENT_ID: z.string().min(1).optional(),
  LEGATION_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** The callback registered at the provider: <console URL>/api/v1/auth/oidc/callback. */
  LEGATION_OIDC_REDIRECT_URL: z.url({ error: 'expected the full callback URL, ending in /api/v1/auth/oidc/callback' }).optional(),
  LEGATION_OIDC_SCOPES: z.string().min(1).default('openid profile email groups'),
  LEGATION_OIDC_GROUPS_CLAIM: z.string().min(1).default('groups'),
  /** group=role[:fleets],… e.g. `legation-admins=admin,edge-team=editor:edge-*,*=viewer`. */
  LEGATION_OIDC_ROLE_MAP: z
    .string()
    .optional()
    .transform((v, ctx) => {
      try {
        return parseRoleMap(v ?? '')
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message })
        return z.NEVER
      }
    }),
  LEGATION_OIDC_LABEL: z.string().min(1).default('Single sign-on'),
  /** An admin API token chosen by the operator (Helm, CI, tests), stored hashed at start; unset: none. At least 32 characters. */
  LEGATION_BOOTSTRAP_TOKEN: z.string().min(32, 'expected at least 32 characters').optional(),
  /** How long open xDS streams get to finish on SIGTERM before they are closed. */
  LEGATION_SHUTDOWN_DRAIN_MS: durationMs(5000),
  LEGATION_ROLLOUT_STALL_MS: durationMs(60_000),
  /** An open event stream (GET /api/v1/events) sends a heartbeat this often and checks its caller again (session, token, user, roles). */
  /** Unset (or blank): GET /metrics is open to whoever reaches the HTTP port, like /healthz. Set: it needs `Authorization: Bearer <this>`. At least 16 characters. */
  LEGATION_METRICS_TOKEN: z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined), z.string().min(16, 'expected at least 16 characters').optional()),
  LEGATION_EVENTS_HEARTBEAT_MS: z.coerce.number({ error: 'expected milliseconds' }).int().min(100, 'expected at least 100 milliseconds').max(300_000, 'expected at most 300000 milliseconds (5 minutes)').default(15_000),
}).superRefine((env, ctx) => {
  if (env.LEGATION_OIDC_ISSUER === undefined) return
  for (const name of OIDC_REQUIRED) if (env[name] === undefined) ctx.addIssue({ code: 'custom', path: [name], message: 'required with LEGATION_OIDC_ISSUER' })
  if (env.LEGATION_OIDC_ROLE_MAP.length === 0) ctx.addIssue({ code: 'custom', path: ['LEGATION_OIDC_ROLE_MAP'], message: 'required with LEGATION_OIDC_ISSUER: map at least one group to a role (group=role[:fleets],…)' })
})

export type Env = Readonly<Omit<z.infer<typeof EnvSchema>, 'LEGATION_DATA_DIR'> & { LEGATION_DATA_DIR: string }>

export class EnvError extends Error {
  override readonly name = 'EnvError'
}

/** Parses the environment; throws EnvError with one line per bad variable, naming it. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = EnvSchema.safeParse(source)
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? '?')
      return `Invalid setting ${name}=${JSON.stringify(source[name] ?? '')}: ${issue.message}`
    })
    throw new EnvError(lines.join('\n'))
  }
  return { ...result.data, LEGATION_DATA_DIR: path.resolve(result.data.LEGATION_DATA_DIR) }
}
