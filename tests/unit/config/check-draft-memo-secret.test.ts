import { describe, expect, it } from 'vitest'
import { loadEnvoyRoot } from '../../../proto/loader'
import { serializeResource, sha256Hex } from '../../../server/config/hash'
import { memoEntryOf } from '../../../server/config/resource-memo'
import type { ResourceJson } from '../../../server/config/resource-types'
import { checkStoredConfig } from '../../../server/services/check-draft'

// POST /draft/check with an unsaved body passes it to checkStoredConfig as it came (not sealed yet):
// clear key material must not be kept in the resource memo.
describe('draft check of an unsaved Secret body', () => {
  it('does not remember clear private key material', () => {
    const root = loadEnvoyRoot()
    const cipher = { seal: (s: string) => `legation:sealed:v1:00000000:${Buffer.from(s).toString('base64')}`, unseal: (s: string) => s }
    const body = serializeResource({ name: 'cert', tls_certificate: { private_key: { inline_string: 'CLEAR-PRIVATE-KEY' } } } as ResourceJson)
    const r = { type: 'Secret' as const, name: 'cert', body, hash: sha256Hex(body) }
    checkStoredConfig(root, cipher, { resources: [r], variables: {}, template: null }, [])
    expect(memoEntryOf(root, r).checked).toBeUndefined()
  })
})
