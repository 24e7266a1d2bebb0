/**
 * A staged Base Única row (`carga_staging`) → the body of a person write, as Entrada Única takes it. Pure. BOTH
 * execution strategies of the merge use it: the set-based phase (`fundir.ts`) and `entradaUnica` row by row (the
 * equivalence test), so "which value of the row becomes which field" is decided once, here.
 *
 * The body is valid for `CamposPessoaDto` by construction: a value the DTO would refuse is left out, checked with
 * the same functions its decorators use (`normalizarTexto`, `motivoTextoInvalido`, class-validator's `length` and
 * `isEmail`, `motivoDataNascimento`, `ehCpfValido`). Entrada Única refuses a whole body for one bad field (400),
 * which for a batch would throw away a good name because of a bad e-mail; and the set-based merge can skip the
 * class-validator pass per row (tens of millions of rows) because the body is a fixed point of it
 * (`linha-para-corpo.unit.test.ts` checks this on arbitrary rows).
 *
 * Decisions where the issue is silent:
 * - `genero` from the row's `sexo` (M → masculino, F → feminino): the source document names "gênero/sexo" as one
 *   field.
 * - Telephone type from the digits: 11 digits (area code + 9xxxx-xxxx) → `celular`, 10 → `fixo`. Never `verificado`:
 *   a register does not prove the citizen controls an e-mail or a phone.
 * - Values that can never be valid for the record are dropped: `cpfMae`/`cpfPai` equal to the row's own CPF (the
 *   mother's-CPF trap read backwards, or a typing slip), and both when they are equal to each other (which one is
 *   right cannot be told). Whole-record checks that need the current record (parents born earlier…) stay in
 *   Entrada Única's `validarRegistro`: such a row is refused as a whole, in both strategies.
 * - Fields the PMCC always refuses to a batch source are OMITTED, not sent to be recorded as `descartado`:
 *   `nomeSocial` (only the citizen or a steward: PMCC `nunca` for `carga`) and a death from any source other than
 *   SIRC (PMCC: óbito only from the civil registry). Sending them would (1) refuse the WHOLE row whenever it creates
 *   the record (Entrada Única refuses a creation with any PMCC refusal, even in tolerant mode), losing the person,
 *   and (2) add a `descartado` provenance row per row that carries them — at 88.7 M rows, millions of rows saying
 *   only "a batch may not write this". The row itself stays in `linha_carga` with those values, so nothing is lost.
 * - A death from SIRC (`fonte` = `sirc`) becomes `obitoRegistro { data, fonte: 'sirc', certidao }` when the row
 *   says deceased, has a valid date of death, and its key is the certificate's 32-digit matrícula (the SIRC
 *   export's natural key; the DTO requires the certificate). Otherwise the death is not sent.
 * - `municipio`/`uf` of a row are where the person lives (an address without CEP, street and number, which the
 *   record's `enderecos` requires), not `localNascimento`: not sent.
 * - A form of address before a name (`DRA. ROBERTA MENDES CASTRO`, `SR JOAO SILVA`: `semTratamento`) is no part of
 *   it: `nome`, `nomeMae` and `nomePai` are sent without it. The row as written stays in `linha_carga`.
 */
import { isEmail, length } from 'class-validator';
import type { FonteId } from '../pmcc/politicas.js';
import { semTratamento } from '../pmcc/variantes-nome.js';
import { ehCpfValido } from '../validation/cpf.js';
import { ehDataIso, motivoDataNascimento } from '../validation/decorators-cadastro.js';
import { motivoTextoInvalido, normalizarTexto } from '../validation/texto.js';
import { relogio } from '../relogio.js';

/** The columns of a staged row the body is built from (`carga_staging`, camelCase). */
export interface LinhaStaging {
  /** The row's key in its source (`chave_fonte`). */
  readonly chaveFonte: string;
  /** Valid CPF (triage `base-unica`). */
  readonly cpf: string;
  readonly nome: string | null;
  readonly nomeMae: string | null;
  readonly nomePai: string | null;
  readonly cpfMae: string | null;
  readonly cpfPai: string | null;
  /** `YYYY-MM-DD`. */
  readonly dataNascimento: string | null;
  readonly dataObito: string | null;
  readonly sexo: string | null;
  readonly obito: boolean | null;
  readonly email: string | null;
  readonly telefone: string | null;
}

