import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { dataFile } from '../bundled-data.ts';
import { detectFeedKind, GbfsFormatError, localized, parseStationInformation, parseSystemInformation, time } from './feeds.ts';

const V3 = join(import.meta.dirname, '..', '..', '..', 'test', 'fixtures', 'gbfs_v3.0_published_layout');
const json = (p: string) => JSON.parse(readFileSync(p, 'utf-8')) as unknown;

test('v2.3 system_information (Bay Wheels, real file): id, name, zone, POSIX last_updated', () => {
  const d = parseSystemInformation(json(dataFile('gbfs', 'baywheels', 'raw_sample_2023-03-06', 'system_information.json')));
  assert.equal(d.lastUpdated, 1678089846);
  assert.deepEqual(d.items[0], { systemId: 'fgb', name: 'Bay Wheels', timezone: 'America/Los_Angeles', url: 'https://www.lyft.com/bikes', language: 'en' });
});

test('v1.1 station_information (Citi Bike, real file): every station, 19-digit and UUID ids kept as strings', () => {
  const doc = json(dataFile('gbfs', 'citibike_nyc', '2024-10-02', 'station_information.json'));
  assert.equal(detectFeedKind(doc), 'station_information');
  const d = parseStationInformation(doc);
  assert.equal(d.version, '1.1');
  assert.equal(d.items.length + d.rejects.length, 2226);
  const s = d.items.find((x) => x.stationId === '1862008701134683118')!;
  assert.deepEqual([s.name, s.shortName, s.capacity, s.lat, s.lon], ['Arthur Ave & E 183 St', '8430.03', 25, 40.85307, -73.88953]);
});

test('v3.0 (published layout): RFC 3339 times, localized names (system language, else English), rejects without lat/lon', () => {
  const sys = parseSystemInformation(json(join(V3, 'system_information.json')));
  assert.equal(sys.major, 3);
  assert.equal(sys.lastUpdated, Date.parse('2024-10-02T16:00:00Z') / 1000);
  assert.deepEqual([sys.items[0]!.systemId, sys.items[0]!.name, sys.items[0]!.language], ['example_v3', 'Example Bike Share', 'en']);
  const st = parseStationInformation(json(join(V3, 'station_information.json')), 'fr');
  assert.deepEqual(st.items.map((s) => s.name), ['Rue Main et 1re Av', 'Park Ave', 'River Rd']);
  assert.equal(st.items[0]!.shortName, 'M1');
  assert.deepEqual(st.rejects.map((r) => [r.reason, r.field]), [['missing lat/lon', 'data.stations[3].lat']]);
  assert.equal(detectFeedKind(json(join(V3, 'station_status.json'))), 'station_status');
});

test('malformed documents name the field', () => {
  assert.throws(() => parseSystemInformation({ data: { name: 'x' }, last_updated: 1 }), (e: GbfsFormatError) => e.field === 'data.system_id');
  assert.throws(() => parseStationInformation({ data: { stations: {} }, last_updated: 1700000000 }), (e: GbfsFormatError) => e.field === 'data.stations');
  assert.throws(() => parseStationInformation({ data: { stations: [] } }), (e: GbfsFormatError) => e.field === 'last_updated');
  assert.throws(() => parseStationInformation({ version: '4.0', data: { stations: [] }, last_updated: 1700000000 }), (e: GbfsFormatError) => e.field === 'version');
  assert.throws(() => detectFeedKind({ nope: 1 }), /no "data" object/);
  assert.throws(() => time('2024-10-02T12:00:00', 'last_updated'), /no zone offset/);
  assert.equal(time('2024-10-02T12:00:00Z', 'x'), 1727870400);
  assert.equal(time(1727870400, 'x'), 1727870400);
  const dup = parseStationInformation({ last_updated: 1700000000, data: { stations: [{ station_id: 'a', lat: 1, lon: 2 }, { station_id: 'a', lat: 1, lon: 2 }, { lat: 1, lon: 2 }] } });
  assert.deepEqual(dup.rejects.map((r) => r.reason), ['duplicate station_id', 'missing station_id']);
  assert.equal(localized([{ text: 'A', language: 'de' }], 'en', 'f'), 'A');
});
