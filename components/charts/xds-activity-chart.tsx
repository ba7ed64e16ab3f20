'use client'

import { useQuery } from '@tanstack/react-query'
import { useMemo, useState } from 'react'
import uPlot from 'uplot'
import type { ActivityRange, XdsActivity } from '@/server/contract'
import { ErrorNotice } from '../ui/error-notice'
import { Panel } from '../ui/panel'
import { chartQueries } from './queries'
import { activitySeries, activityTotals } from './series'
import { LegendItem, themedAxis, UPlotChart, useChartColors, utcTickValues, type ChartColors } from './uplot-chart'

const HEIGHT = 200
const RANGE_LABEL: Record<ActivityRange, string> = { hour: 'Last hour', day: 'Last day' }
const utc = (ts: number) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC')

function activityOptions(colors: ChartColors): Omit<uPlot.Options, 'width' | 'height'> {
  const bars = uPlot.paths.bars!({ size: [0.6, 12] })
  return {
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    tzDate: utc,
    scales: { x: { time: true }, events: { range: (_u, _min, max) => [0, Math.max(max, 1)] }, proxies: { range: (_u, _min, max) => [0, Math.max(max, 1)] } },
    axes: [
      themedAxis(colors, { values: utcTickValues }),
      themedAxis(colors, { scale: 'events', label: 'events per bucket', labelSize: 18, size: 44 }),
      themedAxis(colors, { scale: 'proxies', side: 1, label: 'proxies connected', labelSize: 18, size: 44, grid: { show: false } }),
    ],
    series: [
      {},
      { label: 'pushes', scale: 'events', stroke: colors.info, fill: `${colors.info}33`, width: 1, paths: bars, points: { show: false } },
      { label: 'ACKs', scale: 'events', stroke: colors.good, width: 1.5, points: { show: false } },
      { label: 'NACKs', scale: 'events', stroke: colors.bad, width: 2, points: { show: false } },
      { label: 'connected', scale: 'proxies', stroke: colors.warn, width: 2, dash: [6, 3], points: { show: false } },
    ],
  }
}

/** "Last hour: 42 pushes, 40 ACKs, 2 NACKs; 3 proxies connected now (at most 4)." */
export function activitySummary(activity: XdsActivity): string {
  const t = activityTotals(activity)
  return `${RANGE_LABEL[activity.range]}: ${t.pushes} push${t.pushes === 1 ? '' : 'es'}, ${t.acks} ACK${t.acks === 1 ? '' : 's'}, ${t.nacks} NACK${t.nacks === 1 ? '' : 's'}; ${t.connectedNow} prox${t.connectedNow === 1 ? 'y' : 'ies'} connected now (at most ${t.connectedMax}).`
}

function clock(iso: string, range: ActivityRange): string {
  return range === 'hour' ? iso.slice(11, 16) : iso.slice(5, 16).replace('T', ' ')
}

/**
 * A fleet's xDS activity over the last hour or day: pushes (bars), ACKs and NACKs per bucket, and the
 * proxies connected (dashed, right axis). Counted by the server from the proxies' stream timelines.
 */
export function XdsActivityChart({ fleet }: { fleet: string }) {
  const [range, setRange] = useState<ActivityRange>('hour')
  const { data, error, refetch } = useQuery(chartQueries.xdsActivity(fleet, range))
  const colors = useChartColors()
  const options = useMemo(() => activityOptions(colors), [colors])
  const aligned = useMemo((): uPlot.AlignedData => {
    const s = activitySeries(data ?? { buckets: [] })
    return [s.x, s.pushes, s.acks, s.nacks, s.connected]
  }, [data])
  const busy = data ? data.buckets.filter((b) => b.pushes + b.acks + b.nacks > 0) : []
  const summary = data ? activitySummary(data) : null
  return (
    <Panel
      title={
        <>
          xDS activity of <span className="font-mono">{fleet}</span>
        </>
      }
      description="Responses pushed to its proxies, their ACKs and NACKs, and how many were connected (times in UTC)"
      data-testid="xds-activity"
      actions={
        <div role="group" aria-label="Time range" className="inline-flex rounded-md border border-line-strong bg-surface p-0.5">
          {(['hour', 'day'] as const).map((r) => (
            <button
              key={r}
              type="button"
              aria-pressed={range === r}
              onClick={() => setRange(r)}
              data-testid={`xds-activity-${r}`}
              className="h-6 rounded px-2 text-xs font-medium text-fg-muted hover:text-fg focus-visible:outline-2 focus-visible:outline-accent aria-pressed:bg-surface-muted aria-pressed:text-fg"
            >
              {RANGE_LABEL[r]}
            </button>
          ))}
        </div>
      }
    >
      {error && !data ? <ErrorNotice className="m-3" title="Could not load the xDS activity" error={error} onRetry={() => void refetch()} /> : null}
      {!data ? (
        error ? null : <p className="px-4 py-6 text-sm text-fg-subtle">Loading the xDS activity…</p>
      ) : (
        <figure className="px-3 py-2" data-testid="xds-activity-chart" data-range={data.range} data-buckets={data.buckets.length} data-connected={data.buckets.at(-1)?.connected ?? 0}>
          <figcaption className="flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-fg-muted">
            <span data-testid="xds-activity-summary">{summary}</span>
            <LegendItem color={colors.info} shape="dot">
              pushes
            </LegendItem>
            <LegendItem color={colors.good} shape="line">
              ACKs
            </LegendItem>
            <LegendItem color={colors.bad} shape="line">
              NACKs
            </LegendItem>
            <LegendItem color={colors.warn} shape="line">
              proxies connected (dashed)
            </LegendItem>
          </figcaption>
          <UPlotChart options={options} data={aligned} height={HEIGHT} label={`xDS activity chart. ${summary}`} className="mt-1" />
          <details className="mt-1 text-xs">
            <summary className="cursor-pointer text-fg-muted hover:text-fg">The activity as a table ({busy.length} interval{busy.length === 1 ? '' : 's'} with events)</summary>
            <div className="max-h-64 overflow-auto">
              <table className="mt-1 w-full max-w-lg text-left tabular-nums" data-testid="xds-activity-table">
                <caption className="sr-only">xDS activity per {data.bucketMs / 60_000}-minute interval, UTC</caption>
                <thead>
                  <tr className="text-fg-subtle">
                    <th scope="col" className="py-0.5 pr-3 font-medium">
                      From (UTC)
                    </th>
                    <th scope="col" className="py-0.5 pr-3 font-medium">
                      Pushes
                    </th>
                    <th scope="col" className="py-0.5 pr-3 font-medium">
                      ACKs
                    </th>
                    <th scope="col" className="py-0.5 pr-3 font-medium">
                      NACKs
                    </th>
                    <th scope="col" className="py-0.5 font-medium">
                      Connected
                    </th>
                  </tr>
                </thead>
                <tbody className="font-mono">
                  {busy.map((b) => (
                    <tr key={b.at}>
                      <td className="py-0.5 pr-3">{clock(b.at, data.range)}</td>
                      <td className="py-0.5 pr-3">{b.pushes}</td>
                      <td className="py-0.5 pr-3">{b.acks}</td>
                      <td className="py-0.5 pr-3">{b.nacks}</td>
                      <td className="py-0.5">{b.connected}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </figure>
      )}
    </Panel>
  )
}
