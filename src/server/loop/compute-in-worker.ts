// Runs planFleet in a worker thread (plan-worker.ts), one job at a time, the worker kept between
// re-plans. The worker registers the same TypeScript loader (tsx) as the service (plan-worker-boot.mjs).
import { Worker } from 'node:worker_threads';
import type { Plan } from '../../rebalancing/planning/plan.ts';
import type { PlanJob } from './plan-worker.ts';

export interface PlanOutcome { plan: Plan; seconds: number; iterations: number }

export class PlanWorker {
  private worker: Worker | null = null;
  private busy: Promise<unknown> = Promise.resolve();

  private start(): Worker {
    const w = new Worker(new URL('./plan-worker-boot.mjs', import.meta.url));
    w.unref();
    w.on('error', () => { this.worker = null; });
    w.on('exit', () => { this.worker = null; });
    return w;
  }

  plan(job: PlanJob): Promise<PlanOutcome> {
    const run = () => new Promise<PlanOutcome>((resolve, reject) => {
      const w = (this.worker ??= this.start());
      const onMessage = (m: { ok: true; plan: Plan; seconds: number; iterations: number } | { ok: false; message: string }) => {
        w.off('error', onError);
        if (m.ok) resolve({ plan: m.plan, seconds: m.seconds, iterations: m.iterations });
        else reject(new Error(m.message));
      };
      const onError = (err: Error) => { w.off('message', onMessage); reject(err); };
      w.once('message', onMessage);
      w.once('error', onError);
      w.postMessage(job);
    });
    const next = this.busy.then(run, run);
    this.busy = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
    this.worker = null;
  }
}
