import { Boxes, Plus } from 'lucide-react'
import { Button } from '../ui/button'
import { Code } from '../ui/code'

const STEPS: ReadonlyArray<{ title: string; text: React.ReactNode }> = [
  { title: 'Create a fleet', text: 'a group of proxies that share one configuration. A proxy joins the fleet its node.cluster names (or one whose selector matches it).' },
  { title: 'Give it resources', text: 'on its Resources page: import an existing envoy.yaml, or start from a template — an HTTP route to one upstream, or a gRPC proxyless service.' },
  { title: 'Commit', text: 'under Changes: the draft becomes a numbered, immutable version, served over xDS at once (and rolled back in one click).' },
  {
    title: 'Connect proxies',
    text: (
      <>
        Envoy with the fleet’s bootstrap (ADS to Legation), or a gRPC client dialing <Code>xds:///service</Code>; Proxies shows each one SYNCED on the version.
      </>
    ),
  },
]

/** The first start: no fleet yet. What a fleet is, the four steps to a served config, and the first of them. */
export function FleetsEmpty({ onCreate }: { onCreate?: (() => void) | undefined }) {
  return (
    <div className="px-6 py-8" data-testid="fleets-empty">
      <div className="mx-auto max-w-2xl text-center">
        <div className="mx-auto mb-3 w-fit rounded-full bg-surface-muted p-2.5 text-fg-subtle">
          <Boxes aria-hidden className="size-5" />
        </div>
        <p className="text-sm font-medium">No fleets yet</p>
        <p className="mt-1 text-sm text-fg-muted">Legation serves Envoy and gRPC clients their config over xDS. Four steps from here to a proxy running your config:</p>
      </div>
      <ol className="mx-auto mt-4 grid max-w-3xl gap-3 sm:grid-cols-2" data-testid="first-run-steps">
        {STEPS.map((s, i) => (
          <li key={s.title} className="flex gap-3 rounded-md border border-line p-3 text-sm">
            <span aria-hidden className="grid size-6 shrink-0 place-items-center rounded-full bg-accent-soft text-xs font-semibold text-accent">
              {i + 1}
            </span>
            <span>
              <span className="font-medium">{s.title}</span>
              <span className="block text-xs text-fg-muted">{s.text}</span>
            </span>
          </li>
        ))}
      </ol>
      <div className="mt-5 text-center text-sm text-fg-muted">
        {onCreate ? (
          <Button variant="primary" onClick={onCreate} data-testid="first-fleet">
            <Plus aria-hidden className="size-4" />
            Create the first fleet
          </Button>
        ) : (
          <>
            <p>An admin creates fleets here, or through the API:</p>
            <pre className="mx-auto mt-2 w-fit overflow-x-auto rounded-md bg-surface-muted px-3 py-2 text-left font-mono text-xs text-fg">{`POST /api/v1/fleets\n{"name": "edge", "description": "Public ingress"}`}</pre>
          </>
        )}
      </div>
    </div>
  )
}
