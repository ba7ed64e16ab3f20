// `npm start` runs this first (the prestart script): it builds the console only when there is no
// build yet or a source is newer than it, so a restart does not spend 15-30 s rebuilding (#17).
//   node scripts/build-console.mjs          build if needed
//   node scripts/build-console.mjs --check  exit 0 if the build is up to date, 1 if not (builds nothing)
// LEGATION_NEXT_DIST_DIR selects another build folder, as next.config.ts does.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
/** What `next build` reads: the App Router, the components and the server modules route handlers import, and the build's configuration. */
const SOURCES = ['app', 'components', 'server', 'proto', 'public', 'next.config.ts', 'tsconfig.json', 'postcss.config.mjs', 'package-lock.json']

/** The newest file under `entry` (skipping dotfiles and node_modules), as [mtimeMs, path]. */
function newest(entry) {
  let best = [0, '']
  const visit = (file) => {
    let st
    try {
      st = statSync(file)
    } catch {
      return
    }
    if (st.isDirectory()) {
      for (const name of readdirSync(file)) if (!name.startsWith('.') && name !== 'node_modules') visit(path.join(file, name))
    } else if (st.mtimeMs > best[0]) {
      best = [st.mtimeMs, file]
    }
  }
  visit(entry)
  return best
}

function buildStatus() {
  const distDir = process.env.LEGATION_NEXT_DIST_DIR || '.next'
  const buildId = path.join(ROOT, distDir, 'BUILD_ID')
  if (!existsSync(buildId)) return { stale: true, reason: `no console build yet (${path.relative(ROOT, buildId)})` }
  const builtAt = statSync(buildId).mtimeMs
  for (const source of SOURCES) {
    const [mtime, file] = newest(path.join(ROOT, source))
    if (mtime > builtAt) return { stale: true, reason: `${path.relative(ROOT, file)} changed since the last console build` }
  }
  return { stale: false, reason: 'console build is up to date' }
}

const status = buildStatus()
if (process.argv.includes('--check')) {
  process.stdout.write(`${status.reason}\n`)
  process.exit(status.stale ? 1 : 0)
}
if (!status.stale) {
  process.stdout.write(`legation: ${status.reason} (npm run build to force one)\n`)
  process.exit(0)
}
process.stdout.write(`legation: ${status.reason}: building it (next build)\n`)
const next = path.join(ROOT, 'node_modules', 'next', 'dist', 'bin', 'next')
const result = spawnSync(process.execPath, [next, 'build'], { cwd: ROOT, stdio: 'inherit' })
process.exit(result.status ?? 1)
