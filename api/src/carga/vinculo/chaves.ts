/**
 * Blocking keys for record linkage (issue 11, item 4): phonetic codes suited to Portuguese names, in the spirit of
 * BuscaBR (Lucena; see /work/shared/reference/linkage-notes.md §2) but with our own, short rule list. They only decide
 * which pairs are compared; the scoring compares the names themselves with string similarity (`comparar.ts`).
 *
 * Rules of `chaveFonetica`, applied to one word in this order:
 *  1. upper case, accents removed (Ç → C, as every source that strips accents writes it), letters only, doubled
 *     letters single (ANNA → ANA, ROSSI → ROSI);
 *  2. digraphs and letters with one sound: PH → F, TH → T, SH/CH → X (CH before R/L → K, as in CHRISTIANE),
 *     LH → L, NH → N, SC/XC before E/I → S, QU before E/I → K, Q → K, GU before E/I → G, C before E/I → S, C → K,
 *     G before E/I → J, Y → I, W → V, Z → S, K stays K;
 *  3. H that is left (initial or silent) is dropped;
 *  4. N before a consonant or at the end → M (nasal: MILTON/MILTOM);
 *  5. vowels after the first letter are dropped (vowel typos and spellings: ELIANE/ELIANI, ISABEL/IZABEL);
 *  6. letters doubled by the rules above collapse.
 * So THIAGO/TIAGO, LUIZ/LUIS, MATHEUS/MATEUS, WAGNER/VAGNER, SOUZA/SOUSA, RAPHAEL/RAFAEL, ELIZABETH/ELISABETE,
 * YASMIN/IASMIM, GUILHERME/GILHERME, JÉSSICA/GESSICA, KATIA/CATIA get one code each.
 */
import { AGNOMES } from '../../pmcc/variantes-nome.js';
import type { RegistroCarga } from '../registro.js';

const VOGAIS = new Set(['A', 'E', 'I', 'O', 'U']);
const ehVogal = (c: string | undefined) => c !== undefined && VOGAIS.has(c);
const frontal = (c: string | undefined) => c === 'E' || c === 'I' || c === 'Y';

/**
 * Phonetic code of one word (empty string when the word has no letters). `manterVogais`: without rule 5 — a spelling
 * key, the same for two spellings of one name (LUIS/LUIZ, THIAGO/TIAGO, YASMIN/IASMIM) but not for names a vowel apart
 * (KAUA/KAUE, RAIANE/RAIANA), which may be two people's.
 */
export function chaveFonetica(palavra: string, manterVogais = false): string {
  const w = palavra.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toUpperCase().replace(/[^A-Z]/g, '').replace(/([A-Z])\1+/g, '$1');
  let s = '';
  for (let i = 0; i < w.length; i++) {
    const c = w[i];
    const p = w[i + 1];
    const pp = w[i + 2];
    switch (c) {
      case 'P':
        if (p === 'H') {
          s += 'F';
          i += 1;
        } else s += 'P';
        break;
      case 'T':
        s += 'T';
        if (p === 'H') i += 1;
        break;
      case 'S':
        if (p === 'H') {
          s += 'X';
          i += 1;
        } else if (p === 'C' && frontal(pp)) {
          s += 'S';
          i += 1;
        } else s += 'S';
        break;
      case 'X':
        if (p === 'C' && frontal(pp)) {
          s += 'S';
          i += 1;
        } else s += 'X';
        break;
      case 'C':
        if (p === 'H') {
          s += pp === 'R' || pp === 'L' ? 'K' : 'X';
          i += 1;
        } else if (frontal(p)) s += 'S';
        else s += 'K';
        break;
      case 'Q':
        s += 'K';
        if (p === 'U' && frontal(pp)) i += 1;
        break;
      case 'G':
        if (p === 'U' && frontal(pp)) {
          s += 'G';
          i += 1;
        } else s += frontal(p) ? 'J' : 'G';
        break;
      case 'L':
        s += 'L';
        if (p === 'H') i += 1;
        break;
      case 'N':
        if (p === 'H') {
          s += 'N';
          i += 1;
        } else s += p === undefined || (!ehVogal(p) && p !== 'Y' && p !== 'H') ? 'M' : 'N';
        break;
      case 'Y':
        s += 'I';
        break;
      case 'W':
        s += 'V';
        break;
      case 'Z':
        s += 'S';
        break;
      case 'H':
        break;
      default:
        s += c;
    }
  }
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (i > 0 && VOGAIS.has(c) && !manterVogais) continue;
    if (out.endsWith(c)) continue;
    out += c;
  }
  return out;
}

/**
 * Phonetic key of a name given as its comparison key (`chaveNome`: no accents, no particles): the codes of the first
 * and the last word, `"<first> <last>"` (`"<first>"` alone for a one-word name), or null. The last word is the last
 * surname: an agnome after two words or more (JOSE SILVA FILHO, whose rows some systems write JOSE SILVA) is passed
 * over; a father and his son so named are still told apart by their birth dates, which every key carries.
 */
export function chaveFoneticaNome(nomeChave: string | null): string | null {
  if (nomeChave === null) return null;
  const palavras = nomeChave.split(' ').filter((p) => p.length > 1 || nomeChave.indexOf(' ') < 0);
  if (palavras.length >= 3 && AGNOMES.has(palavras[palavras.length - 1])) palavras.pop();
  if (palavras.length === 0) return null;
  const primeira = chaveFonetica(palavras[0]);
  if (primeira === '') return null;
  if (palavras.length === 1) return primeira;
  const ultima = chaveFonetica(palavras[palavras.length - 1]);
  return ultima === '' ? primeira : `${primeira} ${ultima}`;
}

/**
 * The blocking keys the pipeline stores with every staged row (`bloco_nome`, `bloco_mae`): the phonetic key of the
 * person's name and of the mother's name. Further keys (birth date, mother's CPF, …) are computed in SQL from the
 * staged columns by the linkage phases.
 */
export function chavesDeBloqueio(r: RegistroCarga): { blocoNome: string | null; blocoMae: string | null } {
  return { blocoNome: chaveFoneticaNome(r.nomeChave), blocoMae: chaveFoneticaNome(r.nomeMaeChave) };
}
