/**
 * Scores a query row against its candidates and decides (pure, given the model): the evidence for each candidate
 * identity, the thresholds, and the guards against the known traps.
 *
 * The mother's name, the mother's CPF and the father's name are not independent (they name one family): of their
 * agreements only the strongest counts.
 *
 * A candidate identity is compared through all its rows: per field, the best level any of its rows reaches (a value
 * missing on every row is `ausente`); the match weight is the sum of those fields' weights. So a mother's name recorded
 * in only one of the identity's rows still counts, and a field that disagrees with every row counts against.
 *
 * Thresholds come from the prior: a query row is one of roughly N persons of the base, so the prior odds that it is a
 * given candidate are 1/N, and the posterior log-odds are weight − log2 N. A link needs posterior odds of at least
 * 2^BITS_VINCULO (about 1,000 : 1); the grey band (review) starts at even odds. A larger base therefore asks for more evidence, as it
 * holds more people who share a name and a birth date. While the base holds too few CPF-labelled pairs to estimate m
 * (the first load of an empty base), the weights rest on a prior and both thresholds ask for BITS_SEM_ROTULOS more.
 *
 * Guards (from the traps the issue names):
 * - twins and siblings: a first name that differs from every row of the identity, a different sex or a birth date
 *   that is not a plausible variant (not equal, swapped or one component off) never links (review at most); nor does
 *   a mother's name that differs from every row of the identity that records one (without the mother's CPF agreeing):
 *   the mother's name is what tells apart two people with one name and birth date; nor does
 *   a row whose every comparison with the identity's rows of the same mother and birthday shows a sibling's name
 *   (`nomesDeIrmaos`: another given name, even a second one — MARIA ALICE / MARIA — or one a letter away — MARIA /
 *   MARTA, KAUA / KAUE — unless the row's own CPF digits agree with that row's: twins' CPFs are unrelated): twins share everything
 *   else, so this guard holds whatever the score, on every path that assigns a row by its attributes (a link, the
 *   clustering of new rows, a pendente's adoption by a CPF); nor, once one row of the identity has that mother and
 *   birthday, a row lacking a given name a row of the identity born that day has (MARIA / MARIA ALINE: the identity
 *   holding a row where ALINE was dropped does not make MARIA her; an initial right after the first name counts as a
 *   given name: MARIA V / MARIA); nor does a row of the source of one of the identity's
 *   rows of the same mother and birthday (a source holds twins as two rows, and a twin's row whose middle name was
 *   dropped reads as the other's: LUCAS [JOSE] COSTA FERNANDES / LUCAS COSTA FERNANDES);
 * - homonyms: when a second identity also scores in the grey band or above, and the best does not beat it by
 *   MARGEM_BITS, the row goes to review instead of picking one of two people with the same name and birth date;
 * - stewards' decisions: identities a steward separated the row from are never candidates.
 */
import { AUSENTE, CAMPOS, comparar, NIVEIS, nomesDeIrmaos, prenomesSemPar, sobrenomesDosDois, type Campo, type Contexto, type LinhaComparavel, type Vetor } from './comparar.js';
import { INDICE_CAMPO, pesoCampo, pesoGenitor, type Modelo } from './modelo.js';

/** Posterior log2-odds a link needs. */
const BITS_VINCULO = Number(process.env['LUM_VINCULO_BITS'] ?? 10);
/**
 * Posterior log2-odds a link needs when nothing but the name and the birth date (with sex and municipality) agrees —
 * no parent, contact or CPF digits (`corroborada`): people sharing a name and a birthday are far commoner than the
 * independence of the fields assumes (common names), so such a link needs overwhelming odds (≈ 130,000 : 1).
 */
const BITS_SO_NOME = 17;
/** Posterior log2-odds from which a non-link goes to review (even odds). */
const BITS_REVISAO = 0;
/** How much the best identity must beat a second identity that is itself plausible. */
const MARGEM_BITS = 10;

