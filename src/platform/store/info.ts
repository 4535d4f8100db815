// What the store holds, per system: row counts and the span of its data.
import type { Store } from './connection.ts';

export interface SystemSummary {
  system: string;
  name: string | null;
  timezone: string;
  stations: number;
  trips: number;
  status_rows: number;
  snapshots: number;
  hourly_flows: number;
  station_months: number;
  system_hours: number;
  weather_hours: number;
  boundaries: number;
  /** Living-population rows (dong-hours) and dongs. */
  population_hours: number;
  dongs: number;
  gaps: number;
  gap_hours: number;
  from: string | null;
  to: string | null;
}

export interface ImportRecord {
  import_id: number;
  kind: string;
  system: string;
  file: string;
  rows: number;
  /** Rows the file held that the store already had (not stored again). */
  duplicates: number;
  rejected: number;
  rejects: Record<string, number>;
  finished_at: string;
}

export interface StoreSummary {
  systems: SystemSummary[];
  /** Rows left out of all imports as duplicates of stored ones. */
  duplicates: number;
  imports: ImportRecord[];
}

/** Tables with data for a system, and the column that places each row in time. */
const TIMED: ReadonlyArray<[table: string, column: string]> = [
  ['trips', 'started_at'],
  ['status', 'observed_at'],
  ['hourly_flows', 'hour'],
  ['station_monthly', 'month'],
  ['system_hourly', 'hour'],
  ['weather_hourly', 'hour'],
  ['population_hourly', 'hour'],
];

export async function summariseStore(store: Store): Promise<StoreSummary> {
  const count = (table: string) => `(SELECT count(*) FROM ${table} t WHERE t.system_id = s.system_id)`;
  const spans = TIMED.map(([t, c]) => `SELECT system_id, min(${c})::TIMESTAMPTZ AS lo, max(${c})::TIMESTAMPTZ AS hi FROM ${t} GROUP BY system_id`).join(' UNION ALL ');
  const rows = await store.all<Record<string, unknown>>(`
    WITH spans AS (SELECT system_id, min(lo) AS lo, max(hi) AS hi FROM (${spans}) GROUP BY system_id)
    SELECT s.system_id AS system, s.name, s.timezone,
      ${count('stations')} AS stations, ${count('trips')} AS trips, ${count('status')} AS status_rows,
      ${count('snapshots')} AS snapshots, ${count('hourly_flows')} AS hourly_flows,
      ${count('station_monthly')} AS station_months, ${count('system_hourly')} AS system_hours,
      ${count('weather_hourly')} AS weather_hours, ${count('boundaries')} AS boundaries, ${count('population_hourly')} AS population_hours,
      (SELECT count(DISTINCT dong_code) FROM population_hourly t WHERE t.system_id = s.system_id) AS dongs,
      ${count('gaps')} AS gaps,
      coalesce((SELECT sum(epoch(g.gap_end) - epoch(g.gap_start)) / 3600 FROM gaps g WHERE g.system_id = s.system_id), 0) AS gap_hours,
      sp.lo AS "from", sp.hi AS "to"
    FROM systems s LEFT JOIN spans sp USING (system_id)
    ORDER BY s.system_id`);
  const systems = rows.map((r) => ({
    ...(r as unknown as SystemSummary),
    gap_hours: Math.round(Number(r['gap_hours']) * 100) / 100,
    from: iso(r['from']),
    to: iso(r['to']),
  }));
  const imports = (
    await store.all<Record<string, unknown>>(
      `SELECT import_id, kind, system_id AS system, file_name AS file, rows_imported AS rows, coalesce(rows_duplicate, 0) AS duplicates, rows_rejected AS rejected,
              rejects::VARCHAR AS rejects, finished_at FROM imports ORDER BY import_id`,
    )
  ).map((r) => ({
    ...(r as unknown as ImportRecord),
    rejects: JSON.parse(String(r['rejects'] ?? '{}')) as Record<string, number>,
    finished_at: iso(r['finished_at']) ?? '',
  }));
  return { systems, duplicates: imports.reduce((a, i) => a + i.duplicates, 0), imports };
}

function iso(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  return new Date(String(v)).toISOString();
}

/** One import's rejected rows as kept: the counts by reason and up to a few sample rows per reason. */
export interface ImportRejects {
  import_id: number;
  kind: string;
  system: string;
  file: string;
  finished_at: string;
  rejected: number;
  rejects: Record<string, number>;
  rows: { reason: string; line: number | null; field: string | null; raw: string | null }[];
}

/** The rejected rows of the last `imports` imports that rejected any (newest first). */
export async function recentRejects(store: Store, imports: number): Promise<ImportRejects[]> {
  const heads = await store.all<Record<string, unknown>>(
    `SELECT import_id, kind, system_id AS system, file_path AS file, finished_at, rows_rejected AS rejected, rejects::VARCHAR AS rejects
     FROM imports WHERE rows_rejected > 0 ORDER BY import_id DESC LIMIT $1`, [imports]);
  if (heads.length === 0) return [];
  const rows = await store.all<{ import_id: number; reason: string; line: number | null; field: string | null; raw: string | null }>(
    `SELECT import_id, reason, line, field, raw FROM import_rejects WHERE import_id IN (${heads.map((h) => Number(h['import_id'])).join(', ')})
     ORDER BY import_id, line NULLS LAST, reason`);
  return heads.map((h) => ({
    import_id: Number(h['import_id']), kind: String(h['kind']), system: String(h['system']), file: String(h['file']),
    finished_at: iso(h['finished_at']) ?? '', rejected: Number(h['rejected']),
    rejects: JSON.parse(String(h['rejects'] ?? '{}')) as Record<string, number>,
    rows: rows.filter((r) => r.import_id === Number(h['import_id'])).map(({ reason, line, field, raw }) => ({ reason, line, field, raw })),
  }));
}
