/**
 * How the linkage reads rows from `carga_staging` and `linha_carga`: the SQL that projects a row onto the compared
 * attributes and the blocking keys, and the parser of those columns back into a `LinhaComparavel`.
 */
import type pg from 'pg';
import { chaveNome } from '../normalizar.js';
import type { LinhaComparavel } from './comparar.js';

/** Digits of the row's own CPF to compare: a valid CPF the row owns, or an invalid one that is likely a typo of one. */
const cpfComparavel = (x: string) =>
  `CASE WHEN ${x}.triagem = 'base-unica' AND NOT ${x}.cpf_de_outra_pessoa THEN ${x}.cpf::text
        WHEN ${x}.triagem = 'cpf-invalido' AND ${x}.motivo IN ('digito', 'tamanho', 'caractere') THEN regexp_replace(${x}.cpf_bruto, '[^0-9]', '', 'g') END`;

/** The mother's CPF, or the CPF a row carries that is not the person's own (a guardian's, usually the mother's). */
const cpfMaeEfetivo = (x: string) => `COALESCE(${x}.cpf_mae, CASE WHEN ${x}.cpf_de_outra_pessoa THEN ${x}.cpf END)::text`;

/** The columns `atributos` reads (besides `fonte`), and `identidade_id`: what a copy of rows to compare keeps. */
export const COLUNAS_ATRIBUTOS = [
  'identidade_id', 'nome_chave', 'nome_mae_chave', 'nome_pai', 'data_nascimento', 'sexo', 'municipio', 'cpf_mae', 'cpf_de_outra_pessoa', 'cpf',
  'telefone', 'email', 'triagem', 'motivo', 'cpf_bruto',
] as const;

/**
 * The compared attributes of row alias `x`, in the order `lerLinha` reads them (11 columns). `fonte`: the SQL
 * of the row's source (`carga_staging` has no column for it: every staged row of a load comes from the load's source).
 */
export const atributos = (x: string, fonte = `${x}.fonte`) => [
  fonte,
  `${x}.nome_chave`,
  `${x}.nome_mae_chave`,
  `${x}.nome_pai`,
  `to_char(${x}.data_nascimento, 'YYYY-MM-DD')`,
  `${x}.sexo::text`,
  `${x}.municipio`,
  cpfMaeEfetivo(x),
  `${x}.telefone`,
  `${x}.email`,
  cpfComparavel(x),
].join(', ');

/** Birth date with day and month in a fixed order (a date and its day/month swap share it): YYYY·10⁴ + min(MMDD, DDMM). */
export const chaveData = (x: string) =>
  `(date_part('year', ${x}.data_nascimento)::int * 10000 + least(date_part('month', ${x}.data_nascimento)::int * 100 + date_part('day', ${x}.data_nascimento)::int, date_part('day', ${x}.data_nascimento)::int * 100 + date_part('month', ${x}.data_nascimento)::int))`;

/**
 * Birth date as a day number (days since 2000-01-01): plain integer arithmetic, no field extraction — what the big
 * scans of the blocking compute for every row of the base.
 */
const diaNascimento = (x: string) => `(${x}.data_nascimento - DATE '2000-01-01')`;

/** The day/month swap of the birth date, when it is another valid date (day ≤ 12, day ≠ month); else NULL. */
export const trocarDia = (x: string) =>
  `CASE WHEN date_part('day', ${x}.data_nascimento) <= 12 AND date_part('day', ${x}.data_nascimento) <> date_part('month', ${x}.data_nascimento)
        THEN make_date(date_part('year', ${x}.data_nascimento)::int, date_part('day', ${x}.data_nascimento)::int, date_part('month', ${x}.data_nascimento)::int) END`;

/** The day/month swap of the birth date as a day number (see `trocarDia`). */
const diaNascimentoTrocado = (x: string) => `(${trocarDia(x)} - DATE '2000-01-01')`;

/** The phonetic code of the first word of the name: letters only, never empty (`chaveFoneticaNome`). */
const primeiroNomeFonetico = (x: string) => `split_part(${x}.bloco_nome, ' ', 1)`;

/** Initial of the phonetic first name then the phonetic last name (NULL for a one-word name). */
const inicialSobrenome = (x: string) => `left(${x}.bloco_nome, 1) || NULLIF(split_part(${x}.bloco_nome, ' ', 2), '')`;

interface Regra {
  readonly nome: string;
  /** The rule's key texts over row alias x (SQL; NULL: no key). */
  readonly chaves: (x: string) => readonly string[];
  /**
   * A value, cheaper to compute than the keys, that two rows sharing a key of the rule share too (SQL over alias x; a
   * necessary condition, not a sufficient one): the phonetic first name where every key starts with it (the whole
   * phonetic name; or the first name then '|' — a phonetic name is letters only, so the '|' ends it), else the key.
   */
  readonly sinal: (x: string) => string;
}

