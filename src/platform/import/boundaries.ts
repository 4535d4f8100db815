// `boundaries`: district (자치구) and dong (행정동) polygons from GeoJSON, into `boundaries`.
// The level is told by each feature's properties, so one file may hold either or both:
//   district: SIG_CD (5-digit 시군구 code), SIG_KOR_NM             (southkorea/seoul-maps layout)
//   dong:     adm_cd2 (10-digit 행정동 code; [:8] is the 생활인구 code), adm_cd (7-digit), adm_nm
//             ('서울특별시 종로구 사직동'), optional sgg              (vuski/admdongkor layout)
// A dong's parent district is adm_cd2[:5] (or `sgg`); failing both, the district named in adm_nm
// looked up among the districts already stored. The geometry is kept as GeoJSON text, checked to
// be a (Multi)Polygon of longitude/latitude positions; anything else is an ImportError naming the
// file and the feature (`features[12].geometry.coordinates`), since a bad shape would mislead every map.
import { SEOUL_SYSTEM } from '../ids.ts';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import type { Store } from '../store/connection.ts';
import { upsertRows } from '../store/upsert.ts';
import { ImportError } from './errors.ts';
import { readText } from './file-input.ts';
import type { Importer } from './importer.ts';

export interface BoundaryRow {
  level: 'district' | 'dong';
  code: string;
  name: string | null;
  parent_code: string | null;
  /** District name from adm_nm, to find the parent when no code gives it. */
  parent_name: string | null;
  geometry: string;
  index: number;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const isObject = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: Json | undefined): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : null);

/** Parse and check a GeoJSON FeatureCollection of boundaries (pure: no store). */
export function parseBoundaries(text: string, file: string): BoundaryRow[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    // JSON.parse on Node 20 does not say where; jsonc-parser's scanner gives the offset.
    const errors: ParseError[] = [];
    parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false });
    const line = errors[0] ? text.slice(0, errors[0].offset).split('\n').length : undefined;
    throw new ImportError(file, `not valid JSON: ${(err as Error).message.split('\n')[0]}`, line !== undefined ? { line } : {});
  }
  if (!isObject(doc) || doc['type'] !== 'FeatureCollection') throw new ImportError(file, 'not a GeoJSON FeatureCollection', { field: 'type' });
  const crs = doc['crs'];
  if (isObject(crs) && isObject(crs['properties'])) {
    const name = String(crs['properties']['name'] ?? '');
    if (!/CRS84|EPSG:+4326/i.test(name)) throw new ImportError(file, `coordinates must be longitude/latitude (WGS 84), not ${name}`, { field: 'crs' });
  }
  const features = doc['features'];
  if (!Array.isArray(features)) throw new ImportError(file, 'a FeatureCollection needs a features array', { field: 'features' });
  return features.map((f, i) => parseFeature(f, i, file));
}

function parseFeature(f: Json, i: number, file: string): BoundaryRow {
  const at = (field: string) => ({ field: `features[${i}]${field}` });
  if (!isObject(f) || f['type'] !== 'Feature') throw new ImportError(file, 'not a GeoJSON Feature', at('.type'));
  const p = f['properties'];
  if (!isObject(p)) throw new ImportError(file, 'a feature needs properties', at('.properties'));
  const geometry = f['geometry'];
  checkGeometry(geometry, file, i);
  const geo = JSON.stringify(geometry);
  if ('SIG_CD' in p) {
    const code = str(p['SIG_CD']);
    if (!code) throw new ImportError(file, 'empty district code', at('.properties.SIG_CD'));
    return { level: 'district', code, name: str(p['SIG_KOR_NM']) ?? str(p['SIG_ENG_NM']), parent_code: null, parent_name: null, geometry: geo, index: i };
  }
  if ('adm_cd2' in p || 'adm_cd' in p) {
    const code = str(p['adm_cd2']) ?? str(p['adm_cd']);
    if (!code) throw new ImportError(file, 'empty dong code', at('.properties.adm_cd2'));
    const fullName = str(p['adm_nm']);
    const parts = fullName?.split(/\s+/) ?? [];
    const cd2 = str(p['adm_cd2']);
    const parent = cd2 && /^\d{10}$/.test(cd2) ? cd2.slice(0, 5) : str(p['sgg']);
    return {
      level: 'dong',
      code,
      // The dong's own name ('사직동'); the district is in parent_code.
      name: parts.length > 0 ? parts[parts.length - 1]! : null,
      parent_code: parent,
      parent_name: parts.length >= 3 ? parts[parts.length - 2]! : null,
      geometry: geo,
      index: i,
    };
  }
  throw new ImportError(file, `cannot tell the level: no SIG_CD (district) nor adm_cd2/adm_cd (dong) among ${Object.keys(p).join(', ') || 'no properties'}`, at('.properties'));
}

