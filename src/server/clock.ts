// The service's clock: the real one in production, a virtual one in tests (a feed replay's
// timeline, a day run at 60x). Everything in src/server that asks the time or waits goes through it.
import { abortableSleep } from '../platform/collect/poller.ts';

export interface Clock {
  now(): number;
  /** Resolves after ms of this clock's time, or early when the signal aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export const realClock: Clock = { now: () => Date.now(), sleep: abortableSleep };

/**
 * A clock whose time runs `speed` times faster than the machine's from `startMs` (tests, the 60x
 * day replay): sleeps last ms / speed real milliseconds.
 */
export function fastClock(startMs: number, speed: number, real: () => number = Date.now): Clock {
  const t0 = real();
  return {
    now: () => startMs + (real() - t0) * speed,
    sleep: (ms, signal) => abortableSleep(ms / speed, signal),
  };
}
