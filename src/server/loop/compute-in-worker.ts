// Runs the cycle's CPU-bound steps (compute-worker.ts) in a worker thread, one job at a time, the
// worker kept between jobs (one per system: a long refit of one system does not hold up another's
// plan). The worker registers the same TypeScript loader (tsx) as the service
// (compute-worker-boot.mjs).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { UserError } from '../../platform/errors.ts';
import type { SavedModel } from '../../rebalancing/forecast/model-io.ts';
import type { StationModelOptions } from '../../rebalancing/forecast/models/station-gbdt.ts';
import type { ForecastCompute, PanelForecast } from '../../rebalancing/forecast/run.ts';
import { snapshotPanel, type PanelWindow } from '../../rebalancing/forecast/store.ts';
import type { Store } from '../../platform/store/connection.ts';
import type { Fleet } from '../../rebalancing/planning/fleet.ts';
import type { Plan } from '../../rebalancing/planning/plan.ts';
import type { PlanFleetInput, PlanFleetOptions } from '../../rebalancing/planning/plan-fleet.ts';
import type { ReplanInput, ReplanOptions, ReplanResult } from '../../rebalancing/realtime/replan.ts';

export type ComputeJob =
  | { kind: 'plan'; input: PlanFleetInput; fleet: Fleet; opts: PlanFleetOptions }
  | { kind: 'fit'; file: string; system: string; window: PanelWindow; options: Partial<StationModelOptions> }
  | { kind: 'forecast'; file: string; system: string; window: PanelWindow; saved: SavedModel; origin: number; hours: number }
  | { kind: 'replan'; input: ReplanInput; opts: ReplanOptions };

export interface PlanOutcome { plan: Plan; seconds: number; iterations: number }
export type ReplanOutcome = Pick<ReplanResult, 'targets' | 'summary' | 'plan' | 'skipped' | 'seconds'> & { iterations: number };

/** `work` on a snapshot of the rows a window's panel reads (snapshotPanel), removed after. */
async function withSnapshot<T>(store: Store, system: string, window: PanelWindow, work: (file: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'urbanlab-panel-'));
  try {
    const file = join(dir, 'panel.duckdb');
    const reader = await store.reader();
    try {
      await snapshotPanel(reader, system, window, file);
    } finally {
      await reader.close();
    }
    return await work(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export class ComputeWorker {
  private worker: Worker | null = null;
  private busy: Promise<unknown> = Promise.resolve();

  private start(): Worker {
    const w = new Worker(new URL('./compute-worker-boot.mjs', import.meta.url));
    w.unref();
    w.on('error', () => { this.worker = null; });
    w.on('exit', () => { this.worker = null; });
    return w;
  }

  private run<T>(job: ComputeJob): Promise<T> {
    const go = () => new Promise<T>((resolve, reject) => {
      const w = (this.worker ??= this.start());
      const onMessage = (m: { ok: true; result: T } | { ok: false; message: string; userError: boolean }) => {
        w.off('error', onError);
        if (m.ok) resolve(m.result);
        else reject(m.userError ? new UserError(m.message) : new Error(m.message));
      };
      const onError = (err: Error) => { w.off('message', onMessage); reject(err); };
      w.once('message', onMessage);
      w.once('error', onError);
      w.postMessage(job);
    });
    const next = this.busy.then(go, go);
    this.busy = next.catch(() => undefined);
    return next;
  }

  plan(job: Omit<Extract<ComputeJob, { kind: 'plan' }>, 'kind'>): Promise<PlanOutcome> {
    return this.run({ kind: 'plan', ...job });
  }

  /**
   * Stage 2's compute, for fitAndSave / predictAndSave's `compute`: the window's rows are copied into
   * a snapshot file through a second connection to the store (its own read transaction: the API's
   * statements do not queue behind it, and the copy runs in DuckDB's threads), then the worker reads
   * the panel from that file and fits or forecasts. Reading years of flows into arrays on this
   * thread held the API for seconds (bench/serve.ts).
   */
  readonly forecast: ForecastCompute = {
    fit: (store, system, window, options) => withSnapshot(store, system, window, (file) => this.run<SavedModel>({ kind: 'fit', file, system, window, options })),
    forecast: (store, system, window, saved, origin, hours) => withSnapshot(store, system, window, (file) => this.run<PanelForecast>({ kind: 'forecast', file, system, window, saved, origin, hours })),
  };

  /** The re-plan step (replanFleet); its input must be plain data (a forecast's rates, not a function). */
  replan(input: ReplanInput, opts: ReplanOptions): Promise<ReplanOutcome> {
    return this.run({ kind: 'replan', input, opts });
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
    this.worker = null;
  }
}
