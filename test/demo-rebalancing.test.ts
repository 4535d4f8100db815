// The Quick start's rebalancing part (src/rebalancing/demo.ts): the morning shift it plans, and
// the whole chain (forecast fit + predict, targets from that forecast, truck plan with the bundled
// Bay Wheels fleet) on the real 8-station Bay Wheels extract, as `urbanlab demo` runs it.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { demoRebalancing, describeDemoRebalancing, lastShiftStart } from '../src/rebalancing/demo.ts';
import { openStore } from '../src/platform/store/connection.ts';
import { loadBayWheelsExtract, loadBayWheelsStations } from './helpers/baywheels-extract.ts';
import { tempDir } from './helpers/store.ts';

const iso = (t: number) => new Date(t).toISOString();

test('the demo plans the last 07:00 local at or before the data end, across daylight saving', () => {
  const la = 'America/Los_Angeles';
  assert.equal(iso(lastShiftStart(Date.parse('2023-05-31T23:58:00Z'), la)), '2023-05-31T14:00:00.000Z'); // 16:58 PDT
  assert.equal(iso(lastShiftStart(Date.parse('2023-05-31T13:59:00Z'), la)), '2023-05-30T14:00:00.000Z'); // 06:59 PDT: the day before
  assert.equal(iso(lastShiftStart(Date.parse('2023-05-31T14:00:00Z'), la)), '2023-05-31T14:00:00.000Z'); // exactly 07:00
  assert.equal(iso(lastShiftStart(Date.parse('2023-03-12T20:00:00Z'), la)), '2023-03-12T14:00:00.000Z'); // spring forward: PDT
  assert.equal(iso(lastShiftStart(Date.parse('2023-03-11T20:00:00Z'), la)), '2023-03-11T15:00:00.000Z'); // the day before: PST
  assert.equal(iso(lastShiftStart(Date.parse('2023-05-31T00:00:00Z'), 'Asia/Seoul')), '2023-05-30T22:00:00.000Z'); // 09:00 KST
});

test('demo rebalancing on a real extract: forecast -> targets from it -> a checked truck plan, files written', async () => {
  const t = tempDir();
  try {
    const store = await openStore(join(t.dir, 'demo.duckdb'));
    await loadBayWheelsExtract(store);
    await loadBayWheelsStations(store);
    const logged: string[] = [];
    const [r, ...more] = await demoRebalancing(store, join(t.dir, 'out'), (s) => logged.push(s));
    assert.equal(more.length, 0);
    assert.equal(r!.status, 'ok', r!.message);
    // The extract's status ends on 2023-04-23 (UTC): its last 07:00 PDT.
    assert.equal(r!.at, '2023-04-23T14:00:00.000Z');
    // Targets were computed from the forecast run the demo stored, not the historical fallback.
    const runs = await store.all<{ rates: string }>(`SELECT rates FROM target_runs WHERE run_id = $1`, [r!.target_run!]);
    assert.equal(runs[0]!.rates, `forecast:${r!.forecast_run}`);
    assert.equal(r!.shortage! + r!.surplus! + r!.balanced!, 8);
    const stored = await store.all<{ n: number }>(`SELECT count(*) AS n FROM plans WHERE plan_id = $1`, [r!.plan_id!]);
    assert.equal(Number(stored[0]!.n), 1);
    await store.close();
    const plan = JSON.parse(readFileSync(join(r!.dir, 'plan.json'), 'utf8'));
    assert.ok(plan.expected_failures_after <= plan.expected_failures_before + 1e-9);
    for (const f of r!.files!) assert.ok(existsSync(f), f);
    assert.ok(r!.files!.some((f) => f.endsWith('target_classes_map.png')));
    assert.match(describeDemoRebalancing([r!]), /baywheels at 2023-04-23T14:00:00.000Z: \d+ stations short of bikes/);
    assert.ok(logged.some((l) => l.includes('forecast fit')));
  } finally {
    t.dispose();
  }
});
