// `forecast backtest-monthly` on the real Seoul station-month file, as a user runs it: import the
// usage and the station list (for neighbours), then two cut-offs one month ahead.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { dataFile } from '../src/platform/bundled-data.ts';
import { tempDir } from './helpers/store.ts';
import { cli } from './helpers/cli.ts';


test('CLI: forecast backtest-monthly on the Seoul station-month rentals and returns', async () => {
  const t = tempDir();
  try {
    const db = join(t.dir, 'm.duckdb');
    await cli(['import', 'seoul-usage', '--db', db, '--quiet', dataFile('seoul/usage/station_monthly_rentals_returns_2017-01_2019-05_cp949.csv')]);
    await cli(['import', 'seoul-stations', '--db', db, '--quiet', dataFile('seoul/stations/all_stations_incl_closed_2015-2021_cp949.tsv')]);
    const out = JSON.parse((await cli(['forecast', 'backtest-monthly', '--system', 'seoul', '--db', db, '--json', '--quiet', '--from', '2019-04', '--horizons', '1', '--trees', '80'])).stdout);
    assert.deepEqual(out.data, { from: '2017-01', to: '2019-05', stations: 1566 });
    assert.deepEqual(out.cutoffs, ['2019-04', '2019-05']);
    const row = (model: string, segment = 'all') => out.metrics.find((m: { model: string; segment: string; horizon_m: number }) => m.model === model && m.segment === segment && m.horizon_m === 1);
    // Every station with a row in April or May 2019, each flow: 1,509 + 1,510 stations.
    assert.equal(row('gbdt_nb').n, 2 * (1509 + 1510));
    for (const m of ['historical_average', 'seasonal_naive', 'last_month']) assert.ok(row('gbdt_nb').mae < row(m).mae, `${m}: ${row(m).mae} vs ${row('gbdt_nb').mae}`);
    for (const k of ['mae', 'rmse', 'r2', 'pinball', 'coverage_80', 'coverage_95']) assert.equal(typeof row('gbdt_nb')[k], 'number');
    assert.ok(row('gbdt_nb', 'new_stations').n > 0);
    await assert.rejects(cli(['forecast', 'backtest-monthly', '--system', 'seoul', '--db', db, '--from', '2016-01']), /not a month of the data/);
  } finally {
    t.dispose();
  }
});
