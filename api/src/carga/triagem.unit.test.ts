import { describe, expect, it } from '@jest/globals';
import { triarCpf } from './triagem.js';

/*
 * Hand-written vectors. Check digits worked by hand (weights 10..2 for d1, 11..2 for d2; d = (sum × 10) mod 11, 10 → 0):
 *  007.654.321-88: d1: 0·10+0·9+7·8+6·7+5·6+4·5+3·4+2·3+1·2 = 168; 1680 mod 11 = 8 (11·152 = 1672).
 *                  d2: 0·11+0·10+7·9+6·8+5·7+4·6+3·5+2·4+1·3+8·2 = 212; 2120 mod 11 = 8 (11·192 = 2112).
 *  012.345.678-90: d1: 0·10+1·9+2·8+3·7+4·6+5·5+6·4+7·3+8·2 = 156; 1560 mod 11 = 9 (11·141 = 1551).
 *                  d2: 0·11+1·10+2·9+3·8+4·7+5·6+6·5+7·4+8·3+9·2 = 210; 2100 mod 11 = 10 → 0.
 *  987.654.321-00: d1: 9·10+8·9+7·8+6·7+5·6+4·5+3·4+2·3+1·2 = 330; 3300 mod 11 = 0.
 *                  d2: 9·11+8·10+7·9+6·8+5·7+4·6+3·5+2·4+1·3+0·2 = 375; 3750 mod 11 = 10 → 0.
 *  529.982.247-25 and 390.533.447-05 are the valid CPFs of api/src/validation/cpf.unit.test.ts.
 */
describe('triarCpf', () => {
  it.each<[string | null, boolean, string]>([
    [null, false, 'sem-cpf'],
    ['', false, 'sem-cpf'],
    ['  ', false, 'sem-cpf'],
    ['...-', false, 'sem-cpf'],
  ])('%j → sem-cpf', (valor, numerico, categoria) => {
    expect(triarCpf(valor, numerico)).toEqual({ categoria });
  });

  it.each<[string, boolean, string]>([
    ['52998224725', false, '52998224725'],
    ['529.982.247-25', false, '52998224725'],
    [' 390 533 447/05 ', false, '39053344705'],
    ['00765432188', false, '00765432188'],
    ['765432188', true, '00765432188'], // stored as a number: two leading zeros lost, padded back
    ['007.654.321-88', true, '00765432188'],
  ])('%j (numeric column: %s) → base-unica %s', (valor, numerico, cpf) => {
    expect(triarCpf(valor, numerico)).toEqual({ categoria: 'base-unica', cpf });
  });

  it.each<[string, boolean, string]>([
    ['765432188', false, 'tamanho'], // 9 digits in a text column: not padded
    ['5299822472', false, 'tamanho'],
    ['529982247250', false, 'tamanho'],
    ['529982247250', true, 'tamanho'], // padding never shortens
    ['52998224724', false, 'digito'], // d2 wrong
    ['52998224715', false, 'digito'], // d1 wrong
    ['765432189', true, 'digito'], // padded 00765432189: d2 should be 8
    ['11111111111', false, 'repetido'],
    ['555.555.555-55', false, 'repetido'],
    ['00000000000', false, 'repetido'],
    ['0', true, 'repetido'], // a numeric zero padded to 00000000000 (a mapping usually lists it as placeholder)
    ['123.456.789-09', false, 'sequencia-conhecida'],
    ['01234567890', false, 'sequencia-conhecida'],
    ['1234567890', true, 'sequencia-conhecida'], // 01234567890 stored as a number
    ['98765432100', false, 'sequencia-conhecida'],
    ['000.000.001-91', false, 'sequencia-conhecida'],
    ['5299822472X', false, 'caractere'],
    ['529,982,247-25', false, 'caractere'],
    ['CPF 52998224725', false, 'caractere'],
    ['1111111111a', false, 'caractere'], // caractere is checked before repetido
    ['1234', false, 'tamanho'],
  ])('%j (numeric column: %s) → cpf-invalido %s', (valor, numerico, motivo) => {
    expect(triarCpf(valor, numerico)).toEqual({ categoria: 'cpf-invalido', motivo });
  });
});
