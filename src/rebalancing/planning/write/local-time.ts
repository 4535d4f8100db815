// Arrival times as a driver reads them: local wall-clock time. Plan times are ISO 8601 with the
// system's offset, so the wall clock is the text itself; given an IANA time zone instead, the
// instant is shown in that zone (for plans written with another offset, e.g. UTC 'Z').

export function localClock(iso: string, timeZone?: string): { date: string; time: string } {
  if (!timeZone) {
    const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
    if (!m) throw new Error(`not an ISO 8601 time: '${iso}'`);
    return { date: m[1]!, time: m[2]! };
  }
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) throw new Error(`not an ISO 8601 time: '${iso}'`);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(t)
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts['year']}-${parts['month']}-${parts['day']}`, time: `${parts['hour']}:${parts['minute']}` };
}
