// End to end on a real extract: 8 Bay Wheels stations, 5 weeks of hourly flows (the forecast
// stage's fixture, derived from the bundled status-change file) and those stations' real status
// change rows of the last two weeks (read from the bundled file). Runs `urbanlab targets` and
// `urbanlab targets replay` as a user runs them, and checks the contract and the stored run.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { dataFile, repoRoot } from '../src/platform/bundled-data.ts';
import { openStore } from '../src/platform/store/connection.ts';
import { tempDir } from './helpers/store.ts';

const run = promisify(execFile);
const cli = (args: string[]) => run(process.execPath, [join(repoRoot(), 'bin', 'urbanlab.js'), ...args], { cwd: repoRoot(), maxBuffer: 64 << 20 });
const FIXTURE = join(repoRoot(), 'test', 'fixtures', 'baywheels_hourly_flows_derived_2023-03-20_5weeks_8stations.csv');
const STATUS = dataFile('gbfs', 'baywheels', 'station_status_changes_2022-08_2023-05.csv.gz');

test('CLI: targets and targets replay on a real extract', async () => {
  const t = tempDir();
  try {
    const db = join(t.dir, 'tg.duckdb');
    const store = await openStore(db);
    await store.run(`INSERT INTO systems (system_id, name, timezone, country) VALUES ('baywheels', 'Bay Wheels', 'America/Los_Angeles', 'US')`);
    await store.run(`INSERT INTO hourly_flows (system_id, station_id, hour, pickups, returns, minutes_observed, minutes_empty, minutes_full, source) SELECT 'baywheels', station_id, strptime(hour || ':00:00+00', '%Y-%m-%dT%H:%M:%S%z'), p, r, mo, me, mf, 'status'
      FROM read_csv('${FIXTURE}', header = true, types = {'station_id': 'VARCHAR', 'hour': 'VARCHAR'})`);
    await store.run(`INSERT INTO status (system_id, station_id, observed_at, bikes_available, bikes_disabled, docks_available, docks_disabled)
      SELECT 'baywheels', station_id, to_timestamp(snapshot_time), num_bikes_available, num_bikes_disabled, num_docks_available, num_docks_disabled
      FROM read_csv('${STATUS}', header = true, types = {'station_id': 'VARCHAR'})
      WHERE station_id IN (SELECT DISTINCT station_id FROM hourly_flows)
        AND snapshot_time >= epoch(TIMESTAMPTZ '2023-04-08 00:00:00+00') AND snapshot_time < epoch(TIMESTAMPTZ '2023-04-24 00:00:00+00')`);
    const n = (await store.all<{ n: number }>("SELECT count(*) AS n FROM status"))[0]!.n;
    assert.ok(n > 1000, `status rows: ${n}`);
    await store.close();

    const out = JSON.parse((await cli(['targets', '--system', 'baywheels', '--at', '2023-04-20T15:00:00Z', '--horizon', '3h', '--service', '0.9', '--db', db, '--json', '--quiet'])).stdout);
    assert.equal(out.stations.length, 8);
    assert.equal(out.rates, 'historical-average');
    for (const s of out.stations) {
      for (const k of ['station_id', 'current', 'min', 'max', 'class', 'bring', 'take', 'expected_failures']) assert.ok(k in s, `${k} in ${JSON.stringify(s)}`);
      assert.ok(s.min <= s.max && s.min >= 0 && s.max <= s.capacity, JSON.stringify(s));
      const cls = s.current < s.min ? 'shortage' : s.current > s.max ? 'surplus' : 'balanced';
      assert.equal(s.class, cls);
      assert.equal(s.bring, cls === 'shortage' ? s.min - s.current : 0);
      assert.equal(s.take, cls === 'surplus' ? s.current - s.max : 0);
      assert.ok(s.expected_failures >= 0);
    }
    // `current` is the station's last status at or before --at.
    const check = await openStore(db, { readOnly: true });
    try {
      const cur = await check.all<{ station_id: string; b: number }>(
        "SELECT station_id, arg_max(bikes_available, observed_at) AS b FROM status WHERE observed_at <= TIMESTAMPTZ '2023-04-20 15:00:00+00' GROUP BY 1");
      for (const c of cur) assert.equal(out.stations.find((s: { station_id: string }) => s.station_id === c.station_id).current, c.b);
      const runs = await check.all<{ stations: number; rates: string }>('SELECT stations, rates FROM target_runs');
      assert.deepEqual(runs, [{ stations: 8, rates: 'historical-average' }]);
      const rows = await check.all<{ n: number; curve: string }>('SELECT count(*) AS n, any_value(failed_rentals)::VARCHAR AS curve FROM targets');
      assert.equal(rows[0]!.n, 8);
      assert.ok(Array.isArray(JSON.parse(rows[0]!.curve)));
    } finally {
      await check.close();
    }

    const rep = JSON.parse((await cli(['targets', 'replay', '--system', 'baywheels', '--from', '2023-04-10', '--to', '2023-04-24', '--service', '0.9', '--db', db, '--json', '--quiet'])).stdout);
    assert.equal(rep.nominal, 0.9);
    for (const k of ['realised', 'failures', 'failures_half_full', 'station_horizons']) assert.equal(typeof rep[k], 'number', k);
    assert.ok(rep.station_horizons > 8 * 14 * 8 * 0.8, `station-horizons ${rep.station_horizons}`);
    assert.ok(rep.realised > 0.5 && rep.realised <= 1);

    // Bad input is named.
    await assert.rejects(cli(['targets', '--system', 'nowhere', '--at', '2023-04-20T15:00:00Z', '--db', db, '--json']), /unknown system 'nowhere'/);
    await assert.rejects(cli(['targets', '--system', 'baywheels', '--at', '2023-04-20T15:00:00Z', '--service', '1.5', '--db', db, '--json']), /--service/);
  } finally {
    t.dispose();
  }
});
