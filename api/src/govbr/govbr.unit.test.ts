import { describe, expect, it } from '@jest/globals';
import { lerClaimsGovbr } from './id-token.js';
import { nivelDosSelos, nivelGovbrDe, SELOS } from './selos.js';

const CPF = '39053344705';

describe('Gov.br seals', () => {
  it.each<[string[], string]>([
    [[], 'bronze'],
    [['201'], 'bronze'],
    [['201', '401'], 'prata'],
    [['610'], 'prata'],
    [['201', '610', '701'], 'ouro'],
    [['801'], 'ouro'],
    [['999'], 'bronze'],
  ])('%j → %s', (ids, nivel) => {
    expect(nivelDosSelos(ids)).toBe(nivel);
  });

  it('marks exactly the facial and fingerprint seals as biometric', () => {
    expect([...SELOS.values()].filter((s) => s.biometrico).map((s) => s.id).sort()).toEqual(['401', '701', '702', '901']);
  });

  it.each<[unknown, string | null]>([
    ['silver', 'prata'], ['GOLD', 'ouro'], ['bronze', 'bronze'], ['2', 'prata'], [3, 'ouro'], ['platina', null], [undefined, null],
  ])('level %p → %p', (valor, nivel) => {
    expect(nivelGovbrDe(valor)).toBe(nivel);
  });
});

describe('lerClaimsGovbr', () => {
  it('reads the CPF, the level, the seals with their dates (known and unknown ids) and amr', () => {
    expect(lerClaimsGovbr({
      sub: CPF, iat: 1763800012, amr: ['passwd', 'mfa', 7],
      reliability_info: { level: 'silver', reliabilities: [{ id: '201', updatedAt: '2024-03-10T09:15:22.104-0300' }, { id: 999 }, { nada: 1 }] },
    })).toEqual({
      cpf: CPF, nivel: 'prata', amr: ['passwd', 'mfa'], emitidoEm: '2025-11-22T08:26:52.000Z', comConfiabilidades: true,
      selos: [
        { id: '201', codigo: 'cadastro_basico', nivel: 'bronze', atualizadoEm: '2024-03-10T09:15:22.104-0300' },
        { id: '999', codigo: null, nivel: null, atualizadoEm: null },
      ],
    });
  });

  it('takes the level from the seals when reliability_info has none, and none without reliability_info', () => {
    expect(lerClaimsGovbr({ sub: CPF, reliability_info: { reliabilities: [{ id: '701' }] } }).nivel).toBe('ouro');
    expect(lerClaimsGovbr({ sub: CPF })).toMatchObject({ nivel: null, selos: [], amr: [], emitidoEm: null, comConfiabilidades: false });
  });

  it('accepts the CPF with punctuation (one manual example) and refuses a sub that is not a valid CPF', () => {
    expect(lerClaimsGovbr({ sub: '390.533.447-05' }).cpf).toBe(CPF);
    expect(() => lerClaimsGovbr({ sub: '39053344700' })).toThrow('O gov.br não informou um CPF válido (sub)');
    expect(() => lerClaimsGovbr({})).toThrow('O gov.br não informou um CPF válido (sub)');
  });
});
