// Stage 3's entry for a front end (the command line, the morning chain, the service, the simulator):
// a target run at an instant, from the stations' bikes then (the store's status, or a state handed
// in by the caller) and the rates over the horizon (a stored forecast, else the historical
// average); stored as a run, with its charts when a folder is given. Typed values in.
import { hasKoreanFont } from '../../platform/charts/png.ts';
import type { Chart } from '../../platform/charts/chart.ts';
import { writeChartFiles } from '../../platform/charts/write.ts';
import { UserError } from '../../platform/errors.ts';
import type { Store } from '../../platform/store/connection.ts';
import { describeInService, STALE_HOURS, type InService } from '../../platform/stations/in-service.ts';
import { loadStationsInService } from '../../platform/stations/in-service-store.ts';
import { checkStatusAge, type StatusAge } from '../../platform/status/age.ts';
import { loadDistricts } from '../stats/store.ts';
import { horizonCapacity, type CapacityPolicy } from './capacity.ts';
import { classMapChart, failureCurveChart, type TargetsChartContext } from './charts.ts';
import { classRatios } from './classify.ts';
import { DEFAULT_HISTORY, historicalRates, mergeFormerHistory } from './historical-rates.ts';
import { horizonShape } from './overdispersion.ts';
import { networkTargets, type StationInput, type StationTarget } from './station-targets.ts';
import { hourlyToSteps, hoursSpanned } from './steps.ts';
import { assertSystem, loadCurrent, loadForecastRates, loadHourlyGrids, loadStations, saveTargetRun, type ForecastRates, type StationRow } from './store.ts';
import type { HorizonHourlyRates } from './replay-run.ts';

export type RatesChoice = 'auto' | 'forecast' | 'historical';

/** A station's state at the instant: what the store's status says, or a caller's own world. */
export interface StationNow {
  bikes: number;
  /** Racks the station reports (else the station list's). */
  racks: number | null;
  /** Bikes it can hold now (bikes + free docks; null without docks). */
  usable: number | null;
}

export interface TargetRunOptions {
  system: string;
  /** The instant (epoch seconds) of `current` and the start of the horizon. */
  atS: number;
  horizonMinutes: number;
  stepMinutes: number;
  /** P(empty) and P(full) over the horizon stay within 1 - service. */
  service: number;
  /** Gamma quadrature points per rate factor. */
  points: number;
  /** Weeks of history for the historical-average rates. */
  weeks: number;
  policy: CapacityPolicy;
  rates: RatesChoice;
  /** The stored run's name (default: system, time, horizon, service). */
  runId?: string;
  /** Bikes per station at `atS` handed in by the caller (the simulator); the store's status when absent. */
  state?: ReadonlyMap<string, StationNow>;
  /**
   * Issue 19: only the stations in service at `atS` (src/platform/stations/in-service.ts: in the
   * station list in effect then, and reporting within this many hours) get targets; the others are
   * left out and reported. Default STALE_HOURS; not applied to a handed-in state (its world decides).
   */
  staleHours?: number;
  /** An `atS` more than staleHours after the latest status is refused unless this is set (issue 19). */
  allowStale?: boolean;
  /** Write the class map and failure curves (SVG + PNG) there. */
  chartsDir?: string;
  /** With chartsDir: failure curves of these stations (default: the one with most expected failures). */
  chartStations?: readonly string[];
  log?: (msg: string) => void;
}

export { STALE_HOURS };

export type TargetRow = StationTarget & { racks: number | null };

export interface TargetRunResult {
  runId: string;
  ratesName: string;
  targets: TargetRow[];
  summary: ReturnType<typeof classRatios>;
  seconds: number;
  charts: string[];
  skipped: { no_rates: number; no_racks: number; no_status: number; stale: number; unlisted: number; silent: number };
  /** The stations left out as stale (no status change in `staleHours` before the instant). */
  staleIds: string[];
  /** The in-service rule's verdict at the instant (null with a handed-in state). */
  inService: InService | null;
  /** How old the store's status is at the instant (null with a handed-in state). */
  statusAge: StatusAge | null;
}

export function describePolicy(p: CapacityPolicy): string {
  if (p.kind === 'hard') return 'hard';
  return 'percent' in p.overflow ? `soft:${p.overflow.percent}%` : `soft:+${p.overflow.bikes}`;
}

