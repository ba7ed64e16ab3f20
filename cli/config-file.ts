import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { z } from 'zod'

/** What `legation login` stores: where the API is and the token to send (an API token, see README "Signing in"). */
export const CliConfigSchema = z.object({ url: z.string().url(), token: z.string().min(1) })
export type CliConfig = z.infer<typeof CliConfigSchema>

/** `$XDG_CONFIG_HOME/legation/config.json`, else `~/.config/legation/config.json`. */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env['XDG_CONFIG_HOME'] || path.join(os.homedir(), '.config')
  return path.join(base, 'legation', 'config.json')
}

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message)
  }
}

async function readConfigFile(file: string): Promise<Partial<CliConfig>> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {}
    throw err
  }
  const parsed = CliConfigSchema.partial().safeParse(JSON.parse(text))
  if (!parsed.success) throw new CliError(`${file} is not a Legation CLI config (run legation login again)`)
  return parsed.data
}

/**
 * The URL and token to use: LEGATION_URL / LEGATION_TOKEN win over the file, so a CI job needs no
 * login step (and a token in the environment never lands on disk).
 */
export async function resolveConfig(env: NodeJS.ProcessEnv = process.env): Promise<CliConfig> {
  const stored = await readConfigFile(configPath(env))
  const url = env['LEGATION_URL'] || stored.url
  const token = env['LEGATION_TOKEN'] || stored.token
  if (!url || !token) throw new CliError('not logged in: run `legation login --url URL --token TOKEN`, or set LEGATION_URL and LEGATION_TOKEN')
  return { url: url.replace(/\/+$/, ''), token }
}

/** Writes the config readable by its owner only (0600, folder 0700), replacing the old file in one rename. */
export async function saveConfig(config: CliConfig, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const file = configPath(env)
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 })
  const tmp = `${file}.${process.pid}.tmp`
  await writeFile(tmp, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 })
  // The mode given to writeFile is masked by the umask and ignored for an existing file.
  await chmod(tmp, 0o600)
  await rename(tmp, file)
  return file
}
