// `gbfs`: GBFS system_information, station_information and station_status files (1.x, 2.x, 3.0),
// one JSON document per file, or many in a .jsonl(.gz) (one per line, as an archive of polls keeps
// them). The kind of each document is told from its shape, not its file name.
// - system_information names the system (its system_id, unless --system is given) and its zone;
// - station_information -> `stations` and `station_versions`;
// - station_status -> the `status` change log (a row only where a station's state changed since its
//   previous row; observed_at = the feed's last_updated) and a `snapshots` row; then gaps and
//   hourly flows are recomputed for the hours it can change.
// Status payloads are checked by the live collector's validator, and written by the same change-log
// writer: one way to read and store a station_status, whether polled or imported.
import { createReadStream, promises as fs } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { validateStationStatus } from '../collect/validate-status.ts';
import { detectFeedKind, GbfsFormatError, parseStationInformation, parseSystemInformation } from '../gbfs/feeds.ts';
import { applyStationDocuments } from '../gbfs/station-versions.ts';
import { flowOptionsFrom } from '../flows/options.ts';
import { markAffected, refreshDerived } from '../flows/refresh.ts';
import { StatusLog } from '../status/status-log.ts';
import { asSystemId, type SystemId } from '../ids.ts';
import { ensureSystem } from '../store/systems.ts';
import { ImportError } from './errors.ts';
import { decodeUtf8Strict, type FileInfo } from './file-input.ts';
import type { ImportContext, Importer } from './importer.ts';

export const importer: Importer = {
  kind: 'gbfs',
  description: 'GBFS system_information / station_information / station_status (v1.x, v2.x, v3.0; .json or .jsonl[.gz])',
  async systemFromFile(file) {
    return (await systemIdIn(file.path)) ?? (await systemIdIn(join(dirname(file.path), 'system_information.json')));
  },
  async load(ctx) {
    const options = flowOptionsFrom(ctx.options);
    let imported = 0;
    let statusLog: StatusLog | undefined;
    let affectedFrom: number | undefined;
    let language: string | undefined;
    for await (const { doc, line } of documents(ctx.file)) {
      const where = line === undefined ? {} : { line };
      try {
        const kind = detectFeedKind(doc);
        if (kind === 'system_information') {
          const s = parseSystemInformation(doc).items[0]!;
          language = s.language;
          await ensureSystem(ctx.store, { systemId: ctx.systemId, name: s.name, timezone: s.timezone, url: s.url, source: 'gbfs' });
          imported += 1;
        } else if (kind === 'station_information') {
          const d = parseStationInformation(doc, language);
          for (const r of d.rejects) ctx.rejects.add(r.reason, { ...where, field: r.field, raw: r.raw });
          const r = await applyStationDocuments(ctx.store, ctx.systemId, ctx.importId, [{ t: d.lastUpdated, stations: d.items }], 'gbfs');
          if (r.stale) ctx.rejects.add('station_information not newer than the stored one', { ...where, field: 'last_updated' }, d.items.length);
          else imported += d.items.length;
          if (r.affectedFrom !== undefined) affectedFrom = Math.min(affectedFrom ?? Infinity, r.affectedFrom);
        } else {
          // An archived file: no freshness check against a fetch time (the validator's other rules apply).
          const v = validateStationStatus(doc, { fetchedAt: new Date(8.64e15), staleAfterS: Infinity });
          if (!v.ok || !v.lastUpdated) throw new GbfsFormatError(v.payloadError?.detail ?? 'not a station_status document', v.payloadError?.rule);
          for (const r of v.rejects) ctx.rejects.add(r.rule, { ...where, field: `data.stations[${r.index}]`, raw: r.detail });
          const observedAt = v.lastUpdated;
          // The hours from the snapshot before this one on can change (the interval it closes).
          const prev = await ctx.store.all<{ t: number | null }>('SELECT epoch(max(observed_at)) AS t FROM snapshots WHERE system_id = $1 AND observed_at < $2',
            [ctx.systemId, observedAt.toISOString()]);
          affectedFrom = Math.min(affectedFrom ?? Infinity, prev[0]?.t ?? observedAt.getTime() / 1000);
          statusLog ??= await StatusLog.open(ctx.store, ctx.systemId, observedAt);
          const w = await statusLog.write({ system: ctx.systemId, observedAt, fetchedAt: observedAt, feedLastUpdated: observedAt, stations: v.stations, source: 'gbfs' }, ctx.importId);
          if (!w.stored) ctx.rejects.add('snapshot already stored (same last_updated)', { ...where, field: 'last_updated' }, v.stations.length);
          // Every valid station row is represented in the log (a row equal to the previous state is that state).
          else imported += v.stations.length;
        }
      } catch (err) {
        if (err instanceof GbfsFormatError) throw new ImportError(ctx.file.path, err.message, { ...where, ...(err.field ? { field: err.field } : {}) });
        throw err;
      }
    }
    markAffected(ctx.store, ctx.systemId, affectedFrom, options);
    return { imported, systemId: ctx.systemId };
  },
  async afterAll(store, systemId) {
    await refreshDerived(store, systemId);
  },
};

/** The documents of a file: one for .json, one per non-empty line for .jsonl / .jsonl.gz. */
async function* documents(file: FileInfo): AsyncGenerator<{ doc: unknown; line: number | undefined }> {
  if (/\.jsonl(\.gz)?$/i.test(file.name)) {
    const input = file.name.endsWith('.gz') ? createReadStream(file.path).pipe(createGunzip()) : createReadStream(file.path);
    let line = 0;
    for await (const text of createInterface({ input, crlfDelay: Infinity })) {
      line++;
      if (text.trim() === '') continue;
      // readline decodes leniently: a byte that is not UTF-8 shows up as U+FFFD.
      if (text.includes('\uFFFD')) throw new ImportError(file.path, 'not UTF-8 text: JSON feeds must be UTF-8; convert it first (iconv -f cp949 -t utf-8)', { line });
      yield { doc: parseJson(file.path, text, line), line };
    }
    return;
  }
  const text = decodeUtf8Strict(file.path, await fs.readFile(file.path)).replace(/^\uFEFF/, '');
  yield { doc: parseJson(file.path, text, undefined), line: undefined };
}

function parseJson(path: string, text: string, line: number | undefined): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    // Name the line of a multi-line document from the parser's character position.
    const pos = Number(/position (\d+)/.exec((err as Error).message)?.[1]);
    const at = line ?? (Number.isFinite(pos) ? text.slice(0, pos).split('\n').length : undefined);
    throw new ImportError(path, `not valid JSON: ${(err as Error).message}`, at === undefined ? {} : { line: at });
  }
}

/** system_id of a system_information file, or undefined (not one, unreadable, too large to be one). */
async function systemIdIn(path: string): Promise<SystemId | undefined> {
  try {
    const stat = await fs.stat(path);
    if (!stat.isFile() || stat.size > 1 << 20 || !path.endsWith('.json')) return undefined;
    const doc = JSON.parse(await fs.readFile(path, 'utf-8')) as unknown;
    return detectFeedKind(doc) === 'system_information' ? asSystemId(parseSystemInformation(doc).items[0]!.systemId) : undefined;
  } catch {
    return undefined;
  }
}
