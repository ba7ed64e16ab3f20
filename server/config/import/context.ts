import type protobuf from 'protobufjs'
import { splitPath, type Obj } from './json'
import type { ResourceKey, ResourceType } from '../resource-types'
import type { ImportFinding } from './findings'

/** One resource read out of the imported text, not yet validated; `source` is its path in the text. */
export type RawResource = { type: ResourceType; name: string; resource: Obj; source: string }

/** What the conversion of one document shares: the descriptors, the findings so far, the document's lines. */
export type ImportContext = Readonly<{
  root: protobuf.Root
  findings: ImportFinding[]
  add: (finding: Omit<ImportFinding, 'line'>) => void
  lineOf: (path: string) => number | null
}>

export function newImportContext(root: protobuf.Root, lineOf?: (path: ReadonlyArray<string | number>) => number | null): ImportContext {
  const findings: ImportFinding[] = []
  const lineAt = (path: string) => lineOf?.(splitPath(path)) ?? null
  return { root, findings, lineOf: lineAt, add: (f) => void findings.push({ ...f, line: lineAt(f.path) }) }
}

export const keyOfRaw = (r: RawResource): ResourceKey => ({ type: r.type, name: r.name })
export const describeRaw = (r: { type: ResourceType; name: string }) => `${r.type} '${r.name}'`

/** The ADS config source every RDS, EDS and SDS reference of an imported resource gets: Legation serves them all over the proxy's one ADS stream. */
export const ADS_SOURCE: Obj = { ads: {}, resource_api_version: 'V3' }
