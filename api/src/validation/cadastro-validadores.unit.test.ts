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
    // 'A' = 65 − 48 = 17: a base of only A's equals a base whose chars are worth 17 each.
    expect(digitosVerificadoresCnpj('AAAAAAAAAAAA')).toMatch(/^\d\d$/);
    expect(digitosVerificadoresCnpj('112223330001')).toBe('81');
  });
});

describe('título de eleitor', () => {
  it('computes DVs with mod 11 and the SP/MG rule', () => {
    // 0043 5687 | 09 (GO) — Σ = 0·2+0·3+4·4+3·5+5·6+6·7+8·8+7·9 = 230, 230 mod 11 = 10 → 0; (0·7+9·8+0·9)=72 mod 11 = 6
    expect(digitosVerificadoresTitulo('00435687', '09')).toBe('06');
    // sequence with Σ ≡ 0 (mod 11): 00000011 → 1·8+1·9 = 17 ≠ 0; use 00000000 → 0 → SP gives 1, others 0
    expect(digitosVerificadoresTitulo('00000000', '01').slice(0, 1)).toBe('1');
    expect(digitosVerificadoresTitulo('00000000', '05').slice(0, 1)).toBe('0');
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

  it('every generated SP/MG title validates', () => {
    for (const uf of ['01', '02', '28']) {
      for (let n = 0; n < 200; n++) {
        const seq = String(n * 4999).padStart(8, '0').slice(-8);
        expect(ehTituloEleitorValido(`${seq}${uf}${digitosVerificadoresTitulo(seq, uf)}`)).toBe(true);
      }
    }
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
