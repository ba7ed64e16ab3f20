'use client'

import { useQuery } from '@tanstack/react-query'
import { versionQueries } from './queries'
import { stallCheckDelayMs } from './rollout-progress'

/**
 * GET …/versions/{n}/rollout, kept live. The tab's event feed refetches it with the version list
 * (proxy.changed and version.created of the fleet, batched; once more after the rollout rows written
 * behind a proxy.changed are in, components/live), and a converging rollout is read again when it
 * would turn stalled, which no event announces.
 */
export function useVersionRollout(fleet: string, version: number) {
  return useQuery({ ...versionQueries.rollout(fleet, version), refetchInterval: (q) => stallCheckDelayMs(q.state.data, Date.now()) })
}
