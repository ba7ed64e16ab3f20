'use client'

import { useQuery } from '@tanstack/react-query'
import { useMemo } from 'react'
import uPlot from 'uplot'
import { proxyQueries } from '../proxies/queries'
import { useNow } from '../ui/use-now'
import { LANE_ROWS, laneSeries, type LaneSeries } from './series'
import { LegendItem, themedAxis, UPlotChart, useChartColors, utcTickValues, type ChartColors } from './uplot-chart'

const HEIGHT = 150
const utc = (ts: number) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC')

function laneOptions(colors: ChartColors): Omit<uPlot.Options, 'width' | 'height'> {
  const dots = (color: string, size = 7) => ({ stroke: color, width: 0, paths: () => null, points: { show: true, size, fill: color, stroke: color } })
  return {
    legend: { show: false },
    cursor: { drag: { x: true, y: false } },
    tzDate: utc,
    scales: { x: { time: true }, y: { range: [0.4, LANE_ROWS.length + 0.6] } },
    axes: [themedAxis(colors, { values: utcTickValues }), themedAxis(colors, { size: 58, splits: () => LANE_ROWS.map((_, i) => i + 1), values: (_u, ticks) => ticks.map((t) => LANE_ROWS[t - 1] ?? '') })],
    series: [
      {},
      { label: 'stream open', stroke: colors.neutral, width: 3, spanGaps: false, points: { show: false } },
      { label: 'connect / close', ...dots(colors.neutral, 9) },
      { label: 'push', ...dots(colors.info) },
      { label: 'ACK', ...dots(colors.good) },
      { label: 'NACK', ...dots(colors.bad, 9) },
    ],
  }
}

export function laneSummary(s: LaneSeries): string {
  const c = s.counts
  return `${c.connects} connect${c.connects === 1 ? '' : 's'}, ${c.pushes} push${c.pushes === 1 ? '' : 'es'}, ${c.acks} ACK${c.acks === 1 ? '' : 's'}, ${c.nacks} NACK${c.nacks === 1 ? '' : 's'}, ${c.disconnects} disconnect${c.disconnects === 1 ? '' : 's'}`
}

/**
 * A proxy's stream timeline as a lane: streams as a line while open, each response pushed, ACK and
 * NACK a point on its own labelled row, over the events the table below lists.
 */
export function ProxyLane({ nodeId }: { nodeId: string }) {
  const { data: events } = useQuery(proxyQueries.events(nodeId))
  const colors = useChartColors()
  // Redrawn each minute while a stream is open: its line reaches now.
  const now = useNow(60_000)
  const options = useMemo(() => laneOptions(colors), [colors])
  const lane = useMemo(() => laneSeries(events ?? [], now), [events, now])
  const data = useMemo((): uPlot.AlignedData => [lane.x, lane.stream, lane.marks, lane.pushes, lane.acks, lane.nacks], [lane])
  if (!events || events.length === 0) return null
  const summary = laneSummary(lane)
  const c = lane.counts
  return (
    <figure className="border-b border-line px-3 py-2" data-testid="proxy-lane" data-connects={c.connects} data-pushes={c.pushes} data-acks={c.acks} data-nacks={c.nacks} data-disconnects={c.disconnects}>
      <figcaption className="flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-fg-muted">
        <span data-testid="proxy-lane-summary">
          Timeline of the last {events.length} event{events.length === 1 ? '' : 's'} (UTC): {summary}.
        </span>
        <LegendItem color={colors.neutral} shape="line">
          stream open
        </LegendItem>
        <LegendItem color={colors.info} shape="dot">
          push
        </LegendItem>
        <LegendItem color={colors.good} shape="dot">
          ACK
        </LegendItem>
        <LegendItem color={colors.bad} shape="dot">
          NACK
        </LegendItem>
      </figcaption>
      <UPlotChart options={options} data={data} height={HEIGHT} label={`Stream timeline of ${nodeId}: ${summary}. The table below lists each event.`} className="mt-1" />
    </figure>
  )
}
