/**
 * Synthetic multi-source data with a ground truth, for measuring the batch load (issue 11, item 9).
 *
 * Deterministic: the same `semente` and `pessoas` give byte-identical files. Streaming: persons are generated one
 * household at a time and written at once; only a ring of recent persons (for planting homonyms) is kept, so memory
 * does not grow with `pessoas`.
 *
 * Every person appears in one to five of the demo sources (fazenda, siga, eol, bdc, outros), each in its own layout
 * (`layouts.ts`). Traps, each recorded in the truth file:
 * - a minor's row in siga/bdc carrying the mother's CPF (`cpf_de_outra_pessoa` = `mae`);
 * - homonyms: a person copying the name, sex and birth date of an earlier one (`homonimo_de`);
 * - twins: two children of the same mother born the same day (`gemeos` = group id);
 * - married names, swapped day/month, typos, lost accents, abbreviated and dropped middle names, missing mothers'
 *   names, deceased persons (`falecido`);
 * - CPF per row: ~5 % without CPF (empty or the source's placeholder), ~2.5 % invalid or fake with the reason that
 *   the triage must give (`triagem`, `motivo`).
 *
 * With `tratamentosAgnomes` (off by default: a seed's files without it are what they were before the option existed —
 * its draws come from a second random stream, unused without it), names as Brazilian registers also hold them: a son
 * named after his father, with FILHO or JÚNIOR (a quarter of the families' sons but twins, a tenth of the other men
 * whose father's name is known — the father's name column, when present, reads the name without the agnome), the
 * agnome left out in 30 % of such a person's rows and JÚNIOR written JR or JR. in a third of the others; and a form
 * of address before the name (Dr., Dra., Sr., Sra., with or without the dot) in 2 % of the adults' rows of bdc and
 * outros. Homonyms copy the agnome with the name. With it, the same seed gives other persons after the first such name
 * (the row variations read the name's words).
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { stringify, type Stringifier } from 'csv-stringify';
import iconv from 'iconv-lite';
import { FONTES_GERADAS, LAYOUTS, type FonteGerada, type Layout, type LinhaFonte } from './layouts.js';
import { MUNICIPIOS, PRENOMES_F, PRENOMES_M, SOBRENOMES } from './nomes.js';
import { Aleatorio, Ponderado } from './prng.js';

/** Columns of the truth file, one line per generated source row. */
const COLUNAS_VERDADE = [
  'source', 'row_id', 'person_id', 'triagem', 'motivo', 'cpf_de_outra_pessoa', 'nome', 'data_nascimento', 'sexo', 'cpf',
  'mae_id', 'nome_mae', 'cpf_mae', 'gemeos', 'homonimo_de', 'falecido', 'cpf_linha',
] as const;

interface OpcoesGerador {
  readonly pessoas: number;
  readonly semente: number;
  readonly saida: string;
  /** Agnomes and forms of address (see the module comment); default false. */
  readonly tratamentosAgnomes?: boolean;
}

export interface ResumoGeracao {
  pessoas: number;
  linhas: number;
  porFonte: Record<string, number>;
  triagem: { 'base-unica': number; 'sem-cpf': number; 'cpf-invalido': number };
  motivos: Record<string, number>;
  cpfDaMae: number;
  gruposGemeos: number;
  homonimosPlantados: number;
  falecidos: number;
  /** Persons named after their father, with an agnome (0 without `tratamentosAgnomes`). */
  comAgnome: number;
  /** Rows whose name has a form of address before it. */
  linhasComTratamento: number;
}

interface Data {
  readonly a: number;
  readonly m: number;
  readonly d: number;
}
interface Pessoa {
  readonly id: string;
  readonly sexo: 'M' | 'F';
  readonly prenomes: readonly string[];
  /** Surnames, each possibly with its particle (`DA SILVA`). */
  readonly sobrenomes: readonly string[];
  readonly nome: string;
  readonly nascimento: Data;
  readonly cpf: string | null;
  readonly mae: { readonly id: string | null; readonly nome: string; readonly cpf: string | null };
  readonly pai: string | null;
  /** FILHO or JUNIOR, the last word of `sobrenomes`, when named after the father. */
  readonly agnome?: string;
  /** Husband's surname a married woman uses in some registers. */
  readonly casada: string | null;
  readonly nomeSocial: string | null;
  readonly obito: Data | null;
  readonly municipio: readonly [string, string];
  readonly email: string | null;
  readonly telefone: string | null;
  readonly gemeos: string | null;
  readonly homonimoDe: string | null;
}

