// The cycle's CPU-bound steps off the API's thread: a worker that runs the forecast fit and
// prediction (stage 2: the panel read from a snapshot file of its rows, then the computing) and the
// re-plan step (replanFleet: stage 3's targets and stage 4's plan of every truck, the code the
// simulator's policies call), and posts the result back. On the main thread any of them would stall
// every request for its length (a Bay Wheels refit: minutes). The store stays with the main thread:
// the stage entries write their results there, and hand here the computing and the panel's read
// (from a snapshot, see compute-in-worker.ts).
import { parentPort } from 'node:worker_threads';
import { openStore, type Store } from '../../platform/store/connection.ts';
import { localForecastCompute } from '../../rebalancing/forecast/run.ts';
import { planFleet } from '../../rebalancing/planning/plan-fleet.ts';
import { replanFleet } from '../../rebalancing/realtime/replan.ts';
import type { ComputeJob } from './compute-in-worker.ts';

/** Work on a panel snapshot (compute-in-worker.ts wrote it), opened read-only here. */
async function onSnapshot<T>(file: string, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(file, { readOnly: true, migrate: false });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

async function run(job: ComputeJob): Promise<unknown> {
  switch (job.kind) {
    case 'plan': {
      const r = planFleet(job.input, job.fleet, job.opts);
      return { plan: r.plan, seconds: r.seconds, iterations: r.iterations };
    }
    case 'fit': return onSnapshot(job.file, (s) => localForecastCompute.fit(s, job.system, job.window, job.options));
    case 'forecast': return onSnapshot(job.file, (s) => localForecastCompute.forecast(s, job.system, job.window, job.saved, job.origin, job.hours));
    case 'replan': {
      const r = replanFleet(job.input, job.opts);
      return { targets: r.targets, summary: r.summary, plan: r.plan, skipped: r.skipped, seconds: r.seconds, iterations: r.planned.iterations };
    }
  }
}

parentPort!.on('message', (job: ComputeJob) => {
  run(job).then(
    (result) => parentPort!.postMessage({ ok: true, result }),
    (err: Error) => parentPort!.postMessage({ ok: false, message: err.message, userError: err.name === 'UserError' }),
  );
});
