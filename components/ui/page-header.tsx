import type { ReactNode } from 'react'

export function PageHeader({ title, description }: { title: string; description?: ReactNode }) {
  return (
    <div className="mb-5">
      <h1 className="text-lg font-semibold tracking-tight">{title}</h1>
      {description ? <p className="mt-0.5 max-w-3xl text-sm text-fg-muted">{description}</p> : null}
    </div>
  )
}
