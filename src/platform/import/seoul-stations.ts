// Seoul station lists -> `stations` (upsert: a later file updates what it gives and keeps what it
// does not), and, from the API list, `station_ids` ('ST-10' -> '108') so that live status keyed by
// ST- ids joins to trips keyed by station numbers. Parsing is in seoul/station-lists.ts.
import { SEOUL_SYSTEM } from '../ids.ts';
import { upsertStations as writeStations } from '../store/stations.ts';
import { ImportError } from './errors.ts';
import { readText } from './file-input.ts';
import type { ImportContext, Importer, LoadResult } from './importer.ts';
import { parseStationList, StationListError, type StationRecord } from './seoul/station-lists.ts';

export const importer: Importer = {
  kind: 'seoul-stations',
  timeZone: 'Asia/Seoul',
  description: 'Seoul station lists (CSV vintages, TSV of all stations, API stationInfo JSON)',
  defaultSystem: SEOUL_SYSTEM,
  load: loadStations,
};

async function loadStations(ctx: ImportContext): Promise<LoadResult> {
  const { text, encoding } = await readText(ctx.file.path);
  let parsed;
  try {
    parsed = parseStationList(text);
  } catch (err) {
    if (err instanceof StationListError) throw new ImportError(ctx.file.path, err.message, { ...(err.line !== undefined ? { line: err.line } : {}), ...(err.field ? { field: err.field } : {}) });
    throw err;
  }
  for (const r of parsed.rejects) ctx.rejects.add(r.reason, { line: r.line, ...(r.field ? { field: r.field } : {}), raw: r.raw });
  ctx.progress.start(parsed.stations.length, `seoul-stations ${ctx.file.name}`);
  await upsertStations(ctx, parsed.stations, parsed.layout);
  const mapped = parsed.stations.filter((s) => s.apiId !== null);
  await upsertApiIds(ctx, mapped);
  ctx.progress.update(parsed.stations.length);
  ctx.progress.stop();
  return { imported: parsed.stations.length, encoding: `${encoding}; ${parsed.layout}` };
}

const BATCH = 500;

async function upsertStations(ctx: ImportContext, stations: readonly StationRecord[], layout: string): Promise<void> {
  // A file that lacks a field (the master has no address, a bad position is dropped) keeps the
  // stored value; one that gives it replaces it. A list says nothing of which stations are open now.
  await writeStations(ctx.store, ctx.systemId, stations.map((s) => ({
    stationId: s.id, shortName: s.id, name: s.name, district: s.district, address: s.address, lat: s.lat, lon: s.lon, capacity: s.capacity, installedOn: s.installedOn,
  })), { source: `seoul-stations: ${layout}`, importId: ctx.importId, presence: false });
  ctx.progress.update(stations.length);
}

async function upsertApiIds(ctx: ImportContext, stations: readonly StationRecord[]): Promise<void> {
  for (let i = 0; i < stations.length; i += BATCH) {
    const chunk = stations.slice(i, i + BATCH);
    const params: string[] = [];
    const rows = chunk.map((s) => {
      params.push(ctx.systemId, s.apiId!, s.id);
      const b = params.length - 3;
      return `($${b + 1}, 'seoul-api', $${b + 2}, $${b + 3})`;
    });
    // The API list is the authority on its own ids: it replaces a pair learnt from trip files.
    await ctx.store.run(
      `INSERT INTO station_ids (system_id, source, source_id, station_id) VALUES ${rows.join(', ')}
       ON CONFLICT (system_id, source, source_id) DO UPDATE SET station_id = excluded.station_id`,
      params,
    );
  }
}
