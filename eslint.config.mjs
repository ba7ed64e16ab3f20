import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import tseslint from 'typescript-eslint'

// Pure folders (STYLE.md §1): protocol, snapshot, cache and config logic never touch sockets, the
// database, Next or timers. Time and ids come in as parameters.
const PURE_FOLDERS = ['server/config/**', 'server/snapshot/**', 'server/xds/**', 'server/cache/**']
const IMPURE_IMPORTS = [
  { group: ['@grpc/grpc-js', '@grpc/grpc-js/*'], message: 'pure code must not import gRPC; use an adapter in server/transport' },
  { group: ['@prisma/*', '**/store/**', 'pg'], message: 'pure code must not reach the database; use server/store from a service' },
  { group: ['next', 'next/*'], message: 'pure code must not import Next' },
  { group: ['node:net', 'node:http', 'node:http2', 'node:timers', 'node:timers/*', 'net', 'http', 'timers'], message: 'pure code gets time and I/O from its caller' },
]

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
  {
    files: PURE_FOLDERS,
    rules: { 'no-restricted-imports': ['error', { patterns: IMPURE_IMPORTS }] },
  },
  {
    files: ['**/*.mjs', 'scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
)
