// One simulation request end to end: demand from the store, then each policy replayed on the same
// events, the same fleet and the same start. The store is read here and only here.
import type { Store } from '../platform/store/connection.ts';
import { mulberry32 } from '../platform/util/random.ts';
import { UserError } from '../platform/errors.ts';
import type { Fleet } from '../rebalancing/planning/fleet.ts';
import { dayWindows } from './day-window.ts';
import { eventsFromChanges, uniformInGap, type RiderEvents } from './demand.ts';
import { censoredEstimate, placeInGap } from './demand-shape.ts';
import { loadDemandShape, loadWindowHours } from './demand-shape-store.ts';
import { loadTripDemand, DEFAULT_START_FILL } from './trip-demand.ts';
import type { Stations } from './world.ts';
import type { EventLog } from './event-log.ts';
import { observedSpells } from './observed.ts';
import { observedJson, runDetail, runJson } from './output.ts';
import { nonePolicy } from './policies/none.ts';
import type { Policy } from './policies/policy.ts';
import { reactivePolicy } from './policies/reactive.ts';
import { replay, RIDER_RULES, type ReplayResult } from './replay.ts';
import { loadStatusDemand } from './status-demand.ts';
import { instantOfLocalTime, localDatesBetween } from '../platform/time/index.ts';
import { asStationId } from '../platform/ids.ts';
import type { StationModel } from '../rebalancing/forecast/models/station-gbdt.ts';
import type { ReplanOptions, ReplanResult, ReplanStation } from '../rebalancing/realtime/replan.ts';
import { defaultCapacityPolicy } from '../rebalancing/targets/capacity.ts';
import { fitForecastModelAt } from '../rebalancing/targets/store.ts';
import { plannedPolicy, type PlannedPolicyOptions } from './policies/planned.ts';
import type { WorldView } from './policies/policy.ts';
import { forecastFeed, hoursNeeded, trueFlows } from './rates.ts';

export const POLICIES = ['none', 'static', 'reactive', 'rolling', 'oracle'] as const;
export type PolicyName = (typeof POLICIES)[number];
/** The policies built so far; the others are refused with a message that says so. */
export const BUILT: readonly PolicyName[] = ['none', 'static', 'reactive', 'rolling', 'oracle'];

export interface SimulateRequest {
  systemId: string;
  from: number;
  to: number;
  fleet: Fleet;
  policies: PolicyName[];
  demand: 'status' | 'trips';
  seed: number;
  /** Minutes after local midnight when the trucks' shift starts each day. */
  shiftStartMinutes: number;
  logFor?: (policy: string) => EventLog | undefined;
  /** Trip demand: the share of the docks holding bikes at the start where no status says (default 0.5). */
  startFill?: number;
  /** Progress lines for long runs (stderr at the command line). */
  progress?: (line: string) => void;
  /** Minutes between rolling (and oracle) re-plans (default 15). */
  replanMinutes?: number;
  /** The planned policies' settings (planning budget, horizon); PLANNED_DEFAULTS when absent. */
  planned?: Partial<PlannedSettings>;
  /** The forecast model for rolling and static, fitted before `from`; fitted here (once per run) when absent. */
  model?: StationModel;
  /** Called after each re-plan of a planned policy. */
  onReplan?: (policy: string, atS: number, r: ReplanResult) => void;
}

/** How the planned policies plan: the same re-plan step and settings for static, rolling and oracle. */
export interface PlannedSettings {
  /** How far the stage-3 failure curves of a rolling (oracle) re-plan look. */
  horizonMinutes: number;
  /** Minutes of work a rolling re-plan gives each truck (plus the drive home); the next re-plan comes long before. */
  planMinutes: number;
  /** The static plan's curves: over the whole shift (null) or this many minutes. */
  staticHorizonMinutes: number | null;
  /** Expected failures a rolling (oracle) move must avoid per bike moved (replanFleet's moveCostPerBike); static is today's route plan, without it. */
  moveCostPerBike: number;
  /** Iterations of each rolling re-plan's search (reproducible), under a wall-clock cap. */
  replanIterations: number;
  /** Iterations of the static plan (one per shift: it may take longer, as `route plan` does). */
  staticIterations: number;
  timeCapS: number;
  /** Station-hours per flow the in-run forecast fit draws at most. */
  fitRows: number;
}

