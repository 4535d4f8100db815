// Station-minutes empty and full, outages, failures: what a run is judged by. Kept as spells: a
// station's state (normal, empty, full) changes only at an event, so a spell is closed then and its
// length added, all day, inside 06:00-22:00 local, and over covered time (outside feed gaps).
import { longestInOneWindow, overlapSeconds } from './day-window.ts';

const NORMAL = 0;
const EMPTY = 1;
const FULL = 2;

/** The KPI of the Bay Area contract: empty or full for more than 10 consecutive minutes in the day. */
export const OUTAGE_LIMIT_S = 600;

export interface SpellTotals {
  emptyS: number;
  fullS: number;
  emptyDayS: number;
  fullDayS: number;
  /** Over covered time only (feed gaps taken out). */
  emptyCoveredS: number;
  fullCoveredS: number;
  /** 06:00-22:00 local and covered. */
  emptyDayCoveredS: number;
  fullDayCoveredS: number;
  outagesOver10: number;
  /** Outages over 10 minutes seen in covered time alone (more than 10 minutes between two gaps). */
  outagesOver10Covered: number;
}

export class SpellMeter {
  readonly totals: SpellTotals = { emptyS: 0, fullS: 0, emptyDayS: 0, fullDayS: 0, emptyCoveredS: 0, fullCoveredS: 0, emptyDayCoveredS: 0, fullDayCoveredS: 0, outagesOver10: 0, outagesOver10Covered: 0 };
  private readonly state: Int8Array;
  private readonly since: Float64Array;
  /** The gaps' parts inside 06:00-22:00, and the day's pieces outside them. */
  private readonly dayGaps: Array<[number, number]>;
  private readonly dayCovered: Array<[number, number]>;

  constructor(
    private readonly windows: ReadonlyArray<[number, number]>,
    /** Feed gaps, sorted and disjoint. */
    private readonly gaps: ReadonlyArray<[number, number]>,
    n: number,
  ) {
    this.state = new Int8Array(n);
    this.since = new Float64Array(n);
    this.dayGaps = intersect(windows, gaps);
    this.dayCovered = subtract(windows, this.dayGaps);
  }

  /** Every station's state at `t` (the start). */
  start(t: number, bikes: Int32Array, capacity: Int32Array): void {
    for (let s = 0; s < bikes.length; s++) {
      this.state[s] = stateOf(bikes[s]!, capacity[s]!);
      this.since[s] = t;
    }
  }

  /** Station `s` now holds `bikes` of `capacity` at `t`. */
  update(s: number, t: number, bikes: number, capacity: number): void {
    const now = stateOf(bikes, capacity);
    const was = this.state[s]!;
    if (now === was) return;
    if (was !== NORMAL) this.close(was, this.since[s]!, t);
    this.state[s] = now;
    this.since[s] = t;
  }

  /** Close every open spell at `t` (the end of the run). */
  finish(t: number): void {
    for (let s = 0; s < this.state.length; s++) {
      const was = this.state[s]!;
      if (was !== NORMAL) this.close(was, this.since[s]!, t);
      this.state[s] = NORMAL;
    }
  }

  private close(kind: number, a: number, b: number): void {
    if (b <= a) return;
    const len = b - a;
    const day = overlapSeconds(this.windows, a, b);
    const covered = len - overlapSeconds(this.gaps, a, b);
    const dayCovered = day - overlapSeconds(this.dayGaps, a, b);
    const T = this.totals;
    if (kind === EMPTY) {
      T.emptyS += len;
      T.emptyDayS += day;
      T.emptyCoveredS += covered;
      T.emptyDayCoveredS += dayCovered;
    } else {
      T.fullS += len;
      T.fullDayS += day;
      T.fullCoveredS += covered;
      T.fullDayCoveredS += dayCovered;
    }
    if (day > OUTAGE_LIMIT_S && longestInOneWindow(this.windows, a, b) > OUTAGE_LIMIT_S) this.totals.outagesOver10++;
    if (dayCovered > OUTAGE_LIMIT_S && longestInOneWindow(this.dayCovered, a, b) > OUTAGE_LIMIT_S) this.totals.outagesOver10Covered++;
  }
}

/** The parts of sorted disjoint intervals `b` inside sorted disjoint intervals `a`. */
export function intersect(a: ReadonlyArray<[number, number]>, b: ReadonlyArray<[number, number]>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i]![0], b[j]![0]);
    const hi = Math.min(a[i]![1], b[j]![1]);
    if (hi > lo) out.push([lo, hi]);
    if (a[i]![1] < b[j]![1]) i++;
    else j++;
  }
  return out;
}

/** The parts of sorted disjoint intervals `a` outside `b` (`b` inside `a`'s union, sorted, disjoint). */
export function subtract(a: ReadonlyArray<[number, number]>, b: ReadonlyArray<[number, number]>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let j = 0;
  for (const [lo0, hi] of a) {
    let lo = lo0;
    while (j < b.length && b[j]![1] <= lo) j++;
    let k = j;
    while (k < b.length && b[k]![0] < hi) {
      if (b[k]![0] > lo) out.push([lo, b[k]![0]]);
      lo = Math.max(lo, b[k]![1]);
      k++;
    }
    if (lo < hi) out.push([lo, hi]);
  }
  return out;
}

function stateOf(bikes: number, capacity: number): number {
  return bikes <= 0 ? EMPTY : bikes >= capacity ? FULL : NORMAL;
}
