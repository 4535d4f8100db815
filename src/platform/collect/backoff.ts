// Retry timing: exponential backoff with full jitter, and the HTTP Retry-After header.
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1000, maxMs: 5 * 60_000 };

/**
 * Delay before retry number `attempt` (0 = first retry): uniform in [d/2, d] with d = base * 2^attempt
 * capped at max. Half of the delay is kept fixed so that many pollers failing together still spread out
 * without any of them retrying almost at once.
 */
export function backoffDelay(attempt: number, random: () => number, opts: BackoffOptions = DEFAULT_BACKOFF): number {
  const d = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.max(0, attempt));
  return Math.round(d / 2 + random() * (d / 2));
}

/** Retry-After is either delta-seconds or an HTTP date; returns milliseconds to wait, or undefined. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}
