import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { Command, CommanderError, Option } from 'commander'
import { stringify } from 'yaml'
import {
  RESOURCE_TYPE_INFO,
  RESOURCE_TYPES,
  type DraftDiff,
  type DraftReplaced,
  type DraftResourceView,
  type DraftView,
  type FleetStatus,
  type FleetSummary,
  type ImportResult,
  type ResourceChange,
  type ResourceType,
  type VersionDetail,
  type VersionListItem,
  type VersionRollout,
  type VersionSummary,
} from '../server/contract'
import { ApiCallError, createApiClient, fleetPath, type ApiClient } from './api-client'
import { locateBundleError, readBundleFiles } from './bundle-files'
import { CliError, resolveConfig, saveConfig } from './config-file'
import { formatData, formatMs, formatTable, parseDuration, parseOutputFormat, type OutputFormat } from './output'

/**
 * `legation`: the JSON API from a shell or a CI job (issue #14 item 5). Talks to the server over
 * HTTP only (server/contract for the types), so it works against any Legation it can reach.
 *
 * Exit codes: 0 done; 1 an error (the API's message is printed); for `wait`, 2 the version was
 * rejected by a proxy (NACK), 3 stalled or superseded, 4 timed out; for `diff --exit-code`, 1 when
 * the draft has changes.
 */
export const EXIT = { ok: 0, error: 1, rejected: 2, stalled: 3, timeout: 4 } as const

type Io = Readonly<{ out: (s: string) => void; err: (s: string) => void }>
const stdio: Io = { out: (s) => void process.stdout.write(s), err: (s) => void process.stderr.write(s) }

function resourceTypeOf(value: string): ResourceType {
  const v = value.toLowerCase()
  const found = RESOURCE_TYPES.find((t) => {
    const info = RESOURCE_TYPE_INFO[t]
    return t.toLowerCase() === v || info.plural === v || info.short === v || `${t.toLowerCase()}s` === v
  })
  if (!found) throw new CliError(`unknown resource type '${value}': use one of ${RESOURCE_TYPES.map((t) => RESOURCE_TYPE_INFO[t].plural).join(', ')}`)
  return found
}

function versionNumber(value: string, what = 'version'): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) throw new CliError(`${what} must be a version number (1, 2, …), not '${value}'`)
  return n
}

const revisionHeader = (rev: string | undefined): Record<string, string> => (rev === undefined ? {} : { 'if-match': `"${rev.replace(/"/g, '')}"` })
const countsLine = (c: { added: number; modified: number; removed: number; unchanged?: number }): string =>
  `${c.added} added, ${c.modified} changed, ${c.removed} removed${c.unchanged === undefined ? '' : `, ${c.unchanged} unchanged`}`

function printChanges(io: Io, changes: readonly ResourceChange[]): void {
  for (const c of changes) {
    io.out(`\n${c.change} ${c.type}/${c.name}\n`)
    io.out(c.patch.endsWith('\n') ? c.patch : `${c.patch}\n`)
  }
}

function printReplaced(io: Io, r: DraftReplaced): void {
  const head = r.dryRun ? `dry run, nothing written: the draft of ${r.fleet} would get` : `draft of ${r.fleet} (revision ${r.previousDraftRevision} → ${r.draftRevision}):`
  io.out(`${head} ${countsLine(r.counts)}\n`)
  if (r.changes.length > 0) io.out(formatTable(['change', 'type', 'name'], r.changes.map((c) => [c.change, c.type, c.name])))
  printChanges(io, r.changes)
}

function versionRow(v: VersionSummary | VersionListItem): Array<string | number | null> {
  const conv = 'convergence' in v ? v.convergence : null
  return [
    `v${v.number}`,
    v.active ? '*' : '',
    v.origin.toLowerCase() + (v.rollbackOf ? ` of v${v.rollbackOf}` : ''),
    v.author,
    v.createdAt,
    conv ? `${conv.onVersion}/${conv.proxies}` : null,
    conv ? conv.rejected : null,
    conv ? formatMs(conv.p50Ms) : null,
    conv ? formatMs(conv.maxMs) : null,
    v.message,
  ]
}
const VERSION_HEADERS = ['version', 'active', 'origin', 'author', 'created', 'proxies', 'rejected', 'p50', 'max', 'message']