/**
 * Blocking rules: a pair is compared when it shares the key of at least one rule (union). A key is a rule, a text (SQL
 * expressions over row alias `x`, NULL when the row has none; a row may hold several of one rule, one per word of its
 * name) and the birth date as a day number — its own integer column, not part of the text, so the scans of the base
 * build fewer strings. The birth date is order-free in day and month: one side of a join takes its keys with both
 * the date and its swap (`chavesRegrasComTroca`), the other only the date as it is (`chavesRegras`), so two rows
 * share a key exactly when their dates are equal or swapped — and the side scanned in full (the base) computes the
 * cheap one. Join two key sets with `mesmaChave`.
 *
 * The looser rules (a given name, or a surname, with the birth date) once had blocks that grew with the base — every
 * MARIA born on a day shared one —, and so did the pairs per row compared: they are narrowed to what their cases need.
 */
export const REGRAS: readonly Regra[] = [
  // phonetic first + last name, birth date
  { nome: 'nome+nascimento', chaves: (x) => [`${x}.bloco_nome`], sinal: primeiroNomeFonetico },
  // mother's phonetic first + last name, birth date: married names, typos in the person's name
  { nome: 'mae+nascimento', chaves: (x) => [`${x}.bloco_mae`], sinal: (x) => `${x}.bloco_mae` },
  // mother's (or guardian's) CPF, birth date
  { nome: 'cpf-mae+nascimento', chaves: (x) => [cpfMaeEfetivo(x)], sinal: cpfMaeEfetivo },
  // phonetic first name, a later word of the name as written (the 2nd to the 5th), birth date: the last name changed
  // (a married name appended or replacing it) and no mother's name — the names still share a word, which the
  // comparison needs too (`sobrenomes` below 'parcial' weighs against)
  {
    nome: 'prenome+sobrenome+nascimento',
    chaves: (x) => [2, 3, 4, 5].map((k) => `split_part(${x}.bloco_nome, ' ', 1) || '|' || NULLIF(split_part(${x}.nome_chave, ' ', ${k}), '')`),
    sinal: primeiroNomeFonetico,
  },
  // phonetic first name, the mother's phonetic last name, birth date: the last name changed and the mother's given
  // name mistyped (DEBORA/DEORA) — her surname, often the person's too, is kept
  {
    nome: 'prenome+mae-sobrenome+nascimento',
    chaves: (x) => [`split_part(${x}.bloco_nome, ' ', 1) || '|' || NULLIF(split_part(${x}.bloco_mae, ' ', 2), '')`],
    sinal: primeiroNomeFonetico,
  },
  // initial of the phonetic first name, phonetic last name, birth date: the first name mistyped (the sounds of its
  // first letter kept: CATIA/KATIA, HELENA/ELENA share it) and no mother's name
  {
    nome: 'inicial+sobrenome+nascimento',
    chaves: (x) => [inicialSobrenome(x)],
    sinal: inicialSobrenome,
  },
];

/** `VALUES (regra, chave, dia), …` of the blocking rules over alias x for each birth-date expression (for a LATERAL join). */
function chavesPorDia(x: string, dias: readonly string[]): string {
  return `VALUES ${dias.flatMap((dia) => REGRAS.flatMap((r, i) => r.chaves(x).map((c) => `(${i + 1}, ${c}, ${dia})`))).join(', ')}`;
}

/** The keys of the blocking rules over alias x, the birth date as it is: `LATERAL (${chavesRegras('l')}) v(regra, chave, dia)`. */
export const chavesRegras = (x: string) => chavesPorDia(x, [diaNascimento(x)]);

/** The same plus each rule's key with the day/month swap of the birth date (NULL where there is none). */
export const chavesRegrasComTroca = (x: string) => chavesPorDia(x, [diaNascimento(x), diaNascimentoTrocado(x)]);

/** A key set's rows with a key (aliases of `v(regra, chave, dia)`): a NULL text or date is no key. */
export const temChave = (v: string) => `${v}.chave IS NOT NULL AND ${v}.dia IS NOT NULL`;

/** The distinct signal expressions of the rules (two rules may share one: the phonetic first name), numbered from 1. */
const SINAIS: readonly ((x: string) => string)[] = [...new Map(REGRAS.map((r) => [r.sinal('x'), r.sinal])).values()];

/** Number of a rule's own keys in a signal table (`sinaisComTroca`): its index + 101, apart from the signals' numbers. */
const sinalDaRegra = (indice: number) => indice + 101;

/**
 * For each signal, the rules sharing it whose key is not the signal itself (the phonetic first name: the names, the
 * first name with a later word, the first name with the mother's last name), by index in REGRAS. A row meeting such
 * a signal still shares no key with the query rows unless it has one of these rules' keys on that day: the signal
 * alone let through every row of a common first name born on a query row's day — a share of the base that grows with
 * the base, while the rows sharing a key stay the person's own rows and a few namesakes.
 */
