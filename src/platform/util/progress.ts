// Progress on stderr: a bar when stderr is a terminal, a line every few seconds otherwise (logs, CI),
// and nothing at all when silenced (tests). stdout stays free for results and --json.
import cliProgress from 'cli-progress';

export interface Progress {
  start(total: number, label: string): void;
  update(done: number): void;
  increment(by?: number): void;
  stop(): void;
}

export const silentProgress: Progress = { start() {}, update() {}, increment() {}, stop() {} };

export function stderrProgress(): Progress {
  if (!process.stderr.isTTY) return lineProgress();
  let bar: cliProgress.SingleBar | undefined;
  return {
    start(total, label) {
      bar = new cliProgress.SingleBar(
        { format: `${label} [{bar}] {percentage}% | {value}/{total} | {duration_formatted}`, stream: process.stderr, hideCursor: true },
        cliProgress.Presets.shades_classic,
      );
      bar.start(Math.max(total, 1), 0);
    },
    update(done) { bar?.update(done); },
    increment(by = 1) { bar?.increment(by); },
    stop() { bar?.stop(); bar = undefined; },
  };
}

function lineProgress(intervalMs = 5000): Progress {
  let label = '';
  let total = 0;
  let done = 0;
  let last = 0;
  const report = (force: boolean) => {
    const now = Date.now();
    if (!force && now - last < intervalMs) return;
    last = now;
    const pct = total > 0 ? ` (${Math.round((100 * done) / total)}%)` : '';
    process.stderr.write(`${label}: ${done}/${total}${pct}\n`);
  };
  return {
    start(t, l) { total = t; label = l; done = 0; last = Date.now(); },
    update(d) { done = d; report(false); },
    increment(by = 1) { done += by; report(false); },
    stop() { if (total > 0) report(true); },
  };
}