export const PLANNED_DEFAULTS: PlannedSettings = { horizonMinutes: 360, planMinutes: 180, staticHorizonMinutes: null, moveCostPerBike: 0.1, replanIterations: 100, staticIterations: 1500, timeCapS: 20, fitRows: 100_000 };

/** What building a policy needs of the run. */
export interface PolicyContext {
  req: SimulateRequest;
  zone: string;
  stations: Stations;
  events: RiderEvents;
  model: () => StationModel;
}

/** The data section: what was replayed and what it could not see (docs/simulate.md lists the fields of each demand). */
export type SimulationData = { stations: number; events: number; load_seconds: number; zone: string; demand: 'status' | 'trips' } & Record<string, unknown>;

const r1 = (x: number) => Math.round(x * 10) / 10;
const iso = (t: number) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');

export function policyOf(name: PolicyName, c?: PolicyContext): Policy {
  if (name === 'none') return nonePolicy();
  if (name === 'reactive') return reactivePolicy();
  if (!c) throw new Error(`policy ${name} needs its context`);
  const set = { ...PLANNED_DEFAULTS, ...c.req.planned };
  const st = c.stations;
  const stations: ReplanStation[] = st.ids.map((id, i) => ({ station_id: asStationId(id), name: null, district: null, racks: st.capacity[i]!, lat: st.lat[i]!, lon: st.lon[i]! }));
  // Static executes one plan over the whole shift: its curves must see the whole shift too (with a
  // 3-hour curve a stop at 14:00 was judged by the 07:00-10:00 failures).
  const horizon = name === 'static' ? set.staticHorizonMinutes ?? Math.max(...c.req.fleet.trucks.map((t) => t.shiftMinutes)) : set.horizonMinutes;
  const replan: ReplanOptions = {
    horizonMinutes: horizon, moveCostPerBike: name === 'static' ? 0 : set.moveCostPerBike, policy: defaultCapacityPolicy(c.req.systemId), seed: c.req.seed,
    timeLimitS: set.timeCapS, maxIterations: name === 'static' ? set.staticIterations : set.replanIterations,
  };
  const rates: PlannedPolicyOptions['rates'] = name === 'oracle'
    ? (() => { const f = trueFlows(c.events, st); return (atS: number) => f(atS); })()
    : (() => { let feed: ReturnType<typeof forecastFeed> | null = null; return (atS: number, v: WorldView) => (feed ??= forecastFeed(c.model(), st, horizon))(atS, v); })();
  return plannedPolicy({
    name, system: c.req.systemId, timeZone: c.zone, stations, replanS: name === 'static' ? null : (c.req.replanMinutes ?? 15) * 60, rates, replan, planMinutes: set.planMinutes,
    ...(c.req.onReplan ? { onReplan: (atS: number, r: ReplanResult) => c.req.onReplan!(name, atS, r) } : {}),
  });
}

/** The longest look ahead any planned policy asks of the forecast (the model's flows must reach it). */
export function modelHorizonMinutes(set: PlannedSettings, fleet: Fleet): number {
  return Math.max(set.horizonMinutes, set.staticHorizonMinutes ?? Math.max(...fleet.trucks.map((t) => t.shiftMinutes)));
}

/** Each local day's shift start (wall clock, src/platform/time) in [from - 1 day, to); epoch seconds. */
export function shiftStarts(from: number, to: number, timeZone: string, minutes: number): number[] {
  const out: number[] = [];
  for (const date of localDatesBetween(timeZone, (from - 86400) * 1000, to * 1000)) {
    const t = instantOfLocalTime(timeZone, date, minutes) / 1000;
    if (t >= from - 86400 && t < to) out.push(t);
  }
  return out;
}

