// The live state as the API shows it (the contract's JSON shapes), and what is stale.
import type { PlanStop } from '../rebalancing/planning/plan.ts';
import type { LivePlan, SystemLive } from './live-state.ts';

const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

export function stationView(s: SystemLive, id: string, forecastHours: number, nowMs: number) {
  const info = s.stations.get(id);
  const st = s.status.get(id);
  const t = s.targets?.stations.get(id);
  const f = forecastHours > 0 ? s.forecast?.stations.get(id) : undefined;
  let forecast = null;
  if (f && s.forecast) {
    const skip = Math.max(0, Math.floor((nowMs - s.forecast.startMs) / 3_600_000));
    forecast = { start: new Date(s.forecast.startMs + skip * 3_600_000).toISOString(), pickups: f.pickups.slice(skip, skip + forecastHours), returns: f.returns.slice(skip, skip + forecastHours) };
  }
  return {
    station_id: id, name: info?.name ?? null, number: info?.number ?? null, lat: info?.lat ?? null, lon: info?.lon ?? null, capacity: info?.capacity ?? null,
    bikes: st?.bikes ?? null, docks: st?.docks ?? null, renting: st?.renting ?? null, returning: st?.returning ?? null,
    min: t?.min ?? null, max: t?.max ?? null, class: t?.class ?? null, expected_failures: t?.expectedFailures ?? null,
    updated_at: iso(st?.updatedAtMs), forecast,
  };
}

/** Every station the system lists or reports, in id order. */
export function stationIds(s: SystemLive): string[] {
  const ids = new Set([...s.stations.keys(), ...s.status.keys()]);
  return [...ids].sort();
}

export function planView(p: LivePlan | null) {
  if (!p) return { plan_id: null, state: null, issued_at: null, proposed_at: null, routes: [] };
  return {
    plan_id: p.planId, state: p.state, at: p.plan.at, target_run: p.plan.target_run,
    issued_at: iso(p.issuedAtMs), proposed_at: iso(p.proposedAtMs),
    expected_failures_before: p.plan.expected_failures_before, expected_failures_after: p.plan.expected_failures_after,
    routes: p.plan.routes.map((r) => ({ truck: r.truck, start: r.start, start_load: r.start_load, end: r.end, stops: r.stops.map((x, i) => stopView(x, i + 1)) })),
  };
}

export function stopView(x: PlanStop, seq: number) {
  return {
    seq, station_id: x.station_id, name: x.name, number: x.number, lat: x.lat, lon: x.lon,
    ...(x.collect !== undefined ? { collect: x.collect } : {}), ...(x.drop !== undefined ? { drop: x.drop } : {}),
    arrival: x.arrival, load_after: x.load_after,
  };
}

/** A truck's stops on the issued plan that it has not reported yet, in order. */
export function nextStops(s: SystemLive, truck: string) {
  const route = s.issued?.plan.routes.find((r) => r.truck === truck);
  const done = s.trucks.get(truck)?.reported ?? new Set<string>();
  return (route?.stops ?? []).map((x, i) => ({ x, seq: i + 1 })).filter(({ x }) => !done.has(x.station_id)).map(({ x, seq }) => stopView(x, seq));
}

export interface Staleness {
  feed_stale: boolean;
  targets_stale: boolean;
  reasons: string[];
}

/**
 * A feed is stale after `feedStaleMs` without a good snapshot (or before the first); targets are
 * stale once their horizon has passed, or when the status they would be made from is.
 */
export function staleness(s: SystemLive, nowMs: number, feedStaleMs: number): Staleness {
  const reasons: string[] = [];
  const last = s.feed.lastSnapshotMs;
  const feedStale = last === null || nowMs - last > feedStaleMs;
  if (last === null) reasons.push('no snapshot from the feed yet');
  else if (feedStale) reasons.push(`no good snapshot for ${Math.round((nowMs - last) / 60_000)} min${s.feed.lastError ? ` (last error: ${s.feed.lastError.message})` : ''}`);
  let targetsStale = true;
  if (!s.targets) reasons.push('no targets yet');
  else if (nowMs > s.targets.atMs + s.targets.horizonMinutes * 60_000) reasons.push(`targets of ${iso(s.targets.atMs)} are past their ${s.targets.horizonMinutes} min horizon`);
  else if (feedStale) reasons.push('targets: the feed is stale');
  else targetsStale = false;
  return { feed_stale: feedStale, targets_stale: targetsStale, reasons };
}
