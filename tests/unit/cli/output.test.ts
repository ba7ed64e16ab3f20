import { describe, expect, it } from 'vitest'
import { formatMs, formatTable, parseDuration, parseOutputFormat } from '../../../cli/output'

describe('CLI output helpers', () => {
  it.each([
    ['120s', 120_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1d', 86_400_000],
    ['500ms', 500],
    ['90', 90_000],
    ['1.5s', 1500],
  ])('parseDuration(%s) = %i ms', (text, ms) => expect(parseDuration(text)).toBe(ms))

  it.each(['', 'soon', '5 minutes', '-1s', '1w'])('parseDuration refuses %j, naming it', (text) => expect(() => parseDuration(text)).toThrow(`'${text}' is not a duration`))

  it('formatTable: capital headers, columns padded to the widest cell, a missing value as -, no trailing spaces', () => {
    expect(formatTable(['name', 'active', 'description'], [['demo', 'v1', 'the demo'], ['a-longer-name', null, '']])).toBe(
      'NAME           ACTIVE  DESCRIPTION\ndemo           v1      the demo\na-longer-name  -\n',
    )
  })

  it('formatMs and the output formats', () => {
    expect([formatMs(null), formatMs(12.4), formatMs(1530)]).toEqual(['-', '12ms', '1.5s'])
    expect(parseOutputFormat('yaml')).toBe('yaml')
    expect(() => parseOutputFormat('xml')).toThrow('-o must be one of table, json, yaml')
  })
})
