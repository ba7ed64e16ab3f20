import { readdir, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { isMap, isSeq, LineCounter, parseAllDocuments } from 'yaml'
import { ApiCallError, formatApiError } from './api-client'
import { CliError } from './config-file'

export type DocumentOrigin = Readonly<{ file: string; line: number }>
export type BundleFiles = Readonly<{ documents: unknown[]; origins: DocumentOrigin[]; files: string[] }>

const BUNDLE_EXTENSIONS = new Set(['.yaml', '.yml', '.json'])

async function listFiles(target: string): Promise<string[]> {
  const info = await stat(target).catch(() => null)
  if (!info) throw new CliError(`${target}: no such file or folder`)
  if (!info.isDirectory()) return [target]
  const entries = await readdir(target, { withFileTypes: true, recursive: true })
  return entries
    .filter((e) => e.isFile() && BUNDLE_EXTENSIONS.has(path.extname(e.name).toLowerCase()) && !e.name.startsWith('.'))
    .map((e) => path.join(e.parentPath, e.name))
    .sort()
}

/**
 * Reads a bundle from a file or a folder of them (`*.yaml`, `*.yml`, `*.json`, sorted by path): each
 * YAML document is one `{type, name, resource}`; a document that is a list (or a JSON array) holds
 * several. Syntax errors are reported here, with file, line and column; the documents are then
 * sent to the API as one JSON array, and `origins[i]` says where document `i` came from.
 */
export async function readBundleFiles(target: string): Promise<BundleFiles> {
  const files = await listFiles(target)
  if (files.length === 0) throw new CliError(`${target}: no .yaml, .yml or .json file in it`)
  const documents: unknown[] = []
  const origins: DocumentOrigin[] = []
  for (const file of files) {
    const text = await readFile(file, 'utf8')
    const lineCounter = new LineCounter()
    const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: true })
    if (!Array.isArray(docs)) continue // an empty stream
    for (const doc of docs) {
      const problem = doc.errors[0]
      if (problem) {
        const at = problem.linePos?.[0]
        throw new CliError(`${file}${at ? `:${at.line}:${at.col}` : ''}: ${problem.message.split('\n')[0]}`)
      }
      const contents = doc.contents
      if (contents === null) continue // `---` with nothing after it
      const items = isSeq(contents) ? contents.items : [contents]
      const all = doc.toJS({ maxAliasCount: 100 }) as unknown
      const values = isSeq(contents) ? (all as unknown[]) : [all]
      items.forEach((item, i) => {
        const offset = (isMap(item) || isSeq(item) ? item.range?.[0] : undefined) ?? doc.range[0]
        origins.push({ file, line: lineCounter.linePos(offset).line })
        documents.push(values[i])
      })
    }
  }
  if (documents.length === 0) throw new CliError(`${target}: no documents in it`)
  return { documents, origins, files }
}

/**
 * The API names a bad document by its index in the array (`[3].resource.connect_timeout`); the
 * user knows files, so each such issue gets the file and line of document 3.
 */
export function locateBundleError(error: unknown, origins: readonly DocumentOrigin[]): unknown {
  if (!(error instanceof ApiCallError)) return error
  const issues = error.body.issues.map((issue) => {
    const m = /^\[(\d+)\]/.exec(issue.path)
    const origin = m ? origins[Number(m[1])] : undefined
    return origin ? { ...issue, message: `${issue.message} (${origin.file}:${origin.line})` } : issue
  })
  return new CliError(formatApiError(error.status, { ...error.body, issues }))
}
