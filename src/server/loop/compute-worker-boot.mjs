// The compute worker's entry: a worker thread does not inherit the TypeScript loader of its parent
// (tsx), so it registers its own before loading compute-worker.ts, as bin/urbanlab.js does.
import { register } from 'tsx/esm/api';
register();
await import('./compute-worker.ts');
