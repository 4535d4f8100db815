// `--out <dir>`: everything a run leaves behind, written after it finishes: the figures
// (summary.json: the --json document, each run's details and the data section), each policy's
// event log (events-<policy>.jsonl: a `run` line, then the events in time order; docs/simulate.md),
// the per-hour failure chart and a failure map per policy (SVG and PNG).
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DistrictShape } from '../platform/charts/basemap.ts';
import { writeChartFiles } from '../platform/charts/write.ts';
import type { Fleet } from '../rebalancing/planning/fleet.ts';
import { simulationCharts, type ChartRun } from './charts.ts';
import type { MemoryLog, RunLine } from './event-log.ts';
import type { ReplayResult } from './replay.ts';
import type { Stations } from './world.ts';

export interface RunOutputs {
  run: ChartRun & { seed: number };
  summary: unknown;
  stations: Stations;
  results: readonly ReplayResult[];
  logs: ReadonlyMap<string, MemoryLog>;
  fleet: Fleet;
  districts: readonly DistrictShape[];
}

/** Writes a file whole or not at all (a kill mid-write leaves the old one or none). */
function writeWhole(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

export function writeRunOutputs(dir: string, o: RunOutputs): string[] {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const summary = join(dir, 'summary.json');
  writeWhole(summary, JSON.stringify(o.summary, null, 2) + '\n');
  written.push(summary);
  const s = o.stations;
  const stations = s.ids.map((id, i) => ({ id, lat: s.lat[i]!, lon: s.lon[i]!, capacity: s.capacity[i]!, bikes: s.bikes[i]! }));
  for (const [policy, log] of o.logs) {
    const head: RunLine = {
      type: 'run', policy, system: o.run.system, demand: o.run.demand, from: o.run.from, to: o.run.to, seed: o.run.seed,
      depot: o.fleet.depot, stations, trucks: o.fleet.trucks.map((t) => ({ id: t.id, capacity: t.capacity, load: t.startLoad })),
    };
    const path = join(dir, `events-${policy}.jsonl`);
    writeWhole(path, log.jsonl(head));
    written.push(path);
  }
  written.push(...writeChartFiles(dir, simulationCharts(o.run, o.stations, o.results, o.districts)));
  return written;
}
