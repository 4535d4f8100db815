// Reads the statistics' inputs from the store. Heavy lifting (summing station-hours) stays in
// DuckDB; what comes back is small: one row per hour, per station or per month.
import type { Store } from '../../platform/store/connection.ts';
import type { StatsInputs } from './report.ts';
import type { HourlySeries, StationSource } from './sources.ts';
import type { MonthTotal, StationAvailability, StationHourOfDay, StationInfo, WeatherHour } from './types.ts';
import { UserError } from '../../platform/errors.ts';
import { FLOW_SOURCES } from './rollups.ts';

export interface Period {
  /** Local dates (YYYY-MM-DD), inclusive; null = unbounded. */
  from: string | null;
  to: string | null;
}

interface Bounds {
  fromMs: number | null;
  toMs: number | null; // exclusive: local midnight after `to`
}


export async function systemRow(store: Store, systemId: string): Promise<StatsInputs['system']> {
  const rows = await store.all<{ name: string | null; timezone: string; country: string | null }>(
    'SELECT name, timezone, country FROM systems WHERE system_id = $1',
    [systemId],
  );
  if (rows.length === 0) {
    const known = await store.all<{ system_id: string }>('SELECT system_id FROM systems ORDER BY 1');
    throw new UserError(`no system '${systemId}' in the store; known: ${known.map((r) => r.system_id).join(', ') || '(none: import data first)'}`);
  }
  const r = rows[0]!;
  return { id: systemId, name: r.name, timezone: r.timezone, country: r.country };
}

async function bounds(store: Store, tz: string, period: Period): Promise<Bounds> {
  const rows = await store.all<{ f: number | null; t: number | null }>(
    `SELECT epoch_ms(timezone($1, CAST($2 AS DATE)::TIMESTAMP)) AS f,
            epoch_ms(timezone($1, (CAST($3 AS DATE) + INTERVAL 1 DAY)::TIMESTAMP)) AS t`,
    [tz, period.from, period.to],
  );
  return { fromMs: rows[0]?.f ?? null, toMs: rows[0]?.t ?? null };
}

/** SQL condition on an hour column, with $2 and $3 the bounds in epoch ms (NULL = unbounded). */
const IN_PERIOD = (col: string) =>
  `($2::DOUBLE IS NULL OR ${col} >= to_timestamp($2::DOUBLE / 1000)) AND ($3::DOUBLE IS NULL OR ${col} < to_timestamp($3::DOUBLE / 1000))`;

function params(systemId: string, b: Bounds): [string, number | null, number | null] {
  return [systemId, b.fromMs, b.toMs];
}

