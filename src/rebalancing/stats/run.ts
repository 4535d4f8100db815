// Stage 1 end to end against a store: refresh the trip flows, load the inputs, build the report,
// then load the hour-of-day profiles of the most imbalanced stations.
import type { Store } from '../../platform/store/connection.ts';
import { loadHolidayCalendar } from './holidays.ts';
import { DEFAULT_RULE, validateRule } from './imbalance.ts';
import { localizer } from '../../platform/time/index.ts';
import { yearsOf } from './localize.ts';
import { buildReport, stationNetByHour, type StatsInputs, type StatsOptions, type StatsReport } from './report.ts';
import { topImbalanced } from './stations.ts';
import { refreshRollups } from './rollups.ts';
import { loadInputs, loadStationHourOfDay, systemRow, type Period } from './store.ts';
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
  await refreshRollups(store, systemId, (await systemRow(store, systemId)).timezone);
  lap('rollups');
  const inputs = await loadInputs(store, systemId, period);
  lap('load');
  const clock = localizer(inputs.system.timezone);
  const years = new Set<number>();
  for (const s of inputs.hourly) for (const y of yearsOf(s.hours, clock)) years.add(y);
  const calendar = await loadHolidayCalendar(inputs.system.country, [...years]);
  lap('holidays');
  const report = buildReport(inputs, calendar, clock, opts);
  lap('build');
  // Then the hour-of-day profile of the most imbalanced stations only (a filtered scan).
  const source = report.sources.stations;
  if (source && source !== 'station_monthly') {
    const top = topImbalanced(report.stations, opts.top).map((s) => s.station_id);
    inputs.stationHourOfDay[source] = await loadStationHourOfDay(store, systemId, source, top, period);
    report.station_net_by_hour = stationNetByHour(report, inputs, clock, top);
  }
  lap('net_by_hour');
  return { report, inputs, timings };
}
