// The Seoul planning data of the planning benchmarks (bench/plan.ts, bench/zones.ts): the real
// station list with targets from the model, as `route plan` reads a stored target run.
//
// Data. Stations: the REAL Seoul station list (the city API's stationInfo, May 2025: id, number,
// name, district, racks, lat/lon), every station with racks and a place. Seoul publishes no live
// status or hourly station flows we hold, so the targets stage runs on rates made as follows:
//  - each station's level of rentals and of returns: its REAL share of all rentals / returns over
//    June 2018 - May 2019 (station monthly usage file, matched by station number) times the REAL 2025
//    system total (37.4 M trips) per day; stations opened since (no usage rows) draw a level from
//    the matched stations' levels (seeded bootstrap);
//  - the hours 08:00-11:00: the REAL 2025 share of trips in each hour (hourly usage aggregate);
//  - a SYNTHETIC morning tilt per station (seeded, normal, sd 0.3): pickups x (1 + tilt), returns
//    x (1 - tilt) (residential stations empty, office stations fill);
//  - gamma spread shapes 2..5 (seeded), as the targets bench.
// Bikes now are SYNTHETIC (seeded): 15% of stations empty, 10% over their racks (1.2-1.5x, common in
// Seoul), the rest uniform in 10-110% of racks. Capacity is soft: racks + 50% (Seoul's default).
import { asStationId } from '../../src/platform/ids.ts';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { dataFile } from '../../src/platform/bundled-data.ts';
import { mulberry32 } from '../../src/platform/util/random.ts';
import type { TargetStationRow } from '../../src/rebalancing/planning/store.ts';
import { effectiveCapacity } from '../../src/rebalancing/targets/capacity.ts';
import { networkTargets, type StationInput } from '../../src/rebalancing/targets/station-targets.ts';
import { hourlyToSteps } from '../../src/rebalancing/targets/steps.ts';

export function seoulPlanData() {
  const u = mulberry32(2026);
  const normal = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());

  // 1. The real station list.
  type Api = { RENT_ID: string; RENT_NO: string; RENT_NM: string; STA_LOC: string; HOLD_NUM: string; STA_LAT: string; STA_LONG: string };
  const dir = dataFile('seoul', 'stations');
  const api: Api[] = [];
  for (const f of readdirSync(dir).filter((f) => f.startsWith('api_stationInfo_2025-05_chunk_')).sort()) api.push(...(JSON.parse(readFileSync(join(dir, f), 'utf8')).stationInfo.row as Api[]));
  const list = api.filter((r) => Number(r.HOLD_NUM) > 0 && Number(r.STA_LAT) > 30 && Number(r.STA_LONG) > 120);

  // 2. Real demand levels: share of rentals/returns per station number, June 2018 - May 2019.
  const usage = iconv.decode(readFileSync(dataFile('seoul', 'usage', 'station_monthly_rentals_returns_2017-01_2019-05_cp949.csv')), 'cp949').split('\n').slice(1);
  const byCode = new Map<number, { p: number; r: number }>();
  let totP = 0, totR = 0;
  for (const line of usage) {
    const c = line.split(',');
    if (c.length < 5) continue;
    const code = Number(c[1]!.replace(/"/g, ''));
    const month = c[2]!;
    if (!Number.isInteger(code) || code <= 0 || month < '2018-06' || month > '2019-05-31') continue;
    const e = byCode.get(code) ?? { p: 0, r: 0 };
    e.p += Number(c[3]); e.r += Number(c[4]);
    byCode.set(code, e);
    totP += Number(c[3]); totR += Number(c[4]);
  }
  const hourly = readFileSync(dataFile('seoul', 'trips', 'aggregates_2017_2025', '2025_hourly_usage.csv'), 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(',')[1]));
  const trips2025 = hourly.reduce((a, b) => a + b, 0);
  const perDay = trips2025 / 365;
  const hourShare = [8, 9, 10].map((h) => hourly[h]! / trips2025);
  const matchedLevels: { p: number; r: number }[] = [];
  const levels = list.map((s) => {
    const e = byCode.get(Number(s.RENT_NO));
    if (!e) return null;
    const l = { p: (e.p / totP) * perDay, r: (e.r / totR) * perDay };
    matchedLevels.push(l);
    return l;
  });
  const matched = matchedLevels.length;
  // Real shares are of the 2018-19 network (about 1,500 stations); scale them to today's network size.
  const scale = matched / list.length;
  const inputs: (StationInput & { meta: Api })[] = list.map((s, i) => {
    const base = levels[i] ?? matchedLevels[Math.floor(u() * matchedLevels.length)]!;
    const tilt = Math.max(-0.8, Math.min(0.8, 0.3 * normal()));
    const racks = Number(s.HOLD_NUM);
    const capacity = effectiveCapacity(racks, { kind: 'soft', overflow: { percent: 50 } });
    const x = u();
    const current = x < 0.15 ? 0 : x < 0.25 ? Math.round(racks * (1.2 + 0.3 * u())) : Math.round(racks * (0.1 + u()));
    const pickups = hourShare.map((h) => base.p * scale * h * (1 + tilt));
    const returns = hourShare.map((h) => base.r * scale * h * (1 - tilt));
    return { stationId: asStationId(s.RENT_ID), district: s.STA_LOC, capacity, current, rates: hourlyToSteps(pickups, returns, 0, 180, 15), pickupShape: 2 + 3 * u(), returnShape: 2 + 3 * u(), meta: s };
  });
  const meanRate = inputs.reduce((a, s) => a + s.rates.pickups.reduce((x, y) => x + y, 0) * s.rates.stepHours, 0) / inputs.length;
  console.log(`data: ${list.length} real Seoul stations (API list 2025-05) with racks and a place; ${matched} with real 2018-19 usage shares, the rest bootstrapped; 08:00-11:00 from the real 2025 hourly shares (${(100 * hourShare.reduce((a, b) => a + b, 0)).toFixed(1)}% of a day's ${Math.round(perDay).toLocaleString('en-US')} trips); bikes now and the morning tilt synthetic (seeded)`);

  // 3. The targets stage.
  const t0 = performance.now();
  const targets = networkTargets(inputs, { service: 0.9, points: 3, fullBinds: true });
  const targetsS = (performance.now() - t0) / 1000;
  console.log(`targets: ${targets.length} stations in ${targetsS.toFixed(2)} s; ${targets.filter((t) => t.class === 'shortage').length} shortage, ${targets.filter((t) => t.class === 'surplus').length} surplus; mean ${meanRate.toFixed(2)} expected pickups per station over 3 h`);
  const rows: TargetStationRow[] = targets.map((t, i) => {
    const m = inputs[i]!.meta;
    return {
      station_id: t.station_id, current: t.current, capacity: t.capacity, failed_rentals: JSON.stringify(t.curve.rentals), failed_returns: JSON.stringify(t.curve.returns),
      name: m.RENT_NM, number: String(Number(m.RENT_NO)), district: m.STA_LOC, lat: Number(m.STA_LAT), lon: Number(m.STA_LONG),
    };
  });
  return { list, matched, inputs, targets, targetsS, rows };
}
