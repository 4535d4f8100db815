// The forecast's hourly shape of each station's demand over the simulated window, and the two
// things the simulator reads from it: where inside a feed gap the net change's riders came (the
// issue: Bay Wheels has 25+ minute gaps for 2-3 hours of most days, mostly 16:00-22:00, when the
// hourly shape is far from flat), and how many riders the log cannot see because the real station
// was empty (full) when they came.
//
// The shape is the forecast's own cell profile (src/rebalancing/forecast/baselines.ts cellProfile:
// mean per station x local hour x day type) over the weeks before --from, so nothing after the
// start shapes the demand. Fitted with censoring 'exclude' (the model's correction: hours the
// station was empty half the time or more are left out of pickups, full of returns) and with
// 'ignore' (the log as it is), so the correction's size can be stated.
import type { Flow } from '../rebalancing/forecast/panel.ts';
import type { DemandChange } from './demand.ts';

export interface DemandShape {
  /** Epoch seconds of hour 0 (on the hour, UTC). */
  start: number;
  hours: number;
  /** Expected riders per hour, station-major (station * hours + h), censoring 'exclude' (the forecast's). */
  pickups: Float64Array;
  returns: Float64Array;
  /** The same with censoring 'ignore': what the log's own counts would give. */
  pickupsIgnore: Float64Array;
  returnsIgnore: Float64Array;
  /** Stations of the world with a profile of their own (the others take the system-wide cell mean). */
  stationsWithProfile: number;
  /** The weeks of data behind the profile, [from, to) epoch seconds. */
  fittedFrom: number;
  fittedTo: number;
}

export function rateOf(shape: DemandShape, flow: Flow, station: number, t: number): number {
  const h = Math.floor((t - shape.start) / 3600);
  if (h < 0 || h >= shape.hours) return 0;
  return (flow === 'pickups' ? shape.pickups : shape.returns)[station * shape.hours + h]!;
}

/**
 * When inside [gapStart, t) one of a gap change's riders came, for a uniform draw `u`: the gap
 * is cut at hour boundaries and each piece weighted by its length times the station's hourly rate
 * of the change's flow (pickups for a net loss, returns for a net gain); with no rate anywhere in
 * the gap, uniformly.
 */
export function placeInGap(shape: DemandShape, c: DemandChange, u: number): number {
  const a = c.gapStart!;
  const b = c.t;
  const flow: Flow = c.n < 0 ? 'pickups' : 'returns';
  const pieces: Array<[number, number, number]> = [];
  let total = 0;
  for (let x = a; x < b; ) {
    const next = Math.min(b, (Math.floor(x / 3600) + 1) * 3600);
    const w = (next - x) * rateOf(shape, flow, c.station, x);
    pieces.push([x, next, w]);
    total += w;
    x = next;
  }
  if (!(total > 0)) return a + u * (b - a);
  let target = u * total;
  for (const [x, y, w] of pieces) {
    if (target < w) return x + (target / w) * (y - x);
    target -= w;
  }
  return b - 1e-6;
}

export interface CensoredEstimate {
  /** Riders the forecast's profile expects at the real stations while they were empty: rentals the log cannot see. */
  pickups: number;
  /** The same for returns while full. */
  returns: number;
  /** Station-minutes empty / full in the window as the log shows them (the hours' own counts). */
  emptyMinutes: number;
  fullMinutes: number;
  /** How much the correction raises the expected riders of the window against the log's own profile (exclude - ignore). */
  profileLiftPickups: number;
  profileLiftReturns: number;
}

/**
 * What the forecast's censoring correction would add to the log's demand in the window: for each
 * station-hour, the corrected profile's rate times the share of the hour the real station spent
 * empty (pickups) or full (returns). `hourly` rows are the store's hourly flows of the window.
 */
export function censoredEstimate(shape: DemandShape, hourly: ReadonlyArray<{ station: number; t: number; minutesEmpty: number; minutesFull: number }>): CensoredEstimate {
  const out: CensoredEstimate = { pickups: 0, returns: 0, emptyMinutes: 0, fullMinutes: 0, profileLiftPickups: 0, profileLiftReturns: 0 };
  for (const r of hourly) {
    const h = Math.floor((r.t - shape.start) / 3600);
    if (h < 0 || h >= shape.hours) continue;
    const i = r.station * shape.hours + h;
    out.pickups += (shape.pickups[i]! * Math.min(60, r.minutesEmpty)) / 60;
    out.returns += (shape.returns[i]! * Math.min(60, r.minutesFull)) / 60;
    out.emptyMinutes += r.minutesEmpty;
    out.fullMinutes += r.minutesFull;
  }
  for (let i = 0; i < shape.pickups.length; i++) {
    out.profileLiftPickups += shape.pickups[i]! - shape.pickupsIgnore[i]!;
    out.profileLiftReturns += shape.returns[i]! - shape.returnsIgnore[i]!;
  }
  return out;
}
