'use client'

import { useQueryClient } from '@tanstack/react-query'
import { useMemo } from 'react'
import { RESOURCE_TYPE_INFO, type ResourceType } from '@/server/contract'
import type { EditorSchema } from './code-editor'
import { schemaQueries } from './envoy-schema'

/** The Envoy schema of a resource type for the code editor, its messages fetched through React Query (kept for the session). */
export function useEditorSchema(type: ResourceType): EditorSchema {
  const queryClient = useQueryClient()
  return useMemo(() => ({ rootMessage: RESOURCE_TYPE_INFO[type].messageName, load: (message, categories) => queryClient.fetchQuery(schemaQueries.message(message, categories)) }), [queryClient, type])
}
