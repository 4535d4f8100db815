// `urbanlab import <kind> <files...>`
import type { Command } from 'commander';
import { IMPORT_KINDS, loadImporter } from '../platform/import/registry.ts';
import { runImport, type ImportSummary } from '../platform/import/run-import.ts';
import { emit, formatNumber, progressFor, withCommonOptions, withStore, type CommonOptions } from './common.ts';

interface ImportOptions extends CommonOptions {
  system?: string;
  dong?: string;
}

export function registerImport(program: Command): void {
  withCommonOptions(
    program
      .command('import')
      .description(`load files into the store (kinds: ${IMPORT_KINDS.join(', ')})`)
      .argument('<kind>', 'what the files are')
      .argument('<files...>', 'files (or a folder, for gbfs-history)')
      .option('--system <name>', 'the system the rows belong to (default: seoul for Seoul kinds; GBFS kinds read it from system_information)')
      .option('--dong <code>', 'living population: the dong code of a file without one'),
  ).action(async (kind: string, files: string[], opts: ImportOptions) => {
    const importer = await loadImporter(kind);
    const summary = await withStore(opts, (store) =>
      runImport(store, importer, files, { system: opts.system, progress: progressFor(opts), options: { dong: opts.dong } }),
    );
    emit(opts, { imported: summary.imported, rejected: summary.rejected, files: summary.files }, () => describeSummary(kind, summary));
  });
}

export function describeSummary(kind: string, s: ImportSummary): string {
  const lines = s.files.map((f) =>
    f.skipped
      ? `  ${f.file}: already imported (same content), skipped`
      : `  ${f.file}: ${formatNumber(f.imported)} rows into ${f.system}` +
        (Object.keys(f.rejected).length ? `; rejected ${Object.entries(f.rejected).map(([r, n]) => `${formatNumber(n)} ${r}`).join(', ')}` : ''),
  );
  const rejected = Object.values(s.rejected).reduce((a, b) => a + b, 0);
  return [`import ${kind}: ${formatNumber(s.imported)} rows imported, ${formatNumber(rejected)} rejected, ${s.files.length} file(s)`, ...lines].join('\n');
}
