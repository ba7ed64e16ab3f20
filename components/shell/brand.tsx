import { Waypoints } from 'lucide-react'
import Link from 'next/link'

export function Brand() {
  return (
    <Link href="/" aria-label="Legation: overview" className="flex items-center gap-2.5 rounded-md">
      <span className="grid size-7 place-items-center rounded-md bg-accent text-accent-fg">
        <Waypoints aria-hidden className="size-4" />
      </span>
      <span className="hidden leading-tight sm:block">
        <span className="block text-sm font-semibold tracking-tight">Legation</span>
        <span className="block text-[11px] text-fg-subtle">Envoy xDS control plane</span>
      </span>
    </Link>
  )
}
