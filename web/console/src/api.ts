/**
 * The console's one client for the staff API, typed by the types generated from /openapi.json
 * (web/shared/api-types.ts): a path or parameter the API no longer has fails the type-check.
 * The session is the HttpOnly cookie (the page never sees a token); every request carries the
 * X-Requested-With header the API demands of cookie sessions on unsafe methods (CSRF).
 */
import createClient from 'openapi-fetch';
import type { paths } from '../../shared/api-types';

export const client = createClient<paths>({
  baseUrl: '',
  credentials: 'same-origin',
  headers: { 'X-Requested-With': 'nomina-console' },
});

export interface FieldError { pointer: string; detail: string }
export interface Problem { status: number; code?: string; detail?: string; title?: string; errors?: FieldError[] }

export class ApiError extends Error {
  constructor(readonly problem: Problem) { super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`); }
}

/** Listeners told when the session ended (401), so the shell shows the sign-in form again. */
const signedOut = new Set<() => void>();
export const onSignedOut = (fn: () => void) => { signedOut.add(fn); return () => { signedOut.delete(fn); }; };

/** Unwraps an openapi-fetch answer: the body as T, or an ApiError carrying the problem. */
export async function unwrap<T>(call: Promise<{ data?: unknown; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) {
    const problem = { status: response.status, ...(typeof error === 'object' && error ? error : {}) } as Problem;
    if (response.status === 401 && problem.code !== 'INVALID_CREDENTIALS') for (const fn of signedOut) fn();
    throw new ApiError(problem);
  }
  return data as T;
}

export const purposeHeader = (purpose: string | null | undefined): Record<string, string> => (purpose ? { 'X-Purpose': purpose } : {});
