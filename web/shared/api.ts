/**
 * The screens' one API client, typed from the service's OpenAPI document (api-types.ts, generated
 * by `npm run web:types`). Same origin; the session token is held in memory by the caller and
 * sent as a bearer token, never stored in the browser.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './api-types';

export type ApiClient = ReturnType<typeof createClient<paths>>;

export interface Problem {
  type?: string; title?: string; status: number; detail?: string; code: string; requestId?: string;
  errors?: { pointer: string; detail: string }[];
  [extra: string]: unknown;
}

export function createApiClient(token: () => string | null, onUnauthenticated?: () => void): ApiClient {
  const client = createClient<paths>({ baseUrl: window.location.origin });
  const auth: Middleware = {
    onRequest({ request }) {
      const current = token();
      if (current) request.headers.set('Authorization', `Bearer ${current}`);
      return request;
    },
    onResponse({ response }) {
      if (response.status === 401 && token()) onUnauthenticated?.();
      return response;
    },
  };
  client.use(auth);
  return client;
}

/** Whatever came back as an error, as a problem: a network failure is a problem too. */
export function asProblem(error: unknown, status = 0): Problem {
  if (error && typeof error === 'object' && 'code' in error) return error as Problem;
  return { status, code: status === 0 ? 'NETWORK' : 'UNKNOWN' };
}

/** Field errors by the last segment of their JSON pointer ("/email" → "email"). */
export function fieldErrors(problem: Problem | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of problem?.errors ?? []) {
    const field = e.pointer.split('/').filter(Boolean)[0];
    if (field && !out[field]) out[field] = e.detail;
  }
  return out;
}