export async function simulate(store: Store, req: SimulateRequest) {
  const zone = (await store.all<{ timezone: string }>('SELECT timezone FROM systems WHERE system_id = $1', [req.systemId]))[0]?.timezone;
  if (!zone) throw new UserError(`--system: no system '${req.systemId}' in the store`);
  const say = req.progress ?? (() => {});
  const loadStart = performance.now();
  const windows = dayWindows(req.from, req.to, zone);
  const shifts = shiftStarts(req.from, req.to, zone, req.shiftStartMinutes);
  let stations: Stations;
  let events: RiderEvents;
  let gaps: Array<[number, number]> = [];
  let observed: ReturnType<typeof observedJson> | { policy: 'observed'; empty_minutes_day: null; full_minutes_day: null; bikes_moved: null; note: string };
  let source: Record<string, unknown>;
  if (req.demand === 'trips') {
    say(`simulate: reading trips of ${req.systemId} ${iso(req.from)}..${iso(req.to)}`);
    const td = await loadTripDemand(store, req.systemId, req.from, req.to, req.startFill ?? DEFAULT_START_FILL);
    stations = td.stations;
    events = td.events;
    const st = td.start;
    source = {
      demand: 'trips', trips: td.trips, open_at_start: td.openAtStart, trips_unplaced: td.unplaced,
      // Generated, not observed: where the store has no status at --from, the start is an assumption.
      start_state: {
        from_status: st.fromStatus, capacity_from_station_list: st.listedCapacity, capacity_assumed: st.assumed, assumed_capacity: st.assumedCapacity, start_fill: st.fill,
        note: st.fromStatus === stations.ids.length
          ? 'every station starts from its real status at --from'
          : `${stations.ids.length - st.fromStatus} of ${stations.ids.length} stations have no status at --from: they start GENERATED, bikes = ${st.fill} x capacity (capacity from the station list for ${st.listedCapacity}, assumed ${st.assumedCapacity} docks for ${st.assumed})`,
      },
      rider_detour: { speed_kmh: RIDER_RULES.speedKmh, road_factor: RIDER_RULES.detour },
    };
    observed = { policy: 'observed', empty_minutes_day: null, full_minutes_day: null, bikes_moved: null, note: 'trip demand: the real operator is seen only in a status log' };
  } else {
    say(`simulate: reading the status log of ${req.systemId} ${iso(req.from)}..${iso(req.to)}`);
    const demand = await loadStatusDemand(store, req.systemId, req.from, req.to);
    stations = demand.stations;
    gaps = demand.gaps;
    say(`simulate: the forecast's hourly shape (hourly flows before ${iso(req.from)})`);
    const shape = await loadDemandShape(store, req.systemId, stations, req.from, req.to);
    events = eventsFromChanges(demand.changes, mulberry32(req.seed), shape ? (c, u) => placeInGap(shape, c, u) : uniformInGap);
    const gapEvents = events.fromGap.reduce((a, x) => a + x, 0);
    const gapS = gaps.reduce((a, [x, y]) => a + Math.max(0, Math.min(y, req.to) - Math.max(x, req.from)), 0);
    const cens = shape ? censoredEstimate(shape, await loadWindowHours(store, req.systemId, stations, req.from, req.to)) : null;
    const pick = events.delta.reduce((a, d) => a + (d < 0 ? 1 : 0), 0);
    source = {
      demand: 'status', stale_left_out: demand.stale.length, gaps: gaps.length,
      gap_minutes: r1(gapS / 60), covered_share: Math.round((1 - gapS / (req.to - req.from)) * 1000) / 1000,
      events_from_gaps: gapEvents, gap_changes_left_out: demand.gapChangesLeftOut,
      gap_spread: shape
        ? `by the forecast's hourly shape (cell profile of the hourly flows ${iso(shape.fittedFrom)}..${iso(shape.fittedTo)}; ${shape.stationsWithProfile} of ${stations.ids.length} stations with their own, the others the system's)`
        : 'uniformly over the gap (no hourly flows before --from to shape it)',
      // What the log cannot see: riders who came to a station the real log shows empty (full).
      censoring: cens ? {
        log_pickups: pick, log_returns: events.t.length - pick,
        real_empty_station_minutes: Math.round(cens.emptyMinutes), real_full_station_minutes: Math.round(cens.fullMinutes),
        unseen_rentals: Math.round(cens.pickups), unseen_returns: Math.round(cens.returns),
        unseen_rentals_share: pick ? Math.round((cens.pickups / pick) * 1000) / 1000 : null,
        unseen_returns_share: events.t.length - pick ? Math.round((cens.returns / (events.t.length - pick)) * 1000) / 1000 : null,
        profile_lift_rentals: Math.round(cens.profileLiftPickups), profile_lift_returns: Math.round(cens.profileLiftReturns),
        note: "unseen = the forecast's censoring-corrected hourly rate x the minutes the real station was empty (full): riders the log cannot show, NOT replayed; profile_lift = how much the correction (censored hours left out of the fit) raises the window's expected riders",
      } : null,
    };
    observed = observedJson(observedSpells(stations, demand.observed, req.from, req.to, windows, gaps), demand.operatorBikesMoved);
  }
  const loadS = (performance.now() - loadStart) / 1000;
  say(`simulate: ${stations.ids.length} stations, ${events.t.length} rider events, loaded in ${loadS.toFixed(1)} s`);
  // The forecast model of rolling and static: fitted once per run on the hours before `from` only,
  // attached to the flows from 15 days before `from` to the end plus a horizon (its features read
  // only the hours before each origin).
  let model = req.model ?? null;
  let fitS = 0;
  if (req.policies.some((p) => p === 'rolling' || p === 'static') && !model) {
    const t0 = performance.now();
    const set = { ...PLANNED_DEFAULTS, ...req.planned };
    say(`simulate: fitting the forecast model on the hours before ${iso(req.from)} (once per run)`);
    model = await fitForecastModelAt(store, req.systemId, req.from, req.to + (hoursNeeded(modelHorizonMinutes(set, req.fleet)) + 1) * 3600, set.fitRows);
    fitS = (performance.now() - t0) / 1000;
  }
  const ctx: PolicyContext = { req, zone, stations, events, model: () => model! };
  const runs: Array<{ result: ReplayResult; seconds: number }> = [];
  for (const name of req.policies) {
    const t0 = performance.now();
    let lastSaid = t0;
    const log = req.logFor?.(name);
    const progress = req.progress ? (t: number) => {
      const now = performance.now();
      if (now - lastSaid < 5000) return;
      lastSaid = now;
      say(`simulate: ${name} at ${iso(t)} (${Math.round((100 * (t - req.from)) / (req.to - req.from))}%, ${((now - t0) / 1000).toFixed(0)} s)`);
    } : undefined;
    say(`simulate: ${name}: replaying`);
    const result = replay({
      stations, events, from: req.from, to: req.to, dayWindows: windows, gaps, fleet: req.fleet, shiftStarts: shifts, policy: policyOf(name, ctx),
      ...(log ? { log } : {}), ...(req.demand === 'trips' ? { riders: RIDER_RULES } : {}), ...(progress ? { progress } : {}),
    });
    runs.push({ result, seconds: (performance.now() - t0) / 1000 });
    say(`simulate: ${name}: done in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
  }
  const none = runs.find((r) => r.result.policy === 'none')?.result;
  if (model) source = { ...source, forecast_fit_seconds: Math.round(fitS * 1000) / 1000 };
  return {
    runs: runs.map((r) => runJson(r.result, r.seconds)),
    details: runs.map((r) => ({ policy: r.result.policy, ...runDetail(r.result, none) })),
    results: runs.map((r) => r.result),
    observed,
    data: { stations: stations.ids.length, events: events.t.length, load_seconds: Math.round(loadS * 1000) / 1000, zone, ...source } as SimulationData,
    stations,
    windows,
  };
}
