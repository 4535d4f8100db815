import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateStationStatus } from './validate-status.ts';

const fetchedAt = new Date('2023-03-06T08:00:10Z');
const lastUpdated = Math.floor(Date.parse('2023-03-06T08:00:00Z') / 1000);
const row = (over: Record<string, unknown> = {}) => ({
  station_id: 'a', num_bikes_available: 3, num_docks_available: 7, num_bikes_disabled: 0, num_docks_disabled: 0,
  is_installed: true, is_renting: true, is_returning: true, last_reported: lastUpdated - 30, ...over,
});
const doc = (stations: unknown[], extra: Record<string, unknown> = {}) => ({ last_updated: lastUpdated, ttl: 60, data: { stations }, ...extra });

test('a good v2 payload passes whole', () => {
  const v = validateStationStatus(doc([row(), row({ station_id: 'b', is_installed: 1, is_renting: 1, is_returning: 0 })]), { fetchedAt });
  assert.equal(v.ok, true);
  assert.equal(v.stations.length, 2);
  assert.equal(v.stations[1]!.isReturning, false);
  assert.equal(v.ttlS, 60);
});

test('v3.0 payloads: RFC 3339 times and num_vehicles_available', () => {
  const v = validateStationStatus(
    { last_updated: '2023-03-06T08:00:00Z', ttl: 0, version: '3.0', data: { stations: [{ station_id: 'a', num_vehicles_available: 4, num_docks_available: 2, is_installed: true, is_renting: true, is_returning: true, last_reported: '2023-03-06T07:59:00Z' }] } },
    { fetchedAt },
  );
  assert.equal(v.ok, true);
  assert.equal(v.stations[0]!.bikesAvailable, 4);
  assert.equal(v.stations[0]!.lastReported!.toISOString(), '2023-03-06T07:59:00.000Z');
});

test('bad station rows are rejected by rule, the rest kept', () => {
  const v = validateStationStatus(
    doc([row(), row(), row({ station_id: 'b', num_bikes_available: -1 }), row({ station_id: 'c', is_renting: 'yes' }), row({ station_id: 'd' }), { num_bikes_available: 1 },
      row({ station_id: 'e', num_ebikes_available: 9 }), row({ station_id: 'f', num_docks_available: 'x' })]),
    { fetchedAt, knownStations: new Set(['a', 'b', 'c', 'e', 'f']) },
  );
  assert.equal(v.ok, true);
  assert.deepEqual(v.stations.map((s) => s.stationId), ['a']);
  assert.deepEqual(v.rejects.map((r) => r.rule), ['duplicate_station_id', 'schema.num_bikes_available', 'schema.flags', 'unknown_station', 'schema.station_id', 'ebikes_exceed_bikes', 'schema.num_docks_available']);
});

test('more bikes and docks than capacity is kept with a warning', () => {
  const v = validateStationStatus(doc([row({ num_bikes_available: 8, num_docks_available: 7 })]), { fetchedAt, capacities: new Map([['a', 10]]) });
  assert.equal(v.stations.length, 1);
  assert.deepEqual(v.warnings.map((w) => w.rule), ['counts_exceed_capacity']);
});

test('payload rules: not an object, no stations, no last_updated, in the future, stale', () => {
  const rule = (p: unknown, at = fetchedAt) => validateStationStatus(p, { fetchedAt: at }).payloadError?.rule;
  assert.equal(rule('<html>'), 'payload.not_object');
  assert.equal(rule({ last_updated: lastUpdated, data: {} }), 'payload.no_stations');
  assert.equal(rule({ data: { stations: [] } }), 'payload.no_last_updated');
  assert.equal(rule(doc([row()]), new Date('2023-03-06T07:00:00Z')), 'payload.last_updated_future');
  assert.equal(rule(doc([row()]), new Date('2023-03-06T10:00:00Z')), 'payload.last_updated_stale');
});
