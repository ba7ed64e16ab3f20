'use client'

import 'uplot/dist/uPlot.min.css'
import { useEffect, useRef, useSyncExternalStore, type HTMLAttributes } from 'react'
import uPlot from 'uplot'
import { subscribeTheme } from '../shell/theme'
import { cn } from '../ui/cn'

/** Series colours per theme: each at 3:1 or more against the surface it is drawn on (WCAG 1.4.11). */
const PALETTE = {
  light: { good: '#047857', bad: '#dc2626', info: '#4f46e5', warn: '#b45309', neutral: '#52525b' },
  dark: { good: '#34d399', bad: '#f87171', info: '#818cf8', warn: '#fbbf24', neutral: '#a1a1aa' },
} as const
export type ChartColors = Readonly<Record<keyof (typeof PALETTE)['light'] | 'axis' | 'grid', string>>

function isDark(): boolean {
  return document.documentElement.classList.contains('dark')
}

/** The theme's chart colours, read again when the theme changes (the chart is then redrawn). */
export function useChartColors(): ChartColors {
  const dark = useSyncExternalStore(subscribeTheme, isDark, () => false)
  return dark ? { ...PALETTE.dark, axis: '#a1a1aa', grid: '#27272a' } : { ...PALETTE.light, axis: '#52525b', grid: '#e4e4e7' }
}

/** Axes drawn in the theme's muted text colour on its grid colour. */
export function themedAxis(colors: ChartColors, axis: uPlot.Axis = {}): uPlot.Axis {
  return { stroke: colors.axis, grid: { stroke: colors.grid, width: 1 }, ticks: { stroke: colors.grid, width: 1 }, ...axis }
}

/** Time ticks (seconds) in UTC, as the console writes times: HH:MM, with seconds (and milliseconds) when ticks are that close. */
export function utcTickValues(_u: uPlot, ticks: number[], _axis: number, _space: number, step: number): string[] {
  const [from, to] = step < 1 ? [11, 23] : step < 60 ? [11, 19] : [11, 16]
  return ticks.map((t) => new Date(t * 1000).toISOString().slice(from, to))
}

type Props = Readonly<{
  /** Options without width and height (the chart takes its container's width). */
  options: Omit<uPlot.Options, 'width' | 'height'>
  data: uPlot.AlignedData
  height: number
  /** What the picture shows, in words: the canvas is an image with this name. */
  label: string
}> &
  Omit<HTMLAttributes<HTMLDivElement>, 'children'>

/**
 * uPlot (canvas; fast with thousands of points) in a React component: built once the container has a
 * width, resized with it, rebuilt when the options change, given new data otherwise.
 */
export function UPlotChart({ options, data, height, label, className, ...rest }: Props) {
  const box = useRef<HTMLDivElement>(null)
  const chart = useRef<uPlot | null>(null)
  const latestData = useRef(data)

  useEffect(() => {
    latestData.current = data
    chart.current?.setData(data)
  }, [data])

  useEffect(() => {
    const el = box.current
    if (!el) return
    const plot = new uPlot({ ...options, width: Math.max(el.clientWidth, 200), height }, latestData.current, el)
    chart.current = plot
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(el.clientWidth, 200), height }))
    resize.observe(el)
    return () => {
      resize.disconnect()
      plot.destroy()
      chart.current = null
    }
  }, [options, height])

  return <div ref={box} role="img" aria-label={label} className={cn('w-full overflow-hidden', className)} style={{ minHeight: height }} {...rest} />
}

/** A legend entry: the series' colour and shape next to its name (colour is never the only cue: the rows are labelled too). */
export function LegendItem({ color, shape, children }: { color: string; shape: 'line' | 'dot'; children: React.ReactNode }) {
  return (
    <span className="inline-flex items-center gap-1.5">
      {shape === 'line' ? <span aria-hidden className="inline-block h-0.5 w-4 rounded" style={{ background: color }} /> : <span aria-hidden className="inline-block size-2 rounded-full" style={{ background: color }} />}
      {children}
    </span>
  )
}
