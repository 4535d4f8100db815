// runChain (src/rebalancing/chain.ts) on the real 8-station Bay Wheels extract: a state handed in by
// the caller (as the simulator does) is what the targets and the plan start from, not the store's
// status; each step's result comes back; `store: false` keeps the plan out of the store.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../src/platform/bundled-data.ts';
import { openStore } from '../src/platform/store/connection.ts';
import { runChain, type StationState } from '../src/rebalancing/chain.ts';
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
      system: 'baywheels', at, fleet: { text: readFileSync(fleetFile, 'utf8'), file: fleetFile }, state, refit: { maxRows: 20_000 },
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
