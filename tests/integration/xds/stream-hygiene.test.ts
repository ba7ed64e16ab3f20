import * as grpc from '@grpc/grpc-js'
import { afterAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../support/database'
import { startServer, type ServerHandle } from '../../support/server'
import { xdsPortOf } from '../../support/xds-fleet'
import { openSotwStream } from '../../support/xds-protocol-client'

const CDS = 'type.googleapis.com/envoy.config.cluster.v3.Cluster'
const cleanup: Array<() => Promise<unknown>> = []
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn()
})

async function serverWith(label: string, env: Record<string, string>): Promise<{ server: ServerHandle; db: TestDatabase }> {
  const db = await createTestDatabase(label)
  const server = await startServer({ env: { DATABASE_URL: db.url, ...env } })
  cleanup.push(() => db.drop(), () => server.stop())
  return { server, db }
}

describe('stream hygiene', () => {
  it('asks old connections to go (GOAWAY after the maximum age), so a proxy reconnects and is served again', async () => {
    const { server } = await serverWith('max_age', { LEGATION_XDS_MAX_CONNECTION_AGE_MS: '1000', LEGATION_XDS_MAX_CONNECTION_AGE_GRACE_MS: '300' })
    const stream = openSotwStream(xdsPortOf(server))
    stream.send({ node: { id: 'aged-1', cluster: 'demo' }, type_url: CDS })
    expect((await stream.next()).type_url).toBe(CDS)
    const started = Date.now()
    const status = await stream.status
    const lived = Date.now() - started
    expect(status.code).not.toBe(grpc.status.OK)
    expect(lived).toBeLessThan(5000)

    const again = openSotwStream(xdsPortOf(server))
    again.send({ node: { id: 'aged-1', cluster: 'demo' }, type_url: CDS })
    expect((await again.next()).resources).toHaveLength(1)
    again.close()
  })

  it('refuses new streams beyond the admission rate with UNAVAILABLE, so a reconnect storm backs off', async () => {
    const { server } = await serverWith('rate_limit', { LEGATION_XDS_MAX_NEW_STREAMS_PER_SECOND: '1' })
    const streams = [0, 1, 2].map(() => openSotwStream(xdsPortOf(server)))
    streams.forEach((s, i) => s.send({ node: { id: `storm-${i}`, cluster: 'demo' }, type_url: CDS }))
    const outcomes = await Promise.all(
      streams.map((s) =>
        Promise.race([
          s.next(3000).then(() => 'served'),
          s.status.then((st) => (st.code === grpc.status.UNAVAILABLE && st.details.includes('too many new xDS streams') ? 'refused' : `status ${st.code}`)),
        ]),
      ),
    )
    expect(outcomes.filter((o) => o === 'served')).toHaveLength(2) // the burst
    expect(outcomes.filter((o) => o === 'refused')).toHaveLength(1)
    streams.forEach((s) => s.close())
  })
})