export interface Limiares {
  readonly vinculo: number;
  /** What a link resting on the name and the birth date alone needs (`corroborada` false). */
  readonly vinculoSoNome: number;
  readonly revisao: number;
  readonly margem: number;
}

/** Extra evidence a link needs while m is the prior (`M_PADRAO`), not estimated from the base. */
const BITS_SEM_ROTULOS = 10;

/** Thresholds for a base of about `pessoas` persons, with m estimated from the data (`rotulado`) or not. */
export function limiares(pessoas: number, rotulado: boolean): Limiares {
  const prior = Math.log2(Math.max(pessoas, 2));
  const extra = rotulado ? 0 : BITS_SEM_ROTULOS;
  return { vinculo: prior + BITS_VINCULO + extra, vinculoSoNome: prior + BITS_SO_NOME + extra, revisao: prior + BITS_REVISAO + extra, margem: MARGEM_BITS };
}

/**
 * Why a link is forbidden: a first name, a sex, a birth date or a mother's name that no row of the identity shares, or `gemeos` — the
 * same mother and birthday with a name that is not the same (twins share everything but the given names).
 */
type Impedimento = 'prenome' | 'sexo' | 'nascimento' | 'mae' | 'gemeos';

export interface Avaliacao {
  readonly pontuacao: number;
  readonly niveis: Uint8Array;
  readonly pesos: Float64Array;
  /** A guard that forbids the link, or null. */
  readonly impedimento: Impedimento | null;
  /**
   * With `impedimento = 'gemeos'`: the query row reads as the twin's name with a given name dropped — a row of the
   * identity born that day has the row's given name and every word of its name, plus a given name the row lacks
   * (MARIA ANA SILVA COSTA, the row MARIA SILVA COSTA). Such a row may be that twin's as well as the other twin's.
   */
  readonly gemeoSemPrenome?: boolean;
}

const I_PRENOME = INDICE_CAMPO.prenome;
const I_SEXO = INDICE_CAMPO.sexo;
const I_NASC = INDICE_CAMPO.nascimento;
const I_MAE = INDICE_CAMPO.mae;
const I_CPF_MAE = INDICE_CAMPO.cpfMae;
const I_MUN = INDICE_CAMPO.municipio;
const I_PAI = INDICE_CAMPO.pai;
const FAMILIA = new Set([INDICE_CAMPO.mae, INDICE_CAMPO.pai, INDICE_CAMPO.cpfMae]);
const I_FONTE = INDICE_CAMPO.fonte;
const nivel = <C extends Campo>(c: C, n: (typeof NIVEIS)[C][number]) => (NIVEIS[c] as readonly string[]).indexOf(n);
const DIFERENTE_PRENOME = nivel('prenome', 'diferente');
const DIFERENTE_SEXO = nivel('sexo', 'diferente');
const DIFERENTE_NASC = nivel('nascimento', 'diferente');
const DIFERENTE_MAE = nivel('mae', 'diferente');
/** Levels of the family and contact fields that corroborate an identity beyond its name and birth date. */
const CORROBORAM: readonly (readonly [number, ReadonlySet<number>])[] = [
  [INDICE_CAMPO.mae, new Set([nivel('mae', 'igual'), nivel('mae', 'quase'), nivel('mae', 'parcial')])],
  [INDICE_CAMPO.pai, new Set([nivel('pai', 'igual'), nivel('pai', 'quase')])],
  [INDICE_CAMPO.cpfMae, new Set([nivel('cpfMae', 'igual')])],
  [INDICE_CAMPO.telefone, new Set([nivel('telefone', 'igual')])],
  [INDICE_CAMPO.email, new Set([nivel('email', 'igual')])],
  [INDICE_CAMPO.cpf, new Set([nivel('cpf', 'quase')])],
];

/**
 * Whether an evaluation rests on more than a name and a birth date: a parent's name, the mother's CPF, a phone, an
 * e-mail or the CPF's digits agree. Two people with one name and one birth date (homonyms) agree on everything else
 * a register without those fields holds, so a decision that later loads cannot undo asks for it (adoption).
 */
