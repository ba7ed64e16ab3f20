'use client'

import { XdsActivityChart } from '../charts/xds-activity-chart'
import { useCurrentFleet } from '../shell/use-current-fleet'
import { FleetsOverview } from './fleets-overview'
import { RecentActivity } from './recent-activity'
import { RecentVersions } from './recent-versions'

/** The console's home: every fleet's state, then the current fleet's latest versions and what happened lately. */
export function OverviewView() {
  const fleet = useCurrentFleet()
  return (
    <div className="space-y-5">
      <FleetsOverview current={fleet} />
      {fleet ? <XdsActivityChart fleet={fleet} /> : null}
      <div className="grid items-start gap-5 lg:grid-cols-2">
        {fleet ? <RecentVersions fleet={fleet} /> : <div className="hidden lg:block" />}
        <RecentActivity fleet={null} />
      </div>
    </div>
  )
}
