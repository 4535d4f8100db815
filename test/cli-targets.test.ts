// End to end on a real extract: 8 Bay Wheels stations, 5 weeks of hourly flows (the forecast
// stage's fixture, derived from the bundled status-change file) and those stations' real status
// change rows of the last two weeks (read from the bundled file). Runs `urbanlab targets` and
// `urbanlab targets replay` as a user runs them, and checks the contract and the stored run.
import assert from 'node:assert/strict';
import { copyFileSync, createReadStream, existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openStore } from '../src/platform/store/connection.ts';
import { horizonShape } from '../src/rebalancing/targets/overdispersion.ts';
import { stationTarget } from '../src/rebalancing/targets/station-targets.ts';
import { hourlyToSteps } from '../src/rebalancing/targets/steps.ts';
import { INFO_FILE } from './helpers/gbfs-slice.ts';
import { tempDir } from './helpers/store.ts';
import { loadBayWheelsExtract } from './helpers/baywheels-extract.ts';
import { cli } from './helpers/cli.ts';


/**
 * A store with the 8 stations' 5 weeks of hourly flows and their real status rows of 2023-04-08..24,
 * built once (reading the status file is the slow part) and copied for each test.
 */
let template: Promise<string> | null = null;
const templateDir = tempDir();
after(() => templateDir.dispose());
async function makeStore(dir: string): Promise<string> {
  template ??= buildStore(join(templateDir.dir, 'template.duckdb'));
  const db = join(dir, 'tg.duckdb');
  copyFileSync(await template, db);
  return db;
}

async function firstLine(gz: string): Promise<string> {
  const stream = createReadStream(gz).pipe(createGunzip());
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  try {
    for await (const line of lines) return line;
    throw new Error(`${gz} is empty`);
  } finally {
    lines.close();
    stream.destroy();
  }
}

async function buildStore(db: string): Promise<string> {
  const store = await openStore(db);
  const n = await loadBayWheelsExtract(store);
  assert.ok(n > 1000, `status rows: ${n}`);
  await store.close();
  return db;
}

