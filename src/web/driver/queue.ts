// The driver's reports while the network comes and goes: each report is queued (in localStorage)
// with its own idempotency key before it is sent, and sent in order; a network failure leaves it
// queued for the next try, the service's answer (2xx, or a refusal) takes it off. The key makes a
// report that reached the service before the connection dropped count once when it is sent again.
export interface QueuedReport {
  key: string;
  truck: string;
  station_id: string;
  body: { status: 'done'; collected?: number; dropped?: number } | { status: 'skipped'; reason: string };
  queued_at: string;
}

export interface KeyValue {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** What sending one report came to: sent (2xx), refused (the service said no: 4xx), or offline. */
export type SendOutcome = { kind: 'sent' } | { kind: 'refused'; status: number; message: string } | { kind: 'offline' };

export class ReportQueue {
  constructor(private readonly store: KeyValue, private readonly slot = 'urbanlab.driver.queue') {}

  list(): QueuedReport[] {
    const raw = this.store.getItem(this.slot);
    if (!raw) return [];
    try {
      const v = JSON.parse(raw) as unknown;
      return Array.isArray(v) ? (v as QueuedReport[]) : [];
    } catch {
      return [];
    }
  }

  add(r: QueuedReport): void {
    this.store.setItem(this.slot, JSON.stringify([...this.list(), r]));
  }

  private remove(key: string): void {
    this.store.setItem(this.slot, JSON.stringify(this.list().filter((r) => r.key !== key)));
  }

  /**
   * Sends the queue in order until it is empty or the network fails. A refused report is dropped
   * (sending it again would be refused again) and returned, so the driver is told.
   */
  async flush(send: (r: QueuedReport) => Promise<SendOutcome>): Promise<{ sent: number; refused: { report: QueuedReport; status: number; message: string }[]; left: number }> {
    let sent = 0;
    const refused: { report: QueuedReport; status: number; message: string }[] = [];
    for (const r of this.list()) {
      const out = await send(r);
      if (out.kind === 'offline') break;
      this.remove(r.key);
      if (out.kind === 'sent') sent++;
      else refused.push({ report: r, status: out.status, message: out.message });
    }
    return { sent, refused, left: this.list().length };
  }

  /** Stations reported but not yet sent: the view leaves them off the stop list. */
  pendingStations(truck: string): Set<string> {
    return new Set(this.list().filter((r) => r.truck === truck).map((r) => r.station_id));
  }
}
