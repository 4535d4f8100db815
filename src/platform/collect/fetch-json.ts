// Fetching a feed document: timeouts, retries with backoff on the faults that pass (5xx, 429 with
// Retry-After, timeouts, resets, truncated or non-JSON bodies), and a clear account of what failed.
import { backoffDelay, DEFAULT_BACKOFF, parseRetryAfter, type BackoffOptions } from './backoff.ts';

export type FetchFault = 'http-5xx' | 'http-429' | 'http-4xx' | 'timeout' | 'network' | 'bad-json';

export class FetchFailed extends Error {
  constructor(readonly url: string, readonly fault: FetchFault, readonly attempts: number, detail: string) {
    super(`${url}: ${fault} after ${attempts} attempt(s): ${detail}`);
    this.name = 'FetchFailed';
  }
}

export interface FetchedDocument {
  url: string;
  body: string;
  json: unknown;
  fetchedAt: Date;
  attempts: number;
}

export interface FetchDeps {
  fetch: typeof globalThis.fetch;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  now: () => number;
  log: (event: string, fields: Record<string, unknown>) => void;
}

export interface FetchOptions {
  timeoutMs: number;
  retries: number;
  backoff: BackoffOptions;
  headers?: Record<string, string>;
}

export const DEFAULT_FETCH: FetchOptions = { timeoutMs: 15_000, retries: 4, backoff: DEFAULT_BACKOFF };

const RETRYABLE: ReadonlySet<FetchFault> = new Set(['http-5xx', 'http-429', 'timeout', 'network', 'bad-json']);

/**
 * Fetch and parse one JSON document. `onBody` sees every body that arrived (good or not) before it is
 * parsed: the archive hook, so that nothing fetched is lost, bad payloads included.
 */
export async function fetchJson(
  url: string,
  deps: FetchDeps,
  opts: FetchOptions = DEFAULT_FETCH,
  onBody?: (body: string, fetchedAt: Date) => Promise<void>,
): Promise<FetchedDocument> {
  let last: { fault: FetchFault; detail: string } = { fault: 'network', detail: 'not attempted' };
  for (let attempt = 0; attempt <= opts.retries; attempt++) {
    let waitMs: number | undefined;
    try {
      const res = await deps.fetch(url, { signal: AbortSignal.timeout(opts.timeoutMs), headers: { accept: 'application/json', ...opts.headers } });
      const fetchedAt = new Date(deps.now());
      if (res.status === 429) {
        waitMs = parseRetryAfter(res.headers.get('retry-after'), deps.now());
        last = { fault: 'http-429', detail: `429 Too Many Requests${waitMs !== undefined ? `, retry after ${waitMs} ms` : ''}` };
        await res.body?.cancel();
      } else if (res.status >= 500) {
        last = { fault: 'http-5xx', detail: `HTTP ${res.status}` };
        await res.body?.cancel();
      } else if (res.status >= 400) {
        await res.body?.cancel();
        throw new FetchFailed(url, 'http-4xx', attempt + 1, `HTTP ${res.status}`);
      } else {
        const body = await res.text();
        if (onBody) await onBody(body, fetchedAt);
        try {
          return { url, body, json: JSON.parse(body), fetchedAt, attempts: attempt + 1 };
        } catch (err) {
          last = { fault: 'bad-json', detail: `${(err as Error).message} (${body.length} bytes)` };
        }
      }
    } catch (err) {
      if (err instanceof FetchFailed) throw err;
      last = classify(err);
    }
    if (!RETRYABLE.has(last.fault) || attempt === opts.retries) break;
    const delay = Math.max(waitMs ?? 0, backoffDelay(attempt, deps.random, opts.backoff));
    deps.log('fetch-retry', { url, fault: last.fault, detail: last.detail, attempt: attempt + 1, delay_ms: delay });
    await deps.sleep(delay);
  }
  throw new FetchFailed(url, last.fault, opts.retries + 1, last.detail);
}

function classify(err: unknown): { fault: FetchFault; detail: string } {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return { fault: 'timeout', detail: 'request timed out' };
  const detail = e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(err);
  // A body cut short surfaces as a network error while reading (e.g. UND_ERR_SOCKET, "terminated").
  return { fault: 'network', detail };
}

export function realFetchDeps(log: FetchDeps['log']): FetchDeps {
  return {
    fetch: globalThis.fetch,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    random: Math.random,
    now: Date.now,
    log,
  };
}
