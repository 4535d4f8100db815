// Station attributes over time from successive station_information documents: a new version when a
// station's name, place or capacity changes, a closed version when it leaves the feed. The pure
// part (`advanceVersions`) is separate from the store so the live poller can reuse it.
import { insertRows } from '../store/bulk-insert.ts';
import type { Store } from '../store/connection.ts';
import { upsertStations } from '../store/stations.ts';
import type { GbfsStation } from './feeds.ts';

export interface OpenVersion {
  stationId: string;
  /** Epoch seconds. */
  validFrom: number;
  station: GbfsStation;
}

export interface VersionChanges {
  /** Versions that ended (attributes changed or the station left the feed). */
  closed: { stationId: string; validFrom: number; validTo: number }[];
  opened: OpenVersion[];
  /** The open version of every station still in the feed after the last document. */
  open: Map<string, OpenVersion>;
  /** Stations that left the feed and did not come back, and when. */
  removed: Map<string, number>;
  /** Documents ignored because they are not newer than what is stored. */
  stale: number;
}

const same = (a: GbfsStation, b: GbfsStation) => a.name === b.name && a.lat === b.lat && a.lon === b.lon && a.capacity === b.capacity && a.shortName === b.shortName;

/** `open`: versions stored with no end; `docs` in any order; `latestStored`: newest stored valid_from/valid_to. */
export function advanceVersions(open: ReadonlyMap<string, OpenVersion>, latestStored: number | undefined, docs: readonly { t: number; stations: readonly GbfsStation[] }[]): VersionChanges {
  const now = new Map(open);
  const closed: VersionChanges['closed'] = [];
  const opened: OpenVersion[] = [];
  const removed = new Map<string, number>();
  let stale = 0;
  let last = latestStored ?? -Infinity;
  for (const doc of [...docs].sort((a, b) => a.t - b.t)) {
    // History only moves forward: an older document would rewrite versions already closed.
    if (doc.t <= last) { stale++; continue; }
    last = doc.t;
    const seen = new Set<string>();
    for (const s of doc.stations) {
      seen.add(s.stationId);
      removed.delete(s.stationId);
      const cur = now.get(s.stationId);
      if (cur && same(cur.station, s)) continue;
      if (cur) closed.push({ stationId: s.stationId, validFrom: cur.validFrom, validTo: doc.t });
      const v = { stationId: s.stationId, validFrom: doc.t, station: s };
      now.set(s.stationId, v);
      opened.push(v);
    }
    for (const [id, cur] of now) {
      if (seen.has(id)) continue;
      closed.push({ stationId: id, validFrom: cur.validFrom, validTo: doc.t });
      now.delete(id);
      removed.set(id, doc.t);
    }
  }
  return { closed, opened, open: now, removed, stale };
}

/**
 * Apply station_information documents to `station_versions` and `stations`. Returns the number of
 * station entries read and the earliest instant whose derived data may change (a station removed or
 * re-added changes the hours it exists), undefined when none.
 */
