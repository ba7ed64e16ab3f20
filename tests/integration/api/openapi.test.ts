import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import SwaggerParser from '@apidevtools/swagger-parser'
import { describe, expect, it } from 'vitest'
import { PROJECT_ROOT } from '../../support/server'
import { setupTestServer } from '../../support/test-server'

/*
 * GET /api/v1/openapi.json (#14 item 6): the OpenAPI 3.1 description generated from the contract.
 * Every method that a route file under app/api/v1 exports must be described, so a new route cannot
 * ship undocumented; every $ref must resolve; and it is readable without signing in.
 */
const t = setupTestServer('api_openapi')

const API_DIR = path.join(PROJECT_ROOT, 'app', 'api', 'v1')
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? routeFiles(path.join(dir, e.name)) : e.name === 'route.ts' ? [path.join(dir, e.name)] : []))
}

/** `GET /fleets/{fleet}/draft` for every exported method of every route file (path relative to /api/v1). */
function routeOperations(): string[] {
  return routeFiles(API_DIR).flatMap((file) => {
    const source = readFileSync(file, 'utf8')
    const route = '/' + path.relative(API_DIR, path.dirname(file)).split(path.sep).filter((s) => !/^\(.*\)$/.test(s)).map((s) => s.replace(/^\[(\w+)\]$/, '{$1}')).join('/')
    const methods = [...source.matchAll(/export\s+(?:const\s+([A-Z]+)\s*=|(?:async\s+)?function\s+([A-Z]+)\s*\()/g)].map((m) => m[1] ?? m[2]!).filter((m) => METHODS.includes(m))
    return methods.map((m) => `${m} ${route}`)
  })
}

type Doc = { openapi: string; servers: Array<{ url: string }>; paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown>; 'x-legation-role': string }>>; components: { schemas: Record<string, unknown> } }

async function fetchDoc(): Promise<{ status: number; doc: Doc; text: string }> {
  const res = await fetch(`${t.server.baseUrl}/api/v1/openapi.json`)
  const text = await res.text()
  return { status: res.status, doc: JSON.parse(text) as Doc, text }
}

describe('the OpenAPI description', () => {
  it('is OpenAPI 3.1, served without credentials', async () => {
    const { status, doc } = await fetchDoc()
    expect(status).toBe(200)
    expect(doc.openapi).toBe('3.1.0')
    expect(doc.servers).toEqual([{ url: '/api/v1' }])
  })

  it('is a valid OpenAPI 3.1 document (checked against the specification schema by @apidevtools/swagger-parser)', async () => {
    const { doc } = await fetchDoc()
    // validate() dereferences in place: give it a copy.
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeDefined()
    // …and the validator does refuse a broken one.
    const broken = structuredClone(doc) as unknown as { paths: Record<string, Record<string, { responses: unknown }>> }
    broken.paths['/fleets']!['get']!.responses = { '200': {} } // a response needs its description
    await expect(SwaggerParser.validate(broken as never)).rejects.toThrow()
  })

  it('describes every method of every route file under app/api/v1', async () => {
    const { doc } = await fetchDoc()
    const routes = routeOperations()
    expect(routes.length).toBeGreaterThan(30)
    expect(routes).toContain('PUT /fleets/{fleet}/draft')
    expect(routes).toContain('GET /fleets/{fleet}/export')
    const described = new Set(Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`)))
    expect(routes.filter((r) => !described.has(r)), 'routes missing from server/contract/openapi.ts').toEqual([])
  })

  it('every $ref resolves, every operation has a success answer and the error shape, and the public ones are exactly the sign-in routes and this one', async () => {
    const { doc, text } = await fetchDoc()
    const refs = [...text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!)
    expect(refs.length).toBeGreaterThan(40)
    expect([...new Set(refs)].filter((r) => !(r in doc.components.schemas))).toEqual([])
    const ops = Object.entries(doc.paths).flatMap(([p, o]) => Object.entries(o).map(([m, op]) => ({ key: `${m.toUpperCase()} ${p}`, op })))
    for (const { key, op } of ops) {
      expect(Object.keys(op.responses), key).toContain('default')
      expect(Object.keys(op.responses).filter((c) => /^[23]\d\d$/.test(c)), key).toHaveLength(1)
      expect(['public', 'viewer', 'editor', 'admin'], key).toContain(op['x-legation-role'])
    }
    expect(ops.filter(({ op }) => op.security !== undefined).map(({ key }) => key).sort()).toEqual(
      ['GET /auth/me', 'GET /auth/oidc/callback', 'GET /auth/oidc/start', 'GET /openapi.json', 'POST /auth/setup', 'POST /auth/sign-in', 'POST /auth/sign-out'].sort(),
    )
    // The bulk write's body is the bundle: documents of {type, name, resource}.
    const bundle = doc.components.schemas['Bundle'] as { type: string; items: { required: string[] } }
    expect(bundle.type).toBe('array')
    expect(bundle.items.required).toEqual(['type', 'name', 'resource'])
  })
})
