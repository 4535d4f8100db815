// The 28 sex x age bands of Seoul's living-population files (생활인구), in the published column
// order, with the column name used in the store. One list, used by the importer, the store and the
// forecast, so a band can never be dropped or reordered in one place only.
export interface Band {
  /** Column in `population_hourly`, e.g. 'm20_24', 'f70p'. */
  key: string;
  sex: 'm' | 'f';
  /** Lower age bound; upper bound inclusive, undefined for the open band (70+). */
  ageFrom: number;
  ageTo: number | undefined;
  /** The published header, e.g. '남자20세부터24세생활인구수'. */
  header: string;
}

const AGE_BANDS: ReadonlyArray<[number, number | undefined]> = [
  [0, 9], [10, 14], [15, 19], [20, 24], [25, 29], [30, 34], [35, 39], [40, 44], [45, 49], [50, 54], [55, 59], [60, 64], [65, 69], [70, undefined],
];

function makeBand(sex: 'm' | 'f', [from, to]: [number, number | undefined]): Band {
  const word = sex === 'm' ? '남자' : '여자';
  const key = `${sex}${String(from).padStart(2, '0')}${to === undefined ? 'p' : `_${String(to).padStart(2, '0')}`}`;
  const header = to === undefined ? `${word}${from}세이상생활인구수` : `${word}${from}세부터${to}세생활인구수`;
  return { key, sex, ageFrom: from, ageTo: to, header };
}

export const BANDS: readonly Band[] = [...AGE_BANDS.map((a) => makeBand('m', a)), ...AGE_BANDS.map((a) => makeBand('f', a))];
export const BAND_KEYS: readonly string[] = BANDS.map((b) => b.key);
export const N_BANDS = BANDS.length; // 28
