/**
 * How each of the five demo sources writes a person's row: file name, encoding, delimiter, quoting, header and the
 * textual form of every value. Written independently of the mapping files in `../fontes/` on purpose: the tests
 * check that the mappings read what these layouts write.
 */
import type { Aleatorio } from './prng.js';

export const FONTES_GERADAS = ['fazenda', 'siga', 'eol', 'bdc', 'outros'] as const;
export type FonteGerada = (typeof FONTES_GERADAS)[number];

/** A source row before formatting: the person's data as this source holds it (already perturbed). */
export interface LinhaFonte {
  readonly chave: string;
  /** CPF column text, already in the source's written form (or a placeholder / empty). */
  readonly cpfTexto: string;
  readonly nome: string;
  readonly nomeSocial: string | null;
  readonly nascimento: { readonly a: number; readonly m: number; readonly d: number };
  readonly sexo: 'M' | 'F';
  readonly nomeMae: string | null;
  readonly cpfMae: string | null;
  readonly nomePai: string | null;
  readonly municipio: string;
  readonly uf: string;
  readonly email: string | null;
  readonly telefone: string | null;
  readonly obito: { readonly a: number; readonly m: number; readonly d: number } | null;
}

export interface Layout {
  readonly arquivo: string;
  readonly codificacao: 'utf-8' | 'latin1';
  readonly delimitador: string;
  /** true: quote every non-empty field; 'minimo': only when needed; false: never. */
  readonly aspas: boolean | 'minimo';
  readonly cabecalho: readonly string[];
  /** How "no CPF" is written (chosen at random per row). */
  readonly semCpf: readonly string[];
  /** The CPF column is numeric: leading zeros are lost. */
  readonly cpfNumerico: boolean;
  /** Mask `000.000.000-00` with this probability. */
  readonly mascaraCpf: number;
  chave(n: number): string;
  linha(l: LinhaFonte, r: Aleatorio): string[];
}

