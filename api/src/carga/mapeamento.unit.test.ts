import { describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { carregarMapeamento, ErroMapeamento, validarMapeamento } from './mapeamento.js';

const dir = fileURLToPath(new URL('./fontes/', import.meta.url));

function minimo(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    fonte: 'teste',
    descricao: 'Fonte de teste',
    pmcc: 'smads-bdc',
    cmbd: { sigla: 'SMADS', fonteCarga: 'smads-bdc' },
    arquivo: { codificacao: 'utf-8', delimitador: ';', aspas: '"' },
    chave: 'ID',
    campos: { cpf: { coluna: 'CPF' }, nome: { coluna: 'NOME' } },
    ...extra,
  };
}

function erroDe(entrada: unknown): ErroMapeamento {
  try {
    validarMapeamento(entrada, 'teste.yaml');
  } catch (e) {
    if (e instanceof ErroMapeamento) return e;
    throw e;
  }
  throw new Error('esperava ErroMapeamento');
}

describe('mapping files of the five demo sources', () => {
  it.each([
    ['fazenda', 'fazenda', 'SF', 'utf-8', ';', 'INSCRICAO'],
    ['siga', 'saude-siga', 'SMS', 'latin1', '|', 'CD_PACIENTE'],
    ['eol', 'educacao-eol', 'SME', 'utf-8', ',', 'cd_aluno'],
    ['bdc', 'smads-bdc', 'SMADS', 'latin1', ';', 'ID_CIDADAO'],
    ['outros', 'outras-municipais', 'SMIT', 'utf-8', '\t', 'id'],
  ])('%s.yaml loads (PMCC %s, CMBD %s, %s, delimiter %j, key %s)', async (fonte, pmcc, sigla, codificacao, delimitador, chave) => {
    const m = await carregarMapeamento(`${dir}${fonte}.yaml`);
    expect(m.fonte).toBe(fonte);
    expect(m.pmcc).toBe(pmcc);
    expect(m.cmbd.sigla).toBe(sigla);
    expect(m.cmbd.fonteCarga).toBe(pmcc);
    expect(m.arquivo.codificacao).toBe(codificacao);
    expect(m.arquivo.delimitador).toBe(delimitador);
    expect(m.chave).toBe(chave);
  });

  it('siga: CPF as a number, date format chosen by the sub-system column, CIDADE/UF split', async () => {
    const m = await carregarMapeamento(`${dir}siga.yaml`);
    expect(m.arquivo.aspas).toBeNull();
    expect(m.campos.cpf).toMatchObject({ coluna: 'NU_CPF', cpfNumerico: true, nulos: ['99999999999', '0'] });
    expect(m.campos.dataNascimento?.formatosPor).toEqual({ coluna: 'SG_SISTEMA_ORIGEM', valores: { SIGA: ['YYYY-MM-DD'], HOSPUB: ['DDMMYYYY'] }, padrao: ['DD/MM/YYYY', 'YYYY-MM-DD'] });
    expect(m.campos.uf?.dividir).toEqual({ separador: '/', indice: 1 });
    expect(m.campos.obito?.valores).toEqual({ S: true, N: false });
    // A health register: a minor may be registered under the mother's or guardian's CPF.
    expect(m.cpfDoResponsavel).toBe(true);
  });

  it('defaults: no file-wide placeholders, anoMinimo 1850, not numeric', () => {
    const m = validarMapeamento(minimo(), 'x.yaml');
    expect(m.nulos).toEqual([]);
    expect(m.anoMinimo).toBe(1850);
    expect(m.cpfDoResponsavel).toBe(false);
    expect(m.campos.cpf).toEqual({ coluna: 'CPF', nulos: [], dividir: null, cpfNumerico: false, formatos: [], formatosPor: null, valores: null });
  });
});

