/** Whether a form can show a resource faithfully; if not, the console opens the YAML editor and says why. */
export type FormFit = Readonly<{ fits: true }> | Readonly<{ fits: false; reason: string }>

export const FITS: FormFit = { fits: true }

export function doesNotFit(reason: string): FormFit {
  return { fits: false, reason }
}

/** The first misfit of several checks, or FITS. */
export function firstMisfit(...checks: FormFit[]): FormFit {
  return checks.find((c) => !c.fits) ?? FITS
}
