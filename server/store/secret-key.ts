import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { SEALED_PREFIX, type ValueCipher } from '../config/sealed-values'

const KEY_BYTES = 32

/**
 * The key that seals private keys at rest: LEGATION_SECRET_KEY (base64, 32 bytes; required to be the
 * same on every replica), else `<dataDir>/secret.key`, generated on first start (mode 0600).
 */
export async function loadSecretKey(options: { fromEnv: string | undefined; dataDir: string }): Promise<{ key: Buffer; source: 'env' | 'file' | 'generated' }> {
  if (options.fromEnv) {
    const key = Buffer.from(options.fromEnv, 'base64')
    if (key.length !== KEY_BYTES) throw new Error(`LEGATION_SECRET_KEY must be ${KEY_BYTES} bytes in base64 (e.g. from \`openssl rand -base64 32\`), got ${key.length} bytes`)
    return { key, source: 'env' }
  }
  const file = path.join(options.dataDir, 'secret.key')
  const readKey = async () => {
    const key = Buffer.from((await readFile(file, 'utf8')).trim(), 'base64')
    if (key.length !== KEY_BYTES) throw new Error(`${file} does not hold a ${KEY_BYTES}-byte base64 key`)
    return key
  }
  if (existsSync(file)) return { key: await readKey(), source: 'file' }
  await mkdir(options.dataDir, { recursive: true })
  const key = randomBytes(KEY_BYTES)
  try {
    await writeFile(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' })
  } catch (err) {
    // Another process sharing the data folder created it first: use theirs.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return { key: await readKey(), source: 'file' }
    throw err
  }
  return { key, source: 'generated' }
}

/**
 * AES-256-GCM with a synthetic IV (HMAC of the plaintext): the same plaintext seals to the same
 * text, so an unchanged secret keeps its hash and no spurious change appears in diffs. It reveals
 * only whether two sealed values are equal. The fingerprint (8 hex of another HMAC) lets the API
 * show that a value is set, and which one, without revealing it.
 */
export function createValueCipher(key: Buffer): ValueCipher {
  const encKey = createHmac('sha256', key).update('legation/seal/enc').digest()
  const ivKey = createHmac('sha256', key).update('legation/seal/iv').digest()
  const fpKey = createHmac('sha256', key).update('legation/seal/fingerprint').digest()
  return {
    seal(plaintext) {
      const iv = createHmac('sha256', ivKey).update(plaintext).digest().subarray(0, 12)
      const cipher = createCipheriv('aes-256-gcm', encKey, iv)
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
      const fingerprint = createHmac('sha256', fpKey).update(plaintext).digest('hex').slice(0, 8)
      return `${SEALED_PREFIX}${fingerprint}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`
    },
    unseal(sealed) {
      const payload = Buffer.from(sealed.slice(SEALED_PREFIX.length + 9), 'base64')
      const decipher = createDecipheriv('aes-256-gcm', encKey, payload.subarray(0, 12))
      decipher.setAuthTag(payload.subarray(12, 28))
      try {
        return Buffer.concat([decipher.update(payload.subarray(28)), decipher.final()]).toString('utf8')
      } catch {
        throw new Error('a sealed secret value cannot be decrypted with this LEGATION_SECRET_KEY / secret.key')
      }
    },
  }
}
