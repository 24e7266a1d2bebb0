/**
 * How the linkage reads rows from `carga_staging` and `linha_carga`: the SQL that projects a row onto the compared
 * attributes and the blocking keys, and the parser of those columns back into a `LinhaComparavel`.
 */
import { chaveNome } from '../normalizar.js';
import type { LinhaComparavel } from './comparar.js';

/** Digits of the row's own CPF to compare: a valid CPF the row owns, or an invalid one that is likely a typo of one. */
const cpfComparavel = (x: string) =>
  `CASE WHEN ${x}.triagem = 'base-unica' AND NOT ${x}.cpf_de_outra_pessoa THEN ${x}.cpf::text
        WHEN ${x}.triagem = 'cpf-invalido' AND ${x}.motivo IN ('digito', 'tamanho', 'caractere') THEN regexp_replace(${x}.cpf_bruto, '[^0-9]', '', 'g') END`;

/** The mother's CPF, or the CPF a row carries that is not the person's own (a guardian's, usually the mother's). */
const cpfMaeEfetivo = (x: string) => `COALESCE(${x}.cpf_mae, CASE WHEN ${x}.cpf_de_outra_pessoa THEN ${x}.cpf END)::text`;

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

/**
 * Blocking rules: a pair is compared when it shares the key of at least one rule (union). Each rule is an SQL
 * expression over row alias `x` and a birth-date expression `dia` (NULL: the row has no key for that rule). Every
 * rule includes the birth date with day and month order-free: one side of a join takes its keys with both the date and
 * its swap (`valoresRegrasComTroca`), the other only the date as it is (`valoresRegras`), so two rows share a key
 * exactly when their dates are equal or swapped — and the side scanned in full (the base) computes the cheap one.
 */
export const REGRAS: readonly { readonly nome: string; readonly chave: (x: string, dia: string) => string }[] = [
  // phonetic first + last name, birth date
  { nome: 'nome+nascimento', chave: (x, dia) => `${x}.bloco_nome || '|' || ${dia}` },
  // mother's phonetic first + last name, birth date: married names, typos in the person's name
  { nome: 'mae+nascimento', chave: (x, dia) => `${x}.bloco_mae || '|' || ${dia}` },
  // mother's (or guardian's) CPF, birth date
  { nome: 'cpf-mae+nascimento', chave: (x, dia) => `${cpfMaeEfetivo(x)} || '|' || ${dia}` },
  // phonetic first name, birth date: last name changed or mistyped and no mother's name
  { nome: 'prenome+nascimento', chave: (x, dia) => `split_part(${x}.bloco_nome, ' ', 1) || '|' || ${dia}` },
  // phonetic last name, birth date: first name mistyped and no mother's name
  { nome: 'sobrenome+nascimento', chave: (x, dia) => `NULLIF(split_part(${x}.bloco_nome, ' ', 2), '') || '|' || ${dia}` },
];

/** `VALUES (1, key1), (2, key2)…` of the blocking rules over alias x, the birth date as it is. */
export const valoresRegras = (x: string) => REGRAS.map((r, i) => `(${i + 1}, ${r.chave(x, diaNascimento(x))})`).join(', ');

/** The same plus each rule's key with the day/month swap of the birth date (NULL where there is none). */
export const valoresRegrasComTroca = (x: string) =>
  [valoresRegras(x), ...REGRAS.map((r, i) => `(${i + 1}, ${r.chave(x, diaNascimentoTrocado(x))})`)].join(', ');

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
