// `urbanlab import <kind> <files...>`
import type { Command } from 'commander';
import { IMPORT_KINDS, loadImporter } from '../platform/import/registry.ts';
import { runImport, type ImportSummary } from '../platform/import/run-import.ts';
import { archiveImports } from '../platform/store/export.ts';
import { describeArchive } from './export.ts';
import { asSystemId } from '../platform/ids.ts';
import { formatNumber } from '../platform/output/table.ts';
import { emit, progressFor, withCommonOptions, withStore, type CommonOptions } from './common.ts';

interface ImportOptions extends CommonOptions {
  system?: string;
  dong?: string;
  truckThreshold?: string;
  gapFactor?: string;
  archive?: string;
}

export function registerImport(program: Command): void {
  withCommonOptions(
    program
      .command('import')
      .description(`load files into the store (kinds: ${IMPORT_KINDS.join(', ')})`)
      .argument('<kind>', 'what the files are')
      .argument('<files...>', 'files (or a folder, for gbfs-history)')
      .option('--system <name>', 'the system the rows belong to (default: seoul for Seoul kinds; GBFS kinds read it from system_information)')
      .option('--dong <code>', 'living population: the dong code of a file without one')
      .option('--truck-threshold <bikes>', 'hourly flows: a change of at least this many bikes between snapshots is a truck move (default 8)')
      .option('--gap-factor <x>', 'hourly flows: an interval over x times the median between snapshots is a feed outage (default 3)')
      .option('--archive <dir>', "after the import commits, write the new files' rows as Parquet under <dir> (see `urbanlab archive`)"),
  ).action(async (kind: string, files: string[], opts: ImportOptions) => {
    const importer = await loadImporter(kind);
    const { summary, archive } = await withStore(opts, async (store) => {
      const summary = await runImport(store, importer, files, { system: opts.system === undefined ? undefined : asSystemId(opts.system), progress: progressFor(opts), options: { dong: opts.dong, truckThreshold: opts.truckThreshold, gapFactor: opts.gapFactor } });
      // Files are written after the commit: Parquet cannot roll back with the store, and a failed
      // archive leaves a committed import that `urbanlab archive --import <id>` writes again.
      const ids = summary.files.filter((f) => !f.skipped && f.importId !== undefined).map((f) => f.importId!);
      const archive = opts.archive && ids.length > 0 ? await archiveImports(store, opts.archive, ids) : undefined;
      return { summary, archive };
    }, 'write');
    emit(opts, { imported: summary.imported, duplicates: summary.duplicates, rejected: summary.rejected, files: summary.files, ...(archive ? { archive } : {}) }, () =>
      describeSummary(kind, summary) + (archive ? '\n' + describeArchive(archive) : ''));
  });
}

export function describeSummary(kind: string, s: ImportSummary): string {
  const lines = s.files.map((f) =>
    f.skipped
      ? `  ${f.file}: already imported (same content), skipped`
      : `  ${f.file}: ${formatNumber(f.imported)} rows into ${f.system}` +
        (f.duplicates ? `; ${formatNumber(f.duplicates)} already stored (duplicates, not added)` : '') +
        (Object.keys(f.rejected).length ? `; rejected ${Object.entries(f.rejected).map(([r, n]) => `${formatNumber(n)} ${r}`).join(', ')}` : ''),
  );
  const rejected = Object.values(s.rejected).reduce((a, b) => a + b, 0);
  return [`import ${kind}: ${formatNumber(s.imported)} rows imported, ${formatNumber(s.duplicates)} duplicates, ${formatNumber(rejected)} rejected, ${s.files.length} file(s)`, ...lines].join('\n');
}
