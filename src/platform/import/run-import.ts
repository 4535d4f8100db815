// Runs importers over files: one transaction for the whole command (atomic: a failure or a kill
// leaves the store as it was), one `imports` row per file (idempotent: a file already imported for
// the same kind and system, by content hash, is skipped).
import type { SystemId } from '../ids.ts';
import type { Store } from '../store/connection.ts';
import { ensureSystem } from '../store/systems.ts';
import { silentProgress, type Progress } from '../util/progress.ts';
import { UserError } from '../errors.ts';
import { describeFile, isDirectory, type FileInfo } from './file-input.ts';
import type { Importer } from './importer.ts';
import { Rejects, type RejectSample } from './rejects.ts';

export interface FileOutcome {
  file: string;
  system: SystemId;
  imported: number;
  /** Rows not stored because the store already held the same record (trips: same ride_id, or bike, times and stations). */
  duplicates: number;
  rejected: Record<string, number>;
  /** A few rejected rows per reason, with their file line, field and text (also kept in import_rejects). */
  samples: readonly RejectSample[];
  skipped: boolean;
  importId: number | undefined;
}

export interface ImportSummary {
  imported: number;
  duplicates: number;
  rejected: Record<string, number>;
  files: FileOutcome[];
}

export interface RunImportOptions {
  system?: SystemId | undefined;
  progress?: Progress;
  options?: Record<string, string | undefined>;
}

export async function runImport(store: Store, importer: Importer, paths: readonly string[], opts: RunImportOptions = {}): Promise<ImportSummary> {
  if (paths.length === 0) throw new UserError(`import ${importer.kind}: no files given`);
  const progress = opts.progress ?? silentProgress;
  const files: FileInfo[] = [];
  for (const p of paths) {
    // A folder (gbfs-history): the importer lists its files; each is recorded by its own hash, so
    // idempotency stays per file and a folder that grew imports only its new files.
    if (importer.acceptsDirectory && importer.expandDirectory && (await isDirectory(p))) {
      const inside = await importer.expandDirectory(p);
      if (inside.length === 0) throw new UserError(`${p}: no ${importer.kind} files in this folder`);
      for (const f of inside) files.push(await describeFile(f));
    } else files.push(await describeFile(p));
  }

  return store.transaction(async (tx) => {
    const outcomes: FileOutcome[] = [];
    const touchedSystems = new Set<SystemId>();
    const seenThisRun = new Set<string>();
    for (const file of files) {
      const system = opts.system ?? (await importer.systemFromFile?.(file)) ?? importer.defaultSystem;
      if (system === undefined) {
        throw new UserError(`${file.path}: no system named in the file; give --system <name>`);
      }
      const key = `${system}\u0000${file.sha256}`;
      const already = await tx.all<{ import_id: number }>(
        'SELECT import_id FROM imports WHERE kind = $1 AND system_id = $2 AND sha256 = $3',
        [importer.kind, system, file.sha256],
      );
      if (already.length > 0 || seenThisRun.has(key)) {
        outcomes.push({ file: file.path, system, imported: 0, duplicates: 0, rejected: {}, samples: [], skipped: true, importId: already[0]?.import_id });
        continue;
      }
      seenThisRun.add(key);
      await ensureSystem(tx, { systemId: system, newTimezone: importer.timeZone });
      const idRow = await tx.all<{ id: number }>("SELECT nextval('import_id_seq') AS id");
      const importId = idRow[0]!.id;
      const rejects = new Rejects();
      const startedAt = new Date();
      const result = await importer.load({ store: tx, file, importId, systemId: system, rejects, progress, options: opts.options ?? {} });
      const finalSystem = result.systemId ?? system;
      touchedSystems.add(finalSystem);
      await tx.run(
        `INSERT INTO imports (import_id, kind, system_id, file_name, file_path, sha256, bytes, encoding,
           rows_imported, rows_rejected, rejects, started_at, finished_at, rows_duplicate)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, now(), $13)`,
        [importId, importer.kind, finalSystem, file.name, file.path, file.sha256, file.bytes, result.encoding ?? null,
          result.imported, rejects.total, JSON.stringify(rejects.toJSON()), startedAt.toISOString(), result.duplicates ?? 0],
      );
      for (const s of rejects.samples) {
        await tx.run('INSERT INTO import_rejects VALUES ($1, $2, $3, $4, $5)', [importId, s.reason, s.line ?? null, s.field ?? null, s.raw ?? null]);
      }
      outcomes.push({ file: file.path, system: finalSystem, imported: result.imported, duplicates: result.duplicates ?? 0, rejected: rejects.toJSON(), samples: rejects.samples, skipped: false, importId });
    }
    if (importer.afterAll) for (const system of touchedSystems) await importer.afterAll(tx, system, progress);
    return summarise(outcomes);
  });
}

function summarise(files: FileOutcome[]): ImportSummary {
  const rejected: Record<string, number> = {};
  let imported = 0;
  let duplicates = 0;
  for (const f of files) {
    imported += f.imported;
    duplicates += f.duplicates;
    for (const [reason, n] of Object.entries(f.rejected)) rejected[reason] = (rejected[reason] ?? 0) + n;
  }
  return { imported, duplicates, rejected, files };
}
