// Runs `prisma generate` without Prisma's native schema engine. The engine is downloaded from
// outside the npm registry at install time, which fails offline; generate only needs the path to
// exist (it uses the WASM schema builder), so point it at a file that always does.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const env = { ...process.env, CHECKPOINT_DISABLE: '1', PRISMA_HIDE_UPDATE_MESSAGE: '1' }
env.PRISMA_SCHEMA_ENGINE_BINARY ??= fileURLToPath(import.meta.url)
const result = spawnSync('npx', ['--no-install', 'prisma', 'generate'], { stdio: 'inherit', env })
process.exit(result.status ?? 1)
