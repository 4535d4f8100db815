// `urbanlab zones` end to end on Seoul's real station list and district boundaries, with a
// synthetic target run (see test/helpers/seoul-store.ts): the contract, the stored set, the map.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openStore } from '../src/platform/store/connection.ts';
import { loadZoneSet } from '../src/rebalancing/planning/zones/store.ts';
import { loadSeoulStations, syntheticTargetRun } from './helpers/seoul-store.ts';
import { tempDir } from './helpers/store.ts';
import { cli } from './helpers/cli.ts';


test('CLI: zones by district and by balanced work on Seoul stations', async () => {
  const t = tempDir();
  try {
    const db = join(t.dir, 'z.duckdb');
    const store = await openStore(db);
    await loadSeoulStations(store, t.dir);
    // Districts: no target run yet, so every station has no work: the district method still works.
    await store.close();
    await assert.rejects(cli(['zones', '--system', 'seoul', '--trucks', '30', '--method', 'balanced', '--db', db, '--json', '--quiet']), /no target run for 'seoul'/);
    const s2 = await openStore(db);
    await syntheticTargetRun(s2);
    // Five stations lose their district: the boundaries must give it back.
    const lost = await s2.all<{ station_id: string; district: string }>("SELECT station_id, district FROM stations WHERE lat IS NOT NULL AND district IN ('강남구', '마포구') ORDER BY station_id LIMIT 5");
    await s2.run(`UPDATE stations SET district = NULL WHERE station_id IN (${lost.map((l) => `'${l.station_id}'`).join(',')})`);
    const expect = (await s2.all<{ n: number; b: number; t: number }>("SELECT count(*) AS n, sum(t.bring)::INTEGER AS b, sum(t.take)::INTEGER AS t FROM stations s JOIN targets t USING (station_id) WHERE s.lat IS NOT NULL"))[0]!;
    await s2.close();

    const d = JSON.parse((await cli(['zones', '--system', 'seoul', '--trucks', '30', '--method', 'district', '--out', t.dir, '--db', db, '--json', '--quiet'])).stdout);
    assert.equal(d.method, 'district');
    assert.equal(d.name, 'district-30');
    for (const z of d.zones) for (const k of ['zone', 'stations', 'trucks', 'bikes_short', 'bikes_over', 'work']) assert.ok(k in z, `${k} in ${JSON.stringify(z)}`);
    const sum = (k: string) => d.zones.reduce((a: number, z: Record<string, number>) => a + z[k]!, 0);
    assert.equal(sum('trucks'), 30);
    assert.equal(sum('stations'), expect.n);
    assert.equal(sum('bikes_short'), expect.b);
    assert.equal(sum('bikes_over'), expect.t);
    // 25 districts, 30 trucks: at most 25 zones, each named by its districts.
    assert.ok(d.zones.length <= 25 && d.zones.length >= 20, String(d.zones.length));
    assert.ok(d.zones.every((z: { zone: string }) => /^[가-힣]+구(\+[가-힣]+구)*$/.test(z.zone)), d.zones.map((z: { zone: string }) => z.zone).join(' '));
    assert.ok(d.notes.some((n: string) => /5 stations without a district placed by boundary \(5\)/.test(n)), d.notes.join(' | '));
    // The map: SVG with the district names, and a PNG.
    const svg = readFileSync(join(t.dir, 'zones-district-30.svg'), 'utf8');
    assert.match(svg, /강남구/);
    assert.ok(existsSync(join(t.dir, 'zones-district-30.png')));

    const b = JSON.parse((await cli(['zones', '--system', 'seoul', '--trucks', '30', '--method', 'balanced', '--name', 'bal', '--db', db, '--json', '--quiet'])).stdout);
    assert.equal(b.method, 'balanced');
    assert.equal(b.zones.length, 15);
    assert.ok(b.imbalance <= 0.06, `balanced imbalance ${b.imbalance}`);
    assert.ok(b.imbalance < d.imbalance);

    // The stored sets, as the planner reads them.
    const s3 = await openStore(db, { readOnly: true });
    try {
      const set = await loadZoneSet(s3, 'seoul', 'district-30');
      assert.equal(set.zones.reduce((a, z) => a + z.trucks, 0), 30);
      assert.equal(set.zones.reduce((a, z) => a + z.stations.length, 0), expect.n);
      for (const l of lost) assert.ok(set.zones.find((z) => z.stations.includes(l.station_id))!.zone.split('+').includes(l.district), l.station_id);
      assert.equal((await loadZoneSet(s3, 'seoul', 'bal')).zones.length, 15);
      await assert.rejects(loadZoneSet(s3, 'seoul', 'nope'), /no zone set 'nope'.*bal, district-30/);
    } finally {
      await s3.close();
    }
    await assert.rejects(cli(['zones', '--system', 'nowhere', '--trucks', '3', '--db', db, '--json']), /unknown system 'nowhere'/);
    await assert.rejects(cli(['zones', '--system', 'seoul', '--trucks', '0', '--db', db, '--json']), /--trucks must be a positive integer/);
  } finally {
    t.dispose();
  }
});
