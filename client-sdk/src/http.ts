/** The fetch the SDK uses; injectable so tests (and Electron's net.fetch) can stand in. */
export type FetchFunction = (input: string, init?: RequestInit) => Promise<Response>;

export interface JsonResponse {
  status: number;
  headers: Pick<Headers, 'get'>;
  /** Parsed JSON body, or undefined when there is none or it is not JSON. */
  body: unknown;
}

/**
 * One HTTP exchange that cannot outlive `timeoutMs`: the abort covers connecting, waiting and
 * reading the body, so a server that stalls mid-body cannot hang the app's start-up.
 * Network failures and timeouts reject; any HTTP status resolves.
 */
export async function exchangeJson(fetchFn: FetchFunction, url: string, init: RequestInit, timeoutMs: number): Promise<JsonResponse> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`no answer from ${url} within ${timeoutMs} ms`)), Math.max(0, timeoutMs));
  try {
    const response = await fetchFn(url, { ...init, signal: controller.signal });
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    return { status: response.status, headers: response.headers, body };
  } finally {
    clearTimeout(timer);
  }
}

export function joinUrl(serverUrl: string, path: string): string {
  return `${serverUrl.replace(/\/+$/, '')}${path}`;
}
