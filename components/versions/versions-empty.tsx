import { GitCommitHorizontal } from 'lucide-react'
import { Code } from '../ui/code'
import { EmptyState } from '../ui/empty-state'

export function VersionsEmpty({ fleet }: { fleet: string }) {
  return (
    <EmptyState icon={GitCommitHorizontal} title="Nothing committed yet" data-testid="versions-empty">
      <p>
        Add resources to the draft with <Code>{`PUT /api/v1/fleets/${fleet}/draft/{type}/{name}`}</Code>, then commit them with{' '}
        <Code>{`POST /api/v1/fleets/${fleet}/commit`}</Code> and a <Code>message</Code>. Each commit becomes a version here.
      </p>
    </EmptyState>
  )
}
