// Figures on real bundled data that a person can check by hand: the UCI Seoul file imported with
// its importer, then stage 1 over 추석 2018 (Sep 23-26: 추석 eve, 추석, the day after, and the
// substitute holiday). Every expected figure is computed here from the raw CSV, independently of
// the store and of the statistics code.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { withTempStore } from '../../../test/helpers/store.ts';
import { dataFile } from '../../platform/bundled-data.ts';
import { loadImporter } from '../../platform/import/registry.ts';
import { runImport } from '../../platform/import/run-import.ts';
import { silentProgress } from '../../platform/util/progress.ts';
import { runStats } from './run.ts';
import { asSystemId } from '../../platform/ids.ts';

interface UciRow {
  date: string; // YYYY-MM-DD
  hour: number;
  count: number;
  rainMm: number;
  functioning: boolean;
}

function rawUci(): UciRow[] {
  const lines = readFileSync(dataFile('seoul', 'uci', 'SeoulBikeData.csv'), 'utf8').split(/\r?\n/).filter((l) => l.trim());
  return lines.slice(1).map((l) => {
    const f = l.split(',');
    const [d, m, y] = f[0]!.split('/');
    return { date: `${y}-${m!.padStart(2, '0')}-${d!.padStart(2, '0')}`, hour: Number(f[2]), count: Number(f[1]), rainMm: Number(f[9]), functioning: f[13] === 'Yes' };
  });
}

test('UCI Seoul over 추석 2018: hourly rentals by day type and rain hours match the raw file', () =>
  withTempStore(async ({ store }) => {
    await runImport(store, await loadImporter('uci-seoul'), [dataFile('seoul', 'uci', 'SeoulBikeData.csv')], { system: asSystemId('seoul'), progress: silentProgress, options: {} });
    const { report } = await runStats(store, 'seoul', { from: '2018-09-21', to: '2018-09-27' });
    const raw = rawUci().filter((r) => r.date >= '2018-09-21' && r.date <= '2018-09-27' && r.functioning);
    // 09-21 Fri weekday, 09-22 Sat weekend, 09-23..26 holidays (09-23 is a Sunday: holiday first), 09-27 Thu weekday.
    const type = (d: string) => (d >= '2018-09-23' && d <= '2018-09-26' ? 'holiday' : d === '2018-09-22' ? 'weekend' : 'weekday');
    for (const t of ['weekday', 'weekend', 'holiday'] as const) {
      for (const hour of [0, 8, 18]) {
        const want = raw.filter((r) => type(r.date) === t && r.hour === hour).reduce((a, r) => a + r.count, 0);
        const got = report.by_hour_daytype.find((x) => x.day_type === t && x.hour === hour)?.rentals;
        assert.equal(got, want, `${t} ${hour}:00`);
      }
    }
    assert.equal(report.by_hour_daytype.find((x) => x.day_type === 'holiday')!.days, 4);
    assert.equal(report.summary.rentals, raw.reduce((a, r) => a + r.count, 0));
    const rainHours = raw.filter((r) => r.rainMm > 0).length;
    const dryHours = raw.filter((r) => r.rainMm === 0).length;
    const band = (b: string) => report.weather.find((w) => w.factor === 'rain' && w.band === b)?.hours ?? 0;
    assert.equal(band('rain'), rainHours);
    assert.equal(band('no rain'), dryHours);
  }));

test('UCI Seoul, whole year: non-functioning hours are left out; weekday totals match the raw file', () =>
  withTempStore(async ({ store }) => {
    await runImport(store, await loadImporter('uci-seoul'), [dataFile('seoul', 'uci', 'SeoulBikeData.csv')], { system: asSystemId('seoul'), progress: silentProgress, options: {} });
    const { report } = await runStats(store, 'seoul', { from: null, to: null });
    const raw = rawUci().filter((r) => r.functioning);
    assert.equal(report.summary.rentals, raw.reduce((a, r) => a + r.count, 0)); // 6,172,314
    const mondays = raw.filter((r) => new Date(`${r.date}T00:00:00Z`).getUTCDay() === 1);
    assert.equal(report.by_weekday.find((w) => w.weekday === 'Mon')!.rentals, mondays.reduce((a, r) => a + r.count, 0));
    assert.equal(report.monthly.find((m) => m.source === 'system_hourly:uci' && m.month === '2018-06')!.rentals,
      raw.filter((r) => r.date.startsWith('2018-06')).reduce((a, r) => a + r.count, 0));
  }));
