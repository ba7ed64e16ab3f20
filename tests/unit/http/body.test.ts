import { describe, expect, it } from 'vitest'
import { parseRevisionHeader, readBody } from '../../../server/http/body'

const req = (body: string, contentType?: string) => new Request('http://x/', { method: 'PUT', body, headers: contentType ? { 'content-type': contentType } : {} })

describe('readBody', () => {
  it('parses JSON and YAML by content type, and sniffs when there is none', async () => {
    expect(await readBody(req('{"a":1}', 'application/json'), 1000)).toEqual({ a: 1 })
    expect(await readBody(req('a: 1\nb: [x]\n', 'application/yaml'), 1000)).toEqual({ a: 1, b: ['x'] })
    expect(await readBody(req('a: 1'), 1000)).toEqual({ a: 1 })
    expect(await readBody(req(''), 1000)).toBeUndefined()
  })

  it('refuses duplicate YAML keys and several documents with the line', async () => {
    await expect(readBody(req('a: 1\na: 2\n', 'application/yaml'), 1000)).rejects.toMatchObject({ code: 'REQUEST.BAD_BODY', message: expect.stringMatching(/line 2/) })
    await expect(readBody(req('a: 1\n---\nb: 2\n', 'application/yaml'), 1000)).rejects.toMatchObject({ code: 'REQUEST.BAD_BODY' })
  })

  it('refuses bodies over the limit and unknown media types', async () => {
    await expect(readBody(req('x'.repeat(2000), 'application/json'), 1000)).rejects.toMatchObject({ code: 'REQUEST.TOO_LARGE', status: 413 })
    await expect(readBody(req('<a/>', 'application/xml'), 1000)).rejects.toMatchObject({ code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE', status: 415 })
  })
})

describe('parseRevisionHeader', () => {
  it('reads quoted and bare revisions and refuses anything else', () => {
    expect(parseRevisionHeader('"3"')).toBe(3)
    expect(parseRevisionHeader('12')).toBe(12)
    expect(parseRevisionHeader(null)).toBeUndefined()
    expect(parseRevisionHeader('*')).toBeUndefined()
    expect(() => parseRevisionHeader('abc')).toThrow(/revision number/)
  })
})
