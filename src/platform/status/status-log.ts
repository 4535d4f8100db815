// The one writer of the `status` change log (and of `snapshots`, the times the feed was read): a
// row goes in only when the station's state differs from its previous row in time, stored or new.
// - `StatusLog` / `writeSnapshot`: one snapshot at a time (the live poller, a GBFS snapshot file,
//   a Seoul bikeList file), compared in memory against each station's latest stored state and
//   appended with DuckDB's appender. The same snapshot twice (same system and time) stores nothing.
//   A snapshot older than the stored ones goes through the exact path below.
// - `appendStatusChanges`: staged rows of any period (a day of snapshots, a months-long change log,
//   an older snapshot), judged in SQL against the stored rows around them, so a later period of the
//   same archive continues the stored log without duplicating it.
import { DuckDBTimestampTZValue } from '@duckdb/node-api';
import type { Store } from '../store/connection.ts';
import { sameState, type StatusObservation, type StatusSnapshot } from './observation.ts';

export interface WriteResult {
  /** False when this snapshot time was already stored. */
  stored: boolean;
  changedStations: number;
}

interface LatestRow {
  station_id: string;
  last_reported: Date | null;
  bikes_available: number | null;
  ebikes_available: number | null;
  bikes_disabled: number | null;
  docks_available: number | null;
  docks_disabled: number | null;
  capacity: number | null;
  is_installed: boolean | null;
  is_renting: boolean | null;
  is_returning: boolean | null;
}

export async function writeSnapshot(store: Store, snap: StatusSnapshot, importId: number | null = null): Promise<WriteResult> {
  return (await StatusLog.open(store, snap.system, snap.observedAt)).write(snap, importId);
}

/**
 * A writer that keeps each station's latest stored state in memory, so that a poller writing a
 * snapshot every minute compares against a map instead of querying the whole change log each time.
 * One writer per system and process (the collector runs one poller per system).
 */
export class StatusLog {
  private constructor(private readonly store: Store, readonly system: string, private readonly latest: Map<string, StatusObservation>, private lastTime: number) {}

  static async open(store: Store, system: string, before?: Date): Promise<StatusLog> {
    const latest = await latestStates(store, system, before);
    const rows = await store.all<{ t: Date | null }>('SELECT max(observed_at) AS t FROM snapshots WHERE system_id = $1', [system]);
    return new StatusLog(store, system, latest, rows[0]?.t?.getTime() ?? -Infinity);
  }

  async write(snap: StatusSnapshot, importId: number | null = null): Promise<WriteResult> {
    const t = snap.observedAt.getTime();
    // Out of order (older than what is stored): fall back to the exact, query-based path.
    if (t < this.lastTime) return this.writeOutOfOrder(snap, importId);
    return this.store.transaction(async (tx) => {
      if (t === this.lastTime) return { stored: false, changedStations: 0 };
      const changed = snap.stations.filter((o) => isChange(o, this.latest.get(o.stationId)));
      await insertSnapshotRow(tx, snap, importId);
      await insertStatusRows(tx, snap, changed, importId);
      for (const o of changed) this.latest.set(o.stationId, o);
      this.lastTime = t;
      return { stored: true, changedStations: changed.length };
    });
  }

  private async writeOutOfOrder(snap: StatusSnapshot, importId: number | null): Promise<WriteResult> {
    return this.store.transaction(async (tx) => {
      const exists = await tx.all('SELECT 1 FROM snapshots WHERE system_id = $1 AND observed_at = $2', [snap.system, snap.observedAt.toISOString()]);
      if (exists.length > 0) return { stored: false, changedStations: 0 };
      await insertSnapshotRow(tx, snap, importId);
      // Judged against the stored rows around it, as any staged period is.
      await tx.run('CREATE OR REPLACE TEMP TABLE _status_snapshot AS SELECT * FROM status LIMIT 0');
      await appendRows(tx, '_status_snapshot', snap, snap.stations, importId);
      const r = await appendStatusChanges(tx, snap.system, importId, '_status_snapshot');
      await tx.run('DROP TABLE _status_snapshot');
      return { stored: true, changedStations: r.inserted };
    });
  }
}

async function insertSnapshotRow(store: Store, snap: StatusSnapshot, importId: number | null): Promise<void> {
  await store.run('INSERT INTO snapshots (system_id, observed_at, stations, source, import_id) VALUES ($1, $2, $3, $4, $5)', [
    snap.system, snap.observedAt.toISOString(), snap.stations.length, snap.source, importId,
  ]);
}

function isChange(o: StatusObservation, prev: StatusObservation | undefined): boolean {
  return prev === undefined || !sameState(o, prev);
}

