// One re-plan cycle for a system, on the service's clock: refit the forecast when the nightly
// refit is due, predict when no stored forecast covers the horizon, then the rolling policy's
// re-plan step, the same function the simulator calls (replanFleet, src/rebalancing/realtime):
// targets at now and every truck that is not paused re-planned from where it is and what it
// carries (the drivers' reports), keeping the stop it is driving to, with the time left of its
// shift (shift.ts). The computing runs in the
// system's compute worker; the store's reads and writes here. Nothing runs on a stale feed: the
// cycle says so and the targets stay marked stale.
import type { Store } from '../../platform/store/connection.ts';
import type { Fleet, Truck } from '../../rebalancing/planning/fleet.ts';
import type { Plan } from '../../rebalancing/planning/plan.ts';
import { savePlan } from '../../rebalancing/planning/store.ts';
import { UserError } from '../../platform/errors.ts';
import { defaultCapacityPolicy } from '../../rebalancing/targets/capacity.ts';
import { describePolicy, STALE_HOURS } from '../../rebalancing/targets/run.ts';
import { hoursSpanned } from '../../rebalancing/targets/steps.ts';
import { loadCurrent, loadForecastRates, loadStations, saveTargetRun } from '../../rebalancing/targets/store.ts';
import type { ServiceContext } from '../context.ts';
import type { SystemLive } from '../live-state.ts';
import { loadCurrentForecast, loadLatestTargets } from '../queries.ts';
import { recordPlanIssue } from '../records.ts';
import { staleness } from '../views.ts';
import { MIN_SHIFT_LEFT_S, PLAN_DRIVE_HOME_MINUTES } from '../../rebalancing/realtime/replan.ts';
import { computeTargets, predictForecast, refitForecast } from './chain.ts';
import { shiftAt } from './shift.ts';
import type { ComputeWorker } from './compute-in-worker.ts';

/** A pinned station's failures weigh this much more in the plan's objective. */
export const PIN_WEIGHT = 3;
/** Stage 3's step (minutes), as `urbanlab targets`. */
const STEP_MINUTES = 15;
/** Hours a prediction covers (the refit is nightly: a day of forecast, re-made when it runs out). */
const PREDICT_HOURS = 24;

export interface CycleDeps {
  ctx: ServiceContext;
  /** The system's compute worker: the fit, forecast, targets' solve and plan search run there. */
  worker: ComputeWorker;
  /** The fleet file as parsed, or none (collect, forecast and targets only). */
  fleet: Fleet | null;
  fleetJson: unknown;
  /** Epoch ms of the last refit (null: none this run); the cycle updates it. */
  lastRefitMs: { value: number | null };
}

/** Epoch ms of the latest HH:MM local refit time at or before nowMs. */
export async function lastRefitDue(store: Store, timezone: string, refitAt: string, nowMs: number): Promise<number> {
  const r = await store.all<{ t: number }>(
    `SELECT epoch_ms(timezone($1, date_trunc('day', timezone($1, to_timestamp($2))) + CAST($3 AS INTERVAL))) AS t`,
    [timezone, nowMs / 1000, `${refitAt.slice(0, 2)} hours ${refitAt.slice(3)} minutes`]);
  const today = Number(r[0]!.t);
  return today <= nowMs ? today : today - 86_400_000;
}

