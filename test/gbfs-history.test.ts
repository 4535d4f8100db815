// gbfs-history on the real Bay Wheels archive: a two-day slice in the archive's layout (the full ten
// months run in bench/baywheels-history.ts), the whole snapshot-times and station history files.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { gunzipSync, gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { STRAY_REASON } from '../src/platform/gbfs/feeds.ts';
import { importer } from '../src/platform/import/gbfs-history.ts';
import { runImport } from '../src/platform/import/run-import.ts';
import type { Store } from '../src/platform/store/connection.ts';
import { FIRST_SNAPSHOT, INFO_FILE, SNAPSHOTS_FILE, writeBaywheelsSlice } from './helpers/gbfs-slice.ts';
import { tempDir, tempStore, withTempStore } from './helpers/store.ts';
import { asSystemId } from '../src/platform/ids.ts';

const DAY = 86400;
const A = FIRST_SNAPSHOT;
const B = A + DAY + 7 * 3600; // the split point, mid-slice
const C = A + 2 * DAY;
let tmp: ReturnType<typeof tempDir>;
let whole: string, half1: string, half2: string;
let wholeCounts: { changes: number; snapshots: number; info: number };

before(async () => {
  tmp = tempDir();
  [whole, half1, half2] = ['whole', 'half1', 'half2'].map((d) => join(tmp.dir, d)) as [string, string, string];
  for (const d of [whole, half1, half2]) mkdirSync(d);
  wholeCounts = await writeBaywheelsSlice(whole, A, C);
  await writeBaywheelsSlice(half1, A, B);
  await writeBaywheelsSlice(half2, B, C);
});
after(() => tmp.dispose());

const tableDump = async (store: Store, sql: string) => JSON.stringify(await store.all(sql));
const DUMPS: Record<string, string> = {
  status: 'SELECT * EXCLUDE (import_id) FROM status ORDER BY station_id, observed_at',
  snapshots: 'SELECT system_id, observed_at, stations FROM snapshots ORDER BY observed_at',
  gaps: 'SELECT * FROM gaps ORDER BY gap_start',
  hourly_flows: 'SELECT * FROM hourly_flows ORDER BY station_id, hour',
  station_versions: 'SELECT * EXCLUDE (import_id) FROM station_versions ORDER BY station_id, valid_from',
};

test('a two-day slice: every change row, every snapshot time, gaps and hourly flows', () =>
  withTempStore(async (t) => {
    const s = await runImport(t.store, importer, [whole], { system: asSystemId('baywheels') });
    assert.equal(s.files.length, 3);
    const n = async (sql: string) => Number(Object.values((await t.store.all(sql))[0]!)[0]);
    // A change log holds only changes: each of its rows is a new state, so all of them are kept.
    assert.equal(await n('SELECT count(*) FROM status'), wholeCounts.changes);
    assert.deepEqual(s.rejected, {});
    // Every line of the snapshot file but the header is a snapshot time.
    assert.equal(await n('SELECT count(*) FROM snapshots'), wholeCounts.snapshots);
    assert.ok(await n('SELECT count(*) FROM gaps') > 0, 'the slice holds at least one feed outage');
    // One hourly row per station present and hour, from its first row to the last snapshot.
    const hours = await n(`SELECT count(*) FROM (SELECT DISTINCT date_trunc('hour', observed_at) FROM snapshots)`);
    const stations = await n('SELECT count(DISTINCT station_id) FROM status');
    const flows = await n('SELECT count(*) FROM hourly_flows');
    assert.ok(flows > stations * (hours - 3) && flows <= stations * (hours + 1), `${flows} hourly rows for ${stations} stations x ${hours} hours`);
    // Pickups and returns balance roughly over a system (bikes are not created): within 25%.
    const r = (await t.store.all<{ p: number; r: number }>('SELECT sum(pickups) AS p, sum(returns) AS r FROM hourly_flows'))[0]!;
    assert.ok(r.p > 1000 && Math.abs(r.p - r.r) / r.p < 0.25, JSON.stringify(r));
    // Observed minutes never exceed the hour, nor empty/full the observed ones.
    assert.equal(await n('SELECT count(*) FROM hourly_flows WHERE minutes_observed > 60.0001 OR minutes_empty > minutes_observed + 1e-6 OR minutes_full > minutes_observed + 1e-6'), 0);

    // Idempotent: the same folder again changes nothing.
    const before = await Promise.all(Object.values(DUMPS).map((q) => tableDump(t.store, q)));
    const again = await runImport(t.store, importer, [whole], { system: asSystemId('baywheels') });
    assert.equal(again.imported, 0);
    assert.ok(again.files.every((f) => f.skipped));
    assert.deepEqual(await Promise.all(Object.values(DUMPS).map((q) => tableDump(t.store, q))), before);
  }));