export async function computeTargetRun(store: Store, opts: TargetRunOptions): Promise<TargetRunResult> {
  const { system, atS, horizonMinutes, stepMinutes, service, points, weeks, policy } = opts;
  await assertSystem(store, system);
  const offsetMinutes = (atS % 3600) / 60;
  const hours = hoursSpanned(offsetMinutes, horizonMinutes);
  const staleHours = opts.staleHours ?? STALE_HOURS;
  // An instant past the data: say how old the status is, refuse past the limit unless allowed.
  const statusAge = opts.state ? null : await checkStatusAge(store, system, atS, staleHours * 3600, { allowStale: opts.allowStale, flag: '--at', log: opts.log });
  const [known, stored, inService] = await Promise.all([
    loadStations(store, system), opts.state ? null : loadCurrent(store, system, atS),
    opts.state ? null : loadStationsInService(store, system, atS, { staleHours }),
  ]);
  const current: ReadonlyMap<string, StationNow> = opts.state ?? stored!;
  const live = inService?.judged ? new Set<string>(inService.ids) : null;
  const stations = live ? known.filter((s) => live.has(s.station_id)) : known;
  const staleIds: string[] = inService ? [...inService.stale] : [];
  if (inService) opts.log?.(describeInService(inService, staleHours));
  const forecast = opts.rates === 'historical' ? null : await loadForecastRates(store, system, atS, hours);
  if (opts.rates === 'forecast' && !forecast) throw new UserError(`no stored forecast of '${system}' covers ${new Date(atS * 1000).toISOString()} + ${hours} h: run \`urbanlab forecast predict\` first, or use --rates historical`);
  const grids = forecast ? null : await loadHourlyGrids(store, system, atS - weeks * 168 * 3600, atS);
  // A station under a new id keeps the history of its former ids (one station over time).
  if (grids && inService) mergeFormerHistory(grids.grids, inService.continues);
  const origin = grids ? Math.floor((atS - grids.start) / 3600) : 0;
  const ratesName = forecast ? `forecast:${forecast.runId}` : 'historical-average';
  opts.log?.(`rates: ${ratesName}; ${stations.length} stations; ${current.size} with a status at or before ${new Date(atS * 1000).toISOString()}`);
  const ratesOf = forecast
    ? forecastRatesOf(forecast, atS, hours)
    : (id: string) => {
        const g = grids!.grids.get(id);
        return g ? historicalRates(g, origin, hours, { ...DEFAULT_HISTORY, weeks }) : null;
      };
  const at = targetsAt(stations, current, ratesOf, { atS, horizonMinutes, stepMinutes, service, points, policy });
  const { targets, noRates, noRacks, seconds } = at;
  if (targets.length === 0) throw new UserError(`no station of '${system}' has rates for ${new Date(atS * 1000).toISOString()}: import its status history (hourly flows) or a forecast first`);
  const summary = at.summary;
  const classified = targets.filter((t) => t.class !== null);
  const runId = opts.runId ?? `${system}-${new Date(atS * 1000).toISOString().replace(/[-:]/g, '').slice(0, 13)}-${Math.round(horizonMinutes)}m-s${service}`;
  await saveTargetRun(store, { runId, system, atS, horizonMinutes, stepMinutes, service, rates: ratesName, capacityPolicy: describePolicy(policy), summary }, targets);
  const charts = opts.chartsDir ? await writeTargetCharts(store, opts.chartsDir, opts.chartStations ?? [], stations, targets, {
    system, at: new Date(atS * 1000).toISOString(), horizonMinutes, service, rates: ratesName, capacityPolicy: describePolicy(policy), runId, korean: hasKoreanFont(),
  }) : [];
  return { runId, ratesName, targets, summary, seconds, charts, skipped: { no_rates: noRates, no_racks: noRacks, no_status: targets.length - classified.length, stale: staleIds.length, unlisted: inService?.unlisted.length ?? 0, silent: inService?.silent.length ?? 0 }, staleIds, inService, statusAge };
}

/**
 * The class map and the failure curves of the stations asked for, else of the
 * station with the most expected failures, as SVG and PNG in `dir`.
 */
