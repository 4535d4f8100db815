import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { parseHTML } from 'linkedom';
import { tempDir } from '../../../../test/helpers/store.ts';
import { driverCsv } from './csv.ts';
import { handMadePlan } from './fixture-plan.ts';
import { planToGeoJson } from './geojson.ts';
import { sheetsHtml } from './html.ts';
import { writePlanOutputs } from './index.ts';
import { localClock } from './local-time.ts';

test('GeoJSON: RFC 7946 shapes, [lon, lat] order, a LineString per route with stops, a Point per stop', () => {
  const plan = handMadePlan();
  const g = planToGeoJson(plan);
  assert.equal(g.type, 'FeatureCollection');
  assert.ok(!('crs' in g));
  const lines = g.features.filter((f) => f.geometry.type === 'LineString');
  const stops = g.features.filter((f) => f.properties['kind'] === 'stop');
  const starts = g.features.filter((f) => f.properties['kind'] === 'start');
  // t3 has no stops: no LineString (it would have one position), but its start Point.
  assert.deepEqual(lines.map((f) => f.properties['truck']), ['t1', 't 2/b']);
  assert.equal(starts.length, 3);
  assert.equal(stops.length, 5);
  for (const f of g.features) {
    assert.equal(f.type, 'Feature');
    assert.ok(f.properties !== undefined);
    const coords = f.geometry.type === 'Point' ? [f.geometry.coordinates] : f.geometry.coordinates;
    if (f.geometry.type === 'LineString') assert.ok(coords.length >= 2);
    // Seoul: longitude ~127 first, latitude ~37.5 second.
    for (const [lon, lat] of coords) assert.ok(lon! > 126 && lon! < 128 && lat! > 37 && lat! < 38, `${lon}, ${lat}`);
  }
  // The first route's line: start, then its stops in order.
  assert.deepEqual(lines[0]!.geometry.coordinates, [[126.978, 37.5665], [126.918617, 37.552746], [126.867218, 37.549507], [126.8702, 37.5401]]);
  const p = stops[1]!.properties;
  assert.deepEqual([p['seq'], p['station_id'], p['number'], p['name'], p['action'], p['bikes'], p['arrival'], p['load_after'], p['zone']], [2, 'ST-2000', '774', '등촌역 4번 출구', 'drop', 7, '2025-06-02T08:49:00+09:00', 5, '중구+종로구']);
  // bbox: [west, south, east, north] over every position.
  assert.deepEqual(g.bbox, [126.863831, 37.5, 127.05, 37.5665]);
  // It survives a JSON round trip unchanged (no undefined, no NaN).
  assert.deepEqual(JSON.parse(JSON.stringify(g)), g);
});

test('CSV per driver: order, number, name, action, count, local arrival, load; quoting and BOM', () => {
  const plan = handMadePlan();
  const text = driverCsv(plan.routes[0]!);
  assert.ok(text.startsWith('\uFEFF'));
  const rows = parse(text.slice(1), { columns: true }) as Record<string, string>[];
  assert.deepEqual(rows.map((r) => [r['stop'], r['station_number'], r['station_name'], r['action'], r['bikes'], r['arrival'], r['load_after']]), [
    ['1', '108', '서교동 사거리', 'collect', '12', '08:21', '12'],
    ['2', '774', '등촌역 4번 출구', 'drop', '7', '08:49', '5'],
    ['3', '9999', 'Test "quoted", <b>name</b>', 'drop', '5', '09:05', '0'],
  ]);
  // Shown in another zone: the same instant in UTC.
  const utc = parse(driverCsv(plan.routes[0]!, 'UTC').slice(1), { columns: true }) as Record<string, string>[];
  assert.equal(utc[0]!['arrival'], '23:21');
  // A truck without stops: the header alone.
  assert.equal(driverCsv(plan.routes[2]!), '\uFEFFstop,station_number,station_name,action,bikes,arrival,load_after,station_id\n');
});

test('local clock: the wall time written in the plan, or the instant in a named zone', () => {
  assert.deepEqual(localClock('2025-06-02T23:59:30+09:00'), { date: '2025-06-02', time: '23:59' });
  assert.deepEqual(localClock('2025-06-02T15:00:00Z', 'Asia/Seoul'), { date: '2025-06-03', time: '00:00' });
  assert.throws(() => localClock('yesterday'), /not an ISO 8601 time/);
});

