// The event log: one JSON line per thing that happened (a truck's arrival, load, drop; a rider's
// failure), so a dashboard can replay a run and a test can add it up to the run's totals.

export type LogEvent =
  | { t: number; type: 'failed_rental' | 'failed_return'; station: string }
  | { t: number; type: 'arrive'; truck: string; station: string; km: number }
  | { t: number; type: 'load' | 'drop'; truck: string; station: string; bikes: number; planned: number; truck_load: number; station_bikes: number };

export interface EventLog {
  write(e: LogEvent): void;
}

/** A log that keeps every event in memory (tests, small runs). */
export class MemoryLog implements EventLog {
  readonly events: LogEvent[] = [];
  write(e: LogEvent): void {
    this.events.push(e);
  }
  jsonl(): string {
    return this.events.map((e) => JSON.stringify(e)).join('\n') + (this.events.length ? '\n' : '');
  }
}

/** The totals a log adds up to: the same figures the run reports, recomputed from the lines alone. */
export function totalsFromLog(jsonl: string): { failed_rentals: number; failed_returns: number; bikes_moved: number; truck_km: number } {
  const t = { failed_rentals: 0, failed_returns: 0, bikes_moved: 0, truck_km: 0 };
  for (const line of jsonl.split('\n')) {
    if (!line) continue;
    const e = JSON.parse(line) as LogEvent;
    if (e.type === 'failed_rental') t.failed_rentals++;
    else if (e.type === 'failed_return') t.failed_returns++;
    else if (e.type === 'load' || e.type === 'drop') t.bikes_moved += e.bikes;
    else if (e.type === 'arrive') t.truck_km += e.km;
  }
  return t;
}
