// `urbanlab demo`: the Quick start's main job. Imports every bundled real data file into the store
// (idempotent: a second run skips what is there) and prints what the store holds.
import type { Command } from 'commander';
import { bundledImports } from '../platform/bundled-data.ts';
import { loadImporter } from '../platform/import/registry.ts';
import { runImport } from '../platform/import/run-import.ts';
import { summariseStore } from '../platform/store/info.ts';
import { emit, progressFor, withCommonOptions, withStore, type CommonOptions } from './common.ts';
import { describeSummary } from './import.ts';
import { describeStore } from './info.ts';
import { join } from 'node:path';
import { repoRoot } from '../platform/bundled-data.ts';
import { demoStats, describeDemoStats } from './stats.ts';
import { demoPopulation, describeDemoPopulation } from '../population/demo.ts';
import { demoRebalancing, describeDemoRebalancing } from '../rebalancing/demo.ts';

interface StepOutcome {
  kind: string;
  label: string;
  status: 'imported' | 'not-implemented' | 'failed';
  imported: number;
  rejected: Record<string, number>;
  message?: string;
}

export function registerDemo(program: Command): void {
  withCommonOptions(program.command('demo').description('import the bundled real data and report on it (the Quick start)')).action(
    async (opts: CommonOptions) => {
      const log = (s: string) => process.stderr.write(s + '\n');
      const result = await withStore(opts, async (store) => {
        const steps: StepOutcome[] = [];
        for (const step of bundledImports()) {
          const importer = await loadImporter(step.kind);
          if (importer.description.endsWith('(not implemented yet)')) {
            steps.push({ kind: step.kind, label: step.label, status: 'not-implemented', imported: 0, rejected: {} });
            log(`- ${step.label}: skipped, import kind '${step.kind}' is not implemented yet`);
            continue;
          }
          log(`- ${step.label}`);
          try {
            const s = await runImport(store, importer, step.files, { system: step.system, progress: progressFor(opts), options: step.options ?? {} });
            steps.push({ kind: step.kind, label: step.label, status: 'imported', imported: s.imported, rejected: s.rejected });
            if (!opts.json) log(describeSummary(step.kind, s).replace(/^/gm, '  '));
          } catch (err) {
            steps.push({ kind: step.kind, label: step.label, status: 'failed', imported: 0, rejected: {}, message: (err as Error).message });
            log(`  FAILED: ${(err as Error).message}`);
          }
        }
        // Last step: the stage-1 report of every system, charts in out/stats/<system>/.
        const stats = await demoStats(store, join(repoRoot(), 'out', 'stats'), log);
        // And the second solution: a week's living-population forecast with its plots.
        const population = await demoPopulation(store, join(repoRoot(), 'out', 'population'), log);
        // And the rebalancing chain (stages 2-4) where a status history and a fleet are bundled.
        const rebalancing = await demoRebalancing(store, join(repoRoot(), 'out', 'rebalancing'), log);
        return { steps, store: await summariseStore(store), stats, population, rebalancing };
      }, 'write');
      emit(opts, result, () => describeStore(result.store) + describeDemoStats(result.stats) + describeDemoPopulation(result.population) + describeDemoRebalancing(result.rebalancing));
      if (result.steps.some((s) => s.status === 'failed') || result.stats.some((s) => s.status === 'failed') || result.population.some((p) => p.status === 'failed') || result.rebalancing.some((r) => r.status === 'failed')) process.exitCode = 1;
    },
  );
}