export function corroborada(av: Avaliacao): boolean {
  return parCorrobora(av.niveis);
}

/**
 * The same test on one pair's levels (`comparar`). An identity's evaluation takes each field's level from one of its
 * rows, so it is corroborated only if the query row and one of the identity's rows corroborate each other.
 */
export function parCorrobora(niveis: Vetor): boolean {
  return CORROBORAM.some(([i, ns]) => ns.has(niveis[i]));
}
/** Levels that say "the same mother" and "the same birthday". */
const MESMA_MAE = new Set([nivel('mae', 'igual'), nivel('mae', 'quase')]);
const MESMO_CPF_MAE = nivel('cpfMae', 'igual');
const MESMO_NASCIMENTO = new Set([nivel('nascimento', 'igual'), nivel('nascimento', 'trocado')]);
/** Given-name levels a typo gives: between twins' rows, only the row's own CPF digits tell a typo from a twin's name. */
const PRENOME_TYPO = new Set([nivel('prenome', 'fonetico'), nivel('prenome', 'parecido')]);
/** The same given name: as written, or another spelling of the same sounds (LUIS/LUIZ). */
const MESMO_PRENOME = new Set([nivel('prenome', 'igual'), nivel('prenome', 'fonetico')]);
const CPF_QUASE = nivel('cpf', 'quase');
const I_CPF = INDICE_CAMPO.cpf;

/** Accumulates the best level per field over an identity's rows. */
export class Acumulador {
  readonly niveis = new Uint8Array(CAMPOS.length);
  readonly pesos = new Float64Array(CAMPOS.length);
  private readonly visto = new Uint8Array(CAMPOS.length);
  /**
   * The identity's rows born the query row's birthday, each with its given-name and CPF levels: what the twins guard
   * reads, once a row has the query row's mother too (`avaliar`). Judging their names costs more than the rest of a
   * comparison, and most candidates found by a name and a birth date have another mother, so it waits until then.
   */
  private readonly mesmoDia: { readonly c: LinhaComparavel; readonly nome: readonly string[]; readonly prenome: number; readonly cpf: number }[] = [];
  private q: { readonly linha: LinhaComparavel; readonly nome: readonly string[]; readonly ctx: Contexto } | null = null;
  /** A row of the identity has the query row's mother and birthday. */
  private mesmaMae = false;
  /** A row of the identity with the query row's mother and birthday comes from the query row's source. */
  private familiaNaFonte = false;
  /** A row of the identity has the query row's CPF digits (a typo of its CPF): the same person, no twin. */
  private cpfConfere = false;
  /** Set by `gemeos`: see `Avaliacao.gemeoSemPrenome`. */
  private semPrenome = false;

  constructor() {
    CAMPOS.forEach((c, i) => {
      this.niveis[i] = AUSENTE[c] < 0 ? 0 : AUSENTE[c];
    });
  }

