// Seoul live-status snapshots (bikeList JSON files) -> `snapshots` and the `status` change log (a row
// only when a station's state differs from its latest stored one), through the same writer the live
// collector uses. Station ids: the API's ST- ids are mapped to station numbers through `station_ids`
// (filled by `import seoul-stations` from the API list, and by 16/17-column trip files); an id not
// there is mapped by the number its name starts with ('102. 망원역 1번출구 앞'), and that pair is
// recorded; a row with neither is rejected ('station id not mapped'), since it could join nothing.
// The snapshot's time: see seoul/bikelist-file.ts (field, file name, else modification time).
import { SEOUL_SYSTEM } from '../ids.ts';
import { promises as fs } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { bikeListObservations } from '../collect/seoul-bikelist.ts';
import { markAffected, refreshDerived } from '../flows/refresh.ts';
import { writeSnapshot } from '../status/status-log.ts';
import { ImportError } from './errors.ts';
import type { ImportContext, Importer, LoadResult } from './importer.ts';
import { BikeListFileError, bikeListRowsOf, numberFromName, snapshotTime } from './seoul/bikelist-file.ts';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';

export const STATUS_REASONS = {
  unmapped: 'station id not mapped to a station number',
  noId: 'missing stationId',
  badBikes: 'parkingBikeTotCnt not a count',
  badRacks: 'rackTotCnt not a count',
  duplicate: 'station twice in the snapshot',
  alreadyStored: 'snapshot time already stored',
} as const;

const RULE_REASON: Record<string, string> = {
  'schema.stationId': STATUS_REASONS.noId,
  'schema.parkingBikeTotCnt': STATUS_REASONS.badBikes,
  'schema.rackTotCnt': STATUS_REASONS.badRacks,
  duplicate_station_id: STATUS_REASONS.duplicate,
};

export const importer: Importer = {
  kind: 'seoul-status',
  timeZone: 'Asia/Seoul',
  description: 'Seoul live-status snapshots (bikeList JSON, one snapshot per file)',
  defaultSystem: SEOUL_SYSTEM,
  load: loadStatus,
  // As for GBFS status: the gaps and hourly flows follow the new snapshots, in the same transaction.
  async afterAll(store, systemId) {
    await refreshDerived(store, systemId);
  },
};

async function loadStatus(ctx: ImportContext): Promise<LoadResult> {
  const { file, store } = ctx;
  let buf = await fs.readFile(file.path);
  if (file.path.endsWith('.gz')) buf = gunzipSync(buf);
  const text = buf.toString('utf-8').replace(/^\uFEFF/, '');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    const errors: ParseError[] = [];
    parseJsonc(text, errors, { disallowComments: true });
    const line = errors[0] ? text.slice(0, errors[0].offset).split('\n').length : undefined;
    throw new ImportError(file.path, `not valid JSON: ${(err as Error).message}`, line !== undefined ? { line } : {});
  }
  let rows;
  try {
    rows = bikeListRowsOf(doc);
  } catch (err) {
    if (err instanceof BikeListFileError) throw new ImportError(file.path, err.message);
    throw err;
  }
  const { mtime } = await fs.stat(file.path);
  const time = snapshotTime(doc, file.name, mtime);

  const known = new Map((await store.all<{ source_id: string; station_id: string }>(
    "SELECT source_id, station_id FROM station_ids WHERE system_id = $1 AND source = 'seoul-api'", [ctx.systemId])).map((r) => [r.source_id, r.station_id]));
  const learnt = new Map<string, string>();
  const usable = rows.filter((r, i) => {
    const apiId = typeof r.stationId === 'string' ? r.stationId.trim() : '';
    if (apiId === '' || known.has(apiId)) return true; // missing ids are rejected by the shared parser
    const n = numberFromName(r.stationName);
    if (n !== undefined) { learnt.set(apiId, n); return true; }
    ctx.rejects.add(STATUS_REASONS.unmapped, { line: i + 1, field: 'stationId', raw: JSON.stringify(r).slice(0, 300) });
    return false;
  });
  const idFor = (apiId: string) => known.get(apiId) ?? learnt.get(apiId) ?? apiId;
  const { stations, rejects } = bikeListObservations(usable, idFor);
  for (const r of rejects) ctx.rejects.add(RULE_REASON[r.rule] ?? r.rule, { field: r.rule.replace(/^schema\./, ''), raw: r.detail });

  for (const [apiId, number] of learnt) {
    await store.run(`INSERT INTO station_ids (system_id, source, source_id, station_id) VALUES ($1, 'seoul-api', $2, $3) ON CONFLICT DO NOTHING`, [ctx.systemId, apiId, number]);
  }
  const written = await writeSnapshot(store, { system: ctx.systemId, observedAt: time.at, fetchedAt: time.at, feedLastUpdated: null, stations, source: 'seoul-bikeList-file' }, ctx.importId);
  if (written.stored) {
    // The hours from the snapshot before this one on can change (the interval it closes).
    const prev = await store.all<{ t: number | null }>('SELECT epoch(max(observed_at)) AS t FROM snapshots WHERE system_id = $1 AND observed_at < $2',
      [ctx.systemId, time.at.toISOString()]);
    markAffected(store, ctx.systemId, prev[0]?.t ?? time.at.getTime() / 1000);
  }
  if (!written.stored) {
    ctx.rejects.add(STATUS_REASONS.alreadyStored, { raw: time.at.toISOString() }, stations.length);
    return { imported: 0, encoding: `utf-8; time from ${time.source}: ${time.at.toISOString()}` };
  }
  return { imported: stations.length, encoding: `utf-8; time from ${time.source}: ${time.at.toISOString()}; ${written.changedStations} station(s) changed` };
}
