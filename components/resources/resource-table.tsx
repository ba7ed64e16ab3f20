'use client'

import { flexRender, getCoreRowModel, getFilteredRowModel, getSortedRowModel, useReactTable, type ColumnDef, type SortingState } from '@tanstack/react-table'
import { ArrowDown, ArrowUp, ArrowUpDown } from 'lucide-react'
import { useState } from 'react'
import type { DraftResourceView } from '@/server/contract'
import { cn } from '../ui/cn'
import { Table, TableBody, TableHead, Td, Th } from '../ui/table'

export type ResourceRow<S> = Readonly<{
  view: DraftResourceView
  summary: S
  /** Everything the row shows, lower-cased: what the filter box searches. */
  search: string
  /** This browser has edits of it that are not saved. */
  unsaved: boolean
}>

/** A sortable table of one kind's resources; `filter` narrows it to rows whose text contains every word. */
export function ResourceTable<S>({ rows, columns, filter, empty }: { rows: ReadonlyArray<ResourceRow<S>>; columns: ReadonlyArray<ColumnDef<ResourceRow<S>, unknown>>; filter: string; empty: React.ReactNode }) {
  const [sorting, setSorting] = useState<SortingState>([{ id: 'name', desc: false }])
  // TanStack Table keeps its state in a mutable instance; the React Compiler must not memoize around it.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({
    data: rows as Array<ResourceRow<S>>,
    columns: columns as Array<ColumnDef<ResourceRow<S>, unknown>>,
    state: { sorting, globalFilter: filter },
    onSortingChange: setSorting,
    globalFilterFn: (row, _columnId, value: string) => value.toLowerCase().split(/\s+/).filter(Boolean).every((word) => row.original.search.includes(word)),
    getRowId: (row) => row.view.name,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
  })
  const visible = table.getRowModel().rows
  return (
    <Table data-testid="resource-table">
      <TableHead>
        {table.getHeaderGroups().map((group) => (
          <tr key={group.id}>
            {group.headers.map((header) => {
              const sorted = header.column.getIsSorted()
              const canSort = header.column.getCanSort()
              const meta = header.column.columnDef.meta as { className?: string } | undefined
              return (
                <Th key={header.id} className={meta?.className} aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}>
                  {header.isPlaceholder ? null : canSort ? (
                    <button type="button" onClick={header.column.getToggleSortingHandler()} className="inline-flex items-center gap-1 rounded hover:text-fg focus-visible:outline-2 focus-visible:outline-accent">
                      {flexRender(header.column.columnDef.header, header.getContext())}
                      {sorted === 'asc' ? <ArrowUp aria-hidden className="size-3" /> : sorted === 'desc' ? <ArrowDown aria-hidden className="size-3" /> : <ArrowUpDown aria-hidden className="size-3 opacity-40" />}
                    </button>
                  ) : (
                    flexRender(header.column.columnDef.header, header.getContext())
                  )}
                </Th>
              )
            })}
          </tr>
        ))}
      </TableHead>
      <TableBody>
        {visible.length === 0 ? (
          <tr>
            <td colSpan={columns.length}>{empty}</td>
          </tr>
        ) : (
          visible.map((row) => (
            <tr key={row.id} data-testid="resource-row" data-name={row.original.view.name} className="align-top hover:bg-surface-muted/50">
              {row.getVisibleCells().map((cell) => {
                const meta = cell.column.columnDef.meta as { className?: string } | undefined
                return (
                  <Td key={cell.id} className={cn('align-top', meta?.className)}>
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </Td>
                )
              })}
            </tr>
          ))
        )}
      </TableBody>
    </Table>
  )
}
