import type { Metadata } from 'next'
import { redirect } from 'next/navigation'
import { connection } from 'next/server'
import { Suspense } from 'react'
import { CredentialsForm } from '@/components/auth/credentials-form'
import { getRuntime } from '@/server/runtime'

export const metadata: Metadata = { title: 'Set up' }

export default async function SetupPage() {
  await connection()
  if (!(await getRuntime().services.auth.setupRequired())) redirect('/login')
  return (
    <Suspense>
      <CredentialsForm mode="setup" />
    </Suspense>
  )
}
