// End to end on a real extract: the 8 Bay Wheels stations of the targets CLI test (5 weeks of
// hourly flows derived from the bundled status-change file, their real status rows of two weeks),
// with their real names and places from the bundled station_information.json. Runs `urbanlab
// targets`, then `urbanlab route plan` as a user runs them, and checks the contract, the stored plan,
// plan.json and the errors for bad input.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openStore } from '../src/platform/store/connection.ts';
import { tempDir } from './helpers/store.ts';
import { loadBayWheelsExtract, loadBayWheelsStations } from './helpers/baywheels-extract.ts';
import { cli } from './helpers/cli.ts';


test('CLI: route plan on a real extract', async () => {
  const t = tempDir();
  try {
    const db = join(t.dir, 'plan.duckdb');
    const store = await openStore(db);
    await loadBayWheelsExtract(store);
    await loadBayWheelsStations(store);
    const n = (await store.all<{ n: number }>('SELECT count(*) AS n FROM stations WHERE lat IS NOT NULL'))[0]!.n;
    assert.equal(n, 8);
    await store.close();

    const fleet = join(t.dir, 'fleet.json');
    // Depot near Market St; one truck starts empty there, one is out already with 6 bikes.
    writeFileSync(fleet, JSON.stringify({ depot: { lat: 37.7895, lon: -122.401 }, speed_kmh: 15, detour: 1.4, handling_s_per_bike: 30,
      trucks: [{ id: 'van-1', capacity: 12, shift_minutes: 60, start_load: 0 }, { id: 'van-2', capacity: 12, shift_minutes: 45, start_load: 6, start: { lat: 37.7766, lon: -122.3953 } }] }));

    // Before any target run: a clear error naming the step to take.
    await assert.rejects(cli(['route', 'plan', '--system', 'baywheels', '--fleet', fleet, '--db', db, '--json']), /no target run for 'baywheels'.*urbanlab targets/s);
    await cli(['targets', '--system', 'baywheels', '--at', '2023-04-20T15:00:00Z', '--horizon', '3h', '--db', db, '--json', '--quiet']);

    const out = join(t.dir, 'out');
    // Issue 19: trucks leaving two days after the latest status (2023-04-23) are refused unless --allow-stale.
    await assert.rejects(cli(['route', 'plan', '--system', 'baywheels', '--fleet', fleet, '--at', '2023-04-26T07:00:00Z', '--iterations', '10', '--out', out, '--db', db, '--json']),
      /--at 2023-04-26T07:00:00.000Z is 2 d \d+ h after the latest status of 'baywheels'.*--allow-stale/);
    const plan = JSON.parse((await cli(['route', 'plan', '--system', 'baywheels', '--fleet', fleet, '--at', '2023-04-20T15:00:00Z', '--iterations', '200', '--seed', '1', '--out', out, '--db', db, '--json', '--quiet'])).stdout);
    for (const k of ['expected_failures_before', 'expected_failures_after', 'greedy_failures_after']) assert.equal(typeof plan[k], 'number', k);
    assert.ok(plan.expected_failures_after <= plan.expected_failures_before);
    assert.ok(plan.expected_failures_after <= plan.greedy_failures_after + 1e-9, `plan ${plan.expected_failures_after} vs greedy ${plan.greedy_failures_after}`);
    assert.deepEqual(plan.routes.map((r: { truck: string }) => r.truck), ['van-1', 'van-2']);
    assert.equal(plan.at, '2023-04-20T08:00:00-07:00');
    const stops = plan.routes.flatMap((r: { stops: unknown[] }) => r.stops);
    assert.ok(stops.length > 0, 'the plan does something');
    for (const r of plan.routes) {
      let load = r.start_load;
      let prev = Date.parse(plan.at);
      for (const s of r.stops) {
        assert.ok(typeof s.station_id === 'string' && (('collect' in s) !== ('drop' in s)), JSON.stringify(s));
        load += (s.collect ?? 0) - (s.drop ?? 0);
        assert.equal(s.load_after, load);
        assert.ok(load >= 0 && load <= 12);
        assert.match(s.arrival, /^2023-04-20T\d\d:\d\d:\d\d-07:00$/);
        assert.ok(Date.parse(s.arrival) >= prev);
        prev = Date.parse(s.arrival);
        assert.ok(s.bikes_after >= 0 && s.name && s.number?.startsWith('SF-'));
      }
    }
    // The whole plan is written, and stored.
    assert.deepEqual(JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8')), plan);
    const check = await openStore(db, { readOnly: true });
    try {
      const rows = await check.all<{ n: number; after: number }>('SELECT count(*) AS n, any_value(p.expected_failures_after) AS after FROM plan_stops s JOIN plans p USING (plan_id)');
      assert.equal(rows[0]!.n, stops.length);
      assert.equal(rows[0]!.after, plan.expected_failures_after);
    } finally {
      await check.close();
    }
    // The readable form prints before / after / greedy: the same figures for the same seed and iterations.
    const text = (await cli(['route', 'plan', '--system', 'baywheels', '--fleet', fleet, '--at', '2023-04-20T15:00:00Z', '--iterations', '200', '--seed', '1', '--out', out, '--db', db, '--quiet'])).stdout;
    const fmt = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 3 });
    assert.ok(text.includes(`Expected failures over the horizon: ${fmt(plan.expected_failures_before)} before, ${fmt(plan.expected_failures_after)} after the plan`), text);
    assert.ok(text.includes(`${fmt(plan.greedy_failures_after)} after the greedy dispatcher`), text);

    // Beside plan.json: the GeoJSON and the drivers' CSV and sheets.
    const geo = JSON.parse(readFileSync(join(out, 'plan.geojson'), 'utf8'));
    assert.equal(geo.features.filter((f: { properties: { kind: string } }) => f.properties.kind === 'stop').length, stops.length);
    for (const r of plan.routes) {
      const csv = readFileSync(join(out, `driver-${r.truck}.csv`), 'utf8').trim().split('\n');
      assert.equal(csv.length, r.stops.length + 1);
      assert.ok(readFileSync(join(out, `driver-${r.truck}.html`), 'utf8').includes(`data-truck="${r.truck}"`));
    }
    assert.equal((readFileSync(join(out, 'sheets.html'), 'utf8').match(/<section class="sheet"/g) ?? []).length, plan.routes.length);
    // In the system's language: English for Bay Wheels (Korean for Seoul); --lang chooses, and a language it has not is named.
    assert.match(readFileSync(join(out, 'sheets.html'), 'utf8'), /<html lang="en">[\s\S]*<th>Stop<\/th>/);
    await assert.rejects(cli(['route', 'plan', '--system', 'baywheels', '--fleet', fleet, '--lang', 'fr', '--db', db]), /--lang: expected ko or en, got 'fr'/);

    // Bad input is named.
    const bad = join(t.dir, 'bad.json');
    const planWith = (f: object) => { writeFileSync(bad, JSON.stringify(f)); return cli(['route', 'plan', '--system', 'baywheels', '--fleet', bad, '--iterations', '1', '--db', db, '--json']); };
    await assert.rejects(planWith({ depot: { lat: 37.79, lon: -122.4 }, trucks: [{ id: 'a', capacity: -3, shift_minutes: 60 }] }), /bad\.json: trucks\[0\]\.capacity \(truck 'a'\)/);
    await assert.rejects(cli(['route', 'plan', '--system', 'baywheels', '--fleet', fleet, '--zones', 'gu', '--db', db, '--json']), /no zone set 'gu' for system 'baywheels'/);
    // By zones: a stored zone set (written here as `urbanlab zones` stores one) of two zones, one
    // truck each; every truck stays in its zone.
    const zs = await openStore(db);
    const ids = (await zs.all<{ station_id: string; lon: number }>('SELECT station_id, lon FROM stations ORDER BY lon')).map((r) => r.station_id);
    const west = ids.slice(0, 4), east = ids.slice(4);
    await zs.run(`INSERT INTO zone_sets VALUES ('baywheels', 'two', now(), 'balanced', 2, NULL, '{"zones": [{"zone": "W"}, {"zone": "E"}]}')`);
    await zs.run(`INSERT INTO zones VALUES ('baywheels', 'two', 'W', 1), ('baywheels', 'two', 'E', 1)`);
    for (const [z, list] of [['W', west], ['E', east]] as const) for (const id of list) await zs.run(`INSERT INTO zone_stations VALUES ('baywheels', 'two', $1, $2)`, [id, z]);
    await zs.close();
    const zoned = JSON.parse((await cli(['route', 'plan', '--system', 'baywheels', '--fleet', fleet, '--at', '2023-04-20T15:00:00Z', '--zones', 'two', '--iterations', '100', '--out', out, '--db', db, '--json', '--quiet'])).stdout);
    assert.deepEqual(zoned.routes.map((r: { zone: string }) => r.zone), ['W', 'E']);
    for (const r of zoned.routes) for (const s of r.stops) assert.ok((r.zone === 'W' ? west : east).includes(s.station_id), `${s.station_id} outside zone ${r.zone}`);
    // The same zones listed east first and made for 4 trucks (3 east): the truck already out east
    // (van-2) still works the east zone, and the fleet of 2 is re-apportioned one per zone.
    const zs2 = await openStore(db);
    await zs2.run(`INSERT INTO zone_sets VALUES ('baywheels', 'ew4', now(), 'balanced', 4, NULL, '{"zones": [{"zone": "E"}, {"zone": "W"}]}')`);
    await zs2.run(`INSERT INTO zones VALUES ('baywheels', 'ew4', 'E', 3), ('baywheels', 'ew4', 'W', 1)`);
    for (const [z, list] of [['W', west], ['E', east]] as const) for (const id of list) await zs2.run(`INSERT INTO zone_stations VALUES ('baywheels', 'ew4', $1, $2)`, [id, z]);
    await zs2.close();
    const ew = JSON.parse((await cli(['route', 'plan', '--system', 'baywheels', '--fleet', fleet, '--at', '2023-04-20T15:00:00Z', '--zones', 'ew4', '--iterations', '100', '--out', out, '--db', db, '--json', '--quiet'])).stdout);
    assert.deepEqual(ew.routes.map((r: { truck: string; zone: string }) => `${r.truck}:${r.zone}`), ['van-1:W', 'van-2:E']);
    assert.ok(ew.undone.some((u: string) => /made for 4 trucks, the fleet has 2/.test(u)), JSON.stringify(ew.undone));
    for (const r of ew.routes) for (const s of r.stops) assert.ok((r.zone === 'W' ? west : east).includes(s.station_id), `${s.station_id} outside zone ${r.zone}`);
  } finally {
    t.dispose();
  }
});
