// The `urbanlab` command: one file per command group registers itself here.
import { Command, CommanderError } from 'commander';
import { ImportError } from '../platform/import/errors.ts';
import { UserError } from '../platform/errors.ts';
import { registerCollect } from './collect.ts';
import { registerDemo } from './demo.ts';
import { registerExport } from './export.ts';
import { registerImport } from './import.ts';
import { registerInfo } from './info.ts';
import { registerForecast } from './forecast.ts';
import { registerPopulation } from './population.ts';
import { registerRoute } from './route.ts';
import { registerServe } from './serve.ts';
import { registerSimulate } from './simulate.ts';
import { registerTargets } from './targets.ts';
import { registerStats } from './stats.ts';
import { registerZones } from './zones.ts';

export function buildProgram(): Command {
  const program = new Command('urbanlab')
    .description('Bike-share operations from data: collect, explain, forecast, set targets, route trucks.')
    .showHelpAfterError()
    .exitOverride();
  registerDemo(program);
  registerImport(program);
  registerInfo(program);
  registerPopulation(program);
  registerCollect(program);
  registerExport(program);
  registerRoute(program);
  registerTargets(program);
  registerStats(program);
  registerForecast(program);
  registerZones(program);
  registerServe(program);
  registerSimulate(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    if (err instanceof UserError || err instanceof ImportError) {
      process.stderr.write(`urbanlab: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`urbanlab: ${(err as Error).stack ?? String(err)}\n`);
    return 1;
  }
}
