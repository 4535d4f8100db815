// A time slice of the bundled Bay Wheels archive, written in the archive's own layout, so tests
// run the real rows without importing ten months. The files are sorted by time, so reading stops
// early: a slice near the start costs a few megabytes of gunzip.
import { createReadStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip, gzipSync } from 'node:zlib';
import { dataFile } from '../../src/platform/bundled-data.ts';

export const BAYWHEELS_DIR = dataFile('gbfs', 'baywheels');
export const CHANGES_FILE = join(BAYWHEELS_DIR, 'station_status_changes_2022-08_2023-05.csv.gz');
export const SNAPSHOTS_FILE = join(BAYWHEELS_DIR, 'snapshot_times_2022-08_2023-05.csv.gz');
export const INFO_FILE = join(BAYWHEELS_DIR, 'station_information_history.jsonl.gz');
/** The archive's first snapshot (2022-08-07T22:09:32Z). */
export const FIRST_SNAPSHOT = 1659910172;

/** Lines of a gzipped, time-sorted file whose time (by `timeOf`) is in [from, to); the header kept. */
async function sliceLines(path: string, from: number, to: number, timeOf: (line: string) => number, header: boolean): Promise<string[]> {
  const out: string[] = [];
  const stream = createReadStream(path).pipe(createGunzip());
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let first = true;
  for await (const line of lines) {
    if (first && header) { out.push(line); first = false; continue; }
    first = false;
    const t = timeOf(line);
    if (t >= to) break;
    if (t >= from) out.push(line);
  }
  lines.close();
  stream.destroy();
  return out;
}

const csvTime = (line: string) => Number(line.slice(0, line.indexOf(',')));
const jsonTime = (line: string) => Number(/"snapshot_time":(\d+)/.exec(line)?.[1] ?? NaN);

/** Write the slice [from, to) into `dir` with the archive's file names; returns the counts written. */
export async function writeBaywheelsSlice(dir: string, from: number, to: number): Promise<{ changes: number; snapshots: number; info: number }> {
  const changes = await sliceLines(CHANGES_FILE, from, to, csvTime, true);
  const snapshots = await sliceLines(SNAPSHOTS_FILE, from, to, csvTime, true);
  const info = await sliceLines(INFO_FILE, from, to, jsonTime, false);
  writeFileSync(join(dir, 'station_status_changes_slice.csv.gz'), gzipSync(changes.join('\n') + '\n'));
  writeFileSync(join(dir, 'snapshot_times_slice.csv.gz'), gzipSync(snapshots.join('\n') + '\n'));
  writeFileSync(join(dir, 'station_information_history_slice.jsonl.gz'), gzipSync(info.join('\n') + (info.length ? '\n' : '')));
  return { changes: changes.length - 1, snapshots: snapshots.length - 1, info: info.length };
}
