// The cycle's CPU-bound steps off the API's thread: a worker that runs, on plain data, the forecast
// fit and prediction (stage 2), the targets' solve (stage 3) and the plan search (stage 4), and
// posts the result back. On the main thread any of them would stall every request for its length
// (a Bay Wheels refit: minutes). The store stays with the main thread: the stage entries read their
// inputs and write their results there, and hand only the computing here.
import { parentPort } from 'node:worker_threads';
import { localForecastCompute } from '../../rebalancing/forecast/run.ts';
import { planFleet } from '../../rebalancing/planning/plan-fleet.ts';
import { networkTargets } from '../../rebalancing/targets/station-targets.ts';
import type { ComputeJob } from './compute-in-worker.ts';

async function run(job: ComputeJob): Promise<unknown> {
  switch (job.kind) {
    case 'plan': {
      const r = planFleet(job.input, job.fleet, job.opts);
      return { plan: r.plan, seconds: r.seconds, iterations: r.iterations };
    }
    case 'fit': return localForecastCompute.fit(job.panel, job.cutoff, job.options);
    case 'forecast': return localForecastCompute.forecast(job.saved, job.panel, job.origin, job.hours);
    case 'targets': return networkTargets(job.stations, job.options);
  }
}

parentPort!.on('message', (job: ComputeJob) => {
  run(job).then(
    (result) => parentPort!.postMessage({ ok: true, result }),
    (err: Error) => parentPort!.postMessage({ ok: false, message: err.message, userError: err.name === 'UserError' }),
  );
});
