// The command line as a user runs it: `node bin/urbanlab.js ...` in a child process, from the repository.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../../src/platform/bundled-data.ts';

const run = promisify(execFile);

/** Runs the command line with `args`; rejects with its stderr and exit code when it fails. */
export const cli = (args: string[]) => run(process.execPath, [join(repoRoot(), 'bin', 'urbanlab.js'), ...args], { cwd: repoRoot(), maxBuffer: 64 << 20 });
