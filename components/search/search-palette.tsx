'use client'

import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { Command } from 'cmdk'
import { Boxes, FileCode2, History, LoaderCircle, Search, Server } from 'lucide-react'
import { useRouter } from 'next/navigation'
import { Dialog } from 'radix-ui'
import { useEffect, useState, useSyncExternalStore, type ReactNode } from 'react'
import type { SearchResult, SearchResultKind } from '@/server/contract'
import { KIND_INFO, kindOfType } from '../resources/kinds'
import { cn } from '../ui/cn'
import { useSettled } from '../ui/use-settled'
import { resultHref, resultKey, searchQueries } from './queries'

const GROUPS: ReadonlyArray<{ kind: SearchResultKind; heading: string; icon: typeof Boxes }> = [
  { kind: 'fleet', heading: 'Fleets', icon: Boxes },
  { kind: 'resource', heading: 'Resources', icon: FileCode2 },
  { kind: 'version', heading: 'Versions', icon: History },
  { kind: 'proxy', heading: 'Proxies', icon: Server },
]

const noop = () => () => {}
/** ⌘ on a Mac, Ctrl elsewhere; only known in the browser (the server renders Ctrl). */
function useIsMac(): boolean {
  return useSyncExternalStore(
    noop,
    () => /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent),
    () => false,
  )
}

function ResultText({ r }: { r: SearchResult }): ReactNode {
  const where = r.match.field === 'name' || r.match.field === 'nodeId' ? null : r.match
  switch (r.kind) {
    case 'fleet':
      return (
        <>
          <span className="font-mono text-sm">{r.fleet}</span>
          <span className="truncate text-xs text-fg-muted">{r.description || 'fleet'}</span>
        </>
      )
    case 'resource':
      return (
        <>
          <span className="truncate font-mono text-sm">{r.name}</span>
          <span className="truncate text-xs text-fg-muted">
            {KIND_INFO[kindOfType(r.type)].singular} in {r.fleet}
            {where ? (
              <>
                {' · '}
                <span className="font-mono">{where.field}</span>: <span className="font-mono text-fg">{where.text}</span>
              </>
            ) : null}
          </span>
        </>
      )
    case 'version':
      return (
        <>
          <span className="text-sm">
            <span className="font-mono">v{r.number}</span> <span className="text-fg-muted">of {r.fleet}</span>
          </span>
          <span className="truncate text-xs text-fg-muted">
            {r.message} · {r.author}
          </span>
        </>
      )
    case 'proxy':
      return (
        <>
          <span className="truncate font-mono text-sm">{r.nodeId}</span>
          <span className="truncate text-xs text-fg-muted">
            proxy {r.fleet ? `of ${r.fleet}` : 'of no fleet'} · {r.state}
          </span>
        </>
      )
  }
}

/**
 * Search everywhere (#15): ⌘K / Ctrl-K anywhere in the console, or the button in the header. One
 * keyboard-driven palette (cmdk in a Radix dialog): type, arrows move, Enter opens, Esc closes.
 * The server searches (GET /api/v1/search), over only what the caller may read.
 */
