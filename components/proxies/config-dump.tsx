'use client'

import { Collapsible } from 'radix-ui'
import { Check, ChevronRight, Copy } from 'lucide-react'
import { useMemo, useState } from 'react'
import { stringify } from 'yaml'
import { Badge } from '../ui/badge'
import { shortVersionInfo } from './format'
import { shortTypeName, STATUS_TYPES } from './type-status'
import type { ConfigDumpEntry } from './types'

/** One YAML document per resource, the way `kubectl get -o yaml` lists several objects. */
export function configDumpYaml(entry: Pick<ConfigDumpEntry, 'type' | 'resources'>): string {
  return entry.resources.map((r) => `# ${entry.type} ${r.name}\n${stringify(r.resource, { lineWidth: 0 })}`).join('---\n')
}

function CopyButton({ text }: { text: string }) {
  const [copied, setCopied] = useState(false)
  return (
    <button
      type="button"
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(() => {
          setCopied(true)
          setTimeout(() => setCopied(false), 1500)
        })
      }}
      className="inline-flex h-6 items-center gap-1 rounded px-1.5 text-[11px] text-fg-muted hover:bg-surface hover:text-fg focus-visible:outline-2 focus-visible:outline-accent"
    >
      {copied ? <Check aria-hidden className="size-3" /> : <Copy aria-hidden className="size-3" />}
      {copied ? 'Copied' : 'Copy YAML'}
    </button>
  )
}

function DumpSection({ entry, defaultOpen }: { entry: ConfigDumpEntry; defaultOpen: boolean }) {
  const [open, setOpen] = useState(defaultOpen)
  const yaml = useMemo(() => (open ? configDumpYaml(entry) : ''), [open, entry])
  const short = shortTypeName(entry.typeUrl)
  const count = entry.resources.length
  return (
    <Collapsible.Root open={open} onOpenChange={setOpen} data-testid="config-dump-section" data-type={short} className="border-b border-line last:border-b-0">
      <div className="flex items-center gap-2 pr-3">
        <Collapsible.Trigger className="flex min-w-0 flex-1 items-center gap-2 px-4 py-2 text-left text-sm hover:bg-surface-muted/60 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-accent">
          <ChevronRight aria-hidden className={`size-4 shrink-0 text-fg-subtle transition-transform ${open ? 'rotate-90' : ''}`} />
          <span className="w-9 shrink-0 font-semibold">{short}</span>
          <span className="truncate text-fg-muted">
            {entry.type} · {count} resource{count === 1 ? '' : 's'} · from <span className="font-mono text-fg">v{entry.fromVersion}</span> · version_info{' '}
            <span className="font-mono" title={entry.versionInfo}>
              {shortVersionInfo(entry.versionInfo, 16)}
            </span>
          </span>
          {entry.approximate ? (
            <Badge tone="warning" className="ml-1" title="The status keeps only the first names sent; this shows every resource of the type in that version">
              approximate
            </Badge>
          ) : null}
        </Collapsible.Trigger>
        {open && count > 0 ? <CopyButton text={yaml} /> : null}
      </div>
      <Collapsible.Content>
        {count === 0 ? (
          <p className="px-4 pb-3 pl-12 text-sm text-fg-subtle">The last response of this type carried no resources.</p>
        ) : (
          <pre data-testid="config-dump-yaml" tabIndex={0} aria-label="Resources as YAML" className="mx-4 mb-3 max-h-[28rem] overflow-auto rounded-md border border-line bg-surface-muted px-3 py-2 font-mono text-xs leading-relaxed text-fg">
            {yaml}
          </pre>
        )}
      </Collapsible.Content>
    </Collapsible.Root>
  )
}

/** The exact resources last sent to the proxy, per type, as YAML (read from the immutable version they came from). */
export function ConfigDump({ entries }: { entries: readonly ConfigDumpEntry[] }) {
  const order = (url: string): number => {
    const i = STATUS_TYPES.findIndex((t) => t.typeUrl === url)
    return i === -1 ? STATUS_TYPES.length : i
  }
  const sorted = [...entries].sort((a, b) => order(a.typeUrl) - order(b.typeUrl))
  const total = sorted.reduce((n, e) => n + e.resources.length, 0)
  if (sorted.length === 0) return <p className="px-4 py-6 text-sm text-fg-subtle">Nothing has been sent to this proxy yet.</p>
  return (
    <div data-testid="config-dump">
      {sorted.map((entry) => (
        <DumpSection key={entry.typeUrl} entry={entry} defaultOpen={total <= 12} />
      ))}
    </div>
  )
}
