// The loop on the service's clock: a cycle every `replan_minutes` per system, or sooner when asked
// (a skipped stop, a paused truck, an operator). One cycle at a time per system; a request during a
// cycle runs one more right after it. A failed cycle is logged and shown on /health, and the loop
// goes on.
import type { SystemLive } from '../live-state.ts';
import { runCycle, type CycleDeps } from './cycle.ts';

export class SystemLoop {
  private wake: (() => void) | null = null;
  private again = false;
  private running: Promise<void> | null = null;

  constructor(private readonly deps: CycleDeps, private readonly s: SystemLive, private readonly log: (event: string, fields: Record<string, unknown>) => void) {}

  /** Run until the signal aborts; the first cycle right away. */
  run(signal: AbortSignal): Promise<void> {
    return (this.running ??= this.loop(signal));
  }

  request(): void {
    this.again = true;
    this.wake?.();
  }

  private async loop(signal: AbortSignal): Promise<void> {
    const { clock, config } = this.deps.ctx;
    while (!signal.aborted) {
      this.again = false;
      const started = clock.now();
      const t0 = performance.now();
      let outcome: string;
      try {
        outcome = await runCycle(this.deps, this.s);
      } catch (err) {
        outcome = `failed: ${(err as Error).message}`;
      }
      this.s.lastCycle = { atMs: started, outcome, seconds: (performance.now() - t0) / 1000 };
      this.log('cycle', { system: this.s.id, outcome, seconds: this.s.lastCycle.seconds });
      if (signal.aborted || this.again) continue;
      const waitMs = started + config.replanMinutes * 60_000 - clock.now();
      if (waitMs > 0) {
        const inner = new AbortController();
        const onAbort = () => inner.abort();
        signal.addEventListener('abort', onAbort, { once: true });
        this.wake = () => inner.abort();
        await clock.sleep(waitMs, inner.signal);
        this.wake = null;
        signal.removeEventListener('abort', onAbort);
      }
    }
  }
}
