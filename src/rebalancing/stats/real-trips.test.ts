// A known station's totals on a known day, on real trips: the bundled Seoul trip sample (999 real
// trips of 2017-09-01, 17-column layout) imported with the seoul-trips importer; the expected
// figures are counted here from the raw CSV (station numbers as published, leading zeros dropped
// as the store keeps them).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { tempStore } from '../../../test/helpers/store.ts';
import { dataFile } from '../../platform/bundled-data.ts';
import { loadImporter } from '../../platform/import/registry.ts';
import { runImport } from '../../platform/import/run-import.ts';
import { silentProgress } from '../../platform/util/progress.ts';
import { runStats } from './run.ts';
import { asSystemId } from '../../platform/ids.ts';

test('Seoul trip sample: per-station pickups and returns and rentals by hour match the raw file', async () => {
  const file = dataFile('seoul', 'trips', 'trip_history_sample_17col_999rows.csv');
  const rows = readFileSync(file, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim()).slice(1).map((l) => l.split(','));
  const id = (s: string) => s.trim().replace(/^0+(?=\d)/, '');
  const { store, dispose } = await tempStore();
  try {
    await runImport(store, await loadImporter('seoul-trips'), [file], { system: asSystemId('seoul'), progress: silentProgress, options: {} });
    const { report } = await runStats(store, 'seoul', { from: '2017-09-01', to: '2017-09-01' }, { rule: { threshold: 0.1, minVolume: 5 } });
    assert.equal(report.sources.stations, 'trips');
    for (const station of ['244', '1403', '210']) {
      const pickups = rows.filter((r) => id(r[2]!) === station).length;
      const returns = rows.filter((r) => id(r[6]!) === station).length;
      const s = report.stations.find((x) => x.station_id === station);
      assert.ok(s, `station ${station} in the report`);
      assert.deepEqual([s.pickups, s.returns, s.net], [pickups, returns, returns - pickups], `station ${station}`);
    }
    // 244: 1 pickup, 10 returns -> net +9 of 11 moves: a sink at min volume 5.
    assert.equal(report.stations.find((x) => x.station_id === '244')!.class, 'sink');
    for (const hour of [0, 1]) {
      const want = rows.filter((r) => r[1]!.startsWith(`2017-09-01 ${String(hour).padStart(2, '0')}:`)).length;
      assert.equal(report.by_hour_daytype.find((x) => x.hour === hour && x.day_type === 'weekday')!.rentals, want, `hour ${hour}`);
    }
  } finally {
    await dispose();
  }
});
