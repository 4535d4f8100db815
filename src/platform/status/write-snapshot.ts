// Appends one snapshot to the store: a `snapshots` row, and a `status` row for each station whose
// state changed since its latest stored row (the table is a change log). The same snapshot twice
// (same system and snapshot time) stores nothing; so does a station whose last_reported did not move.
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
      await tx.run('INSERT INTO snapshots (system_id, observed_at, stations, source, import_id) VALUES ($1, $2, $3, $4, $5)', [
        snap.system, snap.observedAt.toISOString(), snap.stations.length, snap.source, importId,
      ]);
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
      const before = await latestStates(tx, snap.system, snap.observedAt);
      const changed = snap.stations.filter((o) => isChange(o, before.get(o.stationId)));
      await tx.run('INSERT INTO snapshots (system_id, observed_at, stations, source, import_id) VALUES ($1, $2, $3, $4, $5)', [
        snap.system, snap.observedAt.toISOString(), snap.stations.length, snap.source, importId,
      ]);
      await insertStatusRows(tx, snap, changed, importId);
      return { stored: true, changedStations: changed.length };
    });
  }
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

async function insertStatusRows(store: Store, snap: StatusSnapshot, rows: StatusObservation[], importId: number | null): Promise<void> {
  if (rows.length === 0) return;
  // One appender per snapshot: thousands of rows per call, far faster than row-by-row INSERTs.
  const appender = await store.connection.createAppender('status');
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
