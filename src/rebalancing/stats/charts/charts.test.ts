// Snapshot tests of the SVG charts: a fixed report (synthetic counts over real Seoul district
// boundaries) is drawn, and each SVG is compared as text with the committed file in
// test/snapshots/stats/. A change in a chart shows up as a readable diff; after checking it by eye,
// refresh the files with UPDATE_SNAPSHOTS=1.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { dataFile, repoRoot } from '../../../platform/bundled-data.ts';
import { loadHolidayCalendar } from '../holidays.ts';
import { localizer } from '../../../platform/time/index.ts';
import { buildReport, stationNetByHour, type StatsInputs } from '../report.ts';
import type { StationHourOfDay } from '../types.ts';
import { buildCharts } from './build.ts';
import { svgToPng } from '../../../platform/charts/png.ts';

const SNAPSHOTS = join(repoRoot(), 'test', 'snapshots', 'stats');
const H = 3_600_000;
const T0 = Date.parse('2024-09-15T15:00:00Z'); // 2024-09-16 00:00 KST, a Monday (추석 holidays 16-18)

function inputs(): StatsInputs {
  const hours = [];
  const weather = [];
  const hod: StationHourOfDay[] = [];
  for (let i = 0; i < 14 * 24; i++) {
    const hour = i % 24;
    const peak = hour === 8 || hour === 18 ? 3 : hour >= 7 && hour <= 22 ? 1.5 : 0.3;
    hours.push({ hourUtc: T0 + i * H, rentals: Math.round(100 * peak + (i % 7) * 5), returns: Math.round(100 * peak + (i % 5) * 5) });
    weather.push({ hourUtc: T0 + i * H, temperatureC: 10 + (i % 24) * 0.8, precipitationMm: i % 29 === 0 ? 4 : 0, rain: null, windMs: (i % 6) * 0.9, humidityPct: 30 + (i % 13) * 5 });
  }
  // 14 days by local hour (UTC hour = local - 9 in Seoul).
  for (let hour = 0; hour < 24; hour++) {
    const utcHour = (hour + 15) % 24;
    hod.push({ stationId: '101', utcHour, offsetMin: 540, pickups: 14 * (hour === 8 ? 6 : 1), returns: 14 * (hour === 18 ? 2 : 1) });
    hod.push({ stationId: '202', utcHour, offsetMin: 540, pickups: 14, returns: 14 * (hour === 8 ? 5 : 1) });
  }
  const totals = [
    { stationId: '101', pickups: 420, returns: 310 },
    { stationId: '202', pickups: 336, returns: 392 },
    { stationId: '303', pickups: 200, returns: 205 },
  ];
  return {
      stationHourOfDay: { trips: hod },
      system: { id: 'seoul', name: 'Seoul Bike', timezone: 'Asia/Seoul', country: 'KR' },
      period: { from: null, to: null },
      hourly: [{ source: 'trips', hours }],
      stationSources: [{ source: 'trips', totals }],
      stationMonths: [
        { month: '2024-07', rentals: 5000, returns: 5100, stations: 3 },
        { month: '2024-08', rentals: 6200, returns: 6100, stations: 3 },
        { month: '2024-09', rentals: 5800, returns: 5900, stations: 3 },
      ],
      weather,
      availability: [],
      stationInfo: [
        { stationId: '101', name: 'Gangnam Stn', district: 'Gangnam-gu', lat: 37.498, lon: 127.028, capacity: 20 },
        { stationId: '202', name: 'Yeouido Park', district: 'Yeongdeungpo-gu', lat: 37.526, lon: 126.924, capacity: 30 },
        { stationId: '303', name: 'Jongno 3-ga', district: 'Jongno-gu', lat: 37.571, lon: 126.992, capacity: 15 },
      ],
  };
}

function districts(): { code: string; name: string | null; geometry: unknown }[] {
  const gj = JSON.parse(readFileSync(dataFile('seoul', 'boundaries', 'seoul_districts_25gu_2015.geojson'), 'utf8')) as {
    features: { properties: Record<string, string>; geometry: unknown }[];
  };
  return gj.features.map((f) => ({ code: f.properties['SIG_CD']!, name: f.properties['SIG_ENG_NM'] ?? null, geometry: f.geometry }));
}

test('SVG charts match their snapshots', async () => {
  const inp = inputs();
  const clock = localizer('Asia/Seoul');
  const calendar = await loadHolidayCalendar('KR', [2024]);
  const report = buildReport(inp, calendar, clock, { rule: { threshold: 0.1, minVolume: 20 }, top: 2 });
  report.station_net_by_hour = stationNetByHour(report, inp, clock, ['101', '202']);
  // korean = false: the snapshots do not depend on which fonts the machine has.
  const charts = buildCharts(report, districts(), false);
  assert.deepEqual(charts.map((c) => c.name), [
    'heatmap_hour_weekday', 'hourly_profile_by_day_type', 'weather_response', 'net_flow_top_stations', 'station_classes_map', 'monthly_trend',
  ]);
  mkdirSync(SNAPSHOTS, { recursive: true });
  for (const c of charts) {
    const file = join(SNAPSHOTS, `${c.name}.svg`);
    if (!existsSync(file) && process.env['CI']) assert.fail(`snapshot ${file} is missing (run the test locally and commit it)`);
    if (process.env['UPDATE_SNAPSHOTS'] === '1' || !existsSync(file)) writeFileSync(file, c.svg);
    assert.equal(c.svg, readFileSync(file, 'utf8'), `${c.name} differs from ${file} (UPDATE_SNAPSHOTS=1 to accept)`);
    // Axis labels with units, the time zone and the span are stated on every time chart.
    if (c.name !== 'station_classes_map' && c.name !== 'monthly_trend') assert.match(c.svg, /Asia\/Seoul/);
  }
  // The PNG renderer accepts every chart (a PNG starts with its 8-byte signature).
  const png = svgToPng(charts[0]!.svg, 1);
  assert.deepEqual([...png.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
});
