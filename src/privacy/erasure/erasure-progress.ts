import type { SubjectScope } from '../subject-data';

/**
 * What an erasure job records as it goes (ErasureJob.progress). `scope` is frozen at the start,
 * so a resumed job still finds the data even after the rows that led to it were deleted; it
 * holds identifiers (and the e-mail's blind index), so it is removed when the job completes.
 */
export interface ErasureProgress {
  scope?: SubjectScope;
  /** store name → records erased, for each finished store */
  done: Record<string, number>;
  licencesEnded?: string[];
}

export function readProgress(json: unknown): ErasureProgress {
  const value = (json ?? {}) as Partial<ErasureProgress>;
  return { scope: value.scope, done: value.done ?? {}, licencesEnded: value.licencesEnded };
}