test('CLI: targets and targets replay on a real extract', async () => {
  const t = tempDir();
  try {
    const db = await makeStore(t.dir);

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

test('CLI: targets read a stored stage-2 forecast run, fall back to the historical average by name, and draw charts', async () => {
  const t = tempDir();
  try {
    const db = await makeStore(t.dir);
    // The station list (names, coordinates, racks) as the feed first published it, for the map.
    const first = await firstLine(INFO_FILE);
    const info = (JSON.parse(first).feed.data.stations as { station_id: string; name: string; lat: number; lon: number; capacity: number; region_id?: string }[]);
    const store = await openStore(db);
    const ids = new Set((await store.all<{ id: string }>('SELECT DISTINCT station_id AS id FROM hourly_flows')).map((r) => r.id));
    for (const st of info.filter((x) => ids.has(x.station_id))) {
      await store.run('INSERT INTO stations (system_id, station_id, name, district, lat, lon, capacity) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        ['baywheels', st.station_id, st.name, st.region_id ?? null, st.lat, st.lon, st.capacity]);
    }
    await store.close();
    const fit = JSON.parse((await cli(['forecast', 'fit', '--system', 'baywheels', '--to', '2023-04-17T00:00:00Z', '--db', db, '--json', '--quiet', '--trees', '12', '--max-rows', '20000'])).stdout);
    assert.equal(fit.cutoff, '2023-04-17T00:00:00.000Z');
    await cli(['forecast', 'predict', '--system', 'baywheels', '--from', '2023-04-20T15:00:00Z', '--hours', '6', '--name', 'fc-test', '--db', db, '--json', '--quiet']);

    const charts = join(t.dir, 'charts');
    const out = JSON.parse((await cli(['targets', '--system', 'baywheels', '--at', '2023-04-20T15:00:00Z', '--service', '0.9', '--db', db, '--json', '--quiet', '--out', charts])).stdout);
    assert.equal(out.rates, 'forecast:fc-test');
    assert.equal(out.stations.length, 8);
    // The targets are those of the stored run's means and NB sizes, recomputed here from the table.
    const check = await openStore(db, { readOnly: true });
    const rows = await check.all<{ station_id: string; flow: string; h: number; mu: number; size: number }>(
      `SELECT station_id, flow, CAST((epoch(hour) - epoch(TIMESTAMPTZ '2023-04-20 15:00:00+00')) / 3600 AS INTEGER) AS h, mean AS mu, size
       FROM forecasts WHERE run_id = 'fc-test' AND hour < TIMESTAMPTZ '2023-04-20 18:00:00+00' ORDER BY 1, 2, 3`);
    const usable = await check.all<{ station_id: string; u: number }>(
      "SELECT station_id, arg_max(bikes_available + docks_available, observed_at) AS u FROM status WHERE observed_at <= TIMESTAMPTZ '2023-04-20 15:00:00+00' GROUP BY 1");
    await check.close();
    assert.equal(rows.length, 8 * 2 * 3);
    for (const s of out.stations) {
      const of = (flow: string, k: 'mu' | 'size') => rows.filter((r) => r.station_id === s.station_id && r.flow === flow).map((r) => r[k]);
      assert.equal(s.capacity, usable.find((u) => u.station_id === s.station_id)!.u, 'capacity: bikes + free docks at --at');
      const mine = stationTarget({
        stationId: s.station_id, capacity: s.capacity, current: s.current,
        rates: hourlyToSteps(of('pickups', 'mu'), of('returns', 'mu'), 0, 180, 15),
        pickupShape: horizonShape(of('pickups', 'mu'), of('pickups', 'size')), returnShape: horizonShape(of('returns', 'mu'), of('returns', 'size')),
      }, { service: 0.9, points: 3, fullBinds: true });
      assert.deepEqual([s.min, s.max, s.class], [mine.min, mine.max, mine.class], s.station_id);
      assert.ok(Math.abs(s.expected_failures - mine.expected_failures!) < 1e-4, `${s.expected_failures} vs ${mine.expected_failures}`);
    }
    // Charts: the class map and the failure curve of the station with the most expected failures.
    const worst = [...out.stations].sort((a, b) => b.expected_failures - a.expected_failures)[0].station_id as string;
    assert.equal(out.charts.length, 4);
    for (const f of out.charts as string[]) assert.ok(existsSync(f), f);
    const curve = readFileSync(join(charts, `failure_curve_${worst.replace(/[^A-Za-z0-9_-]/g, '_')}.svg`), 'utf8');
    assert.match(curve, new RegExp(`Target interval \\[${out.stations.find((s: { station_id: string }) => s.station_id === worst).min}, `));
    assert.deepEqual([...readFileSync(join(charts, 'target_classes_map.png')).subarray(1, 4)], [...Buffer.from('PNG')]);

    // No stored run covers this time: `auto` falls back to the historical average and says so;
    // `forecast` refuses and names the command that makes one.
    const later = JSON.parse((await cli(['targets', '--system', 'baywheels', '--at', '2023-04-22T15:00:00Z', '--db', db, '--json', '--quiet'])).stdout);
    assert.equal(later.rates, 'historical-average');
    await assert.rejects(cli(['targets', '--system', 'baywheels', '--at', '2023-04-22T15:00:00Z', '--rates', 'forecast', '--db', db, '--json']), /urbanlab forecast predict/);

    // An instant past the data (issue 19): the status ends on 2023-04-23; a day later is past the
    // staleness limit, refused unless --allow-stale; either way the age is said.
    await assert.rejects(cli(['targets', '--system', 'baywheels', '--at', '2023-04-26T15:00:00Z', '--rates', 'historical', '--db', db, '--json']),
      (e: { stderr: string }) => /--at 2023-04-26T15:00:00.000Z is 2 d \d+ h after the latest status of 'baywheels' \(2023-04-23T.*--allow-stale/.test(e.stderr) && !/\n\s+at /.test(e.stderr));
    const stale = JSON.parse((await cli(['targets', '--system', 'baywheels', '--at', '2023-04-26T15:00:00Z', '--rates', 'historical', '--allow-stale', '--db', db, '--json', '--quiet'])).stdout);
    assert.ok(stale.status_age.age_minutes > 2 * 1440 && stale.status_age.age_minutes < 3 * 1440, JSON.stringify(stale.status_age));
    assert.equal(stale.in_service.stations, 8, 'judged against the last status, the stations still report');
    const fresh = JSON.parse((await cli(['targets', '--system', 'baywheels', '--at', '2023-04-23T12:00:00Z', '--rates', 'historical', '--db', db, '--json', '--quiet'])).stdout);
    assert.ok(fresh.status_age.age_minutes < 24 * 60);

    // The replay forecasts each horizon with the model fitted before --from.
    const rep = JSON.parse((await cli(['targets', 'replay', '--system', 'baywheels', '--from', '2023-04-17T00:00:00Z', '--to', '2023-04-24T00:00:00Z', '--rates', 'forecast', '--db', db, '--json', '--quiet'])).stdout);
    assert.equal(rep.rates, `forecast:${fit.model_id}`);
    assert.ok(rep.station_horizons > 8 * 7 * 8 * 0.8, `station-horizons ${rep.station_horizons}`);
    // A model fitted after --from has seen the replayed days: it is not used.
    await assert.rejects(cli(['targets', 'replay', '--system', 'baywheels', '--from', '2023-04-10T00:00:00Z', '--to', '2023-04-17T00:00:00Z', '--rates', 'forecast', '--db', db, '--json']), /forecast fit/);
    // Refitted as production would: a model per 84 h block, each fitted on the flows before its
    // block (a later block's model forecasting an earlier origin would throw: it has seen those
    // hours), over the same horizons as the stored model's replay.
    const refit = JSON.parse((await cli(['targets', 'replay', '--system', 'baywheels', '--from', '2023-04-17T00:00:00Z', '--to', '2023-04-24T00:00:00Z', '--refit-hours', '84', '--max-rows', '20000', '--db', db, '--json', '--quiet'])).stdout);
    assert.equal(refit.rates, 'forecast:refit-84h');
    assert.equal(refit.station_horizons, rep.station_horizons);
    assert.equal(refit.failures_half_full, rep.failures_half_full, 'the half-full baseline does not depend on the rates');
    await assert.rejects(cli(['targets', 'replay', '--system', 'baywheels', '--from', '2023-04-17T00:00:00Z', '--to', '2023-04-24T00:00:00Z', '--refit-hours', '84', '--rates', 'historical', '--db', db, '--json']), /--rates forecast or auto/);
  } finally {
    t.dispose();
  }
});
