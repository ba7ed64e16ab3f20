import { Boxes } from 'lucide-react'
import { Code } from '../ui/code'
import { EmptyState } from '../ui/empty-state'

export function FleetsEmpty() {
  return (
    <EmptyState icon={Boxes} title="No fleets yet" data-testid="fleets-empty">
      <p>A fleet is a group of Envoy proxies that share one configuration. Create one with New fleet above (admin), or through the API:</p>
      <pre className="mt-2 overflow-x-auto rounded-md bg-surface-muted px-3 py-2 text-left font-mono text-xs text-fg">
        {`POST /api/v1/fleets\n{"name": "edge", "description": "Public ingress"}`}
      </pre>
      <p className="mt-2">
        and point Envoy at it with <Code>node.cluster: edge</Code>.
      </p>
    </EmptyState>
  )
}
