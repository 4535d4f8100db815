// How many trucks each zone gets: in proportion to its work, every zone with work at least one.
// Sainte-Laguë's divisor rule (the next truck goes to the zone with the largest work / (t + 0.5))
// is the apportionment with the least bias between large and small zones.

export function allocateTrucks(work: readonly number[], trucks: number): number[] {
  if (!Number.isInteger(trucks) || trucks < 1) throw new Error(`trucks must be a positive integer, got ${trucks}`);
  const withWork = work.filter((w) => w > 0).length;
  if (withWork > trucks) throw new Error(`${withWork} zones with work but only ${trucks} trucks: merge zones first`);
  const out = work.map((w) => (w > 0 ? 1 : 0));
  let left = trucks - withWork;
  if (withWork === 0) {
    // Nothing to move anywhere: spread the fleet evenly so that every truck still has a zone.
    for (let i = 0; left > 0; i = (i + 1) % out.length, left--) out[i]! += 1;
    return out;
  }
  while (left > 0) {
    let best = -1;
    let bestQ = -Infinity;
    work.forEach((w, i) => {
      if (w <= 0) return;
      const q = w / (out[i]! + 0.5);
      if (q > bestQ) {
        bestQ = q;
        best = i;
      }
    });
    out[best]! += 1;
    left--;
  }
  return out;
}

/** `trucks` spread as evenly as possible over `count` zones, the larger shares first. */
export function evenTrucks(trucks: number, count: number): number[] {
  const base = Math.floor(trucks / count);
  const extra = trucks - base * count;
  return Array.from({ length: count }, (_, k) => base + (k < extra ? 1 : 0));
}
