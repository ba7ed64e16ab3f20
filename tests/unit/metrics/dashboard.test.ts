import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { getMetrics } from '@/server/metrics'

/**
 * deploy/grafana/legation.json and docs/operations.md "Metrics and alerts" name the metrics that
 * server/metrics defines: a renamed or new metric must not leave the dashboard or the docs behind.
 */
const ROOT = path.resolve(import.meta.dirname, '../../..')
type Panel = { id: number; type: string; title: string; targets?: Array<{ expr: string }> }
const dashboard = JSON.parse(readFileSync(path.join(ROOT, 'deploy/grafana/legation.json'), 'utf8')) as { uid: string; panels: Panel[] }
const docs = readFileSync(path.join(ROOT, 'docs/operations.md'), 'utf8')
const defined = (getMetrics().registry.getMetricsAsArray() as Array<{ name: string }>).map((m) => m.name).filter((n) => n.startsWith('legation_'))
const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr))
/** A histogram's series (_bucket, _count, _sum) belong to the histogram. */
const used = new Set(exprs.flatMap((e) => [...e.matchAll(/\blegation_[a-z_]+/g)].map((m) => m[0].replace(/_(bucket|count|sum)$/, ''))))

describe('the Grafana dashboard and the docs follow the metric definitions', () => {
  it('defines the metrics the issue asks for', () => {
    expect(defined).toEqual(
      expect.arrayContaining([
        'legation_xds_streams',
        'legation_xds_pushes_total',
        'legation_xds_push_bytes_total',
        'legation_xds_acks_total',
        'legation_xds_nacks_total',
        'legation_xds_push_latency_seconds',
        'legation_rollout_convergence_seconds',
        'legation_snapshot_build_seconds',
        'legation_snapshot_rejections_total',
        'legation_commit_seconds',
        'legation_commit_validation_seconds',
        'legation_api_request_duration_seconds',
        'legation_database_listen_up',
        'legation_database_pool_connections',
      ]),
    )
  })

  it('every panel query names only defined metrics, and every defined metric has a panel', () => {
    expect([...used].filter((name) => !defined.includes(name))).toEqual([])
    expect(defined.filter((name) => !used.has(name))).toEqual([])
  })

  it('every defined metric is in the docs table', () => {
    expect(defined.filter((name) => !docs.includes(`\`${name}\``))).toEqual([])
  })

  it('panel ids are unique and every query panel has a query', () => {
    const ids = dashboard.panels.map((p) => p.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const p of dashboard.panels.filter((x) => x.type !== 'row')) expect(p.targets?.length, p.title).toBeGreaterThan(0)
    expect(dashboard.uid).toBe('legation')
  })
})
