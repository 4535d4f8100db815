// One simulation request end to end: demand from the store, then each policy replayed on the same
// events, the same fleet and the same start. The store is read here and only here.
import type { Store } from '../platform/store/connection.ts';
import { mulberry32 } from '../platform/util/random.ts';
import { UserError } from '../platform/errors.ts';
import type { Fleet } from '../rebalancing/planning/fleet.ts';
import { dayWindows } from './day-window.ts';
import { eventsFromChanges } from './demand.ts';
import type { EventLog } from './event-log.ts';
import { observedSpells } from './observed.ts';
import { observedJson, runDetail, runJson } from './output.ts';
import { nonePolicy } from './policies/none.ts';
import type { Policy } from './policies/policy.ts';
import { reactivePolicy } from './policies/reactive.ts';
import { replay, type ReplayResult } from './replay.ts';
import { loadStatusDemand } from './status-demand.ts';
import { zoneOffset } from '../rebalancing/planning/assemble.ts';

export const POLICIES = ['none', 'static', 'reactive', 'rolling', 'oracle'] as const;
export type PolicyName = (typeof POLICIES)[number];
/** The policies built so far; the others are refused with a message that says so. */
export const BUILT: readonly PolicyName[] = ['none', 'reactive'];

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
}

function policyOf(name: PolicyName): Policy {
  if (name === 'none') return nonePolicy();
  if (name === 'reactive') return reactivePolicy();
  throw new UserError(`--policy ${name}: not built yet (issue 21; built: ${BUILT.join(', ')})`);
}

/** Each local day's shift start in [from - 1 day, to). */
export function shiftStarts(from: number, to: number, timeZone: string, minutes: number): number[] {
  const off = (t: number) => {
    const o = zoneOffset(t, timeZone);
    return (o.startsWith('-') ? -1 : 1) * (Number(o.slice(1, 3)) * 3600 + Number(o.slice(4, 6)) * 60);
  };
  const out: number[] = [];
  for (let day = Math.floor((from + off(from)) / 86400) - 1; day * 86400 - off(day * 86400) < to; day++) {
    const local = day * 86400 + minutes * 60;
    const t = local - off(local);
    if (t >= from - 86400 && t < to) out.push(t);
  }
  return out;
}

export async function simulate(store: Store, req: SimulateRequest) {
  if (req.demand === 'trips') throw new UserError('--demand trips: not built yet (issue 21); use --demand status');
  for (const p of req.policies) policyOf(p);
  const zone = (await store.all<{ timezone: string }>('SELECT timezone FROM systems WHERE system_id = $1', [req.systemId]))[0]?.timezone;
  if (!zone) throw new UserError(`--system: no system '${req.systemId}' in the store`);
  const loadStart = performance.now();
  const demand = await loadStatusDemand(store, req.systemId, req.from, req.to);
  const events = eventsFromChanges(demand.changes, mulberry32(req.seed));
  const windows = dayWindows(req.from, req.to, zone);
  const shifts = shiftStarts(req.from, req.to, zone, req.shiftStartMinutes);
  const loadS = (performance.now() - loadStart) / 1000;
  const runs: Array<{ result: ReplayResult; seconds: number }> = [];
  for (const name of req.policies) {
    const t0 = performance.now();
    const log = req.logFor?.(name);
    const result = replay({ stations: demand.stations, events, from: req.from, to: req.to, dayWindows: windows, gaps: demand.gaps, fleet: req.fleet, shiftStarts: shifts, policy: policyOf(name), ...(log ? { log } : {}) });
    runs.push({ result, seconds: (performance.now() - t0) / 1000 });
  }
  const none = runs.find((r) => r.result.policy === 'none')?.result;
  const observed = observedJson(observedSpells(demand.stations, demand.observed, req.from, req.to, windows, demand.gaps), demand.operatorBikesMoved);
  return {
    runs: runs.map((r) => runJson(r.result, r.seconds)),
    details: runs.map((r) => ({ policy: r.result.policy, ...runDetail(r.result, none) })),
    results: runs.map((r) => r.result),
    observed,
    data: { stations: demand.stations.ids.length, stale_left_out: demand.stale.length, events: events.t.length, gaps: demand.gaps.length, gap_changes_left_out: demand.gapChangesLeftOut, load_seconds: Math.round(loadS * 1000) / 1000, zone },
    stations: demand.stations,
  };
}
