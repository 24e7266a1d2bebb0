/**
 * Name variants in batch loads (issue 11): which differences are not conflicts, and what the PMCC decides for them.
 * Every expectation is written by hand.
 */
import { describe, expect, it } from '@jest/globals';
import { CADASTRO_PESSOA } from '../entrada-unica/cadastros.js';
import { decidirMudancas } from '../entrada-unica/decidir-pmcc.js';
import type { Ator } from './decidir.js';
import { relacaoNomes, type RelacaoNomes } from './variantes-nome.js';

describe('relacaoNomes(atual, novo)', () => {
  const casos: [string, string, RelacaoNomes][] = [
    ['Maria Lopes Silva', 'Maria Lopes Silva', 'igual'],
    // case, punctuation, spacing
    ['PEDRO CLÁUDIO SANTOS', 'Pedro  Cláudio Santos', 'equivalente'],
    // accents: the accented form is the fuller one
    ['PEDRO CLÁUDIO SANTOS', 'PEDRO CLAUDIO SANTOS', 'equivalente'],
    ['PEDRO CLAUDIO SANTOS', 'PEDRO CLÁUDIO SANTOS', 'mais-completo'],
    // a middle name reduced to its initial, or dropped
    ['MARIA LOPES SILVA', 'MARIA L. SILVA', 'menos-completo'],
    ['MARIA L SILVA', 'MARIA LOPES SILVA', 'mais-completo'],
    ['LEONARDO CAMPOS CORREIA', 'LEONARDO C. CORREIA', 'menos-completo'],
    ['JOÃO SILVA AZEVEDO', 'JOAO AZEVEDO', 'menos-completo'],
    ['MARIA FERNANDA DIAS SOUZA AZEVEDO', 'MARIA FERNANDA DIAS AZEVEDO', 'menos-completo'],
    ['MARIA DO MIRANDA RODRIGUES', 'MARIA DO M. RODRIGUES', 'menos-completo'],
    // connectives
    ['JOAO LIMA', 'JOAO DE LIMA', 'mais-completo'],
    ['MARIA DA SILVA', 'MARIA DE SILVA', 'equivalente'],
    // real conflicts
    ['MARIA ALINE SANTOS CARDOSO CARVALHO', 'MARIA ALINE SANTOS CARDOSO', 'diferente'], // last surname dropped (married name?)
    ['MARIA NUNES RODRIGUES', 'MARIA SANTOS', 'diferente'],
    ['RAFAEL SAOTOS ROCHA', 'RAFAEL SANTOS ROCHA', 'diferente'], // a typo is a conflict a steward decides
    ['ANA SILVA', 'ANA SOUZA SILVA', 'mais-completo'],
    ['ANA SILVA', 'ANA', 'diferente'], // one word is not a name's reduction
    ['M SILVA', 'MARIA SILVA', 'diferente'], // an initial first name is never taken for the name
    ['MARIA L SILVA', 'MARIA P SILVA', 'diferente'],
    ['JOSÉ CARLOS SOUZA', 'JOSÉ SOUZA CARLOS', 'diferente'], // order matters
    // agnomes: left out or abbreviated, the written-out form is the fuller one
    ['JOSÉ CARLOS DA SILVA FILHO', 'JOSE CARLOS SILVA', 'menos-completo'],
    ['JOSE SILVA', 'JOSÉ DA SILVA NETO', 'mais-completo'],
    ['JOAO SOUZA JR', 'JOÃO SOUZA JÚNIOR', 'mais-completo'],
    ['JOAO SOUZA JUNIOR', 'JOAO SOUZA JR.', 'menos-completo'],
    ['JOSE SILVA NETO', 'JOSE SILVA SOBRINHO', 'diferente'], // two agnomes: two names
    ['JOSE NETO', 'JOSE', 'diferente'], // NETO, the only surname, is not left out
    // a form of address is no part of the name
    ['DR. JOÃO SILVA', 'JOÃO SILVA', 'mais-completo'],
    ['JOÃO SILVA', 'Dr. João Silva', 'menos-completo'],
    ['JOAO SILVA', 'DR JOÃO SILVA', 'menos-completo'], // its accents do not bring the form of address in
    ['JOÃO SILVA', 'DR. JOÃO CARLOS SILVA', 'diferente'], // a fuller name with a form of address: a steward decides
    ['SRA MARIA L SOUZA', 'MARIA LUIZA SOUZA', 'mais-completo'],
    ['DR SILVA', 'SILVA', 'diferente'], // two words: DR is taken as written
  ];
  it.each(casos)('%s → %s: %s', (atual, novo, esperado) => {
    expect(relacaoNomes(atual, novo)).toBe(esperado);
  });
});