  /** Compares query row q with one row c of the identity. */
  somar(mod: Modelo, ctx: Contexto, q: LinhaComparavel, c: LinhaComparavel): void {
    const v = comparar(q, c, ctx);
    if (v[I_CPF] === CPF_QUASE) this.cpfConfere = true;
    // The identity's rows describe one person: once one of them has the query row's mother and birthday, all its rows
    // born that day say which given names she has, even those recording no mother (MARIA ALINE), and a query row
    // lacking one of them may be her twin's (MARIA) — though another row of hers dropped it.
    if (MESMO_NASCIMENTO.has(v[I_NASC]) && q.nome !== null && c.nome !== null) {
      if (MESMA_MAE.has(v[I_MAE]) || v[I_CPF_MAE] === MESMO_CPF_MAE) {
        this.mesmaMae = true;
        // One source holding two rows of one mother and birthday holds twins as often as a duplicate (a maternity or
        // a school registers both children), even when one row's name reads as the other's; only the CPF digits tell.
        if (q.fonte === c.fonte && v[I_CPF] !== CPF_QUASE) this.familiaNaFonte = true;
      }
      this.mesmoDia.push({ c, nome: c.nome, prenome: v[I_PRENOME], cpf: v[I_CPF] });
      this.q ??= { linha: q, nome: q.nome, ctx };
    }
    for (let i = 0; i < CAMPOS.length; i++) {
      const campo = CAMPOS[i];
      if (v[i] === AUSENTE[campo]) continue;
      let p: number;
      if ((i === I_MAE || i === I_PAI) && v[i] === 0) {
        // A parent's name agreeing weighs by how common it is, without the surnames the child carries (as compared).
        p = pesoGenitor(mod, i === I_MAE ? 'mae' : 'pai', (i === I_MAE ? q.mae : q.pai) ?? [], sobrenomesDosDois(q, c));
      } else {
        const valor = i === I_PRENOME ? (q.nome?.[0] ?? null) : i === I_MUN ? q.municipio : null;
        p = pesoCampo(mod, campo, v[i], valor);
      }
      // Source: the identity already having a row from the query row's source is what counts (a source rarely
      // holds one person twice), so the worst level wins; every other field takes its best level.
      const melhor = i === I_FONTE ? p < this.pesos[i] : p > this.pesos[i];
      if (!this.visto[i] || melhor) {
        this.pesos[i] = p;
        this.niveis[i] = v[i];
        this.visto[i] = 1;
      }
    }
  }

  /**
   * The twins guard, once a row of the identity has the query row's mother and birthday (see the module comment): every
   * row born that day has a sibling's name, or one of them has a given name the query row lacks and no row has the
   * query row's CPF digits.
   */
  private gemeos(): boolean {
    let irmaos = 0;
    let prenomeQueFalta = false;
    if (this.q === null) return false;
    const { linha: q, nome, ctx } = this.q;
    for (const { c, nome: nomeC, prenome, cpf } of this.mesmoDia) {
      // The parents' surnames, which a child carries: their words from the third on (the second is often a second
      // given name — PAULO JOSE MIRANDA FERNANDES — which a child is often given too: LUCAS JOSE is not LUCAS).
      const pais = new Set([...(q.mae ?? []).slice(2), ...(q.pai ?? []).slice(2), ...(c.mae ?? []).slice(2), ...(c.pai ?? []).slice(2)]);
      // A given name a typo away may be a twin's; the row's own CPF digits agreeing say it is a typo.
      const semPar = prenomesSemPar(nome, nomeC, pais, ctx);
      if (nomesDeIrmaos(nome, nomeC, pais, ctx, semPar) && !(PRENOME_TYPO.has(prenome) && cpf === CPF_QUASE)) irmaos += 1;
      if (semPar[1]) prenomeQueFalta = true;
      if (semPar[1] && !semPar[0] && MESMO_PRENOME.has(prenome)) this.semPrenome = true;
    }
    return irmaos === this.mesmoDia.length || (prenomeQueFalta && !this.cpfConfere);
  }

  avaliar(): Avaliacao {
    // The mother's name, the mother's CPF and the father's name all say "the same family": only the strongest
    // agreement counts (siblings and twins share all three), every disagreement counts.
    let s = 0;
    let familia = 0;
    for (let i = 0; i < CAMPOS.length; i++) {
      const p = this.pesos[i];
      if (FAMILIA.has(i) && p > 0) familia = Math.max(familia, p);
      else s += p;
    }
    s += familia;
    const n = this.niveis;
    const impedimento: Impedimento | null =
      this.visto[I_PRENOME] && n[I_PRENOME] === DIFERENTE_PRENOME ? 'prenome'
        : this.visto[I_SEXO] && n[I_SEXO] === DIFERENTE_SEXO ? 'sexo'
          : this.visto[I_NASC] && n[I_NASC] === DIFERENTE_NASC ? 'nascimento'
            : this.visto[I_MAE] && n[I_MAE] === DIFERENTE_MAE && n[I_CPF_MAE] !== MESMO_CPF_MAE ? 'mae'
            : this.familiaNaFonte || (this.mesmaMae && this.gemeos()) ? 'gemeos' : null;
    return impedimento === 'gemeos' && this.semPrenome
      ? { pontuacao: s, niveis: this.niveis, pesos: this.pesos, impedimento, gemeoSemPrenome: true }
      : { pontuacao: s, niveis: this.niveis, pesos: this.pesos, impedimento };
  }
}

