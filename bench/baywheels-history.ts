// Benchmark: importing the ten-month Bay Wheels status history (2.2 M change rows, 34,704 snapshot
// times, 70 station_information versions) with `gbfs-history` and deriving its hourly flows, against
// DuckDB reading the same change file into a table, in the same run. Each side runs in its own
// process so that its peak RSS is its own. Writes bench/results/baywheels-history.json.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { dataFile } from '../src/platform/bundled-data.ts';
import { importer } from '../src/platform/import/gbfs-history.ts';
import { runImport } from '../src/platform/import/run-import.ts';
import { sqlString } from '../src/platform/import/file-input.ts';
import { openStore } from '../src/platform/store/connection.ts';
import { describeMachine, peakRssMiB, saveResults } from './lib/machine.ts';
import { asSystemId } from '../src/platform/ids.ts';

const DIR = dataFile('gbfs', 'baywheels');
const CHANGES = join(DIR, 'station_status_changes_2022-08_2023-05.csv.gz');

interface Part { seconds: number; peak_rss_mib: number; [k: string]: number }

async function baseline(db: string): Promise<Part> {
  const t = performance.now();
  const instance = await DuckDBInstance.create(db);
  const c = await instance.connect();
  await c.run(`CREATE TABLE changes AS SELECT * FROM read_csv(${sqlString(CHANGES)})`);
  const rows = Number((await c.runAndReadAll('SELECT count(*) FROM changes')).getRows()[0]![0]);
  c.closeSync();
  instance.closeSync();
  return { seconds: (performance.now() - t) / 1000, peak_rss_mib: peakRssMiB(), rows };
}

async function importHistory(db: string): Promise<Part> {
  const t = performance.now();
  const store = await openStore(db);
  let flowsSeconds = 0;
  const timed = { ...importer, async afterAll(...args: Parameters<NonNullable<typeof importer.afterAll>>) {
    const f = performance.now();
    await importer.afterAll!(...args);
    flowsSeconds = (performance.now() - f) / 1000;
  } };
  const s = await runImport(store, timed, [DIR], { system: asSystemId('baywheels') });
  const n = async (sql: string) => Number(Object.values((await store.all(sql))[0]!)[0]);
  const result = {
    seconds: (performance.now() - t) / 1000,
    flows_seconds: flowsSeconds,
    peak_rss_mib: peakRssMiB(),
    change_rows_imported: s.files.find((f) => f.file === CHANGES)?.imported ?? 0,
    status_rows: await n('SELECT count(*) FROM status'),
    snapshots: await n('SELECT count(*) FROM snapshots'),
    gaps: await n('SELECT count(*) FROM gaps'),
    hourly_flows: await n('SELECT count(*) FROM hourly_flows'),
    pickups: await n('SELECT sum(pickups) FROM hourly_flows'),
    returns: await n('SELECT sum(returns) FROM hourly_flows'),
    truck_in: await n('SELECT sum(truck_in) FROM hourly_flows'),
    truck_out: await n('SELECT sum(truck_out) FROM hourly_flows'),
  };
  await store.close();
  return result;
}

/** Run one side in a child process and read its JSON line. */
function child(part: 'baseline' | 'import'): Part {
  const dir = mkdtempSync(join(tmpdir(), 'urbanlab-bench-'));
  try {
    const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), part, join(dir, 'b.duckdb')], { encoding: 'utf-8', stdio: ['ignore', 'pipe', 'inherit'] });
    if (r.status !== 0) throw new Error(`${part} failed (exit ${r.status})`);
    return JSON.parse(r.stdout.trim().split('\n').pop()!) as Part;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const [part, db] = process.argv.slice(2);
if (part === 'baseline' || part === 'import') {
  const r = part === 'baseline' ? await baseline(db!) : await importHistory(db!);
  process.stdout.write(JSON.stringify(r) + '\n');
} else {
  console.log(describeMachine());
  console.log(`data: ${CHANGES} (+ snapshot times and station history in ${DIR})`);
  const base = child('baseline');
  console.log(`DuckDB read_csv of the change file into a table: ${base['rows']!.toLocaleString('en-US')} rows in ${base.seconds.toFixed(1)} s, peak RSS ${base.peak_rss_mib} MiB`);
  const imp = child('import');
  console.log(`urbanlab import gbfs-history + hourly flows: ${imp.seconds.toFixed(1)} s (of which hourly flows and gaps ${imp['flows_seconds']!.toFixed(1)} s), peak RSS ${imp.peak_rss_mib} MiB`);
  console.log(`  status rows ${imp['status_rows']!.toLocaleString('en-US')}, snapshots ${imp['snapshots']!.toLocaleString('en-US')}, gaps ${imp['gaps']}, hourly rows ${imp['hourly_flows']!.toLocaleString('en-US')}`);
  console.log(`  pickups ${imp['pickups']!.toLocaleString('en-US')}, returns ${imp['returns']!.toLocaleString('en-US')}, truck in/out ${imp['truck_in']!.toLocaleString('en-US')}/${imp['truck_out']!.toLocaleString('en-US')}`);
  const ratio = imp.seconds / base.seconds;
  console.log(`ratio (import + flows) / DuckDB read_csv: ${ratio.toFixed(2)}x`);
  const path = saveResults('baywheels-history', { data: CHANGES, duckdb_read_csv: base, import: imp, ratio: Math.round(ratio * 100) / 100 });
  console.log(`results: ${path}`);
}
