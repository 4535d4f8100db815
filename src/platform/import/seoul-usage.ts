// Seoul station-month usage (rentals, and returns where published) -> `station_monthly`, keyed by
// station number as trip files write it. A month already stored for a station is updated: a later
// file's figure replaces it, and a file without returns keeps the returns stored.
import { SEOUL_SYSTEM } from '../ids.ts';
import { ImportError } from './errors.ts';
import { readText } from './file-input.ts';
import type { ImportContext, Importer, LoadResult } from './importer.ts';
import { parseStationUsage, UsageFormatError } from './seoul/station-usage.ts';

export const importer: Importer = {
  kind: 'seoul-usage',
  timeZone: 'Asia/Seoul',
  description: 'Seoul station-month rentals and returns (CP949 or UTF-8)',
  defaultSystem: SEOUL_SYSTEM,
  load: loadUsage,
};

const BATCH = 1000;

async function loadUsage(ctx: ImportContext): Promise<LoadResult> {
  const { text, encoding } = await readText(ctx.file.path);
  let parsed;
  try {
    parsed = parseStationUsage(text);
  } catch (err) {
    if (err instanceof UsageFormatError) throw new ImportError(ctx.file.path, err.message, { ...(err.line !== undefined ? { line: err.line } : {}), ...(err.field ? { field: err.field } : {}) });
    throw err;
  }
  for (const r of parsed.rejects) ctx.rejects.add(r.reason, { line: r.line, ...(r.field ? { field: r.field } : {}), raw: r.raw });
  const recs = parsed.records;
  ctx.progress.start(recs.length, `seoul-usage ${ctx.file.name}`);
  for (let i = 0; i < recs.length; i += BATCH) {
    const chunk = recs.slice(i, i + BATCH);
    const params: (string | number | null)[] = [];
    const values = chunk.map((r) => {
      params.push(ctx.systemId, r.stationId, r.month, r.rentals, r.returns, ctx.importId);
      const b = params.length - 6;
      return `($${b + 1}, $${b + 2}, $${b + 3}::DATE, $${b + 4}, $${b + 5}, $${b + 6})`;
    });
    await ctx.store.run(
      `INSERT INTO station_monthly (system_id, station_id, month, rentals, returns, import_id) VALUES ${values.join(', ')}
       ON CONFLICT (system_id, station_id, month) DO UPDATE SET
         rentals = coalesce(excluded.rentals, station_monthly.rentals),
         returns = coalesce(excluded.returns, station_monthly.returns),
         import_id = excluded.import_id`,
      params,
    );
    ctx.progress.update(Math.min(i + BATCH, recs.length));
  }
  ctx.progress.stop();
  return { imported: recs.length, encoding: `${encoding}; ${parsed.layout}` };
}
