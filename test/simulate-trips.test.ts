// `simulate --demand trips` end to end on the real Ford GoBike file (Bay Wheels, 28 Feb 2019): the
// stations come from the trip file, their start is generated and said to be, and each policy's
// event log adds up to its totals.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { dataFile, repoRoot } from '../src/platform/bundled-data.ts';
import { importer } from '../src/platform/import/gbfs-trips.ts';
import { runImport } from '../src/platform/import/run-import.ts';
import { parseFleet } from '../src/rebalancing/planning/fleet.ts';
import { MemoryLog, totalsFromLog } from '../src/simulation/event-log.ts';
import { simulate } from '../src/simulation/simulate.ts';
import { openStore } from '../src/platform/store/connection.ts';
import { tempStore } from './helpers/store.ts';
import { asSystemId } from '../src/platform/ids.ts';

test('trip demand on the real Ford GoBike day: generated start stated, detours counted, logs replay to the totals', async () => {
  const t = await tempStore();
  try {
    await runImport(t.store, importer, [dataFile('trips', 'baywheels_fordgobike_2019-02-26_28.csv')], { system: asSystemId('baywheels') });
    const fleet = parseFleet(readFileSync(new URL('../examples/fleet-baywheels-4.json', import.meta.url), 'utf8'), 'fleet-baywheels-4.json');
    const from = Date.parse('2019-02-28T08:00:00Z') / 1000; // local midnight (PST)
    const logs = new Map<string, MemoryLog>();
    const out = await simulate(t.store, {
      systemId: 'baywheels', from, to: from + 86400, fleet, policies: ['none', 'reactive'], demand: 'trips', seed: 1, shiftStartMinutes: 7 * 60,
      logFor: (p) => { const l = new MemoryLog(); logs.set(p, l); return l; },
    });
    const d = out.data as typeof out.data & { start_state: { from_status: number; capacity_assumed: number; note: string } };
    assert.equal(d.demand, 'trips');
    assert.ok((d.trips as number) > 9000, `${d.trips} trips`);
    assert.equal(d.start_state.from_status, 0);
    assert.equal(d.start_state.capacity_assumed, out.stations.ids.length);
    assert.match(d.start_state.note, /GENERATED/);
    for (const r of out.results) {
      assert.ok(r.detours > 0 && r.detours <= r.failedReturns);
      const tot = totalsFromLog(logs.get(r.policy)!.jsonl());
      assert.deepEqual([tot.failed_rentals, tot.failed_returns, tot.detours, tot.bikes_moved], [r.failedRentals, r.failedReturns, r.detours, r.bikesMoved]);
      assert.ok(Math.abs(tot.detour_km - r.detourKm) < 0.5 && Math.abs(tot.truck_km - r.truckKm) < 0.5);
    }
    const [none, reactive] = out.results;
    assert.ok(reactive!.bikesMoved > 0 && reactive!.failedRentals + reactive!.failedReturns < none!.failedRentals + none!.failedReturns);
    assert.equal(out.observed.bikes_moved, null);
    await t.store.close();

    // The command: the contract's line, --out's files, the event log's run line; a bad flag named.
    const cli = (...args: string[]) => spawnSync(process.execPath, [join(repoRoot(), 'bin/urbanlab.js'), 'simulate', '--system', 'baywheels',
      '--from', '2019-02-28T06:00', '--to', '2019-02-28T12:00', '--fleet', join(repoRoot(), 'examples/fleet-baywheels-4.json'), '--demand', 'trips', '--db', t.path, ...args], { encoding: 'utf-8' });
    const dir = join(t.dir, 'out');
    const run = cli('--policy', 'reactive', '--json', '--out', dir);
    assert.equal(run.status, 0, run.stderr);
    const line = JSON.parse(run.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(line), ['policy', 'failed_rentals', 'failed_returns', 'empty_minutes', 'full_minutes', 'empty_minutes_day', 'full_minutes_day', 'outages_over_10min', 'bikes_moved', 'truck_km', 'replans', 'seconds']);
    assert.match(run.stderr, /GENERATED/);
    for (const f of ['summary.json', 'events-reactive.jsonl', 'failures_by_hour.svg', 'failures_by_hour.png', 'failure_map_reactive.svg']) assert.ok(existsSync(join(dir, f)), f);
    const lines = readFileSync(join(dir, 'events-reactive.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; t?: number; stations?: unknown[] });
    assert.equal(lines[0]!.type, 'run');
    assert.ok(lines[0]!.stations!.length > 300);
    const tot = totalsFromLog(lines.map((l) => JSON.stringify(l)).join('\n'));
    assert.deepEqual([tot.failed_rentals, tot.failed_returns, tot.bikes_moved], [line.failed_rentals, line.failed_returns, line.bikes_moved]);
    const bad = cli('--policy', 'none', '--start-fill', '1.5');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--start-fill must be a share between 0 and 1, got '1.5'/);
    assert.doesNotMatch(bad.stderr, /at .*\.ts:\d+/);

    // A store whose trip stations have no position (imported before they were recorded) is refused, not replayed thin.
    const again = await openStore(t.path);
    try {
      await again.run("DELETE FROM stations WHERE source = 'gbfs-trips'");
      await assert.rejects(simulate(again, { systemId: 'baywheels', from, to: from + 86400, fleet, policies: ['none'], demand: 'trips', seed: 1, shiftStartMinutes: 420 }),
        /trips of 'baywheels' in the window name a station the store cannot place/);
    } finally {
      await again.close();
    }
  } finally {
    await t.dispose();
  }
});
