import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import tseslint from 'typescript-eslint'

/**
 * The layering of server/ (README "Architecture"), enforced: each folder or module may import only
 * the ones listed for it, so arrows point down and no two folders can depend on each other.
 * `npm test` runs the linter, so a violation fails the build.
 */
const SERVER_LAYERS = {
  config: [],
  contract: ['config'],
  access: ['config', 'contract'],
  'xds-types': ['config'],
  snapshot: ['config', 'xds-types'],
  xds: ['config', 'xds-types', 'snapshot'],
  cache: ['config', 'xds-types', 'snapshot'],
  errors: ['config'],
  log: [],
  // Metric definitions and the registry (prom-client only): recorded into by the adapters, never by pure code.
  metrics: [],
  env: ['access', 'config'],
  events: ['contract', 'config'],
  status: ['contract', 'config', 'metrics', 'xds', 'xds-types'],
  // Real clients' own validators (e.g. @grpc/grpc-js-xds) run over encoded resources: NACK prediction.
  predict: ['config'],
  tls: ['config'],
  store: ['config', 'contract', 'errors', 'events', 'log', 'status', 'xds-types'],
  sync: ['config', 'contract', 'events', 'log', 'metrics', 'store', 'cache', 'snapshot'],
  transport: ['access', 'config', 'contract', 'log', 'metrics', 'xds', 'xds-types', 'cache', 'snapshot', 'status'],
  services: ['access', 'config', 'contract', 'errors', 'events', 'log', 'metrics', 'predict', 'status', 'store'],
  runtime: ['access', 'contract', 'errors', 'events', 'services'],
  http: ['access', 'config', 'contract', 'errors', 'metrics', 'runtime', 'services'],
}
// Folders hold several files; the others are single modules (server/errors.ts, …).
const FOLDERS = new Set(['access', 'config', 'contract', 'xds-types', 'snapshot', 'xds', 'cache', 'events', 'metrics', 'predict', 'status', 'tls', 'store', 'sync', 'transport', 'services', 'http'])
const ALL = [...Object.keys(SERVER_LAYERS), 'main']
// Relative specifiers as written from a file of `from` (a folder, nested up to two deep, or a root module).
const specifiersOf = (from) => (name) => {
  const ups = FOLDERS.has(from) ? ['../', '../../', '../../../'] : ['./']
  return [...ups.flatMap((up) => [`${up}${name}`, `${up}${name}/**`]), `@/server/${name}`, `@/server/${name}/**`]
}

function layerRule(name) {
  const forbidden = ALL.filter((other) => other !== name && !SERVER_LAYERS[name].includes(other))
  return {
    files: FOLDERS.has(name) ? [`server/${name}/**/*.ts`] : [`server/${name}.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: forbidden.flatMap(specifiersOf(name)), message: `server/${name} may import only ${SERVER_LAYERS[name].map((l) => `server/${l}`).join(', ') || 'libraries'} (eslint.config.mjs SERVER_LAYERS)` },
            ...(PURE.has(name) ? IMPURE_IMPORTS : []),
          ],
        },
      ],
    },
  }
}

// Pure folders (STYLE.md §1): protocol, snapshot, cache, contract and config logic never touch sockets,
// files, the database, Next or timers. Time and ids come in as parameters.
const PURE = new Set(['access', 'config', 'contract', 'xds-types', 'snapshot', 'xds', 'cache'])
const IMPURE_IMPORTS = [
  { group: ['@grpc/grpc-js', '@grpc/grpc-js/*'], message: 'pure code must not import gRPC; use an adapter in server/transport' },
  { group: ['@prisma/*', 'pg'], message: 'pure code must not reach the database; use server/store from a service' },
  { group: ['next', 'next/*'], message: 'pure code must not import Next' },
  {
    group: ['node:net', 'node:http', 'node:http2', 'node:fs', 'node:fs/*', 'node:child_process', 'node:timers', 'node:timers/*', 'net', 'http', 'http2', 'fs', 'fs/*', 'child_process', 'timers'],
    message: 'pure code gets time and I/O from its caller',
  },
]

// The console reaches the server over the HTTP API and imports only the contract; pages and API
// routes go through the contract, the HTTP edge (withApi) and the runtime's services, never the
// store, status, sync or transport.
export default tseslint.config(
  { ignores: ['node_modules/', '.next/', '.next-*/', '.legation/', 'server/store/generated/', 'next-env.d.ts', 'tests/e2e/screenshots/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
    },
  },
  ...Object.keys(SERVER_LAYERS).map(layerRule),
  {
    files: ['components/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@/server/*', '!@/server/contract', '../**/server/*'], message: 'the console imports only the API contract (@/server/contract) and talks to the server over the HTTP API' }] },
      ],
    },
  },
  {
    files: ['app/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@/server/*', '!@/server/contract', '!@/server/http', '!@/server/runtime', '!@/server/errors', '../**/server/*'], message: 'pages and routes reach the backend through @/server/contract, @/server/http/* and the runtime\'s services (@/server/runtime)' }] },
      ],
    },
  },
  {
    // The CLI is an API client like the console: it talks to a Legation over HTTP and imports only the contract.
    files: ['cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@/server/*', '!@/server/contract', '../server/*', '!../server/contract', '../../server/*', '!../../server/contract'], message: 'the CLI talks to the server only over the HTTP API and imports only server/contract' }] },
      ],
    },
  },
  {
    files: ['**/*.mjs', 'scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
)
