/**
 * Drift between two normalised documents, named by path: `clients[sf-fazenda].redirectUris`,
 * `userProfile.attributes[cpf].permissions.edit`, `failureFactor`. microdiff does the walk on the keyed view
 * (normalizar.paraVisao); changes inside a string array are reported once, on the array.
 */
import diff from 'microdiff';
import { ehSegredo } from './ambiente.js';
import { chaveEstavel, expandir, isObj, paraVisao, type Json, type Obj } from './normalizar.js';

export interface Deriva {
  /** Readable path, e.g. `clients[sf-fazenda].redirectUris`. */
  caminho: string;
  tipo: 'alterado' | 'só no servidor' | 'só no git';
  git?: Json;
  servidor?: Json;
}

/**
 * Readable label of a view path: walks the expanded (unkeyed) document alongside, so a segment that picks an item
 * of a keyed array prints as `[key]` and an object property as `.name`.
 */
function rotulo(caminho: readonly (string | number)[], docs: readonly Obj[]): string {
  let out = '';
  const cursores: (Json | undefined)[] = [...docs];
  const trilha: string[] = [];
  for (const seg of caminho) {
    const s = String(seg);
    const lista = cursores.find((c): c is Json[] => Array.isArray(c));
    if (lista !== undefined && typeof seg !== 'number') {
      out += `[${s}]`;
      for (let i = 0; i < cursores.length; i++) {
        const c = cursores[i];
        cursores[i] = Array.isArray(c) ? c.find((x) => chaveEstavel(trilha, x) === s) : undefined;
      }
    } else {
      out += typeof seg === 'number' ? `[${s}]` : out ? `.${s}` : s;
      for (let i = 0; i < cursores.length; i++) {
        const c = cursores[i];
        cursores[i] = isObj(c) ? c[s] : Array.isArray(c) ? c[Number(s)] : undefined;
      }
      trilha.push(s);
    }
  }
  return out;
}

/** Every difference between `git` and `servidor` (both normalised, same placeholders state). */
export function derivas(git: Obj, servidor: Obj): Deriva[] {
  const vg = paraVisao(git);
  const vs = paraVisao(servidor);
  const vistos = new Set<string>();
  const out: Deriva[] = [];
  for (const d of diff(vg, vs)) {
    // collapse changes inside an array of scalars onto the array itself
    let caminho = d.path;
    const idx = caminho.findIndex((p) => typeof p === 'number');
    if (idx >= 0) caminho = caminho.slice(0, idx);
    const nome = rotulo(caminho, [expandir(git), expandir(servidor)]);
    if (vistos.has(nome)) continue;
    vistos.add(nome);
    const pegar = (v: Obj): Json | undefined => {
      let c: Json | undefined = v;
      for (const p of caminho) c = isObj(c) ? c[String(p)] : Array.isArray(c) ? c[Number(p)] : undefined;
      return c;
    };
    const g = pegar(vg);
    const s = pegar(vs);
    const tipo = g === undefined ? 'só no servidor' : s === undefined ? 'só no git' : 'alterado';
    const segredo = ehSegredo(caminho.map(String));
    out.push({ caminho: nome, tipo, ...(g !== undefined ? { git: segredo ? '(segredo)' : g } : {}), ...(s !== undefined ? { servidor: segredo ? '(segredo)' : s } : {}) });
  }
  return out.sort((a, b) => (a.caminho < b.caminho ? -1 : 1));
}

const curto = (v: Json | undefined): string => {
  if (v === undefined) return '—';
  const t = JSON.stringify(v);
  return t.length > 160 ? `${t.slice(0, 157)}…` : t;
};

export function formatarDerivas(ds: readonly Deriva[]): string {
  return ds
    .map((d) => (d.tipo === 'alterado' ? `  ~ ${d.caminho}: git ${curto(d.git)} → servidor ${curto(d.servidor)}` : d.tipo === 'só no git' ? `  - ${d.caminho} (só no git): ${curto(d.git)}` : `  + ${d.caminho} (só no servidor): ${curto(d.servidor)}`))
    .join('\n');
}
