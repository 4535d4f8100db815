#!/usr/bin/env node
// Entry point: registers the TypeScript loader (tsx) so the CLI runs from source, with no build step
// that could go stale between a `git pull` and a run.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