export async function runCycle(deps: CycleDeps, s: SystemLive): Promise<string> {
  const { ctx } = deps;
  const now = ctx.clock.now();
  const st = staleness(s, now, ctx.config.feedStaleMinutes * 60_000);
  if (st.feed_stale) return `skipped: ${st.reasons[0] ?? 'the feed is stale'}`;
  const store = ctx.store;
  const steps: string[] = [];

  const due = await lastRefitDue(store, s.timezone, ctx.config.refitAt, now);
  const model = await store.all<{ t: number | null }>('SELECT epoch_ms(max(fitted_at)) AS t FROM forecast_models WHERE system_id = $1', [s.id]);
  const fittedMs = model[0]?.t === null || model[0]?.t === undefined ? null : Number(model[0].t);
  if (fittedMs !== null && fittedMs < due && (deps.lastRefitMs.value === null || deps.lastRefitMs.value < due)) {
    await refitForecast(store, deps.worker, s.id, now, ctx.config.fitMaxRows);
    deps.lastRefitMs.value = now;
    steps.push('refit');
  }
  // A forecast covering now + the horizon, else a new prediction (which fits a model if none exists).
  const need = now + ctx.config.horizonMinutes * 60_000;
  let fc = await loadCurrentForecast(store, s.id, now);
  if (!fc || fc.startMs + fc.hours * 3_600_000 < need || steps.includes('refit')) {
    await predictForecast(store, deps.worker, s.id, now, PREDICT_HOURS, ctx.config.fitMaxRows);
    fc = await loadCurrentForecast(store, s.id, now);
    steps.push('predict');
  }
  s.forecast = fc;

  const atS = Math.floor(now / 1000);
  const runId = `${s.id}-${new Date(now).toISOString().replace(/[-:]/g, '').slice(0, 15)}-serve`;
  const onShift = deps.fleet ? fleetNow(deps.fleet, s, now, { start: ctx.config.systems.find((x) => x.id === s.id)?.shiftStart ?? null, horizonMinutes: ctx.config.horizonMinutes }) : null;
  const fleet = onShift?.fleet ?? null;
  if (onShift && onShift.offShift.length > 0) steps.push(`off shift: ${onShift.offShift.join(' ')}`);
  if (!fleet || fleet.trucks.length === 0) {
    // Nothing to plan (no fleet, or every truck paused): the targets alone, through stage 3's entry.
    await computeTargets(store, s.id, now, ctx.config.horizonMinutes, ctx.config.serviceLevel);
    adoptTargets(ctx, s, await loadLatestTargets(store, s.id));
    steps.push(`targets ${runId}`);
    return [...steps, fleet ? 'no truck to plan (all paused or off shift)' : 'no fleet'].join(', ');
  }

  // The re-plan step, as the simulator's policies run it (replanFleet: targets, then every truck
  // from where it is), in the compute worker; its inputs are read from the store here: the stations
  // in service (those without a status change in STALE_HOURS left out, as stage 3 does), the bikes
  // at each at now, the forecast's rates over the horizon.
  const horizonMinutes = ctx.config.horizonMinutes;
  const hours = hoursSpanned((atS % 3600) / 60, horizonMinutes);
  const stations = await loadStations(store, s.id);
  const current = await loadCurrent(store, s.id, atS);
  const rates = await loadForecastRates(store, s.id, atS, hours);
  if (!rates) throw new UserError(`no stored forecast of ${s.id} covers ${new Date(now).toISOString()} + ${hours} h`);
  const staleBefore = atS - STALE_HOURS * 3600;
  const inService = stations.filter((x) => !((current.get(x.station_id)?.observed ?? Infinity) < staleBefore));
  const policy = defaultCapacityPolicy(s.id);
  const out = await deps.worker.replan(
    { system: s.id, timeZone: s.timezone, atS, stations: inService, state: current, rates, fleet, previous: s.issued?.plan ?? null },
    { horizonMinutes, stepMinutes: STEP_MINUTES, service: ctx.config.serviceLevel, policy, timeLimitS: ctx.config.planTimeLimitS, ...(ctx.config.planMaxIterations > 0 ? { maxIterations: ctx.config.planMaxIterations } : {}), seed: 1, runId, stationWeights: stationWeights(s.stationRules) },
  );
  await saveTargetRun(store, {
    runId, system: s.id, atS, horizonMinutes, stepMinutes: STEP_MINUTES, service: ctx.config.serviceLevel,
    rates: `forecast:${rates.runId}`, capacityPolicy: describePolicy(policy), summary: out.summary,
  }, out.targets);
  adoptTargets(ctx, s, await loadLatestTargets(store, s.id));
  steps.push(`targets ${runId} (${out.targets.length} stations, ${out.seconds.targets.toFixed(1)} s)`);

  const planId = runId;
  await savePlan(store, { planId, fleet: deps.fleetJson, travel: `haversine x ${fleet.detour} at ${fleet.speedKmh} km/h`, seed: 1, timeLimitS: ctx.config.planTimeLimitS }, out.plan, atS);
  const issuedAt = ctx.clock.now();
  await recordPlanIssue(store, s.id, planId, ctx.config.autoApprove, issuedAt);
  adoptPlan(ctx, s, planId, out.plan, ctx.config.autoApprove, issuedAt);
  steps.push(`plan ${planId} (${out.seconds.plan.toFixed(1)} s)`);
  return steps.join(', ');
}

