// runChain (src/rebalancing/chain.ts) on the real 8-station Bay Wheels extract: a state handed in by
// the caller (as the simulator does) is what the targets and the plan start from, not the store's
// status; each step's result comes back; `store: false` keeps the plan out of the store.
import { asSystemId } from '../src/platform/ids.ts';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../src/platform/bundled-data.ts';
import { openStore } from '../src/platform/store/connection.ts';
import { runChain, type StationState } from '../src/rebalancing/chain.ts';
import { defaultCapacityPolicy } from '../src/rebalancing/targets/capacity.ts';
import { computeTargetRun } from '../src/rebalancing/targets/run.ts';
import { loadBayWheelsExtract } from './helpers/baywheels-extract.ts';
import { tempDir } from './helpers/store.ts';

test('runChain: a handed-in state drives the targets and the plan; the plan is not stored when asked', async () => {
  const t = tempDir();
  try {
    const store = await openStore(join(t.dir, 'chain.duckdb'));
    await loadBayWheelsExtract(store);
    const ids = (await store.all<{ station_id: string }>(`SELECT DISTINCT station_id FROM hourly_flows WHERE system_id = 'baywheels' ORDER BY 1`)).map((r) => r.station_id);
    await store.run(`INSERT INTO stations (system_id, station_id, name, lat, lon, capacity)
      SELECT 'baywheels', station_id, station_id, 37.77 + 0.002 * row_number() OVER (ORDER BY station_id), -122.42, 20
      FROM (SELECT DISTINCT station_id FROM hourly_flows WHERE system_id = 'baywheels')`);
    // Every station empty but the first, full: a state the store's status never showed.
    const state: StationState[] = ids.map((id, i) => ({ stationId: id, bikes: i === 0 ? 20 : 0, capacity: 20 }));
    const fleetFile = join(repoRoot(), 'examples', 'fleet-baywheels-4.json');
    const at = Date.parse('2023-04-23T14:00:00Z');
    const r = await runChain(store, {
      system: asSystemId('baywheels'), at, fleet: { text: readFileSync(fleetFile, 'utf8'), file: fleetFile }, state, refit: { maxRows: 20_000 },
      timeLimitS: 2, seed: 1, store: false,
    });
    assert.equal(r.state, 'handed-in');
    assert.equal(r.at, '2023-04-23T14:00:00.000Z');
    assert.ok(r.fit && r.forecast.rows.length > 0);
    assert.equal(r.targets.ratesName, `forecast:${r.forecast.runId}`);
    const current = new Map(r.targets.targets.map((x) => [x.station_id, x.current]));
    for (const s of state) assert.equal(current.get(s.stationId as never), s.bikes, s.stationId);
    // The empty stations are short of bikes: the plan drops some, and it was not written.
    assert.ok(r.targets.summary.system.shortage >= ids.length - 2, JSON.stringify(r.targets.summary.system));
    assert.ok(r.plan.plan.routes.some((rt) => rt.stops.some((s) => (s.drop ?? 0) > 0)));
    const stored = await store.all<{ n: number }>(`SELECT count(*) AS n FROM plans WHERE plan_id = $1`, [r.plan.planId]);
    assert.equal(Number(stored[0]!.n), 0);
    await store.close();
  } finally {
    t.dispose();
  }
});

test('targets from the store leave out stations without a status change in the day before (issue 19), and name them', async () => {
  const t = tempDir();
  try {
    const store = await openStore(join(t.dir, 'stale.duckdb'));
    await loadBayWheelsExtract(store);
    const atS = Date.parse('2023-04-23T14:00:00Z') / 1000;
    const last = await store.all<{ station_id: string; t: number }>(
      `SELECT station_id, epoch(max(observed_at)) AS t FROM status WHERE system_id = 'baywheels' AND observed_at <= to_timestamp($1) GROUP BY 1`, [atS]);
    const base = { system: 'baywheels', atS, horizonMinutes: 180, stepMinutes: 15, service: 0.9, points: 3, weeks: 2, policy: defaultCapacityPolicy('baywheels'), rates: 'historical' as const };
    // With the real rule (24 h), the stations whose last change is older than a day are the stale ones.
    const expected = last.filter((r) => r.t < atS - 24 * 3600).map((r) => r.station_id).sort();
    const r = await computeTargetRun(store, base);
    assert.deepEqual(r.staleIds, expected);
    assert.equal(r.skipped.stale, expected.length);
    // A limit shorter than the quietest station's silence leaves some out, and none of them has targets.
    const quiet = Math.max(...last.map((x) => atS - x.t)) / 3600;
    const strict = await computeTargetRun(store, { ...base, staleHours: quiet / 2 });
    assert.ok(strict.staleIds.length > 0);
    for (const id of strict.staleIds) assert.ok(!strict.targets.some((x) => x.station_id === id), id);
    await store.close();
  } finally {
    t.dispose();
  }
});
