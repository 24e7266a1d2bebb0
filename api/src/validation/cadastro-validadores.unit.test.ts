import { describe, expect, it } from '@jest/globals';
import { digitosVerificadoresCnpj, ehCnpjValido, normalizarCnpj } from './cnpj.js';
import { chaveDeBusca, motivoTextoInvalido, normalizarTexto } from './texto.js';
import { digitosVerificadoresTitulo, ehTituloEleitorValido, motivoTituloInvalido } from './titulo-eleitor.js';
import { ehUf } from './uf.js';
import { usarRelogioDosTestes } from '../../../test/support/relogio.js';

// Dates in this file are relative to the tests' "today", 2026-11-16 (test/support/relogio.ts), not to the day it runs.
usarRelogioDosTestes();

describe('CNPJ (numeric and alphanumeric)', () => {
  it.each([
    ['11.222.333/0001-81', true], // classic numeric
    ['11222333000181', true],
    ['12.ABC.345/01DE-35', true], // Receita Federal's published alphanumeric example
    ['12abc34501de35', true], // lower case is normalised
    ['12ABC34501DE36', false], // wrong second DV
    ['12ABC34501DE45', false], // wrong first DV
    ['12ABC34501DEAB', false], // DVs are always digits
    ['11222333000182', false],
    ['00000000000000', false], // repeated digits
    ['1122233300018', false], // 13 chars
    ['12ABC34501D#35', false],
  ])('%s → %s', (valor, esperado) => {
    expect(ehCnpjValido(normalizarCnpj(valor))).toBe(esperado);
  });

  it('a char is worth its ASCII code − 48', () => {
    // 'A' = 65 − 48 = 17. DV1: weights 5,4,3,2,9,8,7,6,5,4,3,2 sum to 58; 17·58 = 986; 986 mod 11 = 7 → 11 − 7 = 4.
    // DV2: weights 6,5,4,3,2,9,8,7,6,5,4,3 sum to 62; 17·62 + 4·2 = 1062; 1062 mod 11 = 6 → 11 − 6 = 5.
    expect(digitosVerificadoresCnpj('AAAAAAAAAAAA')).toBe('45');
    expect(digitosVerificadoresCnpj('112223330001')).toBe('81');
  });
});

