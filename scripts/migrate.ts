// `npm run migrate`: applies prisma/migrations to DATABASE_URL and exits (the server also does this
// at start). Prints one JSON line with what it applied.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pino from 'pino'
import { migrateDatabase } from '../server/store/migrate'

const databaseUrl = process.env.DATABASE_URL
if (!databaseUrl) {
  process.stderr.write('migrate: set DATABASE_URL\n')
  process.exit(2)
}
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
migrateDatabase({ databaseUrl, migrationsDir: path.join(root, 'prisma', 'migrations'), log: pino({ level: 'warn' }) }).then(
  (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
  (err: Error) => {
    process.stderr.write(`migrate: ${err.message}\n`)
    process.exit(1)
  },
)
