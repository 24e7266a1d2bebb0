/**
 * Step 2 — decidir-pmcc. For every field whose value would change: which operation it is (insert, modify, delete),
 * and the PMCC decision for this actor given the current value's provenance.
 */
import { decidir, fonteDoAtor, type Ator, type Decisao } from '../pmcc/decidir.js';
import { politicaDe, type Operacao } from '../pmcc/politicas.js';
import { relacaoNomes } from '../pmcc/variantes-nome.js';
import type { Cadastro } from './cadastros.js';
import type { MudancaCampo } from './tipos.js';

export interface Vigente {
  fonte: string;
  observadoEm: string;
}

const ehEscalar = (v: unknown) => v === null || v === undefined || typeof v === 'string' || typeof v === 'boolean';

/** JSON equality that ignores key order. */
function mesmoValor(a: unknown, b: unknown): boolean {
  // Strings, booleans and null (undefined counts as null) compare as their JSON does, without serialising them
  // (the batch load compares millions of values).
  if (ehEscalar(a) && ehEscalar(b)) return (a ?? null) === (b ?? null);
  return canonico(a) === canonico(b);
}
function canonico(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonico).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonico((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

/** Name fields whose variants (accents, abbreviations, dropped middle names) a batch load does not take for conflicts. */
const CAMPOS_NOME = new Set(['nome', 'nomeSocial', 'nomeMae', 'nomePai']);
/** The decisions a name variant overrides: the source's precedence or age, not whether it may write at all. */
const CODIGOS_DE_PRECEDENCIA = new Set<Decisao['codigo']>(['PRECEDENCIA_INFERIOR', 'VALOR_MAIS_ANTIGO', 'SOBRESCRITA_DE_CAMPO_CRITICO']);

const vazio = (v: unknown) => v === null || v === undefined || (Array.isArray(v) && v.length === 0);

export function decidirMudancas(args: {
  cad: Cadastro;
  /** Current record as JSON (null when creating). */
  atual: Record<string, unknown> | null;
  campos: Record<string, unknown>;
  ator: Ator;
  temEvidencia: boolean;
  observadoEm: string;
  vigentes: ReadonlyMap<string, Vigente>;
}): MudancaCampo[] {
  const { cad, atual, campos } = args;
  const mudancas: MudancaCampo[] = [];
  for (const campo of cad.campos) {
    if (!(campo in campos)) continue;
    const para = campos[campo];
    const de = atual ? (atual[campo] ?? null) : null;
    if (atual === null && vazio(para)) continue;
    if (mesmoValor(de, para)) continue;
    const operacao: Operacao = vazio(de) ? 'insercao' : vazio(para) ? 'exclusao' : 'modificacao';
    const politica = politicaDe(cad.entidade, cad.campoPmcc(campo));
    if (!politica) throw new Error(`campo sem política PMCC: ${cad.entidade}.${campo}`);
    const vigente = args.vigentes.get(campo) ?? (atual ? { fonte: 'legado', observadoEm: '1970-01-01T00:00:00.000Z' } : null);
    let decisao = decidir({ politica, operacao, ator: args.ator, temEvidencia: args.temEvidencia, observadoEm: args.observadoEm, vigente });
    // Batch loads: a name written differently (accents, an abbreviated or dropped middle name) is not a conflict. The
    // fuller form stays or becomes current whatever the sources' precedence; the shorter one is kept as an alternative.
    if (args.ator.tipo === 'carga' && operacao === 'modificacao' && CAMPOS_NOME.has(campo) && typeof de === 'string' && typeof para === 'string' && CODIGOS_DE_PRECEDENCIA.has(decisao.codigo)) {
      const relacao = relacaoNomes(de, para);
      if (relacao === 'equivalente') continue;
      if (relacao === 'mais-completo' || relacao === 'menos-completo') decisao = decisaoDeVariante(campo, relacao === 'mais-completo', fonteDoAtor(args.ator), vigente?.fonte ?? 'legado');
    }
    mudancas.push({ campo, operacao, de, para: para ?? null, decisao });
  }
  return mudancas;
}

/** The decision for a name variant of the current value (see `relacaoNomes`): never a review item. */
function decisaoDeVariante(campo: string, maisCompleto: boolean, fonte: string, fonteVigente: string): Decisao {
  const regra = `${campo}.modificacao.carga=variante-de-nome`;
  return maisCompleto
    ? { resultado: 'aceitar', codigo: 'VARIANTE_DE_NOME', mensagem: `O valor de ${campo} de ${fonte} é a forma mais completa do mesmo nome (de ${fonteVigente}) e o substituiu`, aplicar: true, guardarAlternativa: false, abrirRevisao: false, regra }
    : { resultado: 'rejeitar', codigo: 'VARIANTE_DE_NOME', mensagem: `O valor de ${campo} de ${fonte} é uma forma abreviada ou sem acentos do vigente (de ${fonteVigente}); guardado como alternativo, sem revisão`, aplicar: false, guardarAlternativa: true, abrirRevisao: false, regra };
}