export function SearchPalette() {
  const router = useRouter()
  const isMac = useIsMac()
  const [open, setOpen] = useState(false)
  const [input, setInput] = useState('')
  const q = useSettled(input.trim(), 150)
  const search = useQuery({ ...searchQueries.results(q), enabled: open && q !== '', placeholderData: keepPreviousData, retry: false })
  const current = search.data && search.data.q.trim() === q ? search.data : undefined
  const results = q === '' ? [] : (search.data?.results ?? [])
  // In the order the groups show them. The selection is ours (cmdk selects the first item only as
  // the input changes, and results arrive later): it stays on its item while that is listed, else the first.
  const ordered = GROUPS.flatMap(({ kind }) => results.filter((r) => r.kind === kind))
  const [picked, setPicked] = useState('')
  const selected = ordered.some((r) => resultKey(r) === picked) ? picked : ordered[0] ? resultKey(ordered[0]) : ''

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.metaKey || e.ctrlKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'k') {
        e.preventDefault()
        setOpen((o) => !o)
      }
    }
    // Capture: an editor with focus (CodeMirror) does not get to eat the shortcut first.
    window.addEventListener('keydown', onKey, { capture: true })
    return () => window.removeEventListener('keydown', onKey, { capture: true })
  }, [])

  const go = (r: SearchResult) => {
    setOpen(false)
    setInput('')
    router.push(resultHref(r))
  }
  const shortcut = isMac ? '⌘K' : 'Ctrl K'

  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Trigger asChild>
        <button
          type="button"
          data-testid="search-button"
          aria-keyshortcuts="Meta+K Control+K"
          className="flex h-8 items-center gap-2 rounded-md border border-line-strong bg-surface px-2 text-sm text-fg-muted shadow-xs hover:bg-surface-muted hover:text-fg focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent md:w-full md:px-2.5"
        >
          <Search aria-hidden className="size-4 shrink-0" />
          <span className="sr-only md:not-sr-only md:flex-1 md:text-left">Search</span>
          <kbd className="hidden rounded border border-line px-1 font-sans text-[11px] text-fg-subtle md:inline">{shortcut}</kbd>
        </button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-zinc-950/50" />
        <Dialog.Content
          data-testid="search-palette"
          className="fixed top-[12vh] left-1/2 z-50 flex max-h-[76vh] w-[min(40rem,calc(100vw-1.5rem))] -translate-x-1/2 flex-col overflow-hidden rounded-lg border border-line bg-surface text-fg shadow-2xl"
        >
          <Dialog.Title className="sr-only">Search everywhere</Dialog.Title>
          <Dialog.Description className="sr-only">Fleets, resources by name or content (a domain, a path prefix, an IP), versions by message, proxies by node id. Arrow keys move, Enter opens, Escape closes.</Dialog.Description>
          <Command shouldFilter={false} loop label="Search everywhere" value={selected} onValueChange={setPicked} className="flex min-h-0 flex-col">
            <div className="flex items-center gap-2 border-b border-line px-3">
              <Search aria-hidden className="size-4 shrink-0 text-fg-subtle" />
              <Command.Input
                value={input}
                onValueChange={setInput}
                placeholder="Fleets, resources, domains, paths, IPs, versions, node ids…"
                data-testid="search-input"
                className="h-11 min-w-0 flex-1 bg-transparent text-sm outline-none placeholder:text-fg-subtle"
              />
              {search.isFetching ? <LoaderCircle aria-label="Searching" className="size-4 animate-spin text-fg-subtle" /> : null}
            </div>
            {q === '' ? (
              <p className="px-3 py-6 text-center text-sm text-fg-muted">Type a name, a domain, a path prefix, an IP, a version message or a node id.</p>
            ) : search.error ? (
              <p className="px-3 py-6 text-center text-sm text-red-700 dark:text-red-300">{search.error.message}</p>
            ) : current && results.length === 0 ? (
              <p role="status" className="px-3 py-6 text-center text-sm text-fg-muted" data-testid="search-empty">
                Nothing found for &ldquo;{q}&rdquo;.
              </p>
            ) : null}
            <Command.List className="min-h-0 overflow-y-auto p-1.5 [&_[cmdk-group-heading]]:px-2 [&_[cmdk-group-heading]]:pt-2 [&_[cmdk-group-heading]]:pb-1 [&_[cmdk-group-heading]]:text-[11px] [&_[cmdk-group-heading]]:font-semibold [&_[cmdk-group-heading]]:tracking-wide [&_[cmdk-group-heading]]:text-fg-subtle [&_[cmdk-group-heading]]:uppercase" data-testid="search-results">
              {GROUPS.map(({ kind, heading, icon: Icon }) => {
                const items = results.filter((r) => r.kind === kind)
                if (items.length === 0) return null
                return (
                  <Command.Group key={kind} heading={`${heading}${search.data?.more[kind] ? ' (more: type on)' : ''}`}>
                    {items.map((r) => (
                      <Command.Item
                        key={resultKey(r)}
                        value={resultKey(r)}
                        onSelect={() => go(r)}
                        data-testid="search-result"
                        data-kind={r.kind}
                        data-key={resultKey(r)}
                        className={cn('flex cursor-pointer items-center gap-3 rounded-md px-2 py-1.5', 'data-[selected=true]:bg-accent-soft data-[selected=true]:text-fg')}
                      >
                        <Icon aria-hidden className="size-4 shrink-0 text-fg-subtle" />
                        <span className="flex min-w-0 flex-col">
                          <ResultText r={r} />
                        </span>
                      </Command.Item>
                    ))}
                  </Command.Group>
                )
              })}
            </Command.List>
            <p className="border-t border-line px-3 py-1.5 text-[11px] text-fg-subtle">
              <kbd className="font-sans">↑</kbd> <kbd className="font-sans">↓</kbd> to move · <kbd className="font-sans">Enter</kbd> to open · <kbd className="font-sans">Esc</kbd> to close
            </p>
          </Command>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  )
}
