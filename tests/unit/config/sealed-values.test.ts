import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { containsSealed, redactSealedText, restoreSealed, sealResource, unsealText } from '../../../server/config/sealed-values'
import type { ResourceJson } from '../../../server/config/resource-types'
import { createValueCipher } from '../../../server/store/secret-key'

const KEY_PEM = '-----BEGIN PRIVATE KEY-----\nMIIEvgIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n'
const CERT_PEM = '-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkq\n-----END CERTIFICATE-----\n'
const secret = (key: string): ResourceJson => ({ name: 'tls', tls_certificate: { certificate_chain: { inline_string: CERT_PEM }, private_key: { inline_string: key }, password: { inline_string: 'hunter2' } } })
const cipher = createValueCipher(randomBytes(32))

describe('sealed values', () => {
  it('seals private keys and passwords, leaves certificates readable, and round-trips', () => {
    const sealed = sealResource(secret(KEY_PEM), cipher)
    const text = JSON.stringify(sealed)
    expect(text).not.toContain('MIIEvgIBADANBgkqhkiG9w0BAQEFAASC')
    expect(text).not.toContain('hunter2')
    expect(text).toContain('MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkq')
    expect(containsSealed(text)).toBe(true)
    expect(JSON.parse(unsealText(text, cipher))).toEqual(secret(KEY_PEM))
  })

  it('is deterministic, so an unchanged secret keeps its hash', () => {
    expect(JSON.stringify(sealResource(secret(KEY_PEM), cipher))).toBe(JSON.stringify(sealResource(secret(KEY_PEM), cipher)))
    expect(JSON.stringify(sealResource(secret(KEY_PEM), cipher))).not.toBe(JSON.stringify(sealResource(secret(`${KEY_PEM}x`), cipher)))
  })

  it('seals inline_bytes too (as inline_string) and does not seal twice', () => {
    const bytes: ResourceJson = { name: 's', generic_secret: { secret: { inline_bytes: Buffer.from('token').toString('base64') } } }
    const once = sealResource(bytes, cipher)
    expect(JSON.stringify(once)).not.toContain(Buffer.from('token').toString('base64'))
    expect(sealResource(once, cipher)).toEqual(once)
    expect(JSON.parse(unsealText(JSON.stringify(once), cipher))).toEqual({ name: 's', generic_secret: { secret: { inline_string: 'token' } } })
  })

  it('shows sealed values as <set:fingerprint>, different for different values', () => {
    const a = redactSealedText(JSON.stringify(sealResource(secret(KEY_PEM), cipher)))
    const b = redactSealedText(JSON.stringify(sealResource(secret(`${KEY_PEM}x`), cipher)))
    expect(a).toMatch(/"private_key":\{"inline_string":"<set:[0-9a-f]{8}>"\}/)
    expect(a).not.toBe(b)
  })

  it('restores stored values for <set:…> markers and reports markers that match nothing', () => {
    const stored = sealResource(secret(KEY_PEM), cipher)
    const shown = JSON.parse(redactSealedText(JSON.stringify(stored))) as ResourceJson
    const { value, unknown } = restoreSealed(shown, stored)
    expect(unknown).toEqual([])
    expect(value).toEqual(stored)
    const bogus = restoreSealed({ name: 'tls', tls_certificate: { private_key: { inline_string: '<set:00000000>' } } }, stored)
    expect(bogus.unknown).toEqual(['tls_certificate.private_key.inline_string'])
  })

  it('refuses to unseal with another key', () => {
    const text = JSON.stringify(sealResource(secret(KEY_PEM), cipher))
    expect(() => unsealText(text, createValueCipher(randomBytes(32)))).toThrow(/cannot be decrypted/)
  })
})