const CONFIRMAR: readonly (readonly number[])[] = SINAIS.map((s) =>
  REGRAS.flatMap((r, i) => {
    const chaves = r.chaves('x');
    return r.sinal('x') === s('x') && !(chaves.length === 1 && chaves[0] === r.sinal('x')) ? [i] : [];
  }),
);

/**
 * `VALUES (sinal, valor, data), …` of row alias x with its birth date and with its day/month swap (for a LATERAL join;
 * a NULL value or date is none): its signals (numbered from 1) and the keys of the rules `CONFIRMAR` names (numbered
 * `sinalDaRegra`). What fills a table for `compartilhaSinal`.
 */
export const sinaisComTroca = (x: string) =>
  `VALUES ${[`${x}.data_nascimento`, trocarDia(x)]
    .flatMap((d) => [
      ...SINAIS.map((s, i) => `(${i + 1}, ${s(x)}, ${d})`),
      ...CONFIRMAR.flat().flatMap((r) => REGRAS[r].chaves(x).map((c) => `(${sinalDaRegra(r)}, ${c}, ${d})`)),
    ])
    .join(', ')}`;

/**
 * Condition on row alias x: it shares, on its birth date as it is, a blocking key with one of the rows whose signals
 * and keys fill `tabela(sinal, valor, data)` (`sinaisComTroca`) — exactly the rows sharing a key with them (the keys
 * hold the birth date, equal or swapped). Written signal first: one cheap value per signal, then a rule's keys for a
 * row that met the signal its rule shares (an AND nested in an OR is evaluated in the order written, stopping at the
 * first false operand), so a scan of the base filtered by it builds the keys of few rows, however many days the rows
 * it looks for cover. Each key of the first-name rules is its own hashed subplan over the same rows of the table (four
 * for `prenome+sobrenome+nascimento`): built once per statement, from the query rows only.
 */
export const compartilhaSinal = (x: string, tabela: string) => {
  const em = (valor: string, sinal: number) => `(${x}.data_nascimento, ${valor}) IN (SELECT data, valor FROM ${tabela} WHERE sinal = ${sinal})`;
  return `(${SINAIS.map((s, i) => {
    const chaves = CONFIRMAR[i].flatMap((r) => REGRAS[r].chaves(x).map((c) => em(c, sinalDaRegra(r))));
    return chaves.length === 0 ? em(s(x), i + 1) : `(${em(s(x), i + 1)} AND (${chaves.join(' OR ')}))`;
  }).join(' OR ')})`;
};

/** Join condition of two key sets (aliases with columns regra, chave, dia). */
export const mesmaChave = (a: string, b: string) => `${a}.regra = ${b}.regra AND ${a}.chave = ${b}.chave AND ${a}.dia = ${b}.dia`;

/**
 * Runs a statement that joins the keys computed for every row of a table (the base, the load's staging) with a keyed
 * temp table. Left to itself PostgreSQL merge-joined them, sorting all the computed keys — at 1 M generated persons
 * 13.5 M keys spilled to disk (550 MB) in one load's candidate search (auto_explain); a hash join builds on the temp
 * table and streams the computed keys. JIT compilation is off for it too: the planner's estimate of the computed keys
 * (every row of the base times the number of keys) is far above what the signals let through, so a server with JIT on
 * (PostgreSQL's default) compiled, inlined and optimised the statement's expressions every time — on 1 M generated
 * persons, replaying the outros load's candidate search on the loaded base: 6.4 s with JIT and 4.5 s without (5.6 s
 * and 4.5 s with the signals of commit 09d8a3f), the same rows. The settings are the transaction's, set back to their
 * defaults after the statement.
 */
export async function juntarChaves(cliente: pg.ClientBase, sql: string): Promise<pg.QueryResult> {
  await cliente.query(`SET LOCAL enable_mergejoin = off`);
  await cliente.query(`SET LOCAL jit = off`);
  const r = await cliente.query(sql);
  await cliente.query(`SET LOCAL enable_mergejoin TO DEFAULT`);
  await cliente.query(`SET LOCAL jit TO DEFAULT`);
  return r;
}

const semAcento = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '');

/** Parses the `atributos` columns starting at `i`. */
export function lerLinha(c: readonly (string | null)[], i: number): LinhaComparavel {
  const nome = c[i + 1];
  const mae = c[i + 2];
  const pai = c[i + 3];
  const municipio = c[i + 6];
  return {
    fonte: c[i] ?? '',
    nome: nome === null ? null : nome.split(' '),
    mae: mae === null ? null : mae.split(' '),
    pai: pai === null ? null : (chaveNome(pai)?.split(' ') ?? null),
    nascimento: c[i + 4],
    sexo: c[i + 5],
    municipio: municipio === null ? null : semAcento(municipio).toUpperCase(),
    cpfMae: c[i + 7],
    telefone: c[i + 8],
    email: c[i + 9],
    cpf: c[i + 10],
  };
}

/** SQL string literal (COPY statements take no bind parameters). */
export const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;
