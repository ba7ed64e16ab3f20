import { describe, expect, it } from 'vitest'
import { safeReturnPath } from '@/server/contract'

/*
 * Where sign-in may send the browser afterwards (`?next=`): only a path of this console. Each
 * refused case is one a browser would resolve to another origin, or to a path that becomes one.
 */
describe('safeReturnPath', () => {
  it.each([
    ['/'],
    ['/fleets/edge-1/resources/clusters/api'],
    ['/audit?action=token.*&actor=root'],
    ['/proxies/edge%2F1?fleet=edge-1#timeline'],
    ['/fleets/a/versions/diff?from=1&to=2'],
  ])('keeps the console path %s as it is', (path) => {
    expect(safeReturnPath(path)).toBe(path)
  })

  it.each([
    ['https://evil.example/', 'an absolute URL'],
    ['javascript:alert(1)', 'a script URL'],
    ['//evil.example/path', 'a protocol-relative URL'],
    ['///evil.example', 'three slashes'],
    ['/\\evil.example', 'a backslash after the slash (browsers read it as //)'],
    ['\\\\evil.example', 'two backslashes'],
    ['/fleets\\..\\..\\/evil', 'a backslash anywhere'],
    ['/\t/evil.example', 'a tab (browsers drop it, leaving //)'],
    ['/\n/evil.example', 'a newline'],
    ['/ /evil', 'a space'],
    ['/..//evil.example', 'a dot segment that leaves the path //evil.example'],
    ['/%2e%2e//evil.example', 'an encoded dot segment'],
    ['/a/./b', 'a dot segment'],
    ['/caf\u00e9', 'a character outside printable ASCII'],
    ['fleets/edge-1', 'a path without the leading slash'],
    ['', 'nothing'],
    [`/${'a'.repeat(2048)}`, 'more than 2,048 characters'],
  ])('refuses %j (%s)', (path) => {
    expect(safeReturnPath(path)).toBeNull()
  })

  it('refuses what is not a string', () => {
    expect(safeReturnPath(null)).toBeNull()
    expect(safeReturnPath(undefined)).toBeNull()
  })
})