function adoptTargets(ctx: ServiceContext, s: SystemLive, targets: SystemLive['targets']): void {
  s.targets = targets;
  ctx.live.emit({ type: 'targets', system: s.id, data: { run_id: targets?.runId ?? null, stations: targets?.stations.size ?? 0 } }, ctx.clock.now());
}

/** The new plan into the live state (issued, or proposed for approval), announced on the stream. */
export function adoptPlan(ctx: ServiceContext, s: SystemLive, planId: string, plan: Plan, issued: boolean, atMs: number): void {
  const p = { planId, state: issued ? 'issued' as const : 'proposed' as const, proposedAtMs: atMs, issuedAtMs: issued ? atMs : null, plan };
  if (issued) {
    if (s.issued) s.issued.state = 'superseded';
    s.issued = p;
    s.proposed = null;
    for (const t of s.trucks.values()) t.reported.clear();
  } else {
    s.proposed = p;
  }
  ctx.live.emit({ type: 'plan', system: s.id, data: { plan_id: planId, state: p.state } }, atMs);
}

/** Which shift a re-plan gives each truck: the system's `shift_start` (null: back-to-back shifts) and the plan's horizon. */
export interface ShiftRule {
  start: string | null;
  horizonMinutes: number;
}

/**
 * The fleet as it is now: paused trucks left out, and trucks off shift (or with less than
 * MIN_SHIFT_LEFT_S of it left); each other truck where it last was (its reported position, else the
 * fleet file's start), with what it carries (start load plus reported moves), the time left of its
 * shift (capped, as the simulator's rolling policy does, at the horizon plus the drive home), and
 * the next stop of the issued plan it has not reported and not yet reached kept first.
 */
export function fleetNow(base: Fleet, s: SystemLive, nowMs: number, rule: ShiftRule): { fleet: Fleet; offShift: string[] } {
  const trucks: Truck[] = [];
  const offShift: string[] = [];
  for (const t of base.trucks) {
    const live = s.trucks.get(t.id);
    if (!live || live.paused) continue;
    const shift = shiftAt(nowMs, s.timezone, t.shiftMinutes, rule.start);
    const leftMinutes = shift ? (shift.endMs - nowMs) / 60_000 : 0;
    if (leftMinutes * 60 < MIN_SHIFT_LEFT_S) {
      offShift.push(t.id);
      continue;
    }
    const route = s.issued?.plan.routes.find((r) => r.truck === t.id);
    const next = route?.stops.find((x) => !live.reported.has(x.station_id) && Date.parse(x.arrival) >= nowMs);
    const truck: Truck = {
      ...t,
      shiftMinutes: Math.min(leftMinutes, rule.horizonMinutes + PLAN_DRIVE_HOME_MINUTES),
      startLoad: Math.max(0, Math.min(t.capacity, live.load)),
      start: live.position ? { lat: live.position.lat, lon: live.position.lon } : t.start,
      ownStart: live.position !== null || t.ownStart,
    };
    delete truck.headingTo;
    // The stop it drives to stays first, if it gets there within its shift.
    if (next) {
      const minutes = Math.max(0, (Date.parse(next.arrival) - nowMs) / 60_000);
      if (minutes < truck.shiftMinutes) truck.headingTo = { stationId: next.station_id, minutes };
    }
    trucks.push(truck);
  }
  return { fleet: { ...base, trucks }, offShift };
}

/** Operators' station rules as the re-plan's weights: a forbidden station 0 (left out), a pinned one PIN_WEIGHT. */
export function stationWeights(rules: ReadonlyMap<string, 'pin' | 'forbid'>): Map<string, number> {
  return new Map([...rules].map(([id, rule]) => [id, rule === 'forbid' ? 0 : PIN_WEIGHT]));
}
