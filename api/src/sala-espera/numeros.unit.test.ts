import { describe, expect, it } from '@jest/globals';
import { ehCnsValido, ehNisValido, normalizarNumero } from './numeros.js';

describe('CNS (Número SUS) check digits — vectors computed by hand', () => {
  it('definitive, PIS 12345678901: Σ = 1·15+2·14+3·13+4·12+5·11+6·10+7·9+8·8+9·7+0·6+1·5 = 440, 440 mod 11 = 0 → dv 11 → 0 → 123456789010000', () => {
    expect(ehCnsValido('123456789010000')).toBe(true);
    expect(ehCnsValido('123456789010001')).toBe(false);
    expect(ehCnsValido('123456789010010')).toBe(false);
  });

  it('definitive, PIS 20000000000: Σ = 2·15 = 30, 30 mod 11 = 8 → dv 3 → 200000000000003', () => {
    expect(ehCnsValido('200000000000003')).toBe(true);
    expect(ehCnsValido('200000000000004')).toBe(false);
  });

  it('definitive with dv 10, PIS 10000000006: Σ = 15+6·5 = 45, 45 mod 11 = 1 → dv 10 → Σ+2 = 47, 47 mod 11 = 3 → dv 8 → 100000000060018', () => {
    expect(ehCnsValido('100000000060018')).toBe(true);
    // the same digits with "000" are not the number the routine gives
    expect(ehCnsValido('100000000060008')).toBe(false);
  });

  it('provisional, starting with 7: 7·15 = 105, + 5·1 = 110 ≡ 0 (mod 11) → 700000000000005', () => {
    expect(ehCnsValido('700000000000005')).toBe(true);
    expect(ehCnsValido('700000000000006')).toBe(false);
    // 8·15 = 120, 120 mod 11 = 10, + 1·1 → 121 ≡ 0
    expect(ehCnsValido('800000000000001')).toBe(true);
  });

  it('refuses other first digits, wrong lengths and non-digits', () => {
    expect(ehCnsValido('300000000000000')).toBe(false);
    expect(ehCnsValido('12345678901000')).toBe(false);
    expect(ehCnsValido('12345678901000a')).toBe(false);
  });
});

describe('NIS (PIS/PASEP/NIT) check digit — vectors computed by hand', () => {
  it('1234567890: Σ = 1·3+2·2+3·9+4·8+5·7+6·6+7·5+8·4+9·3+0·2 = 231, 231 mod 11 = 0 → dv 0 → 12345678900', () => {
    expect(ehNisValido('12345678900')).toBe(true);
    expect(ehNisValido('12345678901')).toBe(false);
  });

  it('1000000000: Σ = 3, 3 mod 11 = 3 → dv 8 → 10000000008; 4000000000: Σ = 12, remainder 1 → dv 0 → 40000000000', () => {
    expect(ehNisValido('10000000008')).toBe(true);
    expect(ehNisValido('10000000007')).toBe(false);
    expect(ehNisValido('40000000000')).toBe(true);
  });

  it('refuses eleven equal digits, wrong lengths and non-digits', () => {
    expect(ehNisValido('00000000000')).toBe(false);
    expect(ehNisValido('1234567890')).toBe(false);
    expect(ehNisValido('1234567890x')).toBe(false);
  });
});

describe('normalizarNumero', () => {
  it('drops spaces, dots and dashes; refuses anything else', () => {
    expect(normalizarNumero('123 4567 8901 0000', 15)).toBe('123456789010000');
    expect(normalizarNumero('123.45678.90-0', 11)).toBe('12345678900');
    expect(normalizarNumero('123/45678900', 11)).toBeNull();
    expect(normalizarNumero(12345678900, 11)).toBeNull();
  });
});
