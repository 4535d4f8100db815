// The per-station table: totals, net flow, class, and the share of observed time a station sat
// empty or full (only where status history exists; null otherwise).
import { round } from './by-hour.ts';
import { classify, type ImbalanceRule, type StationRow } from './imbalance.ts';
import type { StationAvailability, StationInfo, StationTotal } from './types.ts';

export function stationRows(
  totals: readonly StationTotal[],
  rule: ImbalanceRule,
  info: ReadonlyMap<string, StationInfo> = new Map(),
  availability: readonly StationAvailability[] = [],
): StationRow[] {
  const avail = new Map(availability.map((a) => [a.stationId, a]));
  const rows = totals.map((t): StationRow => {
    const c = classify(t, rule);
    const a = avail.get(t.stationId);
    const observed = a && a.minutesObserved > 0 ? a.minutesObserved : null;
    const i = info.get(t.stationId);
    return {
      station_id: t.stationId,
      name: i?.name ?? null,
      district: i?.district ?? null,
      pickups: t.pickups,
      returns: t.returns,
      net: c.net,
      imbalance: c.imbalance,
      class: c.class,
      empty_share: observed ? round(a!.minutesEmpty / observed, 4) : null,
      full_share: observed ? round(a!.minutesFull / observed, 4) : null,
    };
  });
  // Most imbalanced first (by |net|), ties by id so the order is stable.
  return rows.sort((a, b) => Math.abs(b.net) - Math.abs(a.net) || a.station_id.localeCompare(b.station_id));
}

export function classCounts(rows: readonly StationRow[]): Record<'source' | 'sink' | 'balanced', number> {
  const out = { source: 0, sink: 0, balanced: 0 };
  for (const r of rows) out[r.class]++;
  return out;
}

/** The stations to chart: sources and sinks by largest |net| first, then balanced ones, `n` in all. */
export function topImbalanced(rows: readonly StationRow[], n: number): StationRow[] {
  return [...rows.filter((r) => r.class !== 'balanced'), ...rows.filter((r) => r.class === 'balanced')].slice(0, n);
}
