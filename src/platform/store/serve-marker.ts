// While `urbanlab serve` runs it holds the store (DuckDB: one writer per file). It says so beside
// the store in `<store>.serve.json` (its URL and PID), so that a command that cannot open the store
// can tell the user where the service is and how to reach the same data through its API
// (openStore's lock message, connection.ts).
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';

export interface ServeMarker {
  url: string;
  pid: number;
  started_at: string;
}

export function markerPath(storePath: string): string {
  return `${storePath}.serve.json`;
}

export function writeServeMarker(storePath: string, m: ServeMarker): void {
  const path = markerPath(storePath);
  writeFileSync(`${path}.tmp`, JSON.stringify(m, null, 2) + '\n');
  renameSync(`${path}.tmp`, path);
}

export function removeServeMarker(storePath: string): void {
  rmSync(markerPath(storePath), { force: true });
}

/** The marker of a service that is still running (a marker left by a killed one is ignored). */
export function readServeMarker(storePath: string): ServeMarker | null {
  let m: ServeMarker;
  try {
    m = JSON.parse(readFileSync(markerPath(storePath), 'utf8')) as ServeMarker;
  } catch {
    return null;
  }
  try {
    process.kill(m.pid, 0);
    return m;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? m : null;
  }
}

/** What a command that cannot open the store should say when the service holds it; null when none does. */
export function heldByServiceMessage(storePath: string): string | null {
  const m = readServeMarker(storePath);
  if (!m) return null;
  return `the store ${storePath} is held by urbanlab serve (pid ${m.pid}, since ${m.started_at}): read the same data through its API at ${m.url} ` +
    `(${m.url}/api/v1/systems, ${m.url}/api/v1/systems/<system>/stations, /plan, /kpis; documented at ${m.url}/docs), ` +
    `or stop the service (SIGTERM) to use the command line on it, or work on a copy of the file`;
}