const p2 = (n: number) => String(n).padStart(2, '0');
const p4 = (n: number) => String(n).padStart(4, '0');
const semAcento = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
const titulo = (s: string) => s.toLowerCase().replace(/(^|[\s'-])(\p{L})/gu, (_m, a: string, b: string) => a + b.toUpperCase()).replace(/\b(D[aeo]s?|E)\b/g, (x) => x.toLowerCase());
const telefoneFormatado = (t: string | null) => (t === null ? '' : `(${t.slice(0, 2)}) ${t.slice(2, -4)}-${t.slice(-4)}`);

export const LAYOUTS: Readonly<Record<FonteGerada, Layout>> = {
  fazenda: {
    arquivo: 'fazenda.csv', codificacao: 'utf-8', delimitador: ';', aspas: 'minimo',
    cabecalho: ['INSCRICAO', 'CPF_CNPJ', 'NOME_CONTRIBUINTE', 'DATA_NASCIMENTO', 'SEXO', 'NOME_MAE', 'EMAIL', 'TELEFONE', 'MUNICIPIO', 'UF'],
    semCpf: ['', '000.000.000-00', 'NAO CONSTA'], cpfNumerico: false, mascaraCpf: 1,
    chave: (n) => `IM${String(n).padStart(9, '0')}`,
    linha: (l) => [
      l.chave, l.cpfTexto, titulo(l.nome), `${p2(l.nascimento.d)}/${p2(l.nascimento.m)}/${p4(l.nascimento.a)}`, l.sexo,
      l.nomeMae === null ? 'NAO CONSTA' : titulo(l.nomeMae), l.email ?? '', telefoneFormatado(l.telefone), l.municipio, l.uf,
    ],
  },
  siga: {
    arquivo: 'siga.txt', codificacao: 'latin1', delimitador: '|', aspas: false,
    cabecalho: ['CD_PACIENTE', 'NU_CPF', 'NO_PACIENTE', 'NO_SOCIAL', 'DT_NASCIMENTO', 'TP_SEXO', 'NO_MAE', 'NU_CPF_MAE', 'NO_PAI', 'DS_MUNICIPIO_UF', 'ST_OBITO', 'DT_OBITO', 'SG_SISTEMA_ORIGEM'],
    semCpf: ['', '99999999999', '0', 'IGNORADO'], cpfNumerico: true, mascaraCpf: 0,
    chave: (n) => String(3000000 + n),
    linha: (l, r) => {
      const hospub = r.chance(0.3);
      const data = (x: { a: number; m: number; d: number }) => (hospub ? `${p2(x.d)}${p2(x.m)}${p4(x.a)}` : `${p4(x.a)}-${p2(x.m)}-${p2(x.d)}`);
      return [
        l.chave, l.cpfTexto, semAcento(l.nome).slice(0, 50), l.nomeSocial === null ? '' : semAcento(l.nomeSocial), data(l.nascimento), l.sexo === 'M' ? 'MASCULINO' : 'FEMININO',
        l.nomeMae === null ? 'IGNORADA' : semAcento(l.nomeMae), l.cpfMae === null ? '' : l.cpfMae.replace(/^0+/, ''), l.nomePai === null ? 'IGNORADO' : semAcento(l.nomePai),
        `${semAcento(l.municipio)}/${l.uf}`, l.obito ? 'S' : 'N', l.obito ? data(l.obito) : '', hospub ? 'HOSPUB' : 'SIGA',
      ];
    },
  },
  eol: {
    arquivo: 'eol.csv', codificacao: 'utf-8', delimitador: ',', aspas: 'minimo',
    cabecalho: ['cd_aluno', 'nm_aluno', 'nm_social', 'dt_nascimento_aluno', 'cd_sexo', 'nr_cpf', 'nm_mae', 'nr_cpf_mae', 'nm_pai', 'email_responsavel', 'tel_responsavel', 'cidade_nascimento', 'uf_nascimento'],
    semCpf: ['', 'NAO INFORMADO'], cpfNumerico: false, mascaraCpf: 0,
    chave: (n) => String(n),
    linha: (l, r) => [
      l.chave, titulo(l.nome), l.nomeSocial === null ? '' : titulo(l.nomeSocial),
      r.chance(0.5) ? `${p4(l.nascimento.a)}-${p2(l.nascimento.m)}-${p2(l.nascimento.d)}` : `${p2(l.nascimento.d)}/${p2(l.nascimento.m)}/${p4(l.nascimento.a)}`,
      l.sexo === 'M' ? '1' : '2', l.cpfTexto, l.nomeMae === null ? '' : titulo(l.nomeMae), l.cpfMae ?? '', l.nomePai === null ? '' : titulo(l.nomePai),
      l.email ?? '', telefoneFormatado(l.telefone), titulo(l.municipio), l.uf.toLowerCase(),
    ],
  },
  bdc: {
    arquivo: 'bdc.csv', codificacao: 'latin1', delimitador: ';', aspas: true,
    cabecalho: ['ID_CIDADAO', 'NOME', 'NOME_MAE', 'DATA_NASC', 'SEXO', 'CPF', 'CIDADE/UF', 'TELEFONE', 'FALECIDO'],
    semCpf: ['', 'NAO CONSTA', '000.000.000-00', 'IGNORADO'], cpfNumerico: false, mascaraCpf: 0.5,
    chave: (n) => `BDC-${n}`,
    linha: (l, r) => [
      l.chave, l.nome, l.nomeMae ?? 'NAO CONSTA',
      r.chance(0.7) ? `${p2(l.nascimento.d)}/${p2(l.nascimento.m)}/${p4(l.nascimento.a)}` : `${p2(l.nascimento.d)}-${p2(l.nascimento.m)}-${p4(l.nascimento.a)}`,
      l.sexo === 'M' ? 'MASCULINO' : 'FEMININO', l.cpfTexto, `${l.municipio}/${l.uf}`, telefoneFormatado(l.telefone), l.obito && r.chance(0.7) ? 'S' : 'N',
    ],
  },
  outros: {
    arquivo: 'outros.tsv', codificacao: 'utf-8', delimitador: '\t', aspas: false,
    cabecalho: ['id', 'nome_completo', 'data_nasc', 'sexo', 'cpf', 'mae', 'email', 'celular', 'municipio'],
    semCpf: ['', '99999999999', '000.000.000-00'], cpfNumerico: false, mascaraCpf: 0,
    chave: (n) => `O${n}`,
    linha: (l, r) => [
      l.chave, semAcento(l.nome),
      r.chance(0.5) ? `${p2(l.nascimento.d)}${p2(l.nascimento.m)}${p4(l.nascimento.a)}` : `${p4(l.nascimento.a)}${p2(l.nascimento.m)}${p2(l.nascimento.d)}`,
      r.chance(0.03) ? 'I' : l.sexo, l.cpfTexto, l.nomeMae === null ? 'NAO CONSTA' : semAcento(l.nomeMae), l.email ?? '', l.telefone ?? '', semAcento(l.municipio),
    ],
  },
};