test('two halves imported one after the other give the same tables as the whole', async () => {
  const w = await tempStore();
  const h = await tempStore();
  try {
    await runImport(w.store, importer, [whole], { system: asSystemId('baywheels') });
    const first = await runImport(h.store, importer, [half1], { system: asSystemId('baywheels') });
    const second = await runImport(h.store, importer, [half2], { system: asSystemId('baywheels') });
    assert.ok(first.imported > 0 && second.imported > 0);
    for (const [name, q] of Object.entries(DUMPS)) assert.equal(await tableDump(h.store, q), await tableDump(w.store, q), `table ${name} differs`);
  } finally {
    await w.dispose();
    await h.dispose();
  }
});

test('a later period that restates the stored state (full first snapshot) adds nothing twice', async () => {
  const t = await tempStore();
  const d = tempDir();
  try {
    await runImport(t.store, importer, [half1], { system: asSystemId('baywheels') });
    const before = await t.store.all<{ n: number }>('SELECT count(*) AS n FROM status');
    // The second half's first snapshot restating every station's current state, as a fresh
    // extract of a later period would; plus the last snapshot of the first half again (overlap).
    const lines = gunzipSync(readFileSync(join(half2, 'station_status_changes_slice.csv.gz'))).toString().trimEnd().split('\n');
    const state = await t.store.all<Record<string, unknown>>(`SELECT station_id, bikes_available, ebikes_available, bikes_disabled, docks_available, docks_disabled,
        is_installed::INT AS i, is_renting::INT AS r, is_returning::INT AS ret, epoch(last_reported) AS lr FROM status QUALIFY row_number() OVER (PARTITION BY station_id ORDER BY observed_at DESC) = 1`);
    const firstTime = Number(lines[1]!.split(',')[0]);
    const restated = state.map((s) => [firstTime - 1, s['station_id'], s['bikes_available'], s['ebikes_available'], s['bikes_disabled'], s['docks_available'], s['docks_disabled'], s['i'], s['r'], s['ret'], s['lr']].join(','));
    writeFileSync(join(d.dir, 'station_status_changes_later.csv.gz'), gzipSync([lines[0], ...restated, ...lines.slice(1)].join('\n') + '\n'));
    const r = await runImport(t.store, importer, [d.dir], { system: asSystemId('baywheels') });
    assert.equal(r.rejected["state unchanged from the station's previous row (already represented)"], restated.length);
    const added = (await t.store.all<{ n: number }>('SELECT count(*) AS n FROM status'))[0]!.n - before[0]!.n;
    assert.equal(added, lines.length - 1);
  } finally {
    await t.dispose();
    d.dispose();
  }
});

test('the whole snapshot-times and station-history files: counts a person can check', async () => {
  const t = await tempStore();
  const d = tempDir();
  try {
    const lines = gunzipSync(readFileSync(SNAPSHOTS_FILE)).toString().trimEnd().split('\n').length;
    const info = gunzipSync(readFileSync(INFO_FILE)).toString().trimEnd().split('\n');
    const ids = new Set<string>();
    for (const l of info) for (const s of (JSON.parse(l) as { feed: { data: { stations: { station_id: string }[] } } }).feed.data.stations) ids.add(s.station_id);
    const s = await runImport(t.store, importer, [SNAPSHOTS_FILE, INFO_FILE], { system: asSystemId('baywheels') });
    assert.equal(s.files[0]!.imported, lines - 1);
    assert.equal(lines - 1, 34704);
    assert.equal((await t.store.all<{ n: number }>('SELECT count(*) AS n FROM snapshots'))[0]!.n, 34704);
    // Every station but one: 'MTL-LAB-SF-ECO5-2' (c143f2f7...), a lab entry the feed lists at 0,0 in 20 of its 70 documents,
    // is left out as a place far outside the system's area (issue 20, 5).
    assert.equal((await t.store.all<{ n: number }>('SELECT count(*) AS n FROM stations'))[0]!.n, ids.size - 1);
    assert.deepEqual(s.files[1]!.rejected, { [STRAY_REASON]: 20 });
    assert.match((await t.store.all<{ raw: string }>('SELECT raw FROM import_rejects WHERE reason = $1 LIMIT 1', [STRAY_REASON]))[0]!.raw, /^c143f2f7-4071-44f3-97f8-6892c5f01e9f at 0,0: /);
    // README: 75 intervals over an hour; with the 3 x median (630 s) rule, every gap is > 1890 s.
    const g = (await t.store.all<{ n: number; hour: number; min_s: number }>(
      'SELECT count(*) AS n, count(*) FILTER (WHERE gap_end - gap_start > INTERVAL 1 HOUR) AS hour, min(epoch(gap_end) - epoch(gap_start)) AS min_s FROM gaps'))[0]!;
    assert.equal(g.hour, 75);
    assert.ok(g.min_s > 1890);
    // Station versions: every station has exactly one open version unless it left the feed.
    const open = (await t.store.all<{ n: number }>('SELECT count(*) AS n FROM station_versions WHERE valid_to IS NULL'))[0]!.n;
    const gone = (await t.store.all<{ n: number }>('SELECT count(*) AS n FROM stations WHERE valid_to IS NOT NULL'))[0]!.n;
    assert.equal(open + gone, ids.size - 1);
  } finally {
    await t.dispose();
    d.dispose();
  }
});