/** Scores query row `linha` against each candidate identity through all its candidate rows (rows of no identity are skipped). */
export function avaliarIdentidades(mod: Modelo, ctx: Contexto, linha: LinhaComparavel, candidatos: readonly { readonly linha: LinhaComparavel; readonly identidade: string | null }[]): Map<string, Avaliacao> {
  const porIdentidade = new Map<string, Acumulador>();
  for (const c of candidatos) {
    if (c.identidade === null) continue;
    let acc = porIdentidade.get(c.identidade);
    if (!acc) porIdentidade.set(c.identidade, (acc = new Acumulador()));
    acc.somar(mod, ctx, linha, c.linha);
  }
  const avs = new Map<string, Avaliacao>();
  for (const [id, acc] of porIdentidade) avs.set(id, acc.avaliar());
  return avs;
}

/** The link threshold an evaluation must reach: higher when only the name and the birth date agree. */
export function limiarDoPar(av: Avaliacao, lim: Limiares): number {
  return corroborada(av) ? lim.vinculo : lim.vinculoSoNome;
}

/** Scores one pair of rows (the query row's values drive the term-frequency adjustment). */
export function avaliarPar(mod: Modelo, ctx: Contexto, a: LinhaComparavel, b: LinhaComparavel): Avaliacao {
  const acc = new Acumulador();
  acc.somar(mod, ctx, a, b);
  return acc.avaliar();
}

/**
 * The row reads as the twin's name with a given name dropped, its given name no better on the winner, and nothing of
 * the winner's own — the CPF's digits — says it is the winner's: MARIA SILVA COSTA, twin of MARIA ANA SILVA COSTA
 * (a load of 1,000,000 generated persons, seed 57, linked her twin's SIGA row written without ANA to her).
 */
function lidoComoGemeo(gemea: Avaliacao, av: Avaliacao): boolean {
  return gemea.gemeoSemPrenome === true && gemea.niveis[I_PRENOME] <= av.niveis[I_PRENOME] && av.niveis[I_CPF] !== CPF_QUASE;
}

export type Decisao =
  | {
    readonly tipo: 'vinculo'; readonly identidade: string; readonly av: Avaliacao; readonly segunda: { identidade: string; pontuacao: number } | null;
    /** The runner-up not counted as a competitor: an open linkage review already asks whether it is the winner's person. */
    readonly emRevisao?: { identidade: string; pontuacao: number };
  }
  | { readonly tipo: 'revisao'; readonly identidade: string; readonly av: Avaliacao; readonly motivo: 'faixa-cinza' | 'ambiguo' | Impedimento; readonly segunda: { identidade: string; pontuacao: number } | null }
  | { readonly tipo: 'nenhum'; readonly melhor: { identidade: string; av: Avaliacao } | null };

