// End to end on a small real extract (8 Bay Wheels stations, 5 weeks of hourly flows derived from
// the bundled status-change file): `forecast fit`, `predict --json/--csv`, `backtest --json`,
// `factors --json`, run as a user runs them.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../src/platform/bundled-data.ts';
import { openStore } from '../src/platform/store/connection.ts';
import { tempDir } from './helpers/store.ts';
import { cli } from './helpers/cli.ts';

const FIXTURE = join(repoRoot(), 'test', 'fixtures', 'baywheels_hourly_flows_derived_2023-03-20_5weeks_8stations.csv');

test('CLI: forecast fit, predict, backtest and factors on a real extract', async () => {
  const t = tempDir();
  try {
    const db = join(t.dir, 'fc.duckdb');
    const store = await openStore(db);
    await store.run(`INSERT INTO systems (system_id, name, timezone, country) VALUES ('baywheels', 'Bay Wheels', 'America/Los_Angeles', 'US')`);
    await store.run(`INSERT INTO hourly_flows (system_id, station_id, hour, pickups, returns, minutes_observed, minutes_empty, minutes_full, source) SELECT 'baywheels', station_id, strptime(hour || ':00:00+00', '%Y-%m-%dT%H:%M:%S%z'), p, r, mo, me, mf, 'status'
      FROM read_csv('${FIXTURE}', header = true, types = {'station_id': 'VARCHAR', 'hour': 'VARCHAR'})`);
    await store.close();

    const fit = JSON.parse((await cli(['forecast', 'fit', '--system', 'baywheels', '--db', db, '--json', '--quiet', '--trees', '12', '--max-rows', '20000'])).stdout);
    assert.equal(fit.stations, 8);
    assert.equal(fit.cutoff, '2023-04-24T00:00:00.000Z');

    const pred = JSON.parse((await cli(['forecast', 'predict', '--system', 'baywheels', '--from', '2023-04-24T00:00:00Z', '--hours', '24', '--db', db, '--json', '--quiet'])).stdout);
    assert.equal(pred.forecasts.length, 8 * 24 * 2);
    for (const r of pred.forecasts) {
      assert.ok(r['lo-95'] <= r['lo-80'] && r['lo-80'] <= r['hi-80'] && r['hi-80'] <= r['hi-95'], JSON.stringify(r));
      assert.ok(r.y > 0 && r.size > 0 && r.distribution === 'negbin');
    }
    assert.equal(pred.forecasts[0].ds, '2023-04-24T00:00:00.000Z');
    const csv = (await cli(['forecast', 'predict', '--system', 'baywheels', '--from', '2023-04-24T00:00:00Z', '--hours', '3', '--db', db, '--csv', '--quiet', '--name', 'short'])).stdout.trim().split('\n');
    assert.equal(csv[0], 'unique_id,ds,flow,horizon_h,y,lo-80,hi-80,lo-95,hi-95,distribution,mu,size');
    assert.equal(csv.length, 1 + 8 * 3 * 2);

    // Issue 19: with a status log, only the stations reporting then are forecast, and an origin more
    // than a day past the latest status is refused unless --allow-stale.
    const withStatus = await openStore(db);
    const ids = (await withStatus.all<{ station_id: string }>("SELECT DISTINCT station_id FROM hourly_flows ORDER BY 1")).map((r) => r.station_id);
    await withStatus.run(`INSERT INTO status (system_id, station_id, observed_at, bikes_available, docks_available) VALUES
      ('baywheels', '${ids[0]}', TIMESTAMPTZ '2023-04-23 20:00:00+00', 3, 5), ('baywheels', '${ids[1]}', TIMESTAMPTZ '2023-04-20 20:00:00+00', 3, 5)`);
    await withStatus.close();
    const one = JSON.parse((await cli(['forecast', 'predict', '--system', 'baywheels', '--from', '2023-04-24T00:00:00Z', '--hours', '2', '--db', db, '--json', '--quiet', '--name', 'reporting'])).stdout);
    assert.deepEqual([...new Set(one.forecasts.map((r: { unique_id: string }) => r.unique_id))], [ids[0]]);
    assert.equal(one.stations_not_in_service, 7);
    assert.deepEqual(one.in_service.stale, [ids[1]]);
    await assert.rejects(cli(['forecast', 'predict', '--system', 'baywheels', '--from', '2023-04-26T00:00:00Z', '--hours', '2', '--db', db, '--json', '--name', 'late']), /--from 2023-04-26T00:00:00.000Z is 2 d 4 h after the latest status.*--allow-stale/);
    const late = JSON.parse((await cli(['forecast', 'predict', '--system', 'baywheels', '--from', '2023-04-26T00:00:00Z', '--hours', '2', '--db', db, '--json', '--quiet', '--name', 'late', '--allow-stale'])).stdout);
    assert.equal(late.status_age.age_minutes, 52 * 60);
    const cleanup = await openStore(db);
    await cleanup.run("DELETE FROM status; DELETE FROM forecasts WHERE run_id IN ('reporting', 'late'); DELETE FROM forecast_runs WHERE run_id IN ('reporting', 'late')");
    await cleanup.close();

    const check = await openStore(db, { readOnly: true });
    const runs = await check.all<{ run_id: string; n: number }>('SELECT run_id, count(*) n FROM forecasts GROUP BY 1 ORDER BY 1');
    await check.close();
    assert.deepEqual(runs, [{ run_id: 'baywheels-2023-04-24T00h', n: 384 }, { run_id: 'short', n: 48 }]);

    const bt = JSON.parse((await cli(['forecast', 'backtest', '--system', 'baywheels', '--from', '2023-04-17', '--db', db, '--json', '--quiet', '--origin-step', '6', '--trees', '12', '--max-rows', '20000'])).stdout);
    assert.deepEqual(bt.metrics.map((m: { model: string; horizon_h: number }) => `${m.model}@${m.horizon_h}`).sort(), [
      'gbdt_nb@1', 'gbdt_nb@24', 'gbdt_nb@3', 'historical_average@1', 'historical_average@24', 'historical_average@3', 'seasonal_naive@1', 'seasonal_naive@24', 'seasonal_naive@3',
    ]);
    for (const m of bt.metrics) for (const k of ['mae', 'rmse', 'r2', 'pinball', 'coverage_80', 'coverage_95', 'mae_mean', 'mae_median']) assert.equal(typeof m[k], 'number', k);
    // MAE states its point: the model's predictive median, the baselines' own (mean) forecast.
    for (const m of bt.metrics) assert.equal(m.point, m.model === 'gbdt_nb' ? 'median' : 'mean');

    const fac = JSON.parse((await cli(['forecast', 'factors', '--system', 'baywheels', '--db', db, '--json'])).stdout);
    assert.equal(fac.factors.pickups.importance[0].factor, 'station identity (profile)');
  } finally {
    t.dispose();
  }
});
