import { Waypoints } from 'lucide-react'
import Link from 'next/link'

export function Brand() {
  return (
    // Named by its own text (WCAG 2.5.3, label in name): "Legation", then where it leads, for screen readers.
    <Link href="/" className="flex items-center gap-2.5 rounded-md">
      <span className="grid size-7 place-items-center rounded-md bg-accent text-accent-fg">
        <Waypoints aria-hidden className="size-4" />
      </span>
      <span className="sr-only sm:hidden">Legation</span>
      <span className="hidden leading-tight sm:block">
        <span className="block text-sm font-semibold tracking-tight">Legation</span>
        <span className="block text-[11px] text-fg-subtle">Envoy xDS control plane</span>
      </span>
      <span className="sr-only">, overview</span>
    </Link>
  )
}
