// The `urbanlab simulate` contract for the planned policies (issue 21), end to end on the real
// 8-station Bay Wheels extract (status rows of April 2023, hourly flows of five weeks): each policy
// alone and `--policy all` print the contract's keys; rolling re-plans on its clock, static once.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../src/platform/bundled-data.ts';
import { openStore } from '../src/platform/store/connection.ts';
import { tempDir } from './helpers/store.ts';
import { loadBayWheelsExtract, loadBayWheelsStations } from './helpers/baywheels-extract.ts';
import { cli } from './helpers/cli.ts';

const KEYS = ['policy', 'failed_rentals', 'failed_returns', 'empty_minutes', 'full_minutes', 'empty_minutes_day', 'full_minutes_day', 'outages_over_10min', 'bikes_moved', 'truck_km', 'replans', 'seconds'];
const OBSERVED_KEYS = ['policy', 'empty_minutes_day', 'full_minutes_day', 'bikes_moved'];

test('docs/simulate.md documents the keys this test holds the command to (the issue\'s contract)', () => {
  const doc = readFileSync(join(repoRoot(), 'docs', 'simulate.md'), 'utf8');
  const block = /`--json` prints one line:\n```\n([\s\S]*?)\n```/.exec(doc);
  assert.ok(block, 'docs/simulate.md: the --json block');
  assert.deepEqual([...block[1]!.matchAll(/"(\w+)"/g)].map((m) => m[1]), KEYS);
  const observed = /`\{"policy": "observed", ([^}]*)\}`/.exec(doc);
  assert.ok(observed, "docs/simulate.md: the real operator's row");
  assert.deepEqual(['policy', ...[...observed[1]!.matchAll(/"(\w+)"/g)].map((m) => m[1])], OBSERVED_KEYS);
});

test('CLI: simulate --policy static|rolling|oracle and all on a real extract: the contract keys, re-plans on the clock', async () => {
  const t = tempDir();
  try {
    const db = join(t.dir, 'sim.duckdb');
    const store = await openStore(db);
    await loadBayWheelsExtract(store);
    await loadBayWheelsStations(store, '2020-01-01 00:00:00+00');
    await store.close();
    const fleet = join(t.dir, 'fleet.json');
    writeFileSync(fleet, JSON.stringify({ depot: { lat: 37.7895, lon: -122.401 }, trucks: [{ id: 'v1', capacity: 12, shift_minutes: 120, start_load: 6 }] }));
    const base = ['simulate', '--system', 'baywheels', '--from', '2023-04-20T06:00', '--to', '2023-04-20T10:00', '--fleet', fleet, '--replan', '15m', '--seed', '1', '--db', db, '--json'];

    const rolling = JSON.parse((await cli([...base, '--policy', 'rolling'])).stdout) as Record<string, number | string>;
    assert.deepEqual(Object.keys(rolling), KEYS);
    assert.equal(rolling.policy, 'rolling');
    // A 2-hour shift from 07:00 re-planned every 15 minutes: about 8 cycles (fewer at the shift's end).
    assert.ok((rolling.replans as number) >= 6, `replans ${rolling.replans}`);

    const all = JSON.parse((await cli([...base, '--policy', 'all'])).stdout) as { runs: Array<Record<string, number | string | null>> };
    assert.deepEqual(all.runs.map((r) => r.policy), ['none', 'static', 'reactive', 'rolling', 'oracle', 'observed']);
    for (const r of all.runs.slice(0, 5)) {
      assert.deepEqual(Object.keys(r), KEYS);
      for (const k of KEYS.slice(1)) assert.ok(typeof r[k] === 'number' && Number.isFinite(r[k]) && (r[k] as number) >= 0, `${r.policy}.${k} = ${r[k]}`);
    }
    assert.deepEqual(Object.keys(all.runs[5]!), OBSERVED_KEYS);
    for (const k of OBSERVED_KEYS.slice(1)) assert.equal(typeof all.runs[5]![k], 'number', `observed.${k}`);
    const by = new Map(all.runs.map((r) => [r.policy, r]));
    assert.equal(by.get('static')!.replans, 1);
    assert.equal(by.get('none')!.bikes_moved, 0);
    // The same inputs give the same run: rolling alone and within `all` agree.
    for (const k of ['failed_rentals', 'failed_returns', 'bikes_moved', 'replans']) assert.equal(by.get('rolling')![k], rolling[k], k);
    await assert.rejects(cli([...base, '--policy', 'rolling', '--replan', '0m']), /--replan must be at least 1 minute/);
  } finally {
    t.dispose();
  }
});