async function latestStates(store: Store, system: string, before?: Date): Promise<Map<string, StatusObservation>> {
  const rows = await store.all<LatestRow & Record<string, unknown>>(
    `SELECT station_id, last_reported, bikes_available, ebikes_available, bikes_disabled, docks_available,
            docks_disabled, capacity, is_installed, is_renting, is_returning
     FROM status WHERE system_id = $1 AND observed_at < coalesce($2::TIMESTAMPTZ, 'infinity'::TIMESTAMPTZ)
     QUALIFY row_number() OVER (PARTITION BY station_id ORDER BY observed_at DESC) = 1`,
    [system, before?.toISOString() ?? null],
  );
  const out = new Map<string, StatusObservation>();
  for (const r of rows) {
    out.set(r.station_id, {
      stationId: r.station_id,
      lastReported: r.last_reported,
      bikesAvailable: r.bikes_available ?? 0,
      ebikesAvailable: r.ebikes_available,
      bikesDisabled: r.bikes_disabled,
      docksAvailable: r.docks_available,
      docksDisabled: r.docks_disabled,
      capacity: r.capacity,
      isInstalled: r.is_installed,
      isRenting: r.is_renting,
      isReturning: r.is_returning,
    });
  }
  return out;
}

async function insertStatusRows(store: Store, snap: StatusSnapshot, rows: readonly StatusObservation[], importId: number | null): Promise<void> {
  await appendRows(store, 'status', snap, rows, importId);
}

