// The event log: one JSON line per thing that happened (a truck's arrival, load, drop; a rider's
// failure or detour), so a dashboard can replay a run and a test can add it up to the run's totals.
// The line shapes are a contract with the dashboard (docs/simulate.md, "The event log"): add
// fields, never rename them. A file written by `--out` starts with a `run` line (the stations with
// their place, docks and bikes at the start, the trucks) and then holds the events in time order.

export type LogEvent =
  | { t: number; type: 'failed_rental' | 'failed_return'; station: string }
  /**
   * Trip demand: a rider found `station` full at `t` and rides `km` on to `to`, the nearest station
   * with a free dock then, arriving at `arrive`; `leg` 1 from the trip's own end station (that
   * rider's failed_return line comes just before), 2 and up when the next one was full by arrival too.
   */
  | { t: number; type: 'detour'; station: string; to: string; km: number; arrive: number; leg: number }
  /** A truck reaches `station` ('depot' at the end of its shift) at `t`, having left its last place at `depart`. */
  | { t: number; type: 'arrive'; truck: string; station: string; km: number; depart: number }
  | { t: number; type: 'load' | 'drop'; truck: string; station: string; bikes: number; planned: number; truck_load: number; station_bikes: number }
  /** Every station's bikes at `t` (each whole 10 minutes, before that instant's events), in the run line's station order. */
  | { t: number; type: 'bikes'; bikes: number[] };

/** The first line of a written log: what a replayer needs to draw the run before any event. */
export interface RunLine {
  type: 'run';
  policy: string;
  system: string;
  demand: 'status' | 'trips';
  from: number;
  to: number;
  seed: number;
  depot: { lat: number; lon: number };
  stations: Array<{ id: string; lat: number; lon: number; capacity: number; bikes: number }>;
  trucks: Array<{ id: string; capacity: number; load: number }>;
}

export interface EventLog {
  write(e: LogEvent): void;
}

/** A log that keeps every event in memory (tests, small runs). */
export class MemoryLog implements EventLog {
  readonly events: LogEvent[] = [];
  write(e: LogEvent): void {
    this.events.push(e);
  }
  /**
   * The lines in time order (an arrival is written when the truck sets off, with a later `t`; the
   * sort is stable, so events at one instant keep the order they happened in).
   */
  sorted(): LogEvent[] {
    return this.events.map((e, k) => [e, k] as const).sort((a, b) => a[0].t - b[0].t || a[1] - b[1]).map(([e]) => e);
  }
  jsonl(head?: RunLine): string {
    const lines = [...(head ? [JSON.stringify(head)] : []), ...this.sorted().map((e) => JSON.stringify(e))];
    return lines.join('\n') + (lines.length ? '\n' : '');
  }
}

export interface LogTotals {
  failed_rentals: number;
  failed_returns: number;
  bikes_moved: number;
  truck_km: number;
  detours: number;
  detour_km: number;
}

/** The totals a log adds up to: the same figures the run reports, recomputed from the lines alone. */
export function totalsFromLog(jsonl: string): LogTotals {
  const t: LogTotals = { failed_rentals: 0, failed_returns: 0, bikes_moved: 0, truck_km: 0, detours: 0, detour_km: 0 };
  for (const line of jsonl.split('\n')) {
    if (!line) continue;
    const e = JSON.parse(line) as LogEvent | RunLine;
    if (e.type === 'failed_rental') t.failed_rentals++;
    else if (e.type === 'failed_return') t.failed_returns++;
    else if (e.type === 'load' || e.type === 'drop') t.bikes_moved += e.bikes;
    else if (e.type === 'arrive') t.truck_km += e.km;
    else if (e.type === 'detour') {
      if (e.leg === 1) t.detours++;
      t.detour_km += e.km;
    }
  }
  return t;
}