export async function applyStationDocuments(
  store: Store,
  systemId: string,
  importId: number,
  docs: readonly { t: number; stations: readonly GbfsStation[] }[],
  source: string,
): Promise<{ stale: number; affectedFrom: number | undefined }> {
  const stored = await store.all<{ station_id: string; t: number; name: string | null; lat: number | null; lon: number | null; capacity: number | null; short_name: string | null }>(
    `SELECT v.station_id, epoch(v.valid_from) AS t, v.name, v.lat, v.lon, v.capacity, s.short_name
     FROM station_versions v LEFT JOIN stations s USING (system_id, station_id)
     WHERE v.system_id = $1 AND v.valid_to IS NULL`, [systemId]);
  const latest = await store.all<{ t: number | null }>('SELECT epoch(greatest(max(valid_from), max(valid_to))) AS t FROM station_versions WHERE system_id = $1', [systemId]);
  const open = new Map<string, OpenVersion>(stored.map((r) => [r.station_id, {
    stationId: r.station_id,
    validFrom: r.t,
    station: { stationId: r.station_id, name: r.name ?? undefined, lat: r.lat ?? NaN, lon: r.lon ?? NaN, capacity: r.capacity ?? undefined, shortName: r.short_name ?? undefined, address: undefined, regionId: undefined },
  }]));
  const ch = advanceVersions(open, latest[0]?.t ?? undefined, docs);

  await store.run('CREATE OR REPLACE TEMP TABLE _closed (station_id VARCHAR, valid_from DOUBLE, valid_to DOUBLE)');
  await insertRows(store, '_closed', '($1, $2, $3)', ch.closed.map((c) => [c.stationId, c.validFrom, c.validTo]));
  await store.run(`UPDATE station_versions SET valid_to = to_timestamp(c.valid_to) FROM _closed c
    WHERE station_versions.system_id = $1 AND station_versions.station_id = c.station_id AND station_versions.valid_from = to_timestamp(c.valid_from)`, [systemId]);
  // Versions both opened and closed within these documents are inserted already closed.
  const closedAt = new Map(ch.closed.map((c) => [`${c.stationId}\u0000${c.validFrom}`, c.validTo]));
  await insertRows(store, 'station_versions (system_id, station_id, valid_from, valid_to, name, lat, lon, capacity, import_id)',
    '($1, $2, to_timestamp($3), to_timestamp($4), $5, $6, $7, $8, $9)',
    ch.opened.map((v) => [systemId, v.stationId, v.validFrom, closedAt.get(`${v.stationId}\u0000${v.validFrom}`) ?? null, v.station.name ?? null, v.station.lat, v.station.lon, v.station.capacity ?? null, importId]));
  await store.run('DROP TABLE _closed');

  // `stations`: latest attributes of every station seen; valid_to set while it is out of the feed.
  const latestById = new Map<string, { s: GbfsStation; first: number }>();
  for (const d of [...docs].sort((a, b) => a.t - b.t)) {
    for (const s of d.stations) latestById.set(s.stationId, { s, first: latestById.get(s.stationId)?.first ?? d.t });
  }
  // A station back in the feed after a removal exists again from its removal on: hours to redo.
  const removedBefore = await store.all<{ station_id: string; t: number }>(
    'SELECT station_id, epoch(valid_to) AS t FROM stations WHERE system_id = $1 AND valid_to IS NOT NULL', [systemId]);
  let readdedFrom: number | undefined;
  for (const r of removedBefore) {
    if (latestById.has(r.station_id) && !ch.removed.has(r.station_id)) readdedFrom = Math.min(readdedFrom ?? Infinity, r.t);
  }
  await upsertStations(store, systemId, [...latestById.values()].map(({ s, first }) => ({
    stationId: s.stationId, shortName: s.shortName ?? null, name: s.name ?? null, district: s.regionId ?? null, address: s.address ?? null,
    lat: s.lat, lon: s.lon, capacity: s.capacity ?? null, validFrom: first, validTo: ch.removed.get(s.stationId) ?? null,
  })), { source, importId, presence: true });
  // Stations that left the feed without appearing in these documents at all.
  const gone = [...ch.removed].filter(([id]) => !latestById.has(id));
  await store.run('CREATE OR REPLACE TEMP TABLE _gone (station_id VARCHAR, valid_to DOUBLE)');
  await insertRows(store, '_gone', '($1, $2)', gone.map(([id, t]) => [id, t]));
  await store.run(`UPDATE stations SET valid_to = to_timestamp(g.valid_to) FROM _gone g WHERE stations.system_id = $1 AND stations.station_id = g.station_id`, [systemId]);
  await store.run('DROP TABLE _gone');
  const from = [affected(ch), readdedFrom].filter((x): x is number => x !== undefined && x !== null);
  return { stale: ch.stale, affectedFrom: from.length ? Math.min(...from) : undefined };
}

function affected(ch: VersionChanges): number | undefined {
  let t: number | undefined;
  for (const c of ch.closed) t = Math.min(t ?? Infinity, c.validTo);
  for (const v of ch.opened) t = Math.min(t ?? Infinity, v.validFrom);
  return t;
}