test('HTML sheets: a section per truck, a row per stop with its counts, escaped names, in Korean', () => {
  const plan = handMadePlan();
  const html = sheetsHtml(plan, plan.routes, { lang: 'ko' });
  const { document } = parseHTML(html);
  assert.equal(document.documentElement.getAttribute('lang'), 'ko');
  const sheets = Array.from(document.querySelectorAll('section.sheet') as ArrayLike<Element>);
  assert.deepEqual(sheets.map((s) => s.getAttribute('data-truck')), ['t1', 't 2/b', 't3']);
  const rows = Array.from(sheets[0]!.querySelectorAll('tbody tr') as ArrayLike<Element>).map((tr) => Array.from(tr.querySelectorAll('td') as ArrayLike<Element>).map((td) => td.textContent));
  assert.deepEqual(rows, [
    ['1', '108', '서교동 사거리', '회수', '12', '08:21', '12', ''],
    ['2', '774', '등촌역 4번 출구', '배치', '7', '08:49', '5', ''],
    ['3', '9999', 'Test "quoted", <b>name</b>', '배치', '5', '09:05', '0', ''],
  ]);
  // The name was text, not markup.
  assert.equal(sheets[0]!.querySelectorAll('tbody b').length, 0);
  // A stop without a name shows its station id; the idle truck says so.
  assert.match(sheets[1]!.textContent!, /ST-3/);
  assert.match(sheets[2]!.textContent!, /정차 없음/);
  assert.match(sheets[0]!.textContent!, /회수 12 · 배치 12/);
  assert.match(sheets[0]!.textContent!, /권역 중구\+종로구/);
  assert.deepEqual(Array.from(sheets[0]!.querySelectorAll('th') as ArrayLike<Element>).map((th) => th.textContent), ['순서', '번호', '대여소', '작업', '대수', '도착', '적재', '확인']);
  assert.doesNotMatch(sheets[0]!.textContent!, /collect|drop|stops|driving/);
  assert.match(html, /@page \{ size: A4/);
  assert.match(html, /break-after: page/);
});

test('writePlanOutputs: geojson, sheets.html, and a CSV and HTML per driver', () => {
  const t = tempDir();
  try {
    const files = writePlanOutputs(handMadePlan(), t.dir);
    assert.deepEqual(readdirSync(t.dir).sort(), ['driver-t1.csv', 'driver-t1.html', 'driver-t3.csv', 'driver-t3.html', 'driver-t_2_b.csv', 'driver-t_2_b.html', 'plan.geojson', 'sheets.html']);
    assert.equal(files.length, 8);
    assert.equal(JSON.parse(readFileSync(join(t.dir, 'plan.geojson'), 'utf8')).type, 'FeatureCollection');
    const one = parseHTML(readFileSync(join(t.dir, 'driver-t_2_b.html'), 'utf8')).document;
    assert.equal(one.querySelectorAll('section.sheet').length, 1);
    assert.equal(one.querySelectorAll('tbody tr').length, 2);
  } finally {
    t.dispose();
  }
});

test('HTML sheets in English (--lang en, or a system outside Seoul): no Korean word but the station names', () => {
  const plan = handMadePlan();
  const { document } = parseHTML(sheetsHtml(plan, plan.routes, { lang: 'en' }));
  assert.equal(document.documentElement.getAttribute('lang'), 'en');
  const first = document.querySelector('section.sheet')!;
  assert.deepEqual(Array.from(first.querySelectorAll('th') as ArrayLike<Element>).map((th) => th.textContent), ['Stop', 'No.', 'Station', 'Task', 'Bikes', 'Arrival', 'Load after', 'Done']);
  assert.deepEqual(Array.from(first.querySelectorAll('tbody tr td:nth-child(4)') as ArrayLike<Element>).map((td) => td.textContent), ['collect', 'drop', 'drop']);
  assert.match(first.textContent!, /collect 12 · drop 12/);
  // Korean left only in the station names the system publishes (and the zone's name).
  const names = ['서교동 사거리', '등촌역 4번 출구', '세종그랑시아 앞(102동)', '중구+종로구'];
  let text = document.body.textContent!;
  for (const n of names) text = text.split(n).join('');
  assert.doesNotMatch(text, /[\uAC00-\uD7A3]/);
});
