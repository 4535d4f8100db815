// Classes (재고 부족/과잉): every station's current bikes against its interval, and the shortage and
// surplus ratios of the whole system and of each district.
import type { TargetInterval } from './interval.ts';

export type TargetClass = 'shortage' | 'surplus' | 'balanced';

export interface Classification {
  class: TargetClass;
  /** Bikes to bring to reach min (0 unless shortage). */
  bring: number;
  /** Bikes to take to come down to max (0 unless surplus). */
  take: number;
}

export function classify(current: number, interval: TargetInterval): Classification {
  if (current < interval.min) return { class: 'shortage', bring: interval.min - current, take: 0 };
  if (current > interval.max) return { class: 'surplus', bring: 0, take: current - interval.max };
  return { class: 'balanced', bring: 0, take: 0 };
}

export interface ClassRatios {
  stations: number;
  shortage: number;
  surplus: number;
  balanced: number;
  /** Share of stations in shortage. */
  shortage_ratio: number;
  surplus_ratio: number;
  /** Bikes to bring and to take, summed. */
  bring: number;
  take: number;
}

function ratiosOf(items: readonly Classification[]): ClassRatios {
  const r: ClassRatios = { stations: items.length, shortage: 0, surplus: 0, balanced: 0, shortage_ratio: 0, surplus_ratio: 0, bring: 0, take: 0 };
  for (const c of items) {
    r[c.class]++;
    r.bring += c.bring;
    r.take += c.take;
  }
  r.shortage_ratio = items.length ? r.shortage / items.length : 0;
  r.surplus_ratio = items.length ? r.surplus / items.length : 0;
  return r;
}

/** Ratios for the system and per district (stations without a district go under '(none)'). */
export function classRatios(items: readonly (Classification & { district?: string | null | undefined })[]): {
  system: ClassRatios;
  districts: Record<string, ClassRatios>;
} {
  const groups = new Map<string, Classification[]>();
  for (const it of items) {
    const d = it.district ?? '(none)';
    let g = groups.get(d);
    if (!g) groups.set(d, (g = []));
    g.push(it);
  }
  const districts: Record<string, ClassRatios> = {};
  for (const d of [...groups.keys()].sort()) districts[d] = ratiosOf(groups.get(d)!);
  return { system: ratiosOf(items), districts };
}