test('a malformed change file: bad rows rejected by reason with their line; a missing column names file, line and field', async () => {
  const t = await tempStore();
  const d = tempDir();
  try {
    const header = 'snapshot_time,station_id,num_bikes_available,num_ebikes_available,num_bikes_disabled,num_docks_available,num_docks_disabled,is_installed,is_renting,is_returning,last_reported';
    const f = join(d.dir, 'station_status_changes_bad.csv');
    writeFileSync(f, [header, '1659910172,a,3,0,0,5,0,1,1,1,1659910100', '16599x0172,b,3,0,0,5,0,1,1,1,1', '1659910172,c,-2,0,0,5,0,1,1,1,1', '1659910772,a,2,0,0,6,0,1,1,1,1659910700'].join('\n'));
    const s = await runImport(t.store, importer, [f], { system: asSystemId('x') });
    assert.equal(s.imported, 2);
    assert.deepEqual(s.rejected, { 'bad snapshot_time': 1, 'bad num_bikes_available': 1 });
    const samples = await t.store.all<{ reason: string; line: number; field: string }>('SELECT reason, line, field FROM import_rejects ORDER BY line');
    assert.deepEqual(samples.map((x) => [x.line, x.field]), [[3, 'snapshot_time'], [4, 'num_bikes_available']]);
    const g = join(d.dir, 'station_status_changes_nocol.csv');
    writeFileSync(g, 'snapshot_time,station,num_bikes_available\n1659910172,a,3\n');
    await assert.rejects(runImport(t.store, importer, [g], { system: asSystemId('x') }), /station_status_changes_nocol\.csv, line 1, field 'station_id'/);
  } finally {
    await t.dispose();
    d.dispose();
  }
});

test('CLI: import gbfs-history <dir> --json, then info --json shows status rows, hourly flows and the span', async () => {
  const d = tempDir();
  try {
    const db = join(d.dir, 'cli.duckdb');
    const run = promisify(execFile);
    const out = await run(process.execPath, ['bin/urbanlab.js', 'import', 'gbfs-history', whole, '--system', 'baywheels', '--db', db, '--json']);
    const j = JSON.parse(out.stdout) as { imported: number; rejected: Record<string, number> };
    assert.ok(j.imported >= wholeCounts.changes);
    assert.deepEqual(j.rejected, {});
    const info = JSON.parse((await run(process.execPath, ['bin/urbanlab.js', 'info', '--db', db, '--json'])).stdout) as { systems: Record<string, unknown>[] };
    const bw = info.systems.find((s) => s['system'] === 'baywheels')!;
    assert.equal(bw['status_rows'], wholeCounts.changes);
    assert.ok(Number(bw['hourly_flows']) > 0);
    assert.equal(bw['from'], new Date(Math.floor(A / 3600) * 3600 * 1000).toISOString()); // the first hourly row's hour
    assert.ok(String(bw['to']) < new Date(C * 1000).toISOString());
    // A folder with nothing of this kind is an error naming it.
    const empty = join(d.dir, 'empty');
    mkdirSync(empty);
    await assert.rejects(run(process.execPath, ['bin/urbanlab.js', 'import', 'gbfs-history', empty, '--system', 'x', '--db', db, '--json']), /empty: no gbfs-history files/);
  } finally {
    d.dispose();
  }
});
