import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mulberry32 } from '../../../platform/util/random.ts';
import { balancedZones } from './balanced.ts';
import { districtZones, resolveDistricts } from './district.ts';
import { makeZones } from './make.ts';
import { colourZones } from './map.ts';
import { summarise } from './summary.ts';
import { allocateTrucks, evenTrucks } from './trucks.ts';
import type { ZoneStation } from './types.ts';

// 0.01 degree of longitude at 37.5N is 0.883 km; of latitude 1.113 km.
const st = (id: string, district: string | null, lon: number, lat: number, bring: number, take: number, failures = 0): ZoneStation => ({ station_id: id, district, lat, lon, bring, take, failures });

test('trucks: Sainte-Laguë on work, every zone with work at least one, none for a zone without', () => {
  assert.deepEqual(allocateTrucks([100, 50, 0, 10], 5), [3, 1, 0, 1]);
  assert.deepEqual(allocateTrucks([10, 10], 2), [1, 1]);
  assert.deepEqual(allocateTrucks([0, 0, 0], 4), [2, 1, 1]);
  assert.throws(() => allocateTrucks([1, 1, 1], 2), /3 zones with work but only 2 trucks/);
  assert.deepEqual(evenTrucks(7, 3), [3, 2, 2]);
});

// Four districts along an east-west line: A, B close to C, and D far east.
function line(): ZoneStation[] {
  const out: ZoneStation[] = [];
  const put = (d: string, lon0: number, work: number) => {
    for (let k = 0; k < 4; k++) out.push(st(`${d}${k}`, d, lon0 + 0.002 * k, 37.5, k % 2 ? work / 4 : 0, k % 2 ? 0 : work / 4));
  };
  put('A', 127.0, 40);
  put('B', 127.03, 4);
  put('C', 127.045, 40);
  put('D', 127.2, 40);
  return out;
}

test('district zones: a district under half a truck share joins its nearest neighbour', () => {
  const s = line();
  const a = districtZones(s, 3);
  // B (work 4 < 0.5 x 124/3) joins C, whose stations are closer than A's.
  assert.deepEqual(a.zones, ['C+B', 'A', 'D']);
  assert.deepEqual(a.trucks, [1, 1, 1]);
  s.forEach((x, i) => assert.equal(a.zones[a.zoneOf[i]!], { A: 'A', B: 'C+B', C: 'C+B', D: 'D' }[x.district!]));
  assert.match(a.notes[1]!, /^B \(work 4\) joined C/);
  // Two trucks: one more merge, the least work (A or D at 40) into its nearest neighbour: A into C+B.
  const two = districtZones(s, 2);
  assert.equal(two.zones.length, 2);
  assert.ok(two.zones.includes('D'));
  assert.deepEqual(two.zones.find((z) => z !== 'D')!.split('+').sort(), ['A', 'B', 'C']);
  // Many trucks: the extra go where the work is.
  const many = districtZones(s, 7);
  assert.deepEqual(many.trucks.reduce((x, y) => x + y), 7);
  assert.throws(() => districtZones([st('x', null, 127, 37.5, 1, 0)], 2), /no district/);
});

test('resolveDistricts: by the boundary that contains the station, else the nearest station', () => {
  const square = { type: 'Polygon', coordinates: [[[126.9, 37.4], [127.1, 37.4], [127.1, 37.6], [126.9, 37.6], [126.9, 37.4]]] };
  const clockwise = { type: 'Polygon', coordinates: [square.coordinates[0]!.slice().reverse()] };
  // Either winding (RFC 7946 counter-clockwise, or d3's clockwise) means the square itself.
  for (const geometry of [square, clockwise]) {
    const r = resolveDistricts([st('a', null, 127.0, 37.5, 0, 0), st('b', null, 127.5, 37.5, 0, 0), st('c', 'East', 127.45, 37.5, 0, 0)], [{ name: 'Square', geometry }]);
    assert.deepEqual(r.stations.map((s) => s.district), ['Square', 'East', 'East']);
    assert.deepEqual([r.byShape, r.byNeighbour, r.none], [1, 1, 0]);
  }
});

/** Stations on a 12 x 12 km square with lumpy work (a busy corner), seeded. */
function city(seed: number, n = 500, split = 126.968): ZoneStation[] {
  const u = mulberry32(seed);
  return Array.from({ length: n }, (_, i) => {
    const lon = 126.9 + 0.136 * u();
    const lat = 37.45 + 0.108 * u();
    const busy = lon < 126.95 && lat > 37.52 ? 4 : 1;
    const w = Math.floor(-Math.log(1 - u()) * 3 * busy);
    return st(`s${i}`, lon < split ? 'West' : 'East', lon, lat, i % 2 ? w : 0, i % 2 ? 0 : w, u());
  });
}

test('balanced zones: work within a few percent of each zone\'s truck share, compact, deterministic', () => {
  const s = city(3);
  const a = balancedZones(s, 8, { count: 4, seed: 5 });
  const r = summarise(s, a);
  assert.equal(r.zones.length, 4);
  assert.deepEqual(a.trucks, [2, 2, 2, 2]);
  assert.ok(r.imbalance <= 0.05, `imbalance ${r.imbalance}`);
  // Compact: every zone's work sits within a radius well under the city's (~5.4 km half-width).
  for (const z of r.zones) assert.ok(z.radius_km < 3.2, `${z.zone} radius ${z.radius_km}`);
  // Same seed, same zones.
  assert.deepEqual(balancedZones(s, 8, { count: 4, seed: 5 }).zoneOf, a.zoneOf);
  // Uneven trucks: 5 over 2 zones; the zone with 3 trucks holds about 3/5 of the work.
  const b = summarise(s, balancedZones(s, 5, { count: 2 }));
  const total = b.zones.reduce((x, z) => x + z.work, 0);
  const three = b.zones.find((z) => z.trucks === 3)!;
  assert.ok(Math.abs(three.work / total - 0.6) < 0.04, `share ${three.work / total}`);
  assert.throws(() => balancedZones(s.map((x) => ({ ...x, bring: 0, take: 0 })), 4), /no work/);
});