/** Ages are computed against this fixed date, never the clock. */
const REFERENCIA: Data = { a: 2026, m: 1, d: 1 };
const MAX_PESSOAS = 10_000_000;
/** Coprime to 10⁹ (not divisible by 2 or 5), large enough to spread consecutive indices over the whole range. */
const MULTIPLICADOR_CPF = 387_420_489n;
/** Fake CPFs the generator plants for reason `sequencia-conhecida` (the well-known sequences; see triagem.ts). */
const SEQUENCIAS_FALSAS = ['12345678909', '98765432100', '00000000191', '01234567890'];
const PARTICULAS = new Set(['DA', 'DE', 'DO', 'DAS', 'DOS', 'E']);
const SOBRENOMES_CONHECIDOS = new Set(SOBRENOMES.map(([s]) => s));
const MOTIVOS = new Ponderado<string>([['digito', 40], ['tamanho', 20], ['repetido', 15], ['sequencia-conhecida', 15], ['caractere', 10]]);
const QUANTAS_FONTES = new Ponderado<number>([[1, 30], [2, 30], [3, 20], [4, 12], [5, 8]]);
const P_SEM_CPF_LINHA = 0.04;
const P_CPF_INVALIDO_LINHA = 0.025;

const dv = (digitos: string): number => {
  let soma = 0;
  for (let i = 0; i < digitos.length; i++) soma += Number(digitos[i]) * (digitos.length + 1 - i);
  const resto = (soma * 10) % 11;
  return resto === 10 ? 0 : resto;
};
const completarCpf = (base9: string): string => {
  const d1 = dv(base9);
  return `${base9}${d1}${dv(base9 + d1)}`;
};
const mascarar = (cpf: string) => `${cpf.slice(0, 3)}.${cpf.slice(3, 6)}.${cpf.slice(6, 9)}-${cpf.slice(9)}`;
const iso = (x: Data) => `${String(x.a).padStart(4, '0')}-${String(x.m).padStart(2, '0')}-${String(x.d).padStart(2, '0')}`;
const semAcento = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
const diasNoMes = (a: number, m: number) => (m === 2 ? ((a % 4 === 0 && a % 100 !== 0) || a % 400 === 0 ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31);
const idade = (n: Data) => REFERENCIA.a - n.a - (REFERENCIA.m < n.m || (REFERENCIA.m === n.m && REFERENCIA.d < n.d) ? 1 : 0);

/** One output file: csv-stringify → (Latin-1 encoder) → file, awaiting back-pressure. */
class Saida {
  private readonly csv: Stringifier;
  private readonly fim: Promise<void>;
  constructor(caminho: string, delimitador: string, aspas: boolean | 'minimo', codificacao: 'utf-8' | 'latin1') {
    this.csv = stringify({ delimiter: delimitador, record_delimiter: '\n', ...(aspas === true ? { quoted: true } : aspas === false ? { quote: false } : {}) });
    this.csv.setEncoding('utf8'); // iconv-lite's encoder takes strings
    const destino = createWriteStream(caminho);
    this.fim = codificacao === 'latin1' ? pipeline(this.csv, iconv.encodeStream('latin1'), destino) : pipeline(this.csv, destino);
  }
  /** Registers the failure handler at once (a pipeline failing while we await a drain is reported by `fechar`). */
  iniciar(): this {
    this.fim.catch(() => undefined);
    return this;
  }
  async escrever(campos: readonly string[]): Promise<void> {
    if (!this.csv.write(campos)) await once(this.csv, 'drain');
  }
  async fechar(): Promise<void> {
    this.csv.end();
    await this.fim;
  }
}

class Gerador {
  private readonly r: Aleatorio;
  private readonly prenomesF = new Ponderado(PRENOMES_F);
  private readonly prenomesM = new Ponderado(PRENOMES_M);
  private readonly sobrenomes = new Ponderado(SOBRENOMES);
  private readonly municipios = new Ponderado(MUNICIPIOS);
  private indiceCpf = 0;
  private readonly deslocamentoCpf: number;
  private proximoId = 0;
  private grupoGemeos = 0;
  /** Recent persons, to copy name + birth date from when planting a homonym. */
  private readonly recentes: Pessoa[] = [];
  private readonly contadores: Record<FonteGerada, number> = { fazenda: 0, siga: 0, eol: 0, bdc: 0, outros: 0 };

  /** The second stream (agnomes and forms of address), null when they are not generated. */
  private readonly r2: Aleatorio | null;

  constructor(
    semente: number,
    private readonly saidas: Record<FonteGerada, Saida>,
    private readonly verdade: Saida,
    readonly resumo: ResumoGeracao,
    tratamentosAgnomes = false,
  ) {
    this.r = new Aleatorio(semente);
    this.deslocamentoCpf = this.r.inteiro(1_000_000_000);
    this.r2 = tratamentosAgnomes ? new Aleatorio((semente ^ 0x5bd1e995) >>> 0) : null;
  }

  /** The person named after the father whose name is `pai` (his given names and surnames), with an agnome. */
  private comNomeDoPai(p: Pessoa, pai: string | null, chance: number): Pessoa {
    if (this.r2 === null || p.sexo !== 'M' || pai === null || p.gemeos !== null || !this.r2.chance(chance)) return p;
    const palavras = pai.split(' ');
    // The father's given names: the words up to the first surname (a particle or a listed surname), at least one.
    const fim = Math.max(1, palavras.findIndex((w, i) => i > 0 && (PARTICULAS.has(w) || SOBRENOMES_CONHECIDOS.has(w))));
    const agnome = this.r2.chance(0.5) ? 'FILHO' : 'JÚNIOR';
    const prenomes = palavras.slice(0, fim);
    const sobrenomes = [palavras.slice(fim).join(' '), agnome].filter((w) => w !== '');
    this.resumo.comAgnome += 1;
    return { ...p, prenomes, sobrenomes, nome: [...prenomes, ...sobrenomes].join(' '), agnome };
  }

  /** Unique valid CPFs: an affine bijection of [0, 10⁹) (multiplier coprime to 10⁹) over a counter. */
  private novoCpf(): string {
    for (;;) {
      const base = Number((MULTIPLICADOR_CPF * BigInt(this.indiceCpf) + BigInt(this.deslocamentoCpf)) % 1_000_000_000n);
      this.indiceCpf += 1;
      const cpf = completarCpf(String(base).padStart(9, '0'));
      if (!/^(\d)\1{10}$/.test(cpf) && !SEQUENCIAS_FALSAS.includes(cpf)) return cpf;
    }
  }

  /** A date in [anoMin, anoMax] strictly before the reference date (a bounded retry, never an endless loop). */
  private data(anoMin: number, anoMax: number): Data {
    for (let tentativa = 0; tentativa < 1000; tentativa++) {
      const a = this.r.entre(anoMin, anoMax);
      const m = this.r.entre(1, 12);
      const d = this.r.entre(1, diasNoMes(a, m));
      if (a < REFERENCIA.a || (a === REFERENCIA.a && (m < REFERENCIA.m || (m === REFERENCIA.m && d < REFERENCIA.d)))) return { a, m, d };
    }
    throw new Error(`gerador: nenhuma data entre ${anoMin} e ${anoMax} antes de ${iso(REFERENCIA)}`);
  }

  private prenome(sexo: 'M' | 'F'): string[] {
    const lista = sexo === 'F' ? this.prenomesF : this.prenomesM;
    const p1 = lista.sortear(this.r);
    if (!this.r.chance(0.3)) return [p1];
    let p2 = lista.sortear(this.r);
    while (p2 === p1) p2 = lista.sortear(this.r);
    return [p1, p2];
  }

  private sobrenome(): string {
    const s = this.sobrenomes.sortear(this.r);
    if (!this.r.chance(0.25)) return s;
    return `${s === 'SANTOS' || s === 'REIS' ? 'DOS' : this.r.escolher(['DA', 'DE', 'DO'])} ${s}`;
  }

  private pessoa(dados: {
    sexo: 'M' | 'F'; nascimento: Data; sobrenomes: string[]; mae: Pessoa['mae']; pai: string | null; casada: string | null;
    gemeos?: string | null; prenomes?: string[];
  }): Pessoa {
    this.proximoId += 1;
    const prenomes = dados.prenomes ?? this.prenome(dados.sexo);
    const ehIdoso = idade(dados.nascimento) >= 40;
    // Death in a later year than birth, within the last ten years before the reference date.
    const podeTerMorrido = dados.nascimento.a <= REFERENCIA.a - 2;
    const obito = podeTerMorrido && this.r.chance(ehIdoso ? 0.04 : 0.005) ? this.data(Math.max(dados.nascimento.a + 1, REFERENCIA.a - 10), REFERENCIA.a - 1) : null;
    const primeiro = semAcento(prenomes[0]).toLowerCase();
    const ultimo = semAcento(dados.sobrenomes[dados.sobrenomes.length - 1].split(' ').pop()!).toLowerCase();
    const p: Pessoa = {
      id: `P${String(this.proximoId).padStart(8, '0')}`,
      sexo: dados.sexo,
      prenomes,
      sobrenomes: dados.sobrenomes,
      nome: [...prenomes, ...dados.sobrenomes].join(' '),
      nascimento: dados.nascimento,
      cpf: this.r.chance(0.012) ? null : this.novoCpf(),
      mae: dados.mae,
      pai: dados.pai,
      casada: dados.casada,
      nomeSocial: this.r.chance(0.003) ? this.prenome(dados.sexo === 'M' ? 'F' : 'M')[0] : null,
      obito,
      municipio: this.municipios.sortear(this.r),
      email: this.r.chance(0.3) ? `${primeiro}.${ultimo}${this.r.inteiro(1000)}@exemplo.com.br` : null,
      telefone: this.r.chance(0.6) ? `11${this.r.chance(0.8) ? `9${this.r.entre(6000, 9999)}` : this.r.entre(2000, 5999)}${String(this.r.inteiro(10000)).padStart(4, '0')}` : null,
      gemeos: dados.gemeos ?? null,
      homonimoDe: null,
    };
    return p;
  }

  /** A standalone person (mother outside the population), or a homonym of a recent person. */
  private avulso(): Pessoa {
    const base = this.recentes.length > 0 && this.r.chance(0.01) ? this.r.escolher(this.recentes) : null;
    const sexo = base?.sexo ?? (this.r.chance(0.5) ? 'F' : 'M');
    const sobrenomes = base ? [...base.sobrenomes] : this.r.chance(0.15) ? [this.sobrenome()] : [this.sobrenome(), this.sobrenome()];
    const maeSobrenome = sobrenomes[0];
    const mae = { id: null, nome: `${this.prenome('F').join(' ')} ${this.sobrenome()} ${maeSobrenome}`, cpf: this.r.chance(0.3) ? this.novoCpf() : null };
    const p = this.pessoa({
      sexo, nascimento: base?.nascimento ?? this.data(REFERENCIA.a - 90, REFERENCIA.a - 1), sobrenomes, mae,
      pai: this.r.chance(0.5) ? `${this.prenome('M').join(' ')} ${sobrenomes[sobrenomes.length - 1]}` : null,
      casada: sexo === 'F' && this.r.chance(0.35) ? this.sobrenomes.sortear(this.r) : null,
      ...(base ? { prenomes: [...base.prenomes] } : {}),
    });
    return base ? { ...p, homonimoDe: base.homonimoDe ?? base.id, ...(base.agnome ? { agnome: base.agnome } : {}) } : this.comNomeDoPai(p, p.pai, 0.1);
  }

  /** A mother and one to three children (sometimes twins), all in the population. */
  private familia(limite: number): Pessoa[] {
    const maeNasc = this.data(REFERENCIA.a - 75, REFERENCIA.a - 20);
    const sobrenomesMae = [this.sobrenome(), this.sobrenome()];
    const sobrenomePai = this.sobrenome();
    const mae = this.pessoa({
      sexo: 'F', nascimento: maeNasc, sobrenomes: sobrenomesMae,
      mae: { id: null, nome: `${this.prenome('F').join(' ')} ${this.sobrenome()} ${sobrenomesMae[0]}`, cpf: null },
      pai: null, casada: this.r.chance(0.7) ? sobrenomePai.split(' ').pop()! : null,
    });
    const out: Pessoa[] = [mae];
    const pai = `${this.prenome('M').join(' ')} ${this.sobrenome()} ${sobrenomePai}`;
    const filhos = Math.min(limite - 1, this.r.entre(1, 3));
    const maeRef = { id: mae.id, nome: mae.nome, cpf: mae.cpf };
    for (let i = 0; i < filhos; i++) {
      const nasc = this.data(maeNasc.a + 18, Math.min(maeNasc.a + 42, REFERENCIA.a - 1));
      const sobrenomes = [sobrenomesMae[sobrenomesMae.length - 1], sobrenomePai];
      const gemeos = i + 1 < filhos && this.r.chance(0.12) ? `G${++this.grupoGemeos}` : null;
      const sexo = this.r.chance(0.5) ? 'F' : 'M';
      const a = this.comNomeDoPai(this.pessoa({ sexo, nascimento: nasc, sobrenomes, mae: maeRef, pai: this.r.chance(0.6) ? pai : null, casada: null, gemeos }), pai, 0.25);
      out.push(a);
      if (gemeos !== null) {
        const sexo2 = this.r.chance(0.5) ? sexo : sexo === 'F' ? 'M' : 'F';
        let prenomes = this.prenome(sexo2);
        while (prenomes.join(' ') === a.prenomes.join(' ')) prenomes = this.prenome(sexo2);
        out.push(this.pessoa({ sexo: sexo2, nascimento: nasc, sobrenomes, mae: maeRef, pai: a.pai, casada: null, gemeos, prenomes }));
        i += 1;
        this.resumo.gruposGemeos += 1;
      }
    }
    return out;
  }

  async gerar(total: number): Promise<void> {
    let feitas = 0;
    while (feitas < total) {
      const grupo = total - feitas >= 2 && this.r.chance(0.12) ? this.familia(total - feitas) : [this.avulso()];
      for (const p of grupo) {
        await this.escreverPessoa(p);
        this.recentes.push(p);
        if (this.recentes.length > 2000) this.recentes.shift();
      }
      feitas += grupo.length;
    }
    this.resumo.pessoas = feitas;
  }

  private fontesDe(p: Pessoa): FonteGerada[] {
    const anos = idade(p.nascimento);
    const pesos: [FonteGerada, number][] = [['siga', 28], ['bdc', 5], ['outros', 7]];
    if (anos >= 18) pesos.push(['fazenda', 40]);
    if (anos >= 4 && anos <= 24) pesos.push(['eol', 25]);
    const k = Math.min(QUANTAS_FONTES.sortear(this.r), pesos.length);
    const escolhidas: FonteGerada[] = [];
    while (escolhidas.length < k) {
      const f = new Ponderado(pesos.filter(([x]) => !escolhidas.includes(x))).sortear(this.r);
      escolhidas.push(f);
    }
    return escolhidas;
  }

  private escreverCpf(cpf: string, layout: Layout): string {
    if (layout.cpfNumerico) return cpf.replace(/^0+/, '');
    return this.r.chance(layout.mascaraCpf) ? mascarar(cpf) : cpf;
  }

  /** CPF column of one row and what the triage must say about it. */
  private cpfDaLinha(p: Pessoa, fonte: FonteGerada, layout: Layout): { texto: string; triagem: string; motivo: string; de: string; valido: string } {
    const semCpf = () => ({ texto: this.r.escolher(layout.semCpf), triagem: 'sem-cpf', motivo: '', de: '', valido: '' });
    if (p.cpf === null) return semCpf();
    if ((fonte === 'siga' || fonte === 'bdc') && idade(p.nascimento) < 18 && p.mae.cpf !== null && this.r.chance(0.35)) {
      return { texto: this.escreverCpf(p.mae.cpf, layout), triagem: 'base-unica', motivo: '', de: 'mae', valido: p.mae.cpf };
    }
    const x = this.r.real();
    if (x < P_SEM_CPF_LINHA) return semCpf();
    if (x >= P_SEM_CPF_LINHA + P_CPF_INVALIDO_LINHA) return { texto: this.escreverCpf(p.cpf, layout), triagem: 'base-unica', motivo: '', de: '', valido: p.cpf };
    const motivo = MOTIVOS.sortear(this.r);
    let texto: string;
    switch (motivo) {
      case 'digito':
        texto = this.escreverCpf(`${p.cpf.slice(0, 10)}${(Number(p.cpf[10]) + 1 + this.r.inteiro(9)) % 10}`, layout);
        break;
      case 'tamanho':
        if (layout.cpfNumerico || this.r.chance(0.5)) texto = `${this.r.entre(1, 9)}${p.cpf}`;
        else {
          const i = this.r.inteiro(11);
          texto = p.cpf.slice(0, i) + p.cpf.slice(i + 1);
        }
        break;
      case 'repetido':
        // 0 and 9 repeated are placeholders ("unknown") in some sources, so never planted as fakes.
        texto = this.escreverCpf(String(this.r.entre(1, 8)).repeat(11), layout);
        break;
      case 'sequencia-conhecida':
        texto = this.escreverCpf(this.r.escolher(SEQUENCIAS_FALSAS), layout);
        break;
      default: {
        const t = this.escreverCpf(p.cpf, layout);
        const posicoes = [...t].flatMap((c, i) => (/\d/.test(c) ? [i] : []));
        const i = this.r.escolher(posicoes);
        texto = t.slice(0, i) + this.r.escolher(['O', 'I', 'X', 'B', 'S']) + t.slice(i + 1);
      }
    }
    return { texto, triagem: 'cpf-invalido', motivo, de: '', valido: '' };
  }

  private erroDeDigitacao(palavra: string): string {
    if (palavra.length < 4) return palavra;
    const i = this.r.entre(1, palavra.length - 2);
    const tipo = this.r.inteiro(3);
    if (tipo === 0) return palavra.slice(0, i) + palavra.slice(i + 1);
    if (tipo === 1) return palavra.slice(0, i) + palavra[i + 1] + palavra[i] + palavra.slice(i + 2);
    return palavra.slice(0, i) + this.r.escolher([...'AEIOURSNLMT']) + palavra.slice(i + 1);
  }

  /**
   * The name as one register holds it: married name, abbreviated or dropped middle name, typo, lost accents; with
   * `tratamentosAgnomes`, the agnome left out or abbreviated, a form of address before it.
   */
  private variarNome(p: Pessoa, fonte: FonteGerada): string {
    const sobrenomes = [...p.sobrenomes];
    if (p.casada !== null && idade(p.nascimento) >= 20 && this.r.chance(0.6)) {
      if (this.r.chance(0.7)) sobrenomes[sobrenomes.length - 1] = p.casada;
      else sobrenomes.push(p.casada);
    }
    let palavras = [...p.prenomes, ...sobrenomes].join(' ').split(' ');
    const meio = palavras.flatMap((w, i) => (i > 0 && i < palavras.length - 1 && !PARTICULAS.has(w) ? [i] : []));
    if (meio.length > 0 && this.r.chance(0.06)) {
      const i = this.r.escolher(meio);
      palavras[i] = `${palavras[i][0]}${this.r.chance(0.5) ? '.' : ''}`;
    } else if (meio.length > 0 && this.r.chance(0.05)) {
      const i = this.r.escolher(meio);
      palavras = palavras.filter((_w, j) => j !== i && !(j === i - 1 && PARTICULAS.has(palavras[j])));
    }
    if (this.r.chance(0.04)) {
      const candidatas = palavras.flatMap((w, i) => (w.length >= 4 ? [i] : []));
      if (candidatas.length > 0) {
        const i = this.r.escolher(candidatas);
        palavras[i] = this.erroDeDigitacao(palavras[i]);
      }
    }
    if (this.r2 !== null && p.agnome !== undefined && palavras[palavras.length - 1] === p.agnome) {
      if (this.r2.chance(0.3)) palavras.pop();
      else if (p.agnome === 'JÚNIOR' && this.r2.chance(1 / 3)) palavras[palavras.length - 1] = this.r2.chance(0.5) ? 'JR' : 'JR.';
    }
    if (this.r2 !== null && (fonte === 'bdc' || fonte === 'outros') && idade(p.nascimento) >= 18 && this.r2.chance(0.02)) {
      const tratamento = p.sexo === 'F' ? this.r2.escolher(['DRA', 'SRA']) : this.r2.escolher(['DR', 'SR']);
      palavras.unshift(this.r2.chance(0.5) ? `${tratamento}.` : tratamento);
      this.resumo.linhasComTratamento += 1;
    }
    const nome = palavras.join(' ');
    return this.r.chance(0.15) ? semAcento(nome) : nome;
  }

  private async escreverPessoa(p: Pessoa): Promise<void> {
    if (p.homonimoDe !== null) this.resumo.homonimosPlantados += 1;
    if (p.obito !== null) this.resumo.falecidos += 1;
    for (const fonte of this.fontesDe(p)) {
      const layout = LAYOUTS[fonte];
      this.contadores[fonte] += 1;
      const chave = layout.chave(this.contadores[fonte]);
      const cpf = this.cpfDaLinha(p, fonte, layout);
      const n = p.nascimento;
      const trocaDiaMes = n.d <= 12 && n.d !== n.m && this.r.chance(0.02);
      let nomeMae: string | null = this.r.chance(0.12) ? null : p.mae.nome;
      if (nomeMae !== null && this.r.chance(0.03)) nomeMae = nomeMae.split(' ').map((w, i) => (i === 0 ? this.erroDeDigitacao(w) : w)).join(' ');
      if (nomeMae !== null && this.r.chance(0.15)) nomeMae = semAcento(nomeMae);
      const linha: LinhaFonte = {
        chave,
        cpfTexto: cpf.texto,
        nome: this.variarNome(p, fonte),
        nomeSocial: p.nomeSocial,
        nascimento: trocaDiaMes ? { a: n.a, m: n.d, d: n.m } : n,
        sexo: p.sexo,
        nomeMae,
        cpfMae: p.mae.cpf !== null && this.r.chance(0.7) ? p.mae.cpf : null,
        nomePai: p.pai,
        municipio: p.municipio[0],
        uf: p.municipio[1],
        email: p.email,
        telefone: p.telefone,
        obito: p.obito,
      };
      await this.saidas[fonte].escrever(layout.linha(linha, this.r));
      await this.verdade.escrever([
        fonte, chave, p.id, cpf.triagem, cpf.motivo, cpf.de, p.nome, iso(p.nascimento), p.sexo, p.cpf ?? '', p.mae.id ?? '', p.mae.nome,
        p.mae.cpf ?? '', p.gemeos ?? '', p.homonimoDe ?? '', p.obito ? 'S' : 'N', cpf.valido,
      ]);
      this.resumo.linhas += 1;
      this.resumo.porFonte[fonte] = (this.resumo.porFonte[fonte] ?? 0) + 1;
      this.resumo.triagem[cpf.triagem as keyof ResumoGeracao['triagem']] += 1;
      if (cpf.motivo !== '') this.resumo.motivos[cpf.motivo] = (this.resumo.motivos[cpf.motivo] ?? 0) + 1;
      if (cpf.de !== '') this.resumo.cpfDaMae += 1;
    }
  }
}

/** Writes `<saida>/{fazenda.csv, siga.txt, eol.csv, bdc.csv, outros.tsv, verdade.csv}` and returns the counts. */
export async function gerarDados(op: OpcoesGerador): Promise<ResumoGeracao> {
  if (!Number.isInteger(op.pessoas) || op.pessoas < 1 || op.pessoas > MAX_PESSOAS) throw new RangeError(`pessoas deve ser um inteiro entre 1 e ${MAX_PESSOAS}`);
  if (!Number.isInteger(op.semente) || op.semente < 0 || op.semente > 0xffffffff) throw new RangeError('semente deve ser um inteiro entre 0 e 4294967295');
  await mkdir(op.saida, { recursive: true });
  const saidas = Object.fromEntries(
    FONTES_GERADAS.map((f) => {
      const l = LAYOUTS[f];
      return [f, new Saida(join(op.saida, l.arquivo), l.delimitador, l.aspas, l.codificacao).iniciar()];
    }),
  ) as Record<FonteGerada, Saida>;
  const verdade = new Saida(join(op.saida, 'verdade.csv'), ',', 'minimo', 'utf-8').iniciar();
  for (const f of FONTES_GERADAS) await saidas[f].escrever(LAYOUTS[f].cabecalho);
  await verdade.escrever(COLUNAS_VERDADE);
  const resumo: ResumoGeracao = {
    pessoas: 0, linhas: 0, porFonte: {}, triagem: { 'base-unica': 0, 'sem-cpf': 0, 'cpf-invalido': 0 }, motivos: {}, cpfDaMae: 0, gruposGemeos: 0,
    homonimosPlantados: 0, falecidos: 0, comAgnome: 0, linhasComTratamento: 0,
  };
  const g = new Gerador(op.semente, saidas, verdade, resumo, op.tratamentosAgnomes ?? false);
  try {
    await g.gerar(op.pessoas);
  } finally {
    for (const f of FONTES_GERADAS) await saidas[f].fechar();
    await verdade.fechar();
  }
  return g.resumo;
}
