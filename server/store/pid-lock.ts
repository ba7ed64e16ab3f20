import { readFileSync } from 'node:fs'
import { readFile, rename, rm, writeFile } from 'node:fs/promises'

/**
 * `legation.pid`: one Legation per data folder (a second one would stop the first one's database).
 *
 * A pid alone is not an identity: after a crash or a reboot the number is soon reused by an unrelated
 * process, and a lock that trusts it blocks every start (#16 item 3). The file therefore holds the pid
 * and the process's start time (field 22 of /proc/<pid>/stat, in clock ticks since boot), and the lock
 * is held only while a process with that pid *and* that start time exists. Where /proc is missing
 * (macOS, Windows) the start time is empty and liveness is all we can check.
 */
export type ProcessIdentity = Readonly<{ pid: number; startTime: string | null }>

/** Field 22 of /proc/<pid>/stat; null when there is no /proc or no such process. */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Field 2 (comm) is in parentheses and may contain spaces or parentheses: count after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return fields[22 - 3] ?? null
  } catch {
    return null
  }
}

/**
 * Signal 0 says whether the pid exists; a zombie (exited, not yet reaped: e.g. an orphaned postmaster
 * whose new parent is a node PID 1 in a container) exists but is not running.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return true
  }
}

function hasProcFs(): boolean {
  return processStartTime(process.pid) !== null
}

/** True when the process the identity names is still the one running under that pid. */
export function isRunning(identity: ProcessIdentity): boolean {
  if (!isAlive(identity.pid)) return false
  if (!hasProcFs()) return true
  const now = processStartTime(identity.pid)
  if (identity.startTime) return now === identity.startTime
  // A lock file written before start times were recorded: only a node process still counts.
  try {
    return /(^|\/)node(\0|$)/.test(readFileSync(`/proc/${identity.pid}/cmdline`, 'utf8').split('\0')[0] + '\0')
  } catch {
    return true
  }
}

export function parseLockFile(text: string): ProcessIdentity | null {
  const [pidLine, startLine] = text.split('\n')
  const pid = Number(pidLine?.trim())
  if (!Number.isInteger(pid) || pid <= 0) return null
  const startTime = startLine?.trim() || null
  return { pid, startTime }
}

export class DataDirInUseError extends Error {
  override readonly name = 'DataDirInUseError'
  readonly code = 'DATA_DIR.IN_USE'
}

/**
 * Takes the lock, or throws DataDirInUseError naming the live owner. Returns the release function,
 * which removes the file only while it is still ours.
 */
export async function acquirePidLock(options: { file: string; dataDir: string }): Promise<() => Promise<void>> {
  const { file, dataDir } = options
  const self: ProcessIdentity = { pid: process.pid, startTime: processStartTime(process.pid) }
  const content = `${self.pid}\n${self.startTime ?? ''}\n`
  let existing: string | null = null
  try {
    existing = await readFile(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  const owner = existing === null ? null : parseLockFile(existing)
  if (owner && owner.pid !== process.pid && isRunning(owner)) {
    throw new DataDirInUseError(`The data folder ${dataDir} is in use by another Legation (pid ${owner.pid}); stop it, or set LEGATION_DATA_DIR to another folder`)
  }
  // Written beside and renamed, so that a reader never sees a half-written file.
  const tmp = `${file}.${process.pid}.tmp`
  await writeFile(tmp, content)
  await rename(tmp, file)
  return async () => {
    try {
      if ((await readFile(file, 'utf8')) !== content) return
    } catch {
      return
    }
    await rm(file, { force: true })
  }
}
