import { describe, expect, it } from 'vitest'
import { compareRange, parseVersionParam, toggleCompareSelection, versionDiffHref, versionHref } from '../../../../components/versions/compare-selection'
import { formatDuration } from '../../../../components/versions/format-duration'
import { HISTORY_PAGE_SIZE, nextHistoryPage, type VersionListItem } from '../../../../components/versions/queries'

describe('toggleCompareSelection', () => {
  it.each<[number[], number, number[]]>([
    [[], 3, [3]],
    [[3], 1, [3, 1]],
    [[3, 1], 2, [1, 2]],
    [[3, 1], 3, [1]],
    [[3], 3, []],
  ])('%j + %i → %j', (selected, n, expected) => {
    expect(toggleCompareSelection(selected, n)).toEqual(expected)
  })

  it('compares the older version with the newer one, in whatever order they were picked', () => {
    expect(compareRange([5, 2])).toEqual({ from: 2, to: 5 })
    expect(compareRange([2, 5])).toEqual({ from: 2, to: 5 })
    expect(compareRange([2])).toBeNull()
    expect(compareRange([])).toBeNull()
  })
})

describe('links and parameters', () => {
  it('encodes the fleet name once', () => {
    expect(versionHref('edge.eu', 7)).toBe('/fleets/edge.eu/versions/7')
    expect(versionDiffHref('a b', 1, 2)).toBe('/fleets/a%20b/versions/diff?from=1&to=2')
  })

  it.each<[string | string[] | undefined, number | null]>([
    ['3', 3],
    [['4', '5'], 4],
    ['0', null],
    ['-1', null],
    ['1.5', null],
    ['v2', null],
    ['', null],
    [undefined, null],
    ['12345678901', null],
  ])('parseVersionParam(%j) → %s', (value, expected) => {
    expect(parseVersionParam(value)).toBe(expected)
  })
})

describe('formatDuration', () => {
  it.each<[number, string]>([
    [0, '0 ms'],
    [349.6, '350 ms'],
    [1000, '1.0 s'],
    [1290, '1.2 s'],
    [9999, '9.9 s'],
    [42_400, '42 s'],
    [60_000, '1 min'],
    [185_000, '3 min 5 s'],
    [7_200_000, '2 h'],
    [7_800_000, '2 h 10 min'],
    [-1, '—'],
    [Number.NaN, '—'],
  ])('%d ms → %s', (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected)
  })
})

describe('nextHistoryPage', () => {
  const page = (newest: number, count: number) => Array.from({ length: count }, (_, i) => ({ number: newest - i }) as VersionListItem)

  it('asks for the versions before the oldest one of a full page', () => {
    expect(nextHistoryPage(page(60, HISTORY_PAGE_SIZE))).toBe(60 - HISTORY_PAGE_SIZE + 1)
  })

  it('stops after a short page, an empty one, or one that reaches version 1', () => {
    expect(nextHistoryPage(page(10, 10))).toBeUndefined()
    expect(nextHistoryPage([])).toBeUndefined()
    expect(nextHistoryPage(page(HISTORY_PAGE_SIZE, HISTORY_PAGE_SIZE))).toBeUndefined()
  })
})
