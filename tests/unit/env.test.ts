import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { EnvError, parseEnv } from '../../server/env'

describe('parseEnv', () => {
  it('applies the documented defaults', () => {
    const env = parseEnv({})
    expect(env).toMatchObject({ PORT: 3000, XDS_PORT: 18000, LOG_LEVEL: 'info', LEGATION_DEMO: true })
    expect(env.DATABASE_URL).toBeUndefined()
    expect(env.LEGATION_DATA_DIR).toBe(path.resolve('.legation'))
  })

  it('names every bad variable on its own line', () => {
    let error: unknown
    try {
      parseEnv({ PORT: 'http', XDS_PORT: '70000', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' })
    } catch (err) {
      error = err
    }
    expect(error).toBeInstanceOf(EnvError)
    const lines = (error as Error).message.split('\n')
    expect(lines).toHaveLength(4)
    expect(lines[0]).toMatch(/^Invalid setting PORT="http": /)
    expect(lines.join('\n')).toContain('XDS_PORT="70000"')
    expect(lines.join('\n')).toContain('DATABASE_URL="mysql://x": expected a postgres')
    expect(lines.join('\n')).toContain('LOG_LEVEL="loud"')
  })

  it('treats an empty DATABASE_URL as unset and parses booleans', () => {
    const env = parseEnv({ DATABASE_URL: '', LEGATION_DEMO: 'false' })
    expect(env.DATABASE_URL).toBeUndefined()
    expect(env.LEGATION_DEMO).toBe(false)
  })

  it('validates the public xDS address used in generated bootstraps, treating blanks as unset', () => {
    expect(parseEnv({ LEGATION_XDS_PUBLIC_HOST: 'legation', LEGATION_XDS_PUBLIC_PORT: '443' })).toMatchObject({ LEGATION_XDS_PUBLIC_HOST: 'legation', LEGATION_XDS_PUBLIC_PORT: 443 })
    const blank = parseEnv({ LEGATION_XDS_PUBLIC_HOST: ' ', LEGATION_XDS_PUBLIC_PORT: '' })
    expect(blank.LEGATION_XDS_PUBLIC_HOST).toBeUndefined()
    expect(blank.LEGATION_XDS_PUBLIC_PORT).toBeUndefined()
    expect(() => parseEnv({ LEGATION_XDS_PUBLIC_PORT: 'http' })).toThrow(/LEGATION_XDS_PUBLIC_PORT="http"/)
    expect(() => parseEnv({ LEGATION_XDS_PUBLIC_HOST: 'http://legation' })).toThrow(/LEGATION_XDS_PUBLIC_HOST="http:\/\/legation"/)
  })

  it('reads the metrics token: unset or blank leaves /metrics open, a short one is refused', () => {
    expect(parseEnv({}).LEGATION_METRICS_TOKEN).toBeUndefined()
    expect(parseEnv({ LEGATION_METRICS_TOKEN: '  ' }).LEGATION_METRICS_TOKEN).toBeUndefined()
    expect(parseEnv({ LEGATION_METRICS_TOKEN: 'metrics-0123456789' }).LEGATION_METRICS_TOKEN).toBe('metrics-0123456789')
    expect(() => parseEnv({ LEGATION_METRICS_TOKEN: 'short' })).toThrow(/LEGATION_METRICS_TOKEN="short": expected at least 16 characters/)
  })
})
