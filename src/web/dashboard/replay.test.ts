// The replay's reading of a real simulated run (test/fixtures/simulate-run: Bay Wheels 2023-05-30
// 06-11 h, reactive, 4 trucks), checked against the log's own lines.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../../platform/bundled-data.ts';
import { bikesAt, failuresAt, parseRunLog, recentFailures, trucksAt } from './replay.ts';

const text = readFileSync(join(repoRoot(), 'test/fixtures/simulate-run/events-reactive.jsonl'), 'utf-8');
const lines = text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>);
const r = parseRunLog(text, 'events-reactive.jsonl');

test('a station\'s bikes: the run line at the start, a 10-minute bikes line, a truck\'s stop', () => {
  const head = lines[0]!;
  assert.deepEqual([...bikesAt(r, head['from'] - 1)], head['stations'].map((s: any) => s.bikes));
  // A bikes line well into the run: every station as it says, at its own instant (events of that
  // very instant come after it in the file; none in this run).
  const snap = lines.filter((l) => l['type'] === 'bikes')[12]!;
  assert.ok(!lines.some((l) => l['type'] !== 'bikes' && l['t'] === snap['t']));
  assert.deepEqual([...bikesAt(r, snap['t'])], snap['bikes']);
  // Every truck stop: the station holds station_bikes right after it.
  const stops = lines.filter((l) => l['type'] === 'load' || l['type'] === 'drop');
  assert.equal(stops.length, 33);
  for (const e of stops) assert.equal(bikesAt(r, e['t'])[r.index.get(e['station'])!], e['station_bikes'], `${e['type']} at ${e['station']}`);
});

test('failures so far and as they happen: the run\'s 5 failed rentals and 2 failed returns', () => {
  assert.deepEqual(failuresAt(r, r.run.to), { rentals: 5, returns: 2 });
  assert.deepEqual(failuresAt(r, r.run.from), { rentals: 0, returns: 0 });
  const first = lines.find((l) => l['type'] === 'failed_rental')!;
  assert.equal(bikesAt(r, first['t'])[r.index.get(first['station'])!], 0);
  assert.deepEqual(recentFailures(r, first['t'] + 60, 900).map((f) => f.station).includes(first['station']), true);
  assert.equal(recentFailures(r, first['t'] + 901, 900).some((f) => f.t === first['t']), false);
});

test('trucks: at the depot before their first trip, between two places on the way', () => {
  const atStart = trucksAt(r, r.run.from);
  assert.deepEqual(atStart.map((x) => [x.lat, x.lon, x.moving]), r.run.trucks.map(() => [r.run.depot.lat, r.run.depot.lon, false]));
  const a = lines.find((l) => l['type'] === 'arrive' && l['t'] - l['depart'] > 120 && l['station'] !== 'depot')!;
  const to = r.run.stations[r.index.get(a['station'])!]!;
  const mid = trucksAt(r, (a['t'] + a['depart']) / 2).find((x) => x.id === a['truck'])!;
  assert.ok(mid.moving);
  const there = trucksAt(r, a['t']).find((x) => x.id === a['truck'])!;
  assert.deepEqual([there.lat, there.lon, there.moving], [to.lat, to.lon, false]);
});

test('a bad log is refused with the file, the line and the field', () => {
  assert.throws(() => parseRunLog('{"type":"arrive"}\n', 'x.jsonl'), /x\.jsonl line 1: field "type": expected "run"/);
  const head = text.slice(0, text.indexOf('\n') + 1);
  assert.throws(() => parseRunLog(`${head}{"t":1,"type":"drop","station":"nowhere"}\n`, 'x.jsonl'), /x\.jsonl line 2: field "station": "nowhere" is not a station/);
  assert.throws(() => parseRunLog(`${head}{"t":5,"type":"bikes","bikes":[1,2]}\n`, 'x.jsonl'), /line 2: field "bikes": expected 466 counts/);
  assert.throws(() => parseRunLog(`${head}not json\n`, 'x.jsonl'), /line 2: not JSON/);
});
