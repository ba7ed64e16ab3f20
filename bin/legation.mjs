#!/usr/bin/env node
// The `legation` command: runs cli/main.ts through tsx in this process, as `npm start` runs the
// server (`node --import tsx`). tsx is resolved from this package, so `npm link` and `npx legation`
// work from any folder.
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { register } from 'tsx/esm/api'

// `legation export edge | head`: a closed pipe ends the command quietly, as it does for cat.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0)
  throw err
})

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
register({ tsconfig: path.join(root, 'tsconfig.json') })
const { main } = await import(pathToFileURL(path.join(root, 'cli', 'main.ts')).href)
process.exitCode = await main(process.argv)
