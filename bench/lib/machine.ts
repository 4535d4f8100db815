// What every benchmark prints first and stores with its results: the machine it ran on.
import { cpus, loadavg, totalmem } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Machine {
  cpu: string;
  cores: number;
  memory_gib: number;
  node: string;
  platform: string;
  load_1m: number;
}

export function machine(): Machine {
  const c = cpus();
  return {
    cpu: c[0]?.model.trim() ?? 'unknown',
    cores: c.length,
    memory_gib: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    load_1m: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}

export function describeMachine(m: Machine = machine()): string {
  return `machine: ${m.cpu}, ${m.cores} cores, ${m.memory_gib} GiB, Node ${m.node}, ${m.platform}, load ${m.load_1m} at start`;
}

const RESULTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');

/** Write a benchmark's results (with the machine) to bench/results/<name>.json. */
export function saveResults(name: string, results: Record<string, unknown>): string {
  mkdirSync(RESULTS, { recursive: true });
  const path = join(RESULTS, `${name}.json`);
  writeFileSync(path, JSON.stringify({ name, date: new Date().toISOString(), machine: machine(), ...results }, null, 2) + '\n');
  return path;
}

/** Peak resident set size of this process so far, MiB (Linux reports maxRSS in KiB). */
export function peakRssMiB(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}
