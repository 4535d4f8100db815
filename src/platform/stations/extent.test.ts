import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { dataFile } from '../bundled-data.ts';
import { parseStationInformation, STRAY_REASON } from '../gbfs/feeds.ts';
import { strayStations } from './extent.ts';

const INFO = dataFile('gbfs', 'baywheels', 'raw_sample_2023-03-06', 'station_information.json');

test("a station far outside its system's area is left out by reason; a real outlying cluster (San Jose) is kept", () => {
  const doc = JSON.parse(readFileSync(INFO, 'utf-8')) as { data: { stations: { station_id: string; lat: number; lon: number }[] } };
  const n = doc.data.stations.length;
  // The real list passes whole, San Jose's stations (~65 km from San Francisco) among them.
  const clean = parseStationInformation(doc);
  assert.equal(clean.items.length, n);
  assert.ok(clean.items.some((s) => s.lat < 37.4), 'San Jose is in the list');
  assert.equal(clean.rejects.length, 0);
  // One station with its longitude's sign lost (a wrong place in the ocean off China), one with lat and lon swapped.
  const a = doc.data.stations[3]!;
  const b = doc.data.stations[10]!;
  a.lon = -a.lon;
  [b.lat, b.lon] = [b.lon, b.lat];
  const d = parseStationInformation(doc);
  assert.equal(d.items.length, n - 2, 'the swapped one is out of range already; the sign-lost one is a stray');
  assert.deepEqual(d.rejects.map((r) => [r.reason, r.index, r.field]), [
    ['lat/lon out of range', 10, 'data.stations[10].lat'],
    [STRAY_REASON, 3, 'data.stations[3].lat'],
  ]);
  assert.match(d.rejects[1]!.raw, new RegExp(`^${a.station_id} at .* km from the centre of the system's stations, \\d+ km from the nearest$`));
});

test('strayStations: far from the centre and from every other station; two stations together are a cluster', () => {
  const city = Array.from({ length: 20 }, (_, i) => ({ lat: 37.5 + (i % 5) * 0.01, lon: 127 + Math.floor(i / 5) * 0.01 }));
  assert.deepEqual(strayStations(city), []);
  const lone = [...city, { lat: 38.5, lon: 127 }];
  assert.deepEqual(strayStations(lone).map((s) => s.index), [20]);
  const pair = [...lone, { lat: 38.5, lon: 127.01 }];
  assert.deepEqual(strayStations(pair), []);
});
