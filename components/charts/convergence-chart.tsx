'use client'

import { useQuery } from '@tanstack/react-query'
import { useMemo } from 'react'
import type uPlot from 'uplot'
import type { ConvergenceCurve } from '@/server/contract'
import { formatDuration } from '../versions/format-duration'
import { formatVersion } from '../versions/format-version'
import { chartQueries } from './queries'
import { convergenceSeries, curveMilestones } from './series'
import { LegendItem, themedAxis, UPlotChart, useChartColors, type ChartColors } from './uplot-chart'

const HEIGHT = 180

function curveOptions(colors: ChartColors, proxies: number): Omit<uPlot.Options, 'width' | 'height'> {
  return {
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, Math.max(max, proxies, 1)] } },
    axes: [
      themedAxis(colors, { label: 'time since the commit', labelSize: 18, values: (_u, ticks) => ticks.map((t) => formatDuration(t)) }),
      themedAxis(colors, { label: 'proxies', labelSize: 18, size: 40, values: (_u, ticks) => ticks.map((t) => (Number.isInteger(t) ? String(t) : '')) }),
    ],
    series: [
      {},
      { label: 'reached', stroke: colors.good, width: 2, spanGaps: true, points: { show: true, size: 6, fill: colors.good } },
      { label: 'rejected', stroke: colors.bad, width: 0, paths: () => null, points: { show: true, size: 8, fill: colors.bad } },
    ],
  }
}

/** "3 of 3 proxies reached v4 (half within 120 ms, all within 340 ms); 1 rejected it." */
export function curveSummary(curve: ConvergenceCurve): string {
  const c = curve.convergence
  const times = c.p50Ms !== null ? ` (half within ${formatDuration(c.p50Ms)}${c.convergenceMs !== null ? `, all within ${formatDuration(c.convergenceMs)}` : c.maxMs !== null ? `, the last so far after ${formatDuration(c.maxMs)}` : ''})` : ''
  const rejected = curve.rejected.total > 0 ? `; ${curve.rejected.total} rejected it` : ''
  return `${curve.reached.total} of ${c.proxies} prox${c.proxies === 1 ? 'y' : 'ies'} reached ${formatVersion(curve.version)}${times}${rejected}.`
}

/**
 * The convergence curve of one version: one point per proxy ACK (the n-th proxy on it, by time since
 * the commit), NACKs as red points, up to N, the proxies counted for it. The same as a sentence and a table.
 */
export function ConvergenceChart({ fleet, version }: { fleet: string; version: number }) {
  const { data: curve } = useQuery(chartQueries.convergence(fleet, version))
  const colors = useChartColors()
  const proxies = curve?.convergence.proxies ?? 0
  const options = useMemo(() => curveOptions(colors, proxies), [colors, proxies])
  const data = useMemo((): uPlot.AlignedData => {
    const s = convergenceSeries(curve ?? { reached: { total: 0, points: [] }, rejected: { total: 0, points: [] } })
    return [s.x, s.reached, s.rejected]
  }, [curve])
  if (!curve || curve.reached.total + curve.rejected.total === 0) return null
  const summary = curveSummary(curve)
  const sampled = curve.reached.points.length < curve.reached.total
  const milestones = curveMilestones(curve.reached.points, curve.reached.total)
  return (
    <figure className="border-t border-line px-3 py-2" data-testid="convergence-chart" data-points={curve.reached.points.length} data-rejected-points={curve.rejected.points.length} data-version={version}>
      <figcaption className="flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-fg-muted">
        <span className="font-medium text-fg">Convergence</span>
        <span data-testid="convergence-summary">{summary}</span>
        <LegendItem color={colors.good} shape="line">
          reached (one point per ACK{sampled ? `, every ${Math.ceil(curve.reached.total / curve.pointLimit)}th drawn` : ''})
        </LegendItem>
        {curve.rejected.total > 0 ? (
          <LegendItem color={colors.bad} shape="dot">
            rejected (NACK)
          </LegendItem>
        ) : null}
      </figcaption>
      <UPlotChart options={options} data={data} height={HEIGHT} label={`Convergence curve of ${formatVersion(version)}: ${summary}`} className="mt-1" />
      <details className="mt-1 text-xs">
        <summary className="cursor-pointer text-fg-muted hover:text-fg">The curve as a table</summary>
        <table className="mt-1 w-full max-w-md text-left" data-testid="convergence-table">
          <caption className="sr-only">When the proxies reached {formatVersion(version)}</caption>
          <thead>
            <tr className="text-fg-subtle">
              <th scope="col" className="py-0.5 pr-3 font-medium">
                Proxies on it
              </th>
              <th scope="col" className="py-0.5 font-medium">
                After the commit
              </th>
            </tr>
          </thead>
          <tbody>
            {milestones.map(([ms, n]) => (
              <tr key={n}>
                <td className="py-0.5 pr-3 font-mono tabular-nums">
                  {n} of {curve.convergence.proxies}
                </td>
                <td className="py-0.5 font-mono tabular-nums">{formatDuration(ms)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  )
}
