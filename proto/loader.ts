import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import protobuf from 'protobufjs'

// The Envoy v3 API, xds/udpa, protoc-gen-validate and googleapis protos ship inside
// @grpc/grpc-js-xds (deps/*). We load every envoy/**/v3 file into ONE root so that any
// typed_config (google.protobuf.Any) can be resolved and encoded: a second root would
// silently encode an Any as empty.
const require = createRequire(import.meta.url)
const DEPS_DIR = path.join(path.dirname(require.resolve('@grpc/grpc-js-xds/package.json')), 'deps')
const INCLUDE_DIRS = ['envoy-api', 'xds', 'protoc-gen-validate', 'googleapis'].map((d) => path.join(DEPS_DIR, d))
const WELL_KNOWN_PREFIX = 'google/protobuf/'

let commonRegistered = false
function registerCommonProtos(): void {
  if (commonRegistered) return
  // protobufjs bundles only some google/protobuf files; proto-loader registers these the same way.
  for (const name of ['descriptor', 'api', 'type', 'source_context']) {
    const json = require(`protobufjs/google/protobuf/${name}.json`) as { nested: { google: { nested: { protobuf: { nested: protobuf.INamespace['nested'] } } } } }
    protobuf.common(name, json.nested.google.nested.protobuf.nested as Record<string, protobuf.AnyNestedObject>)
  }
  commonRegistered = true
}

function findProtoFile(target: string): string | null {
  if (target.startsWith(WELL_KNOWN_PREFIX)) return target
  for (const dir of INCLUDE_DIRS) {
    const candidate = path.join(dir, target)
    if (existsSync(candidate)) return candidate
  }
  return null
}

function listProtoFiles(dir: string): string[] {
  const out: string[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) out.push(...listProtoFiles(full))
    else if (entry.name.endsWith('.proto')) out.push(full)
  }
  return out
}

/** A few v3 files import protos (opencensus, opentelemetry) that the package does not ship; skip exactly those. */
function loadableFiles(candidates: string[]): string[] {
  const memo = new Map<string, boolean>()
  const isLoadable = (rel: string): boolean => {
    const known = memo.get(rel)
    if (known !== undefined) return known
    memo.set(rel, true) // cycles are fine: protobufjs dedupes imports
    const file = findProtoFile(rel)
    if (file === null) return memo.set(rel, false), false
    if (file === rel) return true
    const source = readFileSync(file, 'utf8')
    for (const match of source.matchAll(/^import\s+(?:public\s+|weak\s+)?"([^"]+)";/gm)) {
      if (!isLoadable(match[1]!)) return memo.set(rel, false), false
    }
    return true
  }
  return candidates.filter(isLoadable)
}

let cachedRoot: protobuf.Root | undefined

/** The protobufjs root holding every Envoy v3 message, loaded once per process (~0.6 s, ~30 MB). */
export function loadEnvoyRoot(): protobuf.Root {
  if (cachedRoot) return cachedRoot
  registerCommonProtos()
  const envoyDir = path.join(DEPS_DIR, 'envoy-api')
  const files = loadableFiles(
    listProtoFiles(path.join(envoyDir, 'envoy'))
      .map((f) => path.relative(envoyDir, f))
      .filter((f) => f.split(path.sep).includes('v3'))
      .sort(),
  )
  const root = new protobuf.Root()
  root.resolvePath = (_origin, target) => findProtoFile(target) ?? target
  // alternateCommentMode keeps the protos' plain `//` comments (Envoy writes no `/** */` ones): the
  // editor's hover docs and the extension categories of typed configs come from them (server/config/proto-schema.ts).
  root.loadSync(files, { keepCase: true, alternateCommentMode: true })
  root.resolveAll()
  cachedRoot = root
  return root
}

/** Include dirs for @grpc/proto-loader (services) with the same files. */
export const PROTO_INCLUDE_DIRS: readonly string[] = INCLUDE_DIRS
