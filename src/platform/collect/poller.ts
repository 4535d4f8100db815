// The poll loop: take a snapshot, store it (each in its own transaction), record gaps, wait for the
// feed's ttl, again until stopped. A stop (SIGINT/SIGTERM) lets the current write finish.
import type { Store } from '../store/connection.ts';
import { StatusLog } from '../status/status-log.ts';
import { recomputeHourlyFlows } from '../flows/derive-sql.ts';
import { DEFAULT_FLOW_OPTIONS } from '../flows/options.ts';
import { FetchFailed } from './fetch-json.ts';
import { lastSnapshotTime, recordGap } from './gaps.ts';
import { gapBetween, pollIntervalMs, type ScheduleOptions, DEFAULT_SCHEDULE } from './schedule.ts';
import { PayloadRejected, type SnapshotSource } from './sources.ts';

export interface PollerDeps {
  store: Store;
  now: () => number;
  random: () => number;
  /** Resolves after ms, or early when the signal aborts. */
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  log: (event: string, fields: Record<string, unknown>) => void;
  status?: (line: string) => void;
}

export interface PollerOptions {
  once: boolean;
  schedule: ScheduleOptions;
  /** An interval between good snapshots longer than this many expected intervals is a gap. */
  gapFactor: number;
  signal: AbortSignal;
  /** Stop after this many polls (tests). */
  maxPolls?: number;
}

export interface PollerStats {
  polls: number;
  stored: number;
  duplicates: number;
  failures: number;
  rejectedPayloads: number;
  rejectedStations: number;
  gaps: number;
}

const HOUR_MS = 3_600_000;

export const DEFAULT_POLLER: Omit<PollerOptions, 'signal'> = { once: false, schedule: DEFAULT_SCHEDULE, gapFactor: 2 };

export async function runPoller(source: SnapshotSource, deps: PollerDeps, opts: PollerOptions): Promise<PollerStats> {
  const stats: PollerStats = { polls: 0, stored: 0, duplicates: 0, failures: 0, rejectedPayloads: 0, rejectedStations: 0, gaps: 0 };
  let lastGood = (await lastSnapshotTime(deps.store, source.system))?.getTime();
  let ttlS: number | undefined;
  const log = await StatusLog.open(deps.store, source.system);
  const expected = () => pollIntervalMs(ttlS, () => 0, opts.schedule);

  while (!opts.signal.aborted && !source.exhausted?.()) {
    const started = deps.now();
    stats.polls++;
    try {
      const got = await source.take();
      ttlS = got.ttlS;
      const t = got.snapshot.observedAt.getTime();
      const written = await log.write(got.snapshot);
      const rejected = Object.values(got.rejects).reduce((a, b) => a + b, 0);
      stats.rejectedStations += rejected;
      if (rejected > 0) deps.log('stations-rejected', { system: source.system, rules: got.rejects });
      if (written.stored) {
        stats.stored++;
        const gap = gapBetween(lastGood, t, expected(), opts.gapFactor);
        if (gap) {
          await recordGap(deps.store, source.system, new Date(gap.start), new Date(gap.end), 'no good snapshot');
          stats.gaps++;
          deps.log('gap', { system: source.system, from: new Date(gap.start).toISOString(), to: new Date(gap.end).toISOString() });
        }
        // A snapshot in a later hour completes the hours since the last one: derive their flows
        // (once an hour, not every poll: the derivation reads each station's state coming in).
        if (lastGood !== undefined && Math.floor(t / HOUR_MS) > Math.floor(lastGood / HOUR_MS)) {
          const from = lastGood / 1000;
          await deps.store.transaction((s) => recomputeHourlyFlows(s, source.system, from, DEFAULT_FLOW_OPTIONS.truckThreshold));
        }
        if (lastGood === undefined || t > lastGood) lastGood = t;
      } else {
        stats.duplicates++;
      }
      deps.status?.(`${source.system} ${new Date(t).toISOString()} ${got.snapshot.stations.length} stations, ${written.changedStations} changed${written.stored ? '' : ' (already stored)'} | stored ${stats.stored}, failed ${stats.failures}, gaps ${stats.gaps}`);
      deps.log('snapshot', { system: source.system, observed_at: new Date(t).toISOString(), stations: got.snapshot.stations.length, changed: written.changedStations, stored: written.stored });
    } catch (err) {
      if (err instanceof FetchFailed || err instanceof PayloadRejected) {
        if (err instanceof PayloadRejected) stats.rejectedPayloads++;
        else stats.failures++;
        deps.log('poll-failed', { system: source.system, error: err.message });
        deps.status?.(`${source.system} poll failed: ${err.message} | stored ${stats.stored}, failed ${stats.failures}, gaps ${stats.gaps}`);
      } else {
        throw err;
      }
    }
    if (opts.once || (opts.maxPolls !== undefined && stats.polls >= opts.maxPolls) || source.exhausted?.()) break;
    const wait = started + pollIntervalMs(ttlS, deps.random, opts.schedule) - deps.now();
    if (wait > 0) await deps.sleep(wait, opts.signal);
  }
  // Stopping while the feed is failing: the silence so far is a gap (the next run extends it). Not for
  // --once (cron runs: the silence between runs is the schedule) nor replays (no clock of their own).
  const now = deps.now();
  const openGap = gapBetween(lastGood, now, expected(), opts.gapFactor);
  if (!opts.once && source.exhausted === undefined && openGap) {
    await recordGap(deps.store, source.system, new Date(openGap.start), new Date(openGap.end), 'no good snapshot before stop');
    stats.gaps++;
  }
  return stats;
}

export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
