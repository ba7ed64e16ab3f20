import { cn } from '../ui/cn'
import { patchLines, type PatchLine } from './patch-lines'

const LINE_STYLE: Record<PatchLine['kind'], string> = {
  add: 'bg-emerald-500/10 text-emerald-800 dark:bg-emerald-400/10 dark:text-emerald-300',
  remove: 'bg-red-500/10 text-red-800 dark:bg-red-400/10 dark:text-red-300',
  hunk: 'text-indigo-600 dark:text-indigo-300',
  note: 'text-fg-subtle italic',
  context: 'text-fg-muted',
}

/** A unified diff of two resources as YAML, with added and removed lines coloured. */
export function PatchView({ patch }: { patch: string }) {
  const lines = patchLines(patch)
  return (
    <pre className="overflow-x-auto bg-surface-muted/50 py-1.5 font-mono text-xs leading-5" data-testid="patch">
      {lines.map((line, i) => (
        <span key={i} className={cn('block px-3 whitespace-pre', LINE_STYLE[line.kind])}>
          {line.text || ' '}
        </span>
      ))}
    </pre>
  )
}
