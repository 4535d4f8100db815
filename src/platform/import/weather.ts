// `weather`: KMA ASOS hourly observations (기상자료개방포털 "종관기상관측(ASOS)" CSV), CP949 as the
// portal publishes it or UTF-8. Columns are found by name, so the full 38-column layout and the
// narrower selections the portal lets users download both load.
//
// KMA conventions this importer applies (measured on the bundled ASOS 108 files):
// - 일시 is Korea Standard Time (UTC+9); stored as the UTC instant.
// - 강수량(mm) is EMPTY in hours without rain (7,810 of 8,759 hours of 2021; 1,761 of those carry
//   QC flag 9): KMA writes a value only when precipitation was measured, so empty means 0 mm.
//   The same holds for 적설(cm) (snow depth, written only while snow lies): empty means 0 cm.
// - 일사(MJ/m2) is empty at night and when missing, with the same QC flag, so empty stays NULL
//   (unknown) rather than guessing which empty hours were dark.
// - 시정 is in units of 10 m (2000 = 20 km): stored in metres.
// - Station: 'ASOS-<지점>' (e.g. ASOS-108, Seoul).
import { SEOUL_SYSTEM } from '../ids.ts';
import type { Rejects } from './rejects.ts';
import { kstHourToUtc, mapColumns, parseCsvTable, parseDecimal, type CsvRecord } from './csv-records.ts';
import { readText } from './file-input.ts';
import type { Importer } from './importer.ts';
import { writeWeatherRows, type WeatherRow } from './weather-rows.ts';

const notQc = (n: string) => !n.includes('qc');

const KMA_COLUMNS = {
  station: { label: '지점', required: true, match: (n: string) => n === '지점' },
  time: { label: '일시', required: true, match: (n: string) => n === '일시' },
  temperature: { label: '기온(°C)', required: true, match: (n: string) => n.startsWith('기온') && notQc(n) },
  precipitation: { label: '강수량(mm)', required: true, match: (n: string) => n.startsWith('강수량') && notQc(n) },
  wind: { label: '풍속(m/s)', required: false, match: (n: string) => n.startsWith('풍속') && notQc(n) },
  humidity: { label: '습도(%)', required: false, match: (n: string) => n.startsWith('습도') && notQc(n) },
  dewpoint: { label: '이슬점온도(°C)', required: false, match: (n: string) => n.startsWith('이슬점') && notQc(n) },
  visibility: { label: '시정(10m)', required: false, match: (n: string) => n.startsWith('시정') && notQc(n) },
  solar: { label: '일사(MJ/m2)', required: false, match: (n: string) => n.startsWith('일사') && notQc(n) },
  snow: { label: '적설(cm)', required: false, match: (n: string) => n.startsWith('적설') && notQc(n) },
};

const TIME = /^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$/;

/** Parse a KMA ASOS hourly CSV (decoded text). Rows that cannot be used are counted in `rejects`. */
export function parseKmaHourly(text: string, file: string, rejects: Rejects): WeatherRow[] {
  const { header, records } = parseCsvTable(text, file);
  const col = mapColumns(header, KMA_COLUMNS, file);
  const visibilityScale = col.visibility !== undefined && /10\s*m/i.test(header[col.visibility]!) ? 10 : 1;
  const out: WeatherRow[] = [];
  for (const rec of records) {
    const row = kmaRow(rec, col, visibilityScale, rejects);
    if (row) out.push(row);
  }
  return out;
}

function kmaRow(rec: CsvRecord, col: Record<keyof typeof KMA_COLUMNS, number | undefined>, visibilityScale: number, rejects: Rejects): WeatherRow | undefined {
  const v = (i: number | undefined) => (i === undefined ? undefined : rec.values[i]);
  const raw = rec.values.join(',');
  const station = v(col.station)!.trim();
  if (station === '') {
    rejects.add('missing station', { line: rec.line, field: '지점', raw });
    return undefined;
  }
  const m = TIME.exec(v(col.time)!.trim());
  const hour = m && m[5] === '00' && (m[6] ?? '00') === '00' ? kstHourToUtc(+m[1]!, +m[2]!, +m[3]!, +m[4]!) : undefined;
  if (!hour) {
    rejects.add('unparseable time', { line: rec.line, field: '일시', raw });
    return undefined;
  }
  const nums: Record<string, number | null> = {};
  for (const key of ['temperature', 'precipitation', 'wind', 'humidity', 'dewpoint', 'visibility', 'solar', 'snow'] as const) {
    const n = parseDecimal(v(col[key]));
    if (Number.isNaN(n)) {
      rejects.add(`unparseable ${KMA_COLUMNS[key].label}`, { line: rec.line, field: KMA_COLUMNS[key].label, raw });
      return undefined;
    }
    nums[key] = n;
  }
  return {
    line: rec.line,
    station: `ASOS-${station}`,
    hour,
    temperature_c: nums['temperature']!,
    // Empty = no rain / no snow lying (see the header comment); a column absent from the file stays unknown.
    precipitation_mm: nums['precipitation'] ?? 0,
    wind_ms: nums['wind']!,
    humidity_pct: nums['humidity']!,
    visibility_m: nums['visibility'] === null || nums['visibility'] === undefined ? null : nums['visibility'] * visibilityScale,
    dewpoint_c: nums['dewpoint']!,
    solar_mj: nums['solar']!,
    snow_cm: col.snow === undefined ? null : (nums['snow'] ?? 0),
    rain: (nums['precipitation'] ?? 0) > 0,
  };
}

export const importer: Importer = {
  kind: 'weather',
  description: 'Hourly weather (KMA ASOS CSV, CP949 or UTF-8)',
  defaultSystem: SEOUL_SYSTEM,
  async load(ctx) {
    const { text, encoding } = await readText(ctx.file.path);
    const rows = parseKmaHourly(text, ctx.file.path, ctx.rejects);
    ctx.progress.start(rows.length, `weather ${ctx.file.name}`);
    const imported = await writeWeatherRows(ctx, rows);
    ctx.progress.update(rows.length);
    ctx.progress.stop();
    return { imported, encoding };
  },
};
