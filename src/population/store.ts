// The population stage's edge: reads one dong's series from the store (and the list of dongs).
import { BAND_KEYS } from '../platform/store/population-bands.ts';
import type { Store } from '../platform/store/connection.ts';
import { seriesFromRows, type PopulationSeries } from './series.ts';

export async function listDongs(store: Store, system = 'seoul'): Promise<Array<{ dong: string; hours: number; from: string; to: string }>> {
  return store.all(
    `SELECT dong_code AS dong, count(*) AS hours, min(local_date)::VARCHAR AS "from", max(local_date)::VARCHAR AS "to"
     FROM population_hourly WHERE system_id = $1 GROUP BY dong_code ORDER BY dong_code`,
    [system],
  );
}

export async function loadSeries(store: Store, dong: string, system = 'seoul'): Promise<PopulationSeries | undefined> {
  const reader = await store.connection.runAndReadAll(
    `SELECT epoch_ms(hour) AS ms, total, ${BAND_KEYS.join(', ')} FROM population_hourly
     WHERE system_id = $1 AND dong_code = $2 ORDER BY hour`,
    [system, dong],
  );
  const cols = reader.getColumns();
  const n = reader.currentRowCount;
  if (n === 0) return undefined;
  const ms = cols[0]!;
  const total = cols[1]!;
  const rows = new Array(n);
  for (let r = 0; r < n; r++) {
    const bands = new Float64Array(BAND_KEYS.length);
    for (let b = 0; b < BAND_KEYS.length; b++) {
      const v = cols[2 + b]![r];
      bands[b] = v === null || v === undefined ? NaN : Number(v);
    }
    rows[r] = { hourMs: Number(ms[r]), total: Number(total[r]), bands };
  }
  return seriesFromRows(dong, rows);
}
