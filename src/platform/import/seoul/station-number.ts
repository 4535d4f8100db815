// Seoul station numbers as the store keeps them: the number without padding or quotes.
// Sources write the same station differently: trip files of 2017+ as '00210', older ones as '210'
// or with stray quotes ('210'), the API's RENT_NO as '00210', station lists and usage files as
// '210', the 2021 usage file inside the name ('2301. 현대고등학교 건너편'). One canonical form makes
// joins between them work. The SQL twin in `stationNumberSql` must agree (tested together).

export type StationNumber =
  | { kind: 'ok'; id: string }
  | { kind: 'missing' }
  /** Text where a number belongs: maintenance centres ('중랑센터', '위트콤'), escaped names. */
  | { kind: 'not-numbered'; value: string };

export const REASON_MISSING_STATION = 'missing station';
export const REASON_NOT_NUMBERED = 'station is not a numbered station (centre or garbled name)';

export function normaliseStationNumber(raw: string | null | undefined): StationNumber {
  if (raw === null || raw === undefined) return { kind: 'missing' };
  const s = raw.replace(/['"]/g, '').trim();
  if (s === '' || s === '\\N') return { kind: 'missing' };
  if (/^[0-9]+$/.test(s)) {
    const id = s.replace(/^0+/, '');
    return id === '' ? { kind: 'missing' } : { kind: 'ok', id };
  }
  return { kind: 'not-numbered', value: s };
}

/**
 * The same rule in DuckDB SQL over a VARCHAR expression. Returns a struct-free pair of expressions:
 * `id` (NULL unless ok) and `status` ('ok' | 'missing' | 'not-numbered').
 */
export function stationNumberSql(expr: string): { id: string; status: string } {
  const cleaned = `trim(replace(replace(${expr}, '''', ''), '"', ''))`;
  const digits = `regexp_full_match(${cleaned}, '[0-9]+')`;
  const stripped = `ltrim(${cleaned}, '0')`;
  return {
    id: `CASE WHEN ${digits} AND ${stripped} <> '' THEN ${stripped} END`,
    status: `CASE WHEN ${expr} IS NULL OR ${cleaned} IN ('', '\\N') THEN 'missing' WHEN ${digits} THEN (CASE WHEN ${stripped} = '' THEN 'missing' ELSE 'ok' END) ELSE 'not-numbered' END`,
  };
}