// A type (not an interface) so it is assignable to Record<string, unknown>, the pipeline's `campos`.
export type CorpoPessoaCarga = {
  cpf: string;
  nome?: string;
  genero?: 'masculino' | 'feminino';
  dataNascimento?: string;
  cpfMae?: string;
  nomeMae?: string;
  cpfPai?: string;
  nomePai?: string;
  obitoRegistro?: { data: string; fonte: 'sirc'; certidao: string };
  emails?: Array<{ endereco: string; verificado: false }>;
  telefones?: Array<{ numero: string; tipo: 'celular' | 'fixo'; verificado: false }>;
};

/** Every field `linhaParaCorpo` may set (API names). */
export const CAMPOS_DO_CORPO = ['cpf', 'nome', 'genero', 'dataNascimento', 'cpfMae', 'nomeMae', 'cpfPai', 'nomePai', 'obitoRegistro', 'emails', 'telefones'] as const;

/** `Texto(campo, 300)` of the DTO: NFC + trim, 1 to 300 characters, readable. */
function texto(valor: string | null): string | undefined {
  if (valor === null) return undefined;
  const v = normalizarTexto(valor);
  return length(v, 1, 300) && motivoTextoInvalido(v) === null ? v : undefined;
}

/** A person's name for the record: `texto`, without a form of address before it. */
const nomeDePessoa = (valor: string | null) => texto(valor === null ? null : semTratamento(valor));

/**
 * `motivoDataNascimento(data, hoje) === null`, remembered per date for the current `hoje`: a load has millions of
 * rows and only tens of thousands of distinct birth dates. Bounded (cleared past LIMITE_CACHE entries).
 */
const datasValidas = new Map<string, boolean>();
let hojeDasDatas = '';
const LIMITE_CACHE = 100_000;
function nascimentoValido(data: string, hoje: string): boolean {
  if (hoje !== hojeDasDatas || datasValidas.size >= LIMITE_CACHE) {
    datasValidas.clear();
    hojeDasDatas = hoje;
  }
  let ok = datasValidas.get(data);
  if (ok === undefined) datasValidas.set(data, (ok = motivoDataNascimento(data, hoje) === null));
  return ok;
}

const MATRICULA_CERTIDAO = /^[0-9]{32}$/;
const TELEFONE = /^[0-9]{10,11}$/;

/**
 * `fonte`: the PMCC source the rows write as (the load's `fontePmcc`). `hoje`: today's date in São Paulo, for the
 * birth-date and death-date limits (the DTO reads the same clock).
 */
export function linhaParaCorpo(l: LinhaStaging, fonte: FonteId, hoje: string = relogio().hoje()): CorpoPessoaCarga {
  const corpo: CorpoPessoaCarga = { cpf: l.cpf };
  const nome = nomeDePessoa(l.nome);
  if (nome !== undefined) corpo.nome = nome;
  if (l.sexo === 'M') corpo.genero = 'masculino';
  else if (l.sexo === 'F') corpo.genero = 'feminino';
  if (l.dataNascimento !== null && nascimentoValido(l.dataNascimento, hoje)) corpo.dataNascimento = l.dataNascimento;

  const mae = l.cpfMae !== null && ehCpfValido(l.cpfMae) && l.cpfMae !== l.cpf ? l.cpfMae : null;
  const pai = l.cpfPai !== null && ehCpfValido(l.cpfPai) && l.cpfPai !== l.cpf ? l.cpfPai : null;
  if (mae !== null && mae !== pai) corpo.cpfMae = mae;
  const nomeMae = nomeDePessoa(l.nomeMae);
  if (nomeMae !== undefined) corpo.nomeMae = nomeMae;
  if (pai !== null && pai !== mae) corpo.cpfPai = pai;
  const nomePai = nomeDePessoa(l.nomePai);
  if (nomePai !== undefined) corpo.nomePai = nomePai;

  if (fonte === 'sirc' && l.obito === true && l.dataObito !== null && ehDataIso(l.dataObito) && l.dataObito <= hoje && MATRICULA_CERTIDAO.test(l.chaveFonte)) {
    corpo.obitoRegistro = { data: l.dataObito, fonte: 'sirc', certidao: l.chaveFonte };
  }
  if (l.email !== null && length(l.email, 3, 254) && isEmail(l.email, {})) corpo.emails = [{ endereco: l.email, verificado: false }];
  if (l.telefone !== null && TELEFONE.test(l.telefone)) corpo.telefones = [{ numero: l.telefone, tipo: l.telefone.length === 11 ? 'celular' : 'fixo', verificado: false }];
  return corpo;
}
