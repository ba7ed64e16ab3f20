import { describe, expect, it } from 'vitest'
import { HIDDEN_VALUE, redactSecretPatch } from '@/components/changes/redact-patch'
import { formatResource } from '@/components/editor/parse-text'
import { REDACTED, redactSecret, restoreSecret, secretKind } from '@/components/resources/secret-redaction'
import type { ResourceJson } from '@/server/config/resource-types'

const KEY = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n'
const CERT = '-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIE\n-----END CERTIFICATE-----\n'
const SECRET: ResourceJson = { name: 'web-cert', tls_certificate: { certificate_chain: { inline_string: CERT }, private_key: { inline_string: KEY }, password: { filename: '/etc/pw' } } }

describe('secret redaction', () => {
  it('hides key material and nothing else', () => {
    const shown = redactSecret(SECRET)
    expect(JSON.stringify(shown)).not.toContain('PRIVATE KEY')
    expect(shown).toEqual({ name: 'web-cert', tls_certificate: { certificate_chain: { inline_string: CERT }, private_key: { inline_string: REDACTED }, password: { filename: '/etc/pw' } } })
    expect(secretKind(SECRET)).toBe('TLS certificate')
  })

  it('leaves the API’s own <set:…> markers alone (the server sealed those)', () => {
    const sealed: ResourceJson = { name: 'c', tls_certificate: { certificate_chain: { inline_string: CERT }, private_key: { inline_string: '<set:0a1b2c3d>' } } }
    expect(redactSecret(sealed)).toEqual(sealed)
    const patch = '@@ -1,2 +1,2 @@\n private_key:\n-  inline_string: "<set:0a1b2c3d>"\n+  inline_string: "<set:99887766>"\n'
    expect(redactSecretPatch(patch)).toBe(patch)
  })

  it('puts the hidden values back on save, and reports placeholders it cannot place', () => {
    const edited = { ...redactSecret(SECRET), name: 'web-cert' }
    expect(restoreSecret(edited, SECRET)).toEqual({ value: SECRET, missing: [] })
    const moved = { name: 'x', generic_secret: { secret: { inline_string: REDACTED } } }
    expect(restoreSecret(moved, SECRET).missing).toEqual(['generic_secret.secret.inline_string'])
  })

  it('hides private keys in a YAML diff, keeping certificates and line counts', () => {
    const yaml = formatResource(SECRET, 'yaml')
    const patch = `--- a/Secret/web-cert\n+++ b/Secret/web-cert\n@@ -0,0 +1,${yaml.split('\n').length - 1} @@\n${yaml
      .trimEnd()
      .split('\n')
      .map((l) => `+${l}`)
      .join('\n')}\n`
    const redacted = redactSecretPatch(patch)
    expect(redacted).not.toContain('MIIEvQ')
    expect(redacted).not.toContain('PRIVATE KEY')
    expect(redacted).toContain('BEGIN CERTIFICATE')
    expect(redacted).toContain(`inline_string: ${HIDDEN_VALUE}`)
    expect(redacted.split('\n')).toHaveLength(patch.split('\n').length)
  })

  it('hides a value when the hunk starts below its parent key', () => {
    const patch = '@@ -3,2 +3,2 @@\n-    inline_string: old-key-material\n+    inline_string: new-key-material\n'
    expect(redactSecretPatch(patch)).not.toContain('key-material')
  })
})