export async function loadInputs(store: Store, systemId: string, period: Period): Promise<StatsInputs> {
  const system = await systemRow(store, systemId);
  const b = await bounds(store, system.timezone, period);
  const p = params(systemId, b);
  const hourly: HourlySeries[] = [];
  const stationSources: StationSource[] = [];
  let availability: StationAvailability[] = [];

  // Per flow source, from its roll-ups (rollups.ts; refreshed by the caller): the system's hours and
  // the stations' totals over the period's local days.
  const dayWhere = `system_id = $1 AND source = $2 AND ($3::DATE IS NULL OR local_date >= $3::DATE) AND ($4::DATE IS NULL OR local_date <= $4::DATE)`;
  for (const f of FLOW_SOURCES) {
    // A status history's hours carry the share of the hour outside the feed's outages (`gaps`):
    // its counts cover only that share, so rates divide by it (by-hour.ts). Trips have no outages.
    // (The FILTER: least/greatest skip NULLs, so an hour without a gap would count a whole one.)
    const hours = await store.all<{ t: number; p: number; r: number; o: number | null }>(
      f.minutes
        ? `SELECT epoch_ms(h.hour) AS t, h.pickups AS p, h.returns AS r,
                  greatest(0, 1 - coalesce(sum(epoch(least(g.gap_end, h.hour + INTERVAL 1 HOUR)) - epoch(greatest(g.gap_start, h.hour))) FILTER (WHERE g.gap_start IS NOT NULL), 0) / 3600) AS o
           FROM stats_system_hours h
           LEFT JOIN gaps g ON g.system_id = h.system_id AND g.gap_start < h.hour + INTERVAL 1 HOUR AND g.gap_end > h.hour
           WHERE h.system_id = $1 AND h.source = $4 AND ${IN_PERIOD('h.hour')}
           GROUP BY h.hour, h.pickups, h.returns ORDER BY h.hour`
        : `SELECT epoch_ms(hour) AS t, pickups AS p, returns AS r, NULL AS o FROM stats_system_hours
           WHERE system_id = $1 AND source = $4 AND ${IN_PERIOD('hour')} ORDER BY hour`,
      [...p, f.source],
    );
    if (hours.length === 0) continue;
    hourly.push({ source: f.source, hours: hours.map((h) => ({ hourUtc: h.t, rentals: h.p, returns: h.r, ...(h.o === null ? {} : { observed: h.o }) })) });
    const st = await store.all<{ id: string; p: number; r: number; mo: number; me: number; mf: number }>(
      `SELECT station_id AS id, sum(pickups) AS p, sum(returns) AS r, sum(minutes_observed) AS mo, sum(minutes_empty) AS me, sum(minutes_full) AS mf
       FROM stats_station_days WHERE ${dayWhere} GROUP BY station_id`,
      [systemId, f.source, period.from, period.to],
    );
    stationSources.push({ source: f.source, totals: st.map((s) => ({ stationId: s.id, pickups: s.p, returns: s.r })) });
    if (f.minutes) availability = st.map((s) => ({ stationId: s.id, minutesObserved: s.mo, minutesEmpty: s.me, minutesFull: s.mf }));
  }

  // City-wide hourly series (UCI file, published system totals). Hours the system was not
  // operating (UCI's "Functioning Day" = No) carry no demand information and are left out.
  const sys = await store.all<{ source: string; t: number; n: number }>(
    `SELECT source, epoch_ms(hour) AS t, rentals AS n FROM system_hourly
     WHERE system_id = $1 AND ${IN_PERIOD('hour')} AND coalesce(functioning_day, TRUE) ORDER BY source, hour`,
    p,
  );
  const bySource = new Map<string, HourlySeries>();
  for (const r of sys) {
    const key = `system_hourly:${r.source}`;
    let s = bySource.get(key);
    if (!s) bySource.set(key, (s = { source: key, hours: [] }));
    s.hours.push({ hourUtc: r.t, rentals: r.n, returns: null });
  }
  hourly.push(...bySource.values());

  // Station-months: a month is in the period when its first day is (months are local calendar months).
  const monthWhere = `system_id = $1 AND ($2::DATE IS NULL OR month >= date_trunc('month', $2::DATE)) AND ($3::DATE IS NULL OR month <= $3::DATE)`;
  const mp = [systemId, period.from, period.to];
  const sm = await store.all<{ id: string; p: number; r: number }>(
    // Only months that carry both rentals and returns count toward a station's balance.
    `SELECT station_id AS id, sum(rentals) AS p, sum(returns) AS r FROM station_monthly
     WHERE ${monthWhere} AND rentals IS NOT NULL AND returns IS NOT NULL GROUP BY station_id`,
    mp,
  );
  if (sm.length > 0) stationSources.push({ source: 'station_monthly', totals: sm.map((s) => ({ stationId: s.id, pickups: s.p, returns: s.r })) });
  const months = await store.all<{ m: string; p: number; r: number | null; n: number }>(
    `SELECT strftime(month, '%Y-%m') AS m, sum(rentals) AS p,
            CASE WHEN count(returns) = count(*) THEN sum(returns) END AS r, count(DISTINCT station_id) AS n
     FROM station_monthly WHERE ${monthWhere} GROUP BY month ORDER BY month`,
    mp,
  );
  const stationMonths: MonthTotal[] = months.map((m) => ({ month: m.m, rentals: m.p ?? 0, returns: m.r, stations: m.n }));

  // Several weather stations may report for a city (KMA ASOS 108, the UCI file's, the 2021 series'):
  // their mean per hour; it rained when any says so.
  const w = await store.all<{ t: number; temp: number | null; mm: number | null; wet: boolean | null; wind: number | null; hum: number | null }>(
    `SELECT epoch_ms(hour) AS t, avg(temperature_c) AS temp, avg(precipitation_mm) AS mm,
            bool_or(coalesce(rain, precipitation_mm > 0)) AS wet, avg(wind_ms) AS wind, avg(humidity_pct) AS hum
     FROM weather_hourly WHERE system_id = $1 AND ${IN_PERIOD('hour')} GROUP BY hour`,
    p,
  );
  const weather: WeatherHour[] = w.map((x) => ({ hourUtc: x.t, temperatureC: x.temp, precipitationMm: x.mm, rain: x.wet, windMs: x.wind, humidityPct: x.hum }));

  return { system, period, hourly, stationSources, stationMonths, weather, availability, stationHourOfDay: {}, stationInfo: await stationInfo(store, systemId) };
}