/**
 * Decides among candidate identities already scored (`proibidas`: identities a steward separated the row from).
 * Identities a guard rules out never link and never count as the competitor of another; the best of them only turns
 * a row that would otherwise be new into a review item. One exception: a row whose given name reads better on an
 * identity the twins guard keeps it from than on the one it would link to is one of twins the load cannot tell apart
 * — LUIZ LIMA MACHADO, the row of LUIZ LUIS LIMA MACHADO with his second given name dropped, reads as his twin LUIS
 * (another spelling of the same sounds) and, without LUIS, is kept from his own identity (a load of 1,000,000
 * generated persons linked it to the twin before this rule): a review item naming both. So is a row that reads as a
 * twin's name with a given name dropped (`gemeoSemPrenome`) when its given name reads no better on the winner, unless
 * its CPF's digits are the winner's (`lidoComoGemeo`).
 *
 * `emRevisao(a, b)`: an open linkage review item (grey band or torn between two) asks whether identities a and b are
 * one person — the row of one was held for review with the other as its candidate. Two such identities are not each
 * other's competitor: a row matching both is what a row of that one person matches (on 100,000 generated persons,
 * 56 rows without CPF torn between two identities linked that way, every one of them the person of both), so it links
 * to the better one if that is above its threshold; the review item stays open, for the steward.
 */
export function decidir(
  avaliacoes: ReadonlyMap<string, Avaliacao>, lim: Limiares, proibidas: ReadonlySet<string> = new Set(),
  emRevisao: (a: string, b: string) => boolean = () => false,
): Decisao {
  let melhor: [string, Avaliacao] | null = null;
  let segunda: [string, Avaliacao] | null = null;
  let impedida: [string, Avaliacao] | null = null;
  let gemea: [string, Avaliacao] | null = null;
  const antes = (a: [string, Avaliacao], b: [string, Avaliacao] | null) => b === null || a[1].pontuacao > b[1].pontuacao || (a[1].pontuacao === b[1].pontuacao && a[0] < b[0]);
  for (const par of avaliacoes) {
    if (proibidas.has(par[0])) continue;
    if (par[1].impedimento !== null) {
      if (antes(par, impedida)) impedida = par;
      if (par[1].impedimento === 'gemeos' && antes(par, gemea)) gemea = par;
    } else if (antes(par, melhor)) {
      segunda = melhor;
      melhor = par;
    } else if (antes(par, segunda)) segunda = par;
  }
  const seg = segunda && { identidade: segunda[0], pontuacao: segunda[1].pontuacao };
  if (melhor === null || melhor[1].pontuacao < lim.revisao) {
    if (impedida !== null && impedida[1].pontuacao >= lim.revisao) {
      return { tipo: 'revisao', identidade: impedida[0], av: impedida[1], motivo: impedida[1].impedimento ?? 'faixa-cinza', segunda: null };
    }
    return { tipo: 'nenhum', melhor: melhor && { identidade: melhor[0], av: melhor[1] } };
  }
  const [id, av] = melhor;
  if (gemea !== null && gemea[1].pontuacao >= lim.revisao && (gemea[1].niveis[I_PRENOME] < av.niveis[I_PRENOME] || lidoComoGemeo(gemea[1], av))) {
    return { tipo: 'revisao', identidade: id, av, motivo: 'gemeos', segunda: { identidade: gemea[0], pontuacao: gemea[1].pontuacao } };
  }
  // The competitor: the best other candidate no open review item links with the winner.
  let rival = segunda;
  let passada: [string, Avaliacao] | null = null;
  if (segunda !== null && emRevisao(id, segunda[0])) {
    passada = segunda;
    rival = null;
    for (const par of avaliacoes) {
      if (par[0] !== id && !proibidas.has(par[0]) && par[1].impedimento === null && !emRevisao(id, par[0]) && antes(par, rival)) rival = par;
    }
  }
  const competidora = rival && { identidade: rival[0], pontuacao: rival[1].pontuacao };
  if (rival !== null && rival[1].pontuacao >= lim.revisao && av.pontuacao - rival[1].pontuacao < lim.margem) {
    return { tipo: 'revisao', identidade: id, av, motivo: 'ambiguo', segunda: competidora };
  }
  if (av.pontuacao < limiarDoPar(av, lim)) return { tipo: 'revisao', identidade: id, av, motivo: 'faixa-cinza', segunda: seg };
  return {
    tipo: 'vinculo', identidade: id, av, segunda: competidora,
    ...(passada && { emRevisao: { identidade: passada[0], pontuacao: passada[1].pontuacao } }),
  };
}
