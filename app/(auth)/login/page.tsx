import type { Metadata } from 'next'
import { redirect } from 'next/navigation'
import { connection } from 'next/server'
import { Suspense } from 'react'
import { CredentialsForm } from '@/components/auth/credentials-form'
import { getRuntime } from '@/server/runtime'

export const metadata: Metadata = { title: 'Sign in' }

export default async function LoginPage() {
  await connection()
  if (await getRuntime().services.auth.setupRequired()) redirect('/setup')
  return (
    <Suspense>
      <CredentialsForm mode="sign-in" />
    </Suspense>
  )
}