describe('validarMapeamento names the bad key', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['unknown root key', minimo({ separador: ';' }), 'separador: chave desconhecida'],
    ['PMCC source not in politicas.ts', minimo({ pmcc: 'bdc' }), 'pmcc: deve ser uma fonte conhecida do PMCC'],
    ['CMBD sigla in lower case', minimo({ cmbd: { sigla: 'smads', fonteCarga: 'smads-bdc' } }), 'cmbd.sigla:'],
    ['encoding', minimo({ arquivo: { codificacao: 'utf-16', delimitador: ';', aspas: '"' } }), 'arquivo.codificacao: deve ser utf-8, latin1 ou windows-1252'],
    ['two-character delimiter', minimo({ arquivo: { codificacao: 'utf-8', delimitador: ';;', aspas: '"' } }), 'arquivo.delimitador: deve ser um único caractere'],
    ['quote equal to delimiter', minimo({ arquivo: { codificacao: 'utf-8', delimitador: ';', aspas: ';' } }), 'arquivo.aspas: não pode ser igual ao delimitador'],
    ['missing key column', minimo({ chave: '' }), 'chave: obrigatório'],
    ['guardian flag not a boolean', minimo({ cpfDoResponsavel: 'sim' }), 'cpfDoResponsavel: deve ser true ou false'],
    ['unknown record field', minimo({ campos: { cpf: { coluna: 'CPF' }, nome: { coluna: 'N' }, apelido: { coluna: 'A' } } }), 'campos.apelido: campo desconhecido'],
    ['required field missing', minimo({ campos: { cpf: { coluna: 'CPF' } } }), 'campos.nome: obrigatório'],
    ['field without column', minimo({ campos: { cpf: { coluna: 'CPF' }, nome: {} } }), 'campos.nome.coluna: obrigatório'],
    ['sex code mapped to something else', minimo({ campos: { cpf: { coluna: 'C' }, nome: { coluna: 'N' }, sexo: { coluna: 'S', valores: { M: 'M', X: 'masculino' } } } }), 'campos.sexo.valores.X: deve ser M ou F'],
    ['death flag mapped to text', minimo({ campos: { cpf: { coluna: 'C' }, nome: { coluna: 'N' }, obito: { coluna: 'O', valores: { S: 'sim' } } } }), 'campos.obito.valores.S: deve ser true ou false'],
    ['bad date format', minimo({ campos: { cpf: { coluna: 'C' }, nome: { coluna: 'N' }, dataNascimento: { coluna: 'D', formatos: ['DD/MM/YYYY', 'DD/MM/YY'] } } }), 'campos.dataNascimento.formatos[1]: formato de data inválido “DD/MM/YY”'],
    ['date without formats', minimo({ campos: { cpf: { coluna: 'C' }, nome: { coluna: 'N' }, dataNascimento: { coluna: 'D' } } }), 'campos.dataNascimento: informe exatamente um de “formatos” ou “formatosPor”'],
    ['bad format chosen by column', minimo({ campos: { cpf: { coluna: 'C' }, nome: { coluna: 'N' }, dataNascimento: { coluna: 'D', formatosPor: { coluna: 'S', valores: { A: ['AAAA'] } } } } }), 'campos.dataNascimento.formatosPor.valores.A[0]: formato de data inválido “AAAA”'],
    ['cpfNumerico on a name', minimo({ campos: { cpf: { coluna: 'C' }, nome: { coluna: 'N', cpfNumerico: true } } }), 'campos.nome.cpfNumerico: só vale (true/false) para campos de CPF'],
    ['bad split', minimo({ campos: { cpf: { coluna: 'C' }, nome: { coluna: 'N' }, uf: { coluna: 'CIDADE/UF', dividir: { separador: '/', indice: -1 } } } }), 'campos.uf.dividir: deve ser { separador: texto, indice: inteiro ≥ 0 }'],
  ])('%s', (_caso, entrada, trecho) => {
    const e = erroDe(entrada);
    expect(e.message).toContain('teste.yaml');
    expect(e.message).toContain(trecho);
  });

  it('lists every broken key, not only the first', () => {
    const e = erroDe(minimo({ pmcc: 'x', chave: 3 }));
    expect(e.erros.map((x) => x.chave)).toEqual(['pmcc', 'chave']);
  });

  it('a YAML file with a typo in a key is refused (from YAML text)', () => {
    const texto = 'fonte: t1\ndescricao: d\npmcc: fazenda\ncmbd: {sigla: SF, fonteCarga: fazenda}\narquivo: {codificacao: utf-8, delimitador: ";", aspas: false}\nchave: ID\ncampos:\n  cpf: {coluna: CPF}\n  nome: {colunna: NOME}\n';
    const e = erroDe(parseYaml(texto));
    expect(e.erros).toEqual([
      { chave: 'campos.nome.colunna', mensagem: 'chave desconhecida' },
      { chave: 'campos.nome.coluna', mensagem: 'obrigatório: o cabeçalho da coluna na fonte' },
    ]);
  });
});
