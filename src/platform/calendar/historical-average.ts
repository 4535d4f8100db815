// The historical average, the one way the project computes it: the (weighted) mean of past values
// that fall in the same calendar cell. Each use picks its cells and its past:
// - the forecast's `historical_average` baseline and profile: station x local hour x day type, over
//   the training hours (src/rebalancing/forecast/baselines.ts);
// - the targets' fallback rates: station x hour of the horizon, over the weeks before it, each hour
//   weighted by the time the station could serve (src/rebalancing/targets/historical-rates.ts);
// - the station-month baseline: station x month of year (src/rebalancing/forecast/monthly.ts);
// - the population baseline: local hour x day type (src/population/baselines.ts).
// Day types are the project's one list (day-types.ts beside this file).

/** Sums and weights per cell, filled with `add`, read with `mean`. */
export class CellMeans {
  readonly sum: Float64Array;
  readonly weight: Float64Array;

  constructor(readonly cells: number) {
    this.sum = new Float64Array(cells);
    this.weight = new Float64Array(cells);
  }

  /** One past value in cell c, weighing w (1 = one observation). */
  add(c: number, value: number, w = 1): void {
    this.sum[c]! += value;
    this.weight[c]! += w;
  }

  /** The cell's mean, or `empty` (NaN unless given) when nothing fell in it. */
  mean(c: number, empty = Number.NaN): number {
    const w = this.weight[c]!;
    return w > 0 ? this.sum[c]! / w : empty;
  }

  /** The cell's mean shrunk toward `prior` with the weight `priorWeight` (a prior worth that many observations). */
  shrunk(c: number, prior: number, priorWeight: number): number {
    return (this.sum[c]! + priorWeight * prior) / (this.weight[c]! + priorWeight);
  }

  /** The same cells pooled over `groups` consecutive blocks of `cells / groups` (e.g. all stations). */
  pooled(groups: number): CellMeans {
    const n = this.cells / groups;
    if (!Number.isInteger(n)) throw new RangeError(`${this.cells} cells do not split into ${groups} groups`);
    const out = new CellMeans(n);
    for (let g = 0; g < groups; g++) {
      for (let c = 0; c < n; c++) {
        out.sum[c] = out.sum[c]! + this.sum[g * n + c]!;
        out.weight[c] = out.weight[c]! + this.weight[g * n + c]!;
      }
    }
    return out;
  }
}

/** Cell of a local hour 0..23 on a day type index (day-types.ts): 24 per day type. */
export function hourDayTypeCell(dayType: number, hour: number): number {
  return dayType * 24 + hour;
}
