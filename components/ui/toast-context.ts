'use client'

import { createContext, useContext } from 'react'

export type ToastTone = 'success' | 'error'
export type ToastInput = Readonly<{ tone: ToastTone; title: string; description?: string }>
export type Toast = ToastInput & Readonly<{ id: number }>

export const ToastContext = createContext<((toast: ToastInput) => void) | null>(null)

export function useToast(): (toast: ToastInput) => void {
  const show = useContext(ToastContext)
  if (!show) throw new Error('useToast() needs a <Toaster> above it')
  return show
}