/** Rows of `snap` into `table` (status, or a temporary table of its layout). */
async function appendRows(store: Store, table: string, snap: StatusSnapshot, rows: readonly StatusObservation[], importId: number | null): Promise<void> {
  if (rows.length === 0) return;
  // One appender per snapshot: thousands of rows per call, far faster than row-by-row INSERTs.
  const appender = table === 'status' ? await store.connection.createAppender('status') : await store.connection.createAppender(table, 'main', 'temp');
  try {
    const observed = snap.observedAt;
    for (const o of rows) {
      appender.appendVarchar(snap.system);
      appender.appendVarchar(o.stationId);
      appendTime(appender, observed);
      appendTime(appender, o.lastReported);
      appendTime(appender, snap.feedLastUpdated);
      appendInt(appender, o.bikesAvailable);
      appendInt(appender, o.ebikesAvailable);
      appendInt(appender, o.bikesDisabled);
      appendInt(appender, o.docksAvailable);
      appendInt(appender, o.docksDisabled);
      appendInt(appender, o.capacity);
      appendBool(appender, o.isInstalled);
      appendBool(appender, o.isRenting);
      appendBool(appender, o.isReturning);
      if (importId === null) appender.appendNull();
      else appender.appendBigInt(BigInt(importId));
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

type Appender = Awaited<ReturnType<Store['connection']['createAppender']>>;

function appendInt(a: Appender, v: number | null): void {
  if (v === null || !Number.isFinite(v)) a.appendNull();
  else a.appendInteger(Math.trunc(v));
}

function appendBool(a: Appender, v: boolean | null): void {
  if (v === null) a.appendNull();
  else a.appendBoolean(v);
}

function appendTime(a: Appender, v: Date | null): void {
  if (v === null) a.appendNull();
  else a.appendTimestampTZ(new DuckDBTimestampTZValue(BigInt(v.getTime()) * 1000n));
}

/**
 * Columns of a staging table filled by the caller (any extra columns are ignored).
 * observed_at is the snapshot time (GBFS `last_updated`), in UTC.
 */
export const STAGING_COLUMNS = `
  station_id VARCHAR NOT NULL, observed_at TIMESTAMPTZ NOT NULL, last_reported TIMESTAMPTZ, feed_last_updated TIMESTAMPTZ,
  bikes_available INTEGER, ebikes_available INTEGER, bikes_disabled INTEGER, docks_available INTEGER, docks_disabled INTEGER,
  capacity INTEGER, is_installed BOOLEAN, is_renting BOOLEAN, is_returning BOOLEAN`;

/** What makes two rows "the same state": the counts and flags, not the report times. */
const STATE = `struct_pack(bikes_available, ebikes_available, bikes_disabled, docks_available, docks_disabled, capacity, is_installed, is_renting, is_returning)`;
const COLS = 'station_id, observed_at, last_reported, feed_last_updated, bikes_available, ebikes_available, bikes_disabled, docks_available, docks_disabled, capacity, is_installed, is_renting, is_returning';

export interface AppendResult {
  /** Rows added to the change log. */
  inserted: number;
  /** Staged rows whose state equals the station's previous row: already represented. */
  unchanged: number;
  /** Staged rows for a station and time already in the store (an overlapping period). */
  alreadyStored: number;
  /** Staged rows repeating a station and time within the staged data itself. */
  duplicates: number;
  /** Epoch seconds from which derived tables must be recomputed; undefined when nothing changed. */
  affectedFrom: number | undefined;
}

export async function appendStatusChanges(store: Store, systemId: string, importId: number | null, staging: string): Promise<AppendResult> {
  const staged = await scalar(store, `SELECT count(*) FROM ${staging}`);
  if (staged === 0) return { inserted: 0, unchanged: 0, alreadyStored: 0, duplicates: 0, affectedFrom: undefined };
  await store.run('DROP TABLE IF EXISTS _status_candidates');
  // One row per station and time; then drop what the store already holds at that exact time.
  await store.run(`CREATE TEMP TABLE _status_candidates AS
    SELECT ${COLS} FROM ${staging} s
    WHERE NOT EXISTS (SELECT 1 FROM status t WHERE t.system_id = $1 AND t.station_id = s.station_id AND t.observed_at = s.observed_at)
    QUALIFY row_number() OVER (PARTITION BY station_id, observed_at ORDER BY feed_last_updated DESC NULLS LAST, last_reported DESC NULLS LAST) = 1`, [systemId]);
  const distinctStaged = await scalar(store, `SELECT count(*) FROM (SELECT DISTINCT station_id, observed_at FROM ${staging})`);
  const candidates = await scalar(store, 'SELECT count(*) FROM _status_candidates');
  // The stored rows a candidate may follow: each station's last row before the first candidate,
  // and every stored row from then on (an import that fills in the middle of the stored period).
  await store.run('DROP TABLE IF EXISTS _status_new');
  await store.run(`CREATE TEMP TABLE _status_new AS
    WITH lo AS (SELECT min(observed_at) AS t FROM _status_candidates),
    ids AS (SELECT DISTINCT station_id FROM _status_candidates),
    before AS (
      SELECT s.station_id, max(s.observed_at) AS observed_at FROM status s, lo
      WHERE s.system_id = $1 AND s.observed_at < lo.t AND s.station_id IN (SELECT station_id FROM ids) GROUP BY s.station_id),
    timeline AS (
      SELECT s.station_id, s.observed_at, ${STATE} AS state, false AS is_new FROM status s JOIN before b USING (station_id, observed_at) WHERE s.system_id = $1
      UNION ALL
      SELECT s.station_id, s.observed_at, ${STATE}, false FROM status s, lo WHERE s.system_id = $1 AND s.observed_at >= lo.t AND s.station_id IN (SELECT station_id FROM ids)
      UNION ALL
      SELECT station_id, observed_at, ${STATE}, true FROM _status_candidates),
    judged AS (SELECT *, lag(state) OVER (PARTITION BY station_id ORDER BY observed_at) AS prev_state FROM timeline)
    SELECT c.* FROM _status_candidates c JOIN judged j USING (station_id, observed_at)
    WHERE j.is_new AND j.state IS DISTINCT FROM j.prev_state`, [systemId]);
  const inserted = await scalar(store, 'SELECT count(*) FROM _status_new');
  await store.run(`INSERT INTO status (system_id, ${COLS}, import_id) SELECT $1, ${COLS}, $2 FROM _status_new`, [systemId, importId]);

  const affected = await store.all<{ t: number | null }>(`SELECT epoch(min(observed_at)) AS t FROM _status_new`);
  await store.run('DROP TABLE _status_candidates');
  await store.run('DROP TABLE _status_new');
  return {
    inserted,
    unchanged: candidates - inserted,
    alreadyStored: distinctStaged - candidates,
    duplicates: staged - distinctStaged,
    affectedFrom: affected[0]?.t ?? undefined,
  };
}

/**
 * Record snapshot times (every time the feed was read, changes or not). `source` is a SELECT giving
 * observed_at and stations (NULL when unknown). Returns the epoch seconds from which derived tables
 * change: the snapshot before the first new one (the interval it closes), or that new one.
 */
export async function recordSnapshots(store: Store, systemId: string, importId: number, source: string, label: string): Promise<{ added: number; affectedFrom: number | undefined }> {
  await store.run('DROP TABLE IF EXISTS _snap_new');
  await store.run(`CREATE TEMP TABLE _snap_new AS
    SELECT observed_at, max(stations) AS stations FROM (${source}) GROUP BY observed_at`);
  // Known times may gain a station count (a change log's times first, the snapshot file later).
  await store.run(`UPDATE snapshots SET stations = n.stations FROM _snap_new n
    WHERE snapshots.system_id = $1 AND snapshots.observed_at = n.observed_at AND snapshots.stations IS NULL AND n.stations IS NOT NULL`, [systemId]);
  await store.run(`DELETE FROM _snap_new n WHERE EXISTS (SELECT 1 FROM snapshots s WHERE s.system_id = $1 AND s.observed_at = n.observed_at)`, [systemId]);
  const added = await scalar(store, 'SELECT count(*) FROM _snap_new');
  let affectedFrom: number | undefined;
  if (added > 0) {
    const r = await store.all<{ t: number | null }>(`
      WITH first AS (SELECT min(observed_at) AS t FROM _snap_new)
      SELECT epoch(coalesce((SELECT max(observed_at) FROM snapshots, first WHERE system_id = $1 AND observed_at < first.t), (SELECT t FROM first))) AS t`, [systemId]);
    affectedFrom = r[0]?.t ?? undefined;
    await store.run(`INSERT INTO snapshots (system_id, observed_at, stations, source, import_id) SELECT $1, observed_at, stations, $2, $3 FROM _snap_new`, [systemId, label, importId]);
  }
  await store.run('DROP TABLE _snap_new');
  return { added, affectedFrom };
}

async function scalar(store: Store, sql: string, params?: unknown[]): Promise<number> {
  const rows = await store.all(sql, params as never);
  return Number(Object.values(rows[0] ?? {})[0] ?? 0);
}
