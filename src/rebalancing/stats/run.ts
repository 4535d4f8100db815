// Stage 1 end to end against a store: refresh the trip flows, load the inputs, build the report.
import type { Store } from '../../platform/store/connection.ts';
import { loadHolidayCalendar } from './holidays.ts';
import { DEFAULT_RULE, validateRule } from './imbalance.ts';
import { localizer } from './local-time.ts';
import { yearsOf } from './localize.ts';
import { buildReport, type StatsInputs, type StatsOptions, type StatsReport } from './report.ts';
import { loadInputs, type Period } from './store.ts';
import { refreshTripFlows } from './trip-flows.ts';

export interface StatsRun {
  report: StatsReport;
  inputs: StatsInputs;
  timings: Record<string, number>;
}

export async function runStats(store: Store, systemId: string, period: Period, options: Partial<StatsOptions> = {}): Promise<StatsRun> {
  const opts: StatsOptions = { rule: options.rule ?? DEFAULT_RULE, top: options.top ?? 10 };
  validateRule(opts.rule);
  const timings: Record<string, number> = {};
  let t = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    timings[name] = Math.round((now - t) * 10) / 10;
    t = now;
  };
  await refreshTripFlows(store, systemId);
  lap('trip_flows');
  const inputs = await loadInputs(store, systemId, period);
  lap('load');
  const clock = localizer(inputs.system.timezone);
  const years = new Set<number>();
  for (const s of inputs.hourly) for (const y of yearsOf(s.hours, clock)) years.add(y);
  const calendar = await loadHolidayCalendar(inputs.system.country, [...years]);
  lap('holidays');
  const report = buildReport(inputs, calendar, clock, opts);
  lap('build');
  return { report, inputs, timings };
}
