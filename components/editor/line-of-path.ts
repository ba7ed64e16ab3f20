import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml'

/**
 * Where an API issue's field path is in the YAML (or JSON: JSON is YAML) the user is editing, so the
 * issue can be shown at its line. Paths are the server's: dotted field names, `[3]` for list items
 * and `["key"]` for map keys, e.g. `load_assignment.endpoints[0].lb_endpoints[0].endpoint.address`.
 */
export type PathSegment = string | number

export function parseIssuePath(path: string): PathSegment[] {
  const segments: PathSegment[] = []
  let i = 0
  while (i < path.length) {
    const c = path[i]
    if (c === '.') {
      i++
    } else if (c === '[') {
      const close = path[i + 1] === '"' ? path.indexOf('"]', i + 2) + 1 : path.indexOf(']', i)
      if (close <= 0) break
      const inner = path.slice(i + 1, close)
      if (/^\d+$/.test(inner)) segments.push(Number(inner))
      else {
        try {
          segments.push(String(JSON.parse(inner)))
        } catch {
          segments.push(inner)
        }
      }
      i = close + 1
    } else {
      let j = i
      while (j < path.length && path[j] !== '.' && path[j] !== '[') j++
      segments.push(path.slice(i, j))
      i = j
    }
  }
  return segments
}

export type PathLocation = Readonly<{
  /** Offsets into the text of the key (or list item) the path ends at. */
  from: number
  to: number
  /** 1-based. */
  line: number
  /** False when only a parent was found: the field is missing, so the issue is shown at its parent. */
  exact: boolean
}>

function keyOf(node: unknown): string | null {
  if (isScalar(node)) return node.value === null || node.value === undefined ? null : String(node.value)
  return null
}

/** The nearest located node for `path`: the key itself, or the deepest parent that exists. */
export function locatePath(text: string, path: string): PathLocation | null {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, keepSourceTokens: false, uniqueKeys: false })
  let node: unknown = doc.contents
  if (!node || !(node as Node).range) return null
  let range: readonly [number, number] = [(node as Node).range![0], (node as Node).range![0]]
  const segments = parseIssuePath(path)
  let exact = true
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!
    if (isMap(node)) {
      const map = node
      // Map keys may contain dots (filter_metadata's `envoy.lb`): try the longest join first.
      let found = false
      for (let end = segments.length; end > i && !found; end--) {
        const key = segments.slice(i, end).join('.')
        const pair = map.items.find((p) => keyOf(p.key) === key)
        if (pair) {
          const keyRange = (pair.key as Node).range
          if (keyRange) range = [keyRange[0], keyRange[1]]
          node = pair.value
          i = end - 1
          found = true
        }
      }
      if (!found) {
        exact = false
        break
      }
    } else if (isSeq(node) && typeof seg === 'number' && seg < node.items.length) {
      const item = node.items[seg] as Node | null
      if (item?.range) range = [item.range[0], item.range[1]]
      node = item
    } else {
      exact = false
      break
    }
  }
  const from = range[0]
  const to = Math.max(range[1], from)
  return { from, to, line: lineCounter.linePos(from).line, exact }
}

/** The 1-based line where the field at `path` is (or its nearest existing parent), or null if the text is not a YAML/JSON document. */
export function lineOfPath(yamlText: string, path: string): number | null {
  return locatePath(yamlText, path)?.line ?? null
}
