// Benchmark: importing a month of Seoul trips vs DuckDB's own read_csv of the same file.
// Requirement (issue 3): our import takes at most 2x DuckDB's read_csv into a table, peak RSS < 2 GiB.
// No real month is bundled: the month is GENERATED from the real 999-row sample's records, in the
// published 17-column layout and CP949 encoding (see bench/lib/seoul-trip-month.ts), under /tmp.
// Runs alternate (DuckDB, ours, DuckDB, ours, ...) so machine load hits both alike; each run is a
// fresh process and a fresh store file. Env: SEOUL_BENCH_ROWS (default 3,500,000), SEOUL_BENCH_ROUNDS (2).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dataFile } from '../src/platform/bundled-data.ts';
import { describeMachine, machine, saveResults } from './lib/machine.ts';
import { writeSeoulTripMonth } from './lib/seoul-trip-month.ts';

const here = dirname(fileURLToPath(import.meta.url));
const rows = Number(process.env['SEOUL_BENCH_ROWS'] ?? 3_500_000);
const rounds = Number(process.env['SEOUL_BENCH_ROUNDS'] ?? 2);
const dir = '/tmp/urbanlab-bench';
mkdirSync(dir, { recursive: true });
const sample = dataFile('seoul', 'trips', 'trip_history_sample_17col_999rows.csv');
const file = join(dir, `seoul_trips_2025-06_generated_${rows}rows_17col_cp949_distinct.csv`);

const m = machine();
console.log(describeMachine(m));
if (!existsSync(file)) {
  console.log(`generating ${rows.toLocaleString('en-US')} trips from the real sample's rows (17-column layout, CP949) -> ${file}`);
  await writeSeoulTripMonth({ sample, out: file, rows, month: '2025-06' });
}
const bytes = statSync(file).size;
console.log(`data: ${file} — GENERATED from the 999 real sample records (${sample}), ${rows.toLocaleString('en-US')} rows, ${(bytes / 2 ** 20).toFixed(0)} MiB, CP949, published 17-column header`);

interface Run { mode: string; seconds: number; rows: number; maxRssMiB: number; rejected?: Record<string, number> }
const worker = resolve(here, 'lib', 'seoul-trips-worker.ts');
const run = (mode: 'ours' | 'duckdb'): Run => {
  const out = execFileSync(process.execPath, ['--import', 'tsx', worker, mode, file, join(dir, `bench-${mode}.duckdb`), 'cp949'], { encoding: 'utf-8', stdio: ['ignore', 'pipe', 'inherit'] });
  const r = JSON.parse(out.trim().split('\n').pop()!) as Run;
  console.log(`  ${mode.padEnd(6)} ${r.seconds.toFixed(1)} s, ${r.rows.toLocaleString('en-US')} rows, peak RSS ${r.maxRssMiB.toFixed(0)} MiB`);
  return r;
};
const duck: Run[] = [];
const ours: Run[] = [];
for (let i = 0; i < rounds; i++) {
  console.log(`round ${i + 1}/${rounds}`);
  duck.push(run('duckdb'));
  ours.push(run('ours'));
}
const best = (rs: Run[]) => Math.min(...rs.map((r) => r.seconds));
const ratios = duck.map((d, i) => ours[i]!.seconds / d.seconds);
const ratioBest = best(ours) / best(duck);
const peak = Math.max(...ours.map((r) => r.maxRssMiB));
const verdict = ratioBest <= 2 && peak < 2048 ? 'MEETS' : 'MISSES';
console.log(`result: ours best ${best(ours).toFixed(1)} s vs DuckDB read_csv best ${best(duck).toFixed(1)} s -> ratio ${ratioBest.toFixed(2)} (per round: ${ratios.map((r) => r.toFixed(2)).join(', ')}); ours peak RSS ${peak.toFixed(0)} MiB`);
console.log(`requirement (ratio <= 2.0, peak RSS < 2048 MiB): ${verdict}`);
console.log(`rejected by our import: ${JSON.stringify(ours[0]?.rejected ?? {})}`);

const path = saveResults('seoul-trips-import', {
  data: { file, generated: true, from: sample, rows, bytes, layout: '17-column published header', encoding: 'cp949' },
  baseline: "DuckDB read_csv(file, encoding='latin-1') into a persistent table (DuckDB cannot decode CP949 itself; latin-1 keeps the bytes)",
  runs: { duckdb: duck, ours },
  bestSeconds: { duckdb: best(duck), ours: best(ours) },
  ratioBest,
  ratioPerRound: ratios,
  oursPeakRssMiB: peak,
  requirement: { maxRatio: 2, maxRssMiB: 2048, verdict },
});
console.log(`wrote ${path}`);