test('summary: sums per zone, imbalance against the fleet mean', () => {
  const s = [st('a', 'X', 127, 37.5, 3, 0, 1), st('b', 'X', 127.01, 37.5, 0, 5, 2), st('c', 'Y', 127.1, 37.5, 2, 0, 0.5)];
  const r = summarise(s, { method: 'district', zones: ['X', 'Y'], trucks: [1, 1], zoneOf: Int32Array.from([0, 0, 1]), notes: [] });
  assert.deepEqual(r.zones.map((z) => [z.zone, z.stations, z.bikes_short, z.bikes_over, z.work, z.expected_failures]), [['X', 2, 3, 5, 8, 3], ['Y', 1, 2, 0, 2, 0.5]]);
  // Fleet mean 5 per truck: X is 60% over, Y 60% under.
  assert.equal(r.imbalance, 0.6);
  // X's work centre: 3/8 of the way... (a at weight 3, b at weight 5) -> 5/8 of 0.883 km from a.
  assert.ok(Math.abs(r.zones[0]!.radius_km - (3 * 0.625 + 5 * 0.375) * 0.8834 / 8) < 0.01, String(r.zones[0]!.radius_km));
});

test('auto: districts when balanced enough, balanced clustering when not', () => {
  const even = [st('a', 'X', 127, 37.5, 5, 0), st('b', 'Y', 127.1, 37.5, 0, 5)];
  assert.equal(makeZones(even, 2, 'auto').assignment.method, 'district');
  // The West district is a strip with under a third of the work, yet one of the two trucks.
  const s = city(9, 500, 126.925);
  const m = makeZones(s, 2, 'auto');
  assert.equal(m.choice!.district!.zones, 2);
  assert.ok(m.choice!.district!.imbalance > 0.25, JSON.stringify(m.choice));
  assert.equal(m.assignment.method, 'balanced');
  assert.ok(m.report.imbalance < m.choice!.district!.imbalance);
});

test('map colours: zones whose stations touch get different colours', () => {
  const s = city(4, 300);
  const a = balancedZones(s, 12, { count: 6 });
  const c = colourZones(s, a);
  // Neighbours: some pair of their stations within 1 km.
  for (let i = 0; i < s.length; i++) for (let j = 0; j < s.length; j++) {
    const zi = a.zoneOf[i]!, zj = a.zoneOf[j]!;
    if (zi === zj) continue;
    const d = Math.hypot((s[i]!.lon - s[j]!.lon) * 88.3, (s[i]!.lat - s[j]!.lat) * 111.32);
    if (d < 0.99) assert.notEqual(c[zi], c[zj], `zones ${zi} and ${zj}`);
  }
});

test('balanced zones never span separate clusters: three towns far apart, trucks by work', async () => {
  const { stationClusters, trucksByWork } = await import('./clusters.ts');
  // Three towns like Bay Wheels' San Francisco, East Bay (8 km across water) and San Jose (60 km):
  // grids of stations 300 m apart; the first has most of the work.
  const town = (name: string, lon0: number, lat0: number, side: number, work: number): ZoneStation[] => {
    const out: ZoneStation[] = [];
    for (let i = 0; i < side; i++) for (let j = 0; j < side; j++) out.push(st(`${name}${i}-${j}`, null, lon0 + i * 0.0034, lat0 + j * 0.0027, (i + j) % 2 ? work : 0, (i + j) % 2 ? 0 : work));
    return out;
  };
  const s = [...town('sf', -122.45, 37.75, 10, 3), ...town('eb', -122.27, 37.80, 6, 2), ...town('sj', -121.89, 37.33, 5, 2)];
  const c = stationClusters(s);
  assert.equal(c.count, 3);
  assert.deepEqual(trucksByWork([300, 72, 50], 4), [3, 1, 0], 'San Jose under half a truck\'s share (52.75)');
  assert.deepEqual(trucksByWork([300, 72, 60], 4), [2, 1, 1]);
  assert.deepEqual(trucksByWork([300, 72, 50], 2), [2, 0, 0], 'under half a truck\'s share: no truck of its own');
  assert.deepEqual(trucksByWork([300, 72, 50], 2, 0), [1, 1, 0], 'fewer trucks than clusters: the busiest first');
  assert.deepEqual(trucksByWork([311, 22, 12], 4), [4, 0, 0], 'the Bay Wheels morning: East Bay and San Jose under half a share');
  const a = balancedZones(s, 4, { seed: 1 });
  // Every zone lies within one cluster.
  const clustersOfZone = new Map<number, Set<number>>();
  a.zoneOf.forEach((z, i) => (clustersOfZone.get(z) ?? clustersOfZone.set(z, new Set()).get(z)!).add(c.of[i]!));
  for (const [z, cs] of clustersOfZone) assert.equal(cs.size, 1, `zone ${a.zones[z]} spans ${cs.size} clusters`);
  assert.equal(a.trucks.reduce((x, y) => x + y, 0), 4);
  const r = summarise(s, a);
  for (const z of r.zones) assert.ok(z.radius_km < 3, `${z.zone} radius ${z.radius_km}`);
  // One cluster (linkKm Infinity): the old behaviour, a zone joins towns and its radius shows it.
  const one = summarise(s, balancedZones(s, 4, { seed: 1, linkKm: Infinity }));
  assert.ok(Math.max(...one.zones.map((z) => z.radius_km)) > Math.max(...r.zones.map((z) => z.radius_km)));
});
