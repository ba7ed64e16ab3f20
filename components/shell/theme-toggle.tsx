'use client'

import { Monitor, Moon, Sun } from 'lucide-react'
import { useSyncExternalStore } from 'react'
import { DropdownMenu, DropdownMenuContent, DropdownMenuLabel, DropdownMenuRadioGroup, DropdownMenuRadioItem, DropdownMenuTrigger } from '../ui/dropdown-menu'
import { parseThemeChoice, readThemeChoice, subscribeTheme, writeThemeChoice, type ThemeChoice } from './theme'

const CHOICES: ReadonlyArray<{ value: ThemeChoice; label: string; icon: typeof Sun }> = [
  { value: 'light', label: 'Light', icon: Sun },
  { value: 'dark', label: 'Dark', icon: Moon },
  { value: 'system', label: 'System', icon: Monitor },
]

const serverChoice = (): ThemeChoice => 'system'

export function ThemeToggle() {
  const choice = useSyncExternalStore(subscribeTheme, readThemeChoice, serverChoice)
  const current = CHOICES.find((c) => c.value === choice) ?? CHOICES[2]!
  const Icon = current.icon
  return (
    <DropdownMenu>
      <DropdownMenuTrigger
        data-testid="theme-toggle"
        data-theme={choice}
        aria-label={`Theme: ${current.label}`}
        title="Colour theme"
        className="inline-flex h-7 items-center gap-1.5 rounded-md px-2 text-xs font-medium text-fg-muted hover:bg-surface-muted hover:text-fg focus-visible:outline-2 focus-visible:outline-accent"
      >
        <Icon aria-hidden className="size-3.5" />
        <span>{current.label}</span>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="start" side="top" className="min-w-36">
        <DropdownMenuLabel>Theme</DropdownMenuLabel>
        <DropdownMenuRadioGroup value={choice} onValueChange={(v) => writeThemeChoice(parseThemeChoice(v))}>
          {CHOICES.map(({ value, label, icon: ItemIcon }) => (
            <DropdownMenuRadioItem key={value} value={value} data-testid={`theme-${value}`}>
              <ItemIcon aria-hidden className="size-3.5 text-fg-subtle" />
              {label}
            </DropdownMenuRadioItem>
          ))}
        </DropdownMenuRadioGroup>
      </DropdownMenuContent>
    </DropdownMenu>
  )
}