describe('decidirMudancas: name variants from a batch load', () => {
  const fazenda: Ator = { tipo: 'carga', fonte: 'fazenda', lote: 'l1' };
  const siga: Ator = { tipo: 'carga', fonte: 'saude-siga', lote: 'l2' };
  const atual = { cpf: '52998224725', nome: 'MARIA LOPES SILVA', nomeMae: 'ANA PAULA LOPES', dataNascimento: '1980-05-01' };
  const vigentes = new Map([
    ['nome', { fonte: 'saude-siga', observadoEm: '2026-01-01T00:00:00.000Z' }],
    ['nomeMae', { fonte: 'saude-siga', observadoEm: '2026-01-01T00:00:00.000Z' }],
  ]);
  const decidirCom = (ator: Ator, campos: Record<string, unknown>) =>
    decidirMudancas({ cad: CADASTRO_PESSOA, atual, campos, ator, temEvidencia: false, observadoEm: '2026-02-01T00:00:00.000Z', vigentes });

  it('an equivalent name (accents, case) changes nothing and opens nothing', () => {
    expect(decidirCom(fazenda, { nome: 'Maria  Lopes Silva', nomeMae: 'ANA PAULA LOPES' })).toEqual([]);
  });

  it('a lower-precedence source with the abbreviated form: kept as an alternative, no review', () => {
    const [m] = decidirCom(fazenda, { nome: 'MARIA L. SILVA' });
    expect(m.decisao).toMatchObject({ codigo: 'VARIANTE_DE_NOME', resultado: 'rejeitar', aplicar: false, guardarAlternativa: true, abrirRevisao: false });
  });

  it('a lower-precedence source with the fuller form replaces the current value, no review', () => {
    const [m] = decidirCom(fazenda, { nomeMae: 'ANA PAULA DE SOUZA LOPES' });
    expect(m.decisao).toMatchObject({ codigo: 'VARIANTE_DE_NOME', resultado: 'aceitar', aplicar: true, abrirRevisao: false });
  });

  it('a higher-precedence source does not replace the full name by its abbreviation', () => {
    const fz = new Map([['nome', { fonte: 'fazenda', observadoEm: '2026-01-01T00:00:00.000Z' }]]);
    const [m] = decidirMudancas({ cad: CADASTRO_PESSOA, atual, campos: { nome: 'MARIA SILVA' }, ator: siga, temEvidencia: false, observadoEm: '2026-02-01T00:00:00.000Z', vigentes: fz });
    expect(m.decisao).toMatchObject({ codigo: 'VARIANTE_DE_NOME', aplicar: false, guardarAlternativa: true, abrirRevisao: false });
  });

  it('a different name is still a conflict for a steward', () => {
    const [m] = decidirCom(fazenda, { nome: 'MARIA LOPES SANTOS' });
    expect(m.decisao).toMatchObject({ codigo: 'PRECEDENCIA_INFERIOR', guardarAlternativa: true, abrirRevisao: true });
  });

  it('a steward or a citizen is never treated this way: their change is deliberate', () => {
    const gestor: Ator = { tipo: 'gestor', username: 'gestora.maria', orgao: 'smit' };
    const [g] = decidirMudancas({ cad: CADASTRO_PESSOA, atual, campos: { nome: 'MARIA LÓPES SILVA' }, ator: gestor, temEvidencia: true, observadoEm: '2026-02-01T00:00:00.000Z', vigentes });
    expect(g.decisao.codigo).toBe('ACEITO');
    const cidadao: Ator = { tipo: 'cidadao', cpf: '52998224725' };
    const [c] = decidirMudancas({ cad: CADASTRO_PESSOA, atual, campos: { nome: 'Maria Lopes Silva' }, ator: cidadao, temEvidencia: false, observadoEm: '2026-02-01T00:00:00.000Z', vigentes });
    expect(c.decisao.codigo).toBe('SOLICITACAO_DO_CIDADAO');
  });
});
