// Counts rows that cannot be used, by reason, and keeps a few samples of each so a person can look.
export interface RejectSample {
  reason: string;
  line: number | undefined;
  field: string | undefined;
  raw: string | undefined;
}

export class Rejects {
  private readonly counts = new Map<string, number>();
  private readonly kept: RejectSample[] = [];
  constructor(private readonly samplesPerReason = 5) {}

  add(reason: string, where: { line?: number; field?: string; raw?: string } = {}, rows = 1): void {
    const seen = this.counts.get(reason) ?? 0;
    this.counts.set(reason, seen + rows);
    if (seen < this.samplesPerReason) {
      this.kept.push({ reason, line: where.line, field: where.field, raw: where.raw?.slice(0, 500) });
    }
  }

  /** Add counts computed elsewhere (e.g. by a SQL GROUP BY over a staging table). */
  addCounts(counts: Record<string, number>): void {
    for (const [reason, n] of Object.entries(counts)) if (n > 0) this.add(reason, {}, n);
  }

  get total(): number {
    let t = 0;
    for (const n of this.counts.values()) t += n;
    return t;
  }

  toJSON(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort((a, b) => b[1] - a[1]));
  }

  get samples(): readonly RejectSample[] {
    return this.kept;
  }
}
