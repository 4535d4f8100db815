// The real operator's row: the stations' empty and full minutes as the log shows them (its trucks
// included), measured with the same meter as the simulated runs.
import { SpellMeter } from './metrics.ts';
import type { Stations } from './world.ts';

export function observedSpells(stations: Stations, rows: ReadonlyArray<{ station: number; t: number; bikes: number; docks: number }>, from: number, to: number, dayWindows: ReadonlyArray<[number, number]>, gaps: ReadonlyArray<[number, number]>) {
  const meter = new SpellMeter(dayWindows, gaps, stations.ids.length);
  meter.start(from, stations.bikes, stations.capacity);
  for (const r of rows) if (r.t >= from && r.t < to) meter.update(r.station, r.t, r.bikes, r.bikes + r.docks);
  meter.finish(to);
  return meter.totals;
}