/** Station attributes, keyed by station_id and also by short_name (Seoul trips use station numbers). */
export async function stationInfo(store: Store, systemId: string): Promise<StationInfo[]> {
  const rows = await store.all<{ id: string; short: string | null; name: string | null; district: string | null; lat: number | null; lon: number | null; cap: number | null }>(
    `SELECT station_id AS id, short_name AS short, name, district, lat, lon, capacity AS cap FROM stations WHERE system_id = $1`,
    [systemId],
  );
  const out = new Map<string, StationInfo>();
  const valid = (x: number | null) => (x !== null && Number.isFinite(x) && x !== 0 ? x : null);
  for (const r of rows) {
    const v: StationInfo = { stationId: r.id, name: r.name, district: r.district, lat: valid(r.lat), lon: valid(r.lon), capacity: r.cap };
    out.set(r.id, v);
  }
  for (const r of rows) {
    if (r.short && !out.has(r.short)) out.set(r.short, { ...out.get(r.id)!, stationId: r.short });
  }
  return [...out.values()];
}

/** Chosen stations' counts by local hour of day over the period (offset 0: the hours are local). */
export async function loadStationHourOfDay(store: Store, systemId: string, source: string, stationIds: readonly string[], period: Period): Promise<StationHourOfDay[]> {
  if (!FLOW_SOURCES.some((x) => x.source === source) || stationIds.length === 0) return [];
  const list = stationIds.map((s) => `'${s.replace(/'/g, "''")}'`).join(', ');
  // The chosen stations' days only (a few thousand rows); their hours are summed here.
  const rows = await store.all<{ id: string; hours: Array<{ h: number; p: number; r: number }> }>(
    `SELECT station_id AS id, hours FROM stats_station_days
     WHERE system_id = $1 AND source = $2 AND ($3::DATE IS NULL OR local_date >= $3::DATE) AND ($4::DATE IS NULL OR local_date <= $4::DATE)
       AND station_id IN (${list})`,
    [systemId, source, period.from, period.to],
  );
  const sums = new Map<string, Float64Array>(); // per station: pickups 0..23, returns 24..47
  for (const row of rows) {
    let acc = sums.get(row.id);
    if (!acc) sums.set(row.id, (acc = new Float64Array(48)));
    for (const { h, p, r } of row.hours) {
      acc[h]! += p;
      acc[24 + h]! += r;
    }
  }
  return [...sums].flatMap(([id, acc]) => Array.from({ length: 24 }, (_, h) => ({ stationId: id, utcHour: h, offsetMin: 0, pickups: acc[h]!, returns: acc[24 + h]! })));
}

export interface District {
  code: string;
  name: string | null;
  geometry: unknown;
}

export async function loadDistricts(store: Store, systemId: string): Promise<District[]> {
  const rows = await store.all<{ code: string; name: string | null; geometry: string }>(
    `SELECT code, name, CAST(geometry AS VARCHAR) AS geometry FROM boundaries WHERE system_id = $1 AND level = 'district' ORDER BY code`,
    [systemId],
  );
  return rows.map((r) => ({ code: r.code, name: r.name, geometry: JSON.parse(r.geometry) as unknown }));
}