async function writeTargetCharts(
  store: Store, dir: string, ids: readonly string[], stations: readonly StationRow[],
  targets: readonly (StationTarget & { racks: number | null })[], ctx: TargetsChartContext,
): Promise<string[]> {
  const info = new Map(stations.map((s) => [s.station_id, s]));
  for (const id of ids) if (!targets.some((t) => t.station_id === id)) throw new UserError(`--station: '${id}' has no targets in this run (unknown, or no rates or racks)`);
  const chosen = ids.length ? targets.filter((t) => ids.includes(t.station_id))
    : [...targets].sort((a, b) => (b.expected_failures ?? -1) - (a.expected_failures ?? -1)).slice(0, 1);
  const charts: Chart[] = chosen.map((t) => failureCurveChart({ ...t, name: info.get(t.station_id)?.name ?? null }, ctx));
  const map = classMapChart(targets.map((t) => ({ ...t, lat: info.get(t.station_id)?.lat ?? null, lon: info.get(t.station_id)?.lon ?? null })), await loadDistricts(store, ctx.system), ctx);
  if (map) charts.push(map);
  return writeChartFiles(dir, charts);
}


/** What stage 3 needs of the instant besides the stations, their state and rates. */
export interface TargetsAtOptions {
  /** The instant (epoch seconds): the horizon starts then. */
  atS: number;
  horizonMinutes: number;
  stepMinutes: number;
  service: number;
  points: number;
  policy: CapacityPolicy;
}

/**
 * Stage 3 in memory, no store: each station's interval and failure curves at `atS` from its bikes
 * then (`current`) and its hourly rates over the hours the horizon spans from the hour of `atS`
 * (`ratesOf`: a stored forecast, the historical average, the simulator's in-memory forecast, the
 * true flows for the oracle). computeTargetRun reads the store and calls this; the re-plan step
 * (src/rebalancing/realtime/replan.ts) calls it with the live state.
 */
export function targetsAt(
  stations: readonly StationRow[], current: ReadonlyMap<string, StationNow>, ratesOf: (stationId: string) => HorizonHourlyRates | null,
  opts: TargetsAtOptions, leaveOut?: ReadonlySet<string>,
): { targets: TargetRow[]; summary: ReturnType<typeof classRatios>; noRates: number; noRacks: number; seconds: number } {
  const { atS, horizonMinutes, stepMinutes, service, points, policy } = opts;
  const offsetMinutes = (atS % 3600) / 60;
  const inputs: (StationInput & { racks: number | null })[] = [];
  let noRates = 0, noRacks = 0;
  for (const s of stations) {
    if (leaveOut?.has(s.station_id)) continue;
    const now = current.get(s.station_id);
    const racks = s.racks ?? now?.racks ?? null;
    const capacity = horizonCapacity(policy, racks, now?.usable ?? null);
    if (capacity === null || capacity <= 0) { noRacks++; continue; }
    const r = ratesOf(s.station_id);
    if (!r) { noRates++; continue; }
    inputs.push({
      stationId: s.station_id, district: s.district, racks, capacity, current: now ? now.bikes : null,
      rates: hourlyToSteps(r.pickups, r.returns, offsetMinutes, horizonMinutes, stepMinutes), pickupShape: r.pickupShape, returnShape: r.returnShape,
    });
  }
  const t0 = performance.now();
  const results = inputs.length ? networkTargets(inputs, { service, points, fullBinds: true }) : [];
  const seconds = (performance.now() - t0) / 1000;
  const targets = results.map((r, i) => ({ ...r, racks: inputs[i]!.racks }));
  const summary = classRatios(targets.filter((t) => t.class !== null).map((t) => ({ class: t.class!, bring: t.bring, take: t.take, district: t.district })));
  return { targets, summary, noRates, noRacks, seconds };
}

/**
 * A forecast's rates as stage 3 reads them: per station, the hours from the hour of `atS` that the
 * horizon spans (`hours`), with the gamma shapes of their spread; null where the forecast has no
 * such station or does not cover those hours.
 */
export function forecastRatesOf(forecast: ForecastRates, atS: number, hours: number): (stationId: string) => HorizonHourlyRates | null {
  const first = Math.round((Math.floor(atS / 3600) * 3600 - forecast.start) / 3600);
  if (first < 0 || first + hours > forecast.hours) return () => null;
  return (id) => {
    const f = forecast.stations.get(id);
    if (!f) return null;
    const pickups = f.pickups.subarray(first, first + hours), returns = f.returns.subarray(first, first + hours);
    return {
      pickups, returns,
      pickupShape: horizonShape(pickups, f.pickupSize.subarray(first, first + hours)),
      returnShape: horizonShape(returns, f.returnSize.subarray(first, first + hours)),
    };
  };
}
