import { describe, expect, it } from '@jest/globals';
import type { RegistroCarga } from '../registro.js';
import { chaveFonetica, chaveFoneticaNome, chavesDeBloqueio } from './chaves.js';

describe('chaveFonetica (Portuguese names)', () => {
  // Codes worked by hand from the rules in chaves.ts.
  it.each([
    ['MARIA', 'MR'],
    ['THIAGO', 'TG'],
    ['LUIZ', 'LS'],
    ['WAGNER', 'VGNR'],
    ['RAPHAEL', 'RFL'],
    ['ELIZABETH', 'ELSBT'],
    ['YASMIN', 'ISM'],
    ['JÉSSICA', 'JSK'],
    ['CHRISTIANE', 'KRSTN'],
    ['NASCIMENTO', 'NSMT'],
    ['GONÇALVES', 'GMKLVS'],
    ['JOAQUIM', 'JKM'],
    ['MILTON', 'MLTM'],
    ['XAVIER', 'XVR'],
    ['SOUZA', 'S'],
    ['', ''],
  ])('%s → %s', (palavra, codigo) => {
    expect(chaveFonetica(palavra)).toBe(codigo);
  });

  it.each([
    ['THIAGO', 'TIAGO'],
    ['LUIZ', 'LUIS'],
    ['MATHEUS', 'MATEUS'],
    ['WAGNER', 'VAGNER'],
    ['SOUZA', 'SOUSA'],
    ['RAPHAEL', 'RAFAEL'],
    ['ELIZABETH', 'ELISABETE'],
    ['YASMIN', 'IASMIM'],
    ['JÉSSICA', 'GESSICA'],
    ['KATIA', 'CATIA'],
    ['CHRISTIANE', 'CRISTIANE'],
    ['NASCIMENTO', 'NASIMENTO'],
    ['XAVIER', 'CHAVIER'],
    ['HELENA', 'ELENA'],
    ['ANNA', 'ANA'],
    ['JOAQUIM', 'JOAKIM'],
    ['MILTON', 'MILTOM'],
    ['MICHELLE', 'MIXELE'],
    ['NATHALIA', 'NATALIA'],
    ['FELLIPE', 'FELIPE'],
    ['CONCEIÇÃO', 'CONCEICAO'],
    ['ANTÔNIO', 'ANTONIO'],
    ['SYLVIA', 'SILVIA'],
    ['ISABEL', 'IZABEL'],
  ])('%s and %s share a code', (a, b) => {
    expect(chaveFonetica(a)).toBe(chaveFonetica(b));
  });

  it.each([
    ['MARIA', 'ANA'],
    ['JOSE', 'JOAO'],
    ['PEDRO', 'PAULO'],
    ['SILVA', 'SOUZA'],
  ])('%s and %s differ', (a, b) => {
    expect(chaveFonetica(a)).not.toBe(chaveFonetica(b));
  });

  it.each([
    ['FERNANDA', 'FERNANDO'],
    ['MARIA', 'MARIO'],
  ])('%s and %s share a code (vowels after the first letter are dropped; the scoring compares sex and spelling)', (a, b) => {
    expect(chaveFonetica(a)).toBe(chaveFonetica(b));
  });

  it.each([
    ['CARLOS', 'CARLA'],
    ['FERNANDA', 'FABIANA'],
  ])('%s and %s differ too', (a, b) => {
    expect(chaveFonetica(a)).not.toBe(chaveFonetica(b));
  });
});

describe('chaveFoneticaNome', () => {
  it.each<[string | null, string | null]>([
    ['MARIA JOSE AVILA SANTOS', 'MR SMTS'],
    ['ANTONIO F CAMPOS', 'AMTN KMPS'],
    ['JOSE SILVA FILHO', 'JS SLV'],
    ['JOSE CARLOS SILVA JUNIOR', 'JS SLV'],
    ['JOSE SILVA', 'JS SLV'],
    ['JOAO NETO', 'J NT'],
    ['MARIA', 'MR'],
    ['A', 'A'],
    [null, null],
  ])('%j → %j', (nome, chave) => {
    expect(chaveFoneticaNome(nome)).toBe(chave);
  });
});

describe('chavesDeBloqueio', () => {
  const registro = (nomeChave: string | null, nomeMaeChave: string | null): RegistroCarga => ({
    fonte: 'siga', linha: 1, chave: '1', triagem: { categoria: 'sem-cpf' }, cpfBruto: null, nome: nomeChave, nomeChave, nomeSocial: null, nomeMae: nomeMaeChave,
    nomeMaeChave, nomePai: null, cpfMae: null, cpfPai: null, dataNascimento: null, dataObito: null, sexo: null, obito: null, email: null,
    telefone: null, municipio: null, uf: null, problemas: [],
  });
  it('keys the name and the mother name', () => {
    expect(chavesDeBloqueio(registro('THIAGO SOUZA LIMA', 'ELIZABETH SOUSA'))).toEqual({ blocoNome: 'TG LM', blocoMae: 'ELSBT S' });
  });
  it('a missing mother name has no key', () => {
    expect(chavesDeBloqueio(registro('ANA LIMA', null))).toEqual({ blocoNome: 'AN LM', blocoMae: null });
  });
});