function describeRollout(r: VersionRollout): string[] {
  const c = r.convergence
  const lines = [`v${r.version}: ${r.state}, ${c.onVersion}/${c.proxies} proxies on it${c.rejected ? `, ${c.rejected} rejected it` : ''}${c.maxMs !== null ? ` (p50 ${formatMs(c.p50Ms)}, max ${formatMs(c.maxMs)})` : ''}`]
  for (const x of r.rejections) {
    const where = x.resources.map((k) => `${k.type}/${k.name}`).join(', ')
    lines.push(`  rejected by ${x.nodeId}${where ? ` (${where})` : ''}${x.lastAcceptedVersion ? `, still on v${x.lastAcceptedVersion}` : ''}: ${x.message}`)
  }
  for (const m of r.missing) lines.push(`  not on it: ${m.nodeId} (${m.reason}, ${m.state} since ${m.since})`)
  if (r.missingCount > r.missing.length) lines.push(`  … and ${r.missingCount - r.missing.length} more not on it`)
  return lines
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

export function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command('legation')
    .description('Legation from the command line: fleets, bundles, commits, rollouts (talks to the JSON API)')
    .addOption(new Option('-o, --output <format>', 'table, json or yaml').default('table'))
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })

  const format = (): OutputFormat => parseOutputFormat(String(program.opts()['output']))
  const client = async (): Promise<ApiClient> => createApiClient(await resolveConfig())
  /** Prints `data` as JSON/YAML when asked, else runs the table printer. */
  const emit = (data: unknown, table: () => void): void => {
    const f = format()
    if (f === 'table') table()
    else io.out(formatData(f, data))
  }

  program
    .command('login')
    .description('check a URL and API token, and store them in ~/.config/legation/config.json (0600); LEGATION_URL and LEGATION_TOKEN override it')
    .requiredOption('--url <url>', 'the Legation URL, e.g. https://legation.example.com')
    .requiredOption('--token <token>', 'an API token (POST /api/v1/tokens)')
    .action(async (opts: { url: string; token: string }) => {
      const config = { url: opts.url.replace(/\/+$/, ''), token: opts.token }
      if (!/^https?:\/\//.test(config.url)) throw new CliError(`--url must start with http:// or https://, not '${opts.url}'`)
      const { fleets } = await createApiClient(config).json<{ fleets: FleetSummary[] }>('GET', '/fleets')
      const file = await saveConfig(config)
      io.out(`logged in to ${config.url} (${fleets.length} fleet${fleets.length === 1 ? '' : 's'} visible); saved to ${file}\n`)
    })

  program
    .command('fleets')
    .description('list the fleets with their active version and pending changes')
    .action(async () => {
      const res = await (await client()).json<{ fleets: FleetSummary[] }>('GET', '/fleets')
      emit(res, () =>
        io.out(formatTable(['name', 'active', 'pending', 'description'], res.fleets.map((f) => [f.name, f.activeVersion ? `v${f.activeVersion.number}` : null, f.pendingChanges, f.description]))),
      )
    })

  program
    .command('get')
    .description("a fleet and its draft's resources, the resources of one type, or one resource (its Envoy JSON as YAML)")
    .argument('<fleet>')
    .argument('[type]', 'listeners, routes, clusters, endpoints, secrets (or Listener, cds, …)')
    .argument('[name]')
    .option('--version <n>', 'read a committed version instead of the draft')
    .action(async (fleet: string, typeArg: string | undefined, name: string | undefined, opts: { version?: string }) => {
      const api = await client()
      const type = typeArg === undefined ? undefined : resourceTypeOf(typeArg)
      if (opts.version !== undefined) {
        const v = await api.json<VersionDetail>('GET', fleetPath(fleet, `/versions/${versionNumber(opts.version)}`))
        const resources = v.resources.filter((r) => (type === undefined || r.type === type) && (name === undefined || r.name === name))
        if (name !== undefined && type !== undefined) {
          const one = resources[0]
          if (!one) throw new CliError(`${type} '${name}' is not in v${v.number} of ${fleet}`)
          return emit(one, () => io.out(stringify(one.resource, { lineWidth: 0 })))
        }
        return emit(type === undefined ? v : resources, () => {
          if (type === undefined) io.out(`${fleet} v${v.number}: ${v.message} (${v.author}, ${v.createdAt})\n`)
          io.out(formatTable(['type', 'name', 'hash'], resources.map((r) => [r.type, r.name, r.hash.slice(0, 12)])))
        })
      }
      if (type === undefined) {
        const [status, draft] = await Promise.all([api.json<FleetStatus>('GET', fleetPath(fleet)), api.json<DraftView>('GET', fleetPath(fleet, '/draft'))])
        return emit({ fleet: status, draft }, () => {
          io.out(`fleet ${status.name}${status.description ? `: ${status.description}` : ''}\n`)
          io.out(`active version: ${status.activeVersion ? `v${status.activeVersion.number} (${status.activeVersion.message})` : 'none'}; serving: ${status.serving.servingVersion ? `v${status.serving.servingVersion}` : 'nothing'}; pending changes: ${status.pendingChanges}; draft revision ${draft.draftRevision}\n`)
          io.out(formatTable(['type', 'name', 'revision', 'updated by', 'updated at'], draft.resources.map((r) => [r.type, r.name, r.revision, r.updatedBy, r.updatedAt])))
        })
      }
      const plural = RESOURCE_TYPE_INFO[type].plural
      if (name === undefined) {
        const list = await api.json<DraftView>('GET', fleetPath(fleet, `/draft/${plural}`))
        return emit(list, () => io.out(formatTable(['name', 'revision', 'updated by', 'updated at'], list.resources.map((r) => [r.name, r.revision, r.updatedBy, r.updatedAt]))))
      }
      const one = await api.json<DraftResourceView>('GET', fleetPath(fleet, `/draft/${plural}/${encodeURIComponent(name)}`))
      emit(one, () => io.out(stringify(one.resource, { lineWidth: 0 })))
    })

  program
    .command('apply')
    .description("replace a fleet's draft with a bundle (a file, or a folder of .yaml/.yml/.json files) and print what changed")
    .requiredOption('-f, --file <path>', 'a bundle file or a folder of them')
    .requiredOption('--fleet <fleet>')
    .option('--dry-run', 'only show what would change')
    .option('--if-match <revision>', 'refuse (409) if the draft is no longer at this revision')
    .action(async (opts: { file: string; fleet: string; dryRun?: boolean; ifMatch?: string }) => {
      const bundle = await readBundleFiles(opts.file)
      const api = await client()
      const res = await api
        .json<DraftReplaced>('PUT', fleetPath(opts.fleet, '/draft'), { json: bundle.documents, query: { dryRun: opts.dryRun ? 'true' : undefined }, headers: revisionHeader(opts.ifMatch) })
        .catch((err: unknown) => {
          throw locateBundleError(err, bundle.origins)
        })
      emit(res, () => printReplaced(io, res))
    })

  program
    .command('diff')
    .description("the draft against the active version, with what a commit would be refused or warned for")
    .argument('<fleet>')
    .option('--exit-code', 'exit 1 when the draft has changes (like git diff --exit-code)')
    .action(async (fleet: string, opts: { exitCode?: boolean }) => {
      const d = await (await client()).json<DraftDiff>('GET', fleetPath(fleet, '/draft/diff'))
      emit(d, () => {
        const base = d.activeVersion === null ? 'no version yet' : `v${d.activeVersion}`
        io.out(d.changes.length === 0 ? `draft of ${fleet} is the same as ${base}\n` : `draft of ${fleet} (revision ${d.draftRevision}) against ${base}: ${countsLine(d.counts)}\n`)
        if (d.changes.length > 0) io.out(formatTable(['change', 'type', 'name'], d.changes.map((c) => [c.change, c.type, c.name])))
        printChanges(io, d.changes)
        for (const i of d.issues) io.out(`problem ${i.code}${i.resource ? ` ${i.resource.type}/${i.resource.name}` : ''} ${i.path}: ${i.message}\n`)
        for (const f of d.findings) io.out(`${f.severity} ${f.code} ${f.resource.type}/${f.resource.name} ${f.path}: ${f.message}\n`)
      })
      if (opts.exitCode && d.changes.length > 0) setExit(EXIT.error)
    })

  program
    .command('commit')
    .description("make the fleet's draft its next version")
    .argument('<fleet>')
    .requiredOption('-m, --message <message>')
    .option('--accept-warnings', "commit despite the config analysis' warnings")
    .option('--expires-in <duration>', 'an expiring change: roll back to the parent after this long (e.g. 5m, 1h)')
    .option('--if-match <revision>', 'refuse (409) if the draft moved since this revision')
    .action(async (fleet: string, opts: { message: string; acceptWarnings?: boolean; expiresIn?: string; ifMatch?: string }) => {
      const body = {
        message: opts.message,
        ...(opts.acceptWarnings ? { acceptWarnings: true } : {}),
        ...(opts.expiresIn === undefined ? {} : { expiresInSeconds: Math.ceil(parseDuration(opts.expiresIn) / 1000) }),
      }
      const v = await (await client())
        .json<VersionSummary>('POST', fleetPath(fleet, '/commit'), { json: body, headers: revisionHeader(opts.ifMatch) })
        .catch((err: unknown) => {
          if (err instanceof ApiCallError && err.body.code === 'COMMIT.UNCONFIRMED_WARNINGS') throw new CliError(`${err.message}\nrun again with --accept-warnings to commit anyway`)
          throw err
        })
      emit(v, () => io.out(`committed ${fleet} v${v.number}: ${countsLine(v.changes)}, ${v.resourceCount} resources${v.expiry ? `; expires at ${v.expiry.expiresAt}` : ''}\n`))
    })

  program
    .command('rollback')
    .description('a new version with the content of version N (the draft is reset to it)')
    .argument('<fleet>')
    .argument('<n>', 'the version whose content to restore')
    .option('-m, --message <message>')
    .option('--discard-draft', 'discard uncommitted draft changes (else a draft with changes refuses the rollback)')
    .option('--if-match <revision>', 'the draft revision you reviewed (its changes are then discarded)')
    .action(async (fleet: string, n: string, opts: { message?: string; discardDraft?: boolean; ifMatch?: string }) => {
      const number = versionNumber(n)
      const v = await (await client()).json<VersionSummary>('POST', fleetPath(fleet, `/versions/${number}/rollback`), {
        json: { ...(opts.message ? { message: opts.message } : {}), ...(opts.discardDraft ? { discardDraft: true } : {}) },
        headers: revisionHeader(opts.ifMatch),
      })
      emit(v, () => io.out(`rolled ${fleet} back to the content of v${number} as v${v.number}\n`))
    })

  program
    .command('status')
    .description("the fleet's versions with their convergence, and the active version's rollout")
    .argument('<fleet>')
    .option('--limit <n>', 'how many versions', '10')
    .action(async (fleet: string, opts: { limit: string }) => {
      const api = await client()
      const [status, list] = await Promise.all([
        api.json<FleetStatus>('GET', fleetPath(fleet)),
        api.json<{ versions: VersionListItem[] }>('GET', fleetPath(fleet, '/versions'), { query: { limit: String(versionNumber(opts.limit, '--limit')) } }),
      ])
      const rollout = status.activeVersion ? await api.json<VersionRollout>('GET', fleetPath(fleet, `/versions/${status.activeVersion.number}/rollout`)) : null
      emit({ fleet: status, versions: list.versions, rollout }, () => {
        io.out(`fleet ${status.name}: active ${status.activeVersion ? `v${status.activeVersion.number}` : 'none'}, ${status.pendingChanges} pending changes\n`)
        if (status.serving.rejected) io.out(`this server refused to serve v${status.serving.rejected.version}: ${status.serving.rejected.issues.map((i) => i.message).join('; ')}\n`)
        io.out(formatTable(VERSION_HEADERS, list.versions.map(versionRow)))
        if (rollout) io.out(`${describeRollout(rollout).join('\n')}\n`)
      })
    })

  program
    .command('wait')
    .description('wait until every proxy of the fleet runs a version: exit 0 when converged, 2 when a proxy rejects it (NACK), 3 when stalled or superseded, 4 on timeout')
    .argument('<fleet>')
    .option('--version <n>', 'the version (default: the active one)')
    .option('--timeout <duration>', 'give up after this long', '120s')
    .option('--interval <duration>', 'how often to ask', '1s')
    .action(async (fleet: string, opts: { version?: string; timeout: string; interval: string }) => {
      const api = await client()
      const timeoutMs = parseDuration(opts.timeout)
      const intervalMs = Math.max(100, parseDuration(opts.interval))
      const number = opts.version !== undefined ? versionNumber(opts.version) : (await api.json<FleetStatus>('GET', fleetPath(fleet))).activeVersion?.number
      if (number === undefined) throw new CliError(`${fleet} has no version yet`)
      const deadline = Date.now() + timeoutMs
      let last = ''
      for (;;) {
        const r = await api.json<VersionRollout>('GET', fleetPath(fleet, `/versions/${number}/rollout`))
        const finish = (code: number, message: string) => {
          emit(r, () => io.out(`${describeRollout(r).join('\n')}\n`))
          if (code !== EXIT.ok) io.err(`error: ${message}\n`)
          setExit(code)
        }
        // The rollout endpoint decides the state from what each proxy recorded for this version only
        // (README: GET …/versions/{n}/rollout); the CLI only maps it to an exit code.
        if (r.state === 'converged') return finish(EXIT.ok, '')
        if (r.state === 'no-proxies') {
          io.err(`note: v${number} is active and no proxy of ${fleet} is connected\n`)
          return finish(EXIT.ok, '')
        }
        if (r.state === 'rejected') return finish(EXIT.rejected, `v${number} was rejected by ${r.convergence.rejected} prox${r.convergence.rejected === 1 ? 'y' : 'ies'}: ${r.rejections.map((x) => `${x.nodeId}: ${x.message}`).join('; ')}`)
        if (r.state === 'stalled') return finish(EXIT.stalled, `v${number} stalled: ${r.missingCount} prox${r.missingCount === 1 ? 'y has' : 'ies have'} not reached it ${formatMs(r.stallAfterMs)} after the commit`)
        if (r.state === 'superseded') return finish(EXIT.stalled, `v${number} is no longer the active version of ${fleet} (superseded) before every proxy reached it`)
        if (Date.now() >= deadline) return finish(EXIT.timeout, `timed out after ${opts.timeout}: ${r.convergence.onVersion}/${r.convergence.proxies} proxies on v${number}`)
        const progress = `v${number}: ${r.state}, ${r.convergence.onVersion}/${r.convergence.proxies} proxies on it`
        if (progress !== last && format() === 'table') io.err(`${progress}\n`)
        last = progress
        await delay(Math.min(intervalMs, Math.max(0, deadline - Date.now())))
      }
    })

  program
    .command('export')
    .description('a version (default the active one) or the draft as a bundle, or as an Envoy static bootstrap, on stdout')
    .argument('<fleet>')
    .option('--version <n>', 'a committed version')
    .option('--draft', 'the draft')
    .addOption(new Option('--format <format>', 'bundle or bootstrap').choices(['bundle', 'bootstrap']).default('bundle'))
    .action(async (fleet: string, opts: { version?: string; draft?: boolean; format: string }) => {
      if (opts.draft && opts.version !== undefined) throw new CliError('give --version or --draft, not both')
      const version = opts.draft ? 'draft' : opts.version === undefined ? undefined : String(versionNumber(opts.version))
      const res = await (await client()).request('GET', fleetPath(fleet, '/export'), { query: { version, format: opts.format } })
      io.out(res.text)
    })

  program
    .command('import')
    .description("import an Envoy config into a fleet's draft: a static bootstrap (envoy.yaml), an admin /config_dump (JSON), or a bundle; prints what it adds, changes and removes and what was not taken over as it is (findings)")
    .argument('[fleet]', 'the fleet (or --fleet)')
    .requiredOption('-f, --file <path>', 'the config file (a folder: a bundle of .yaml/.yml/.json files)')
    .option('--fleet <fleet>', 'the fleet')
    .option('--dry-run', 'only show what would change')
    .option('--split-routes', "serve inline route configurations over RDS (RouteConfiguration resources)")
    .option('--split-endpoints', "serve STATIC clusters' endpoints over EDS (ClusterLoadAssignment resources)")
    .option('--merge', 'add to the draft (same type and name: replaced) instead of replacing it')
    .addOption(new Option('--format <format>', 'the format, when not detected').choices(['bootstrap', 'config-dump', 'bundle']))
    .option('--if-match <revision>', 'refuse (409) if the draft is no longer at this revision')
    .action(async (fleetArg: string | undefined, opts: { file: string; fleet?: string; dryRun?: boolean; splitRoutes?: boolean; splitEndpoints?: boolean; merge?: boolean; format?: string; ifMatch?: string }) => {
      const fleet = opts.fleet ?? fleetArg
      if (fleet === undefined) throw new CliError('which fleet? give --fleet <fleet>')
      if (opts.fleet !== undefined && fleetArg !== undefined && fleetArg !== opts.fleet) throw new CliError(`two fleets given: '${fleetArg}' and --fleet '${opts.fleet}'`)
      const info = await stat(opts.file).catch(() => null)
      if (!info) throw new CliError(`${opts.file}: no such file or folder`)
      // A folder is a bundle split into files: sent as one list, its errors mapped back to file and line.
      const bundle = info.isDirectory() ? await readBundleFiles(opts.file) : null
      const content = bundle ? JSON.stringify(bundle.documents) : await readFile(opts.file, 'utf8')
      const body = {
        content,
        ...(opts.format ? { format: opts.format } : bundle ? { format: 'bundle' } : {}),
        options: { splitRoutes: Boolean(opts.splitRoutes), splitEndpoints: Boolean(opts.splitEndpoints), mode: opts.merge ? 'merge' : 'replace' },
        dryRun: Boolean(opts.dryRun),
      }
      const res = await (await client())
        .json<ImportResult>('POST', fleetPath(fleet, '/import'), { json: body, headers: revisionHeader(opts.ifMatch) })
        .catch((err: unknown) => {
          throw bundle ? locateBundleError(err, bundle.origins) : err instanceof ApiCallError ? new CliError(`${opts.file}: ${err.message}`) : err
        })
      emit(res, () => {
        io.out(`read ${opts.file} as ${res.format === 'config-dump' ? 'an Envoy config dump' : res.format === 'bundle' ? 'a bundle' : 'an Envoy bootstrap'}: ${res.resources} resource${res.resources === 1 ? '' : 's'}\n`)
        printReplaced(io, res)
        if (res.findings.length > 0) {
          io.out(`\n${res.findings.length} finding${res.findings.length === 1 ? '' : 's'} (not taken over as written):\n`)
          io.out(formatTable(['severity', 'code', 'where', 'message'], res.findings.map((f) => [f.severity, f.code, `${f.path || '(top)'}${f.line === null ? '' : ` (line ${f.line})`}`, f.message])))
        }
        if (!res.dryRun && res.changes.length > 0) io.out(`\nreview and commit: legation diff ${fleet} && legation commit ${fleet} -m "import ${path.basename(opts.file)}"\n`)
      })
    })

  return program
}

/** Runs one command line; resolves with the exit code (the launcher sets process.exitCode, so output is flushed). */
export async function main(argv: readonly string[], io: Io = stdio): Promise<number> {
  let code: number = EXIT.ok
  const program = buildProgram(io, (c) => (code = c))
  try {
    await program.parseAsync([...argv])
    return code
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode
    if (err instanceof CliError) {
      io.err(`error: ${err.message}\n`)
      return err.exitCode
    }
    io.err(`error: ${err instanceof Error ? err.message : String(err)}\n`)
    return EXIT.error
  }
}