function checkGeometry(g: Json | undefined, file: string, i: number): void {
  const at = (field: string) => ({ field: `features[${i}].geometry${field}` });
  if (!isObject(g)) throw new ImportError(file, 'a boundary needs a geometry', at(''));
  const depth = g['type'] === 'Polygon' ? 3 : g['type'] === 'MultiPolygon' ? 4 : undefined;
  if (depth === undefined) throw new ImportError(file, `a boundary must be a Polygon or MultiPolygon, not ${String(g['type'])}`, at('.type'));
  const bad = findBadPosition(g['coordinates'], depth);
  if (bad) throw new ImportError(file, `bad coordinates: ${bad}`, at('.coordinates'));
}

/** Walk nested arrays down to positions; returns what is wrong, or undefined. */
function findBadPosition(c: Json | undefined, depth: number, path = ''): string | undefined {
  if (!Array.isArray(c)) return `expected an array at coordinates${path}`;
  if (depth === 1) {
    const [lon, lat] = c;
    if (c.length < 2 || typeof lon !== 'number' || typeof lat !== 'number' || !Number.isFinite(lon) || !Number.isFinite(lat)) return `position coordinates${path} is not [lon, lat]`;
    if (Math.abs(lon) > 180 || Math.abs(lat) > 90) return `position coordinates${path} = [${lon}, ${lat}] is not longitude/latitude`;
    return undefined;
  }
  if (depth === 2 && c.length < 4) return `ring coordinates${path} has ${c.length} positions (a closed ring needs 4)`;
  if (c.length === 0) return `empty array at coordinates${path}`;
  for (let k = 0; k < c.length; k++) {
    const bad = findBadPosition(c[k], depth - 1, `${path}[${k}]`);
    if (bad) return bad;
  }
  return undefined;
}

/** Fill parents known only by district name, from the districts stored for the system. */
async function resolveParentsByName(store: Store, systemId: string, rows: BoundaryRow[]): Promise<void> {
  const need = rows.filter((r) => r.level === 'dong' && r.parent_code === null && r.parent_name !== null);
  if (need.length === 0) return;
  const districts = await store.all<{ code: string; name: string }>(`SELECT code, name FROM boundaries WHERE system_id = $1 AND level = 'district'`, [systemId]);
  const inFile = rows.filter((r) => r.level === 'district').map((r) => ({ code: r.code, name: r.name ?? '' }));
  const byName = new Map([...districts, ...inFile].map((d) => [d.name, d.code]));
  for (const r of need) r.parent_code = byName.get(r.parent_name!) ?? null;
}

export const importer: Importer = {
  kind: 'boundaries',
  description: 'District / dong boundaries GeoJSON (SIG_CD / adm_cd2 properties)',
  defaultSystem: SEOUL_SYSTEM,
  async load(ctx) {
    const { text, encoding } = await readText(ctx.file.path);
    const rows = parseBoundaries(text, ctx.file.path);
    const seen = new Map<string, number>();
    const unique: BoundaryRow[] = [];
    for (const r of rows) {
      const key = `${r.level}\u0000${r.code}`;
      if (seen.has(key)) {
        ctx.rejects.add('duplicate code in file', { field: `features[${r.index}].properties`, raw: `${r.level} ${r.code}` });
        unique[seen.get(key)!] = r; // the later feature wins, as in every other upsert
        continue;
      }
      seen.set(key, unique.length);
      unique.push(r);
    }
    await resolveParentsByName(ctx.store, ctx.systemId, unique);
    await upsertRows(
      ctx.store,
      'boundaries',
      ['system_id', 'level', 'code', 'name', 'parent_code', 'geometry', 'import_id'],
      ['system_id', 'level', 'code'],
      unique.map((r) => [ctx.systemId, r.level, r.code, r.name, r.parent_code, r.geometry, ctx.importId]),
    );
    return { imported: unique.length, encoding };
  },
};