describe('título de eleitor', () => {
  it('computes DVs with mod 11 and the SP/MG rule', () => {
    // 0043 5687 | 09 (GO) — Σ = 0·2+0·3+4·4+3·5+5·6+6·7+8·8+7·9 = 230, 230 mod 11 = 10 → 0; (0·7+9·8+0·9)=72 mod 11 = 6
    expect(digitosVerificadoresTitulo('00435687', '09')).toBe('06');
    // 00000000: Σ = 0 → SP gives DV1 1 (then 0·7+1·8+1·9 = 17 → 6); BA gives DV1 0 (then 0·7+5·8+0·9 = 40 → 7)
    expect(digitosVerificadoresTitulo('00000000', '01')).toBe('16');
    expect(digitosVerificadoresTitulo('00000000', '05')).toBe('07');
  });

  it.each([
    ['004356870906', null],
    ['004356870907', 'título de eleitor com dígitos verificadores inválidos'],
    ['004356872906', 'título de eleitor com código de UF inexistente (29; válidos: 01 a 28)'],
    ['00435687090', 'título de eleitor deve ter 12 dígitos'],
    ['00435687090a', 'título de eleitor deve ter 12 dígitos'],
  ])('%s → %s', (titulo, motivo) => {
    expect(motivoTituloInvalido(titulo)).toBe(motivo);
  });

  // Known títulos, check digits worked out by hand (weights 2…9 on the sequence; DV2 = uf[0]·7 + uf[1]·8 + DV1·9):
  it.each([
    // 00435687 | 01 (SP): Σ = 0·2+0·3+4·4+3·5+5·6+6·7+8·8+7·9 = 230; 230 mod 11 = 10 → DV1 0; 0·7+1·8+0·9 = 8 → DV2 8
    ['004356870108', null],
    // 12345678 | 01 (SP): Σ = 2+6+12+20+30+42+56+72 = 240; 240 mod 11 = 9 → DV1 9; 0·7+1·8+9·9 = 89; 89 mod 11 = 1 → DV2 1
    ['123456780191', null],
    // 10000001 | 01 (SP): Σ = 1·2+1·9 = 11 ≡ 0 → SP rule: DV1 1; 0·7+1·8+1·9 = 17; 17 mod 11 = 6 → DV2 6
    ['100000010116', null],
    // 10000001 | 02 (MG): Σ ≡ 0 → MG rule: DV1 1; 0·7+2·8+1·9 = 25; 25 mod 11 = 3 → DV2 3
    ['100000010213', null],
    // 10000001 | 05 (BA): Σ ≡ 0, no SP/MG rule → DV1 0; 0·7+5·8+0·9 = 40; 40 mod 11 = 7 → DV2 7
    ['100000010507', null],
    // 20000000 | 01 (SP): Σ = 2·2 = 4 → DV1 4; 0·7+1·8+4·9 = 44 ≡ 0 → SP rule: DV2 1
    ['200000000141', null],
    // 01000001 | 28 (ZZ): Σ = 1·3+1·9 = 12; 12 mod 11 = 1 → DV1 1; 2·7+8·8+1·9 = 87; 87 mod 11 = 10 → DV2 0
    ['010000012810', null],
    ['123456780192', 'título de eleitor com dígitos verificadores inválidos'], // DV2 off by one
    ['123456780183', 'título de eleitor com dígitos verificadores inválidos'], // DV1 wrong (DV2 consistent with it)
    ['100000010108', 'título de eleitor com dígitos verificadores inválidos'], // SP without the 0 → 1 rule
    ['100000010517', 'título de eleitor com dígitos verificadores inválidos'], // the SP/MG rule applied to BA
    ['200000000140', 'título de eleitor com dígitos verificadores inválidos'], // SP, DV2 remainder 0 left as 0
    ['123456780091', 'título de eleitor com código de UF inexistente (00; válidos: 01 a 28)'],
  ])('known título %s → %s', (titulo, motivo) => {
    expect(motivoTituloInvalido(titulo)).toBe(motivo);
    expect(ehTituloEleitorValido(titulo)).toBe(motivo === null);
  });
});

describe('UF and text', () => {
  it('knows the 27 UFs', () => {
    expect(ehUf('SP')).toBe(true);
    expect(ehUf('sp')).toBe(false);
    expect(ehUf('XX')).toBe(false);
  });

  it.each([
    ['Ana\u200BSouza', 'contém caracteres de controle ou invisíveis (ex.: marcas de direção, espaço de largura zero)'],
    ['Ana\u202ESouza', 'contém caracteres de controle ou invisíveis (ex.: marcas de direção, espaço de largura zero)'],
    ['Ana\u200FSouza', 'contém caracteres de controle ou invisíveis (ex.: marcas de direção, espaço de largura zero)'],
    ['Ana\nSouza', 'contém caracteres de controle ou invisíveis (ex.: marcas de direção, espaço de largura zero)'],
    ['A\u0301\u0302\u0303\u0304na', 'contém sinais diacríticos empilhados'],
    ['   ', 'não pode ser vazio'],
    ["Robert'); DROP TABLE pessoa;--", null],
    ['José da Conceição', null],
  ])('%j → %s', (texto, motivo) => {
    expect(motivoTextoInvalido(normalizarTexto(texto))).toBe(motivo);
  });

  it('NFC folds combining accents; the search key drops accents and case', () => {
    expect(normalizarTexto('Jose\u0301')).toBe('José');
    expect(chaveDeBusca('  JOSÉ  da Conceição ')).toBe('jose da conceicao');
  });
});
