import { describe, expect, it } from '@jest/globals';
import { calcularNivel, POLITICA_NIVEL_PADRAO, REGRAS_NIVEL, regraAplicada, regrasNivel, type EntradaNivel, type EvidenciaParaNivel, type PessoaParaNivel } from './calcular-nivel.js';

const CPF = '52998224725';
const OUTRO = '11144477735';

const ativa: PessoaParaNivel = { cpf: CPF, situacao: 'ativa', obito: false };
const vinculo = (pessoaCpf: string | null = CPF): EvidenciaParaNivel => ({ tipo: 'vinculo-confirmado-gestor', pessoaCpf });

function entrada(o: { cpfDeclarado?: string | null; situacao?: 'ativa' | 'excluida'; evidencias?: EvidenciaParaNivel[]; pessoas?: PessoaParaNivel[] }): EntradaNivel {
  return {
    conta: { cpfDeclarado: o.cpfDeclarado === undefined ? CPF : o.cpfDeclarado, situacao: o.situacao ?? 'ativa' },
    evidencias: o.evidencias ?? [],
    pessoas: new Map((o.pessoas ?? []).map((p) => [p.cpf, p])),
  };
}

describe('calcularNivel', () => {
  it.each<[string, EntradaNivel, number]>([
    ['no evidence at all', entrada({}), 1],
    ['a typed CPF that matches an existing, active record, but no evidence', entrada({ pessoas: [ativa] }), 1],
    ['steward-confirmed link to an active, living record', entrada({ evidencias: [vinculo()], pessoas: [ativa] }), 3],
    ['steward link, but the record does not exist', entrada({ evidencias: [vinculo()] }), 1],
    ['steward link, but the person is deceased', entrada({ evidencias: [vinculo()], pessoas: [{ ...ativa, obito: true }] }), 1],
    ['steward link, but the record is inactive', entrada({ evidencias: [vinculo()], pessoas: [{ ...ativa, situacao: 'inativa' }] }), 1],
    ['steward link without a CPF', entrada({ evidencias: [vinculo(null)], pessoas: [ativa] }), 1],
    ['steward link to a record whose CPF is not the declared one', entrada({ cpfDeclarado: OUTRO, evidencias: [vinculo()], pessoas: [ativa] }), 1],
    ['steward link, but the account no longer declares a CPF', entrada({ cpfDeclarado: null, evidencias: [vinculo()], pessoas: [ativa] }), 1],
    ['steward link on a deleted account', entrada({ situacao: 'excluida', evidencias: [vinculo()], pessoas: [ativa] }), 1],
    ['one good link among bad ones', entrada({ evidencias: [vinculo(OUTRO), vinculo()], pessoas: [ativa] }), 3],
  ])('%s → %i', (_caso, e, nivel) => {
    expect(calcularNivel(e)).toBe(nivel);
  });

  it('orders the table from the highest level down for every policy', () => {
    for (const politica of [POLITICA_NIVEL_PADRAO, { seloBiometricoGovbrContaPara4: true, selo801ContaPara5: true }]) {
      const niveis = regrasNivel(politica).map((r) => r.nivel);
      expect(niveis).toEqual([5, 4, 3, 2, 1]);
    }
  });

  it('orders the table from the highest level down and ends with a rule that always holds', () => {
    const niveis = REGRAS_NIVEL.map((r) => r.nivel);
    expect([...niveis].sort((a, b) => b - a)).toEqual(niveis);
    expect(REGRAS_NIVEL.at(-1)!.atende(entrada({ cpfDeclarado: null }))).toBe(true);
  });

  it('explains which rule applied', () => {
    expect(regraAplicada(entrada({ evidencias: [vinculo()], pessoas: [ativa] })).lastro).toMatch(/cadastro base/);
  });

  it('takes a new level as one more row', () => {
    const comNivel5 = [{ nivel: 5 as const, lastro: 'certificado', atende: (e: EntradaNivel) => e.evidencias.some((x) => x.tipo === 'certificado-icp') }, ...REGRAS_NIVEL];
    expect(calcularNivel(entrada({ evidencias: [{ tipo: 'certificado-icp', pessoaCpf: CPF }] }), comNivel5)).toBe(5);
  });
});

const govbr = (selos: string[] = ['201', '401'], pessoaCpf: string | null = CPF): EvidenciaParaNivel => ({ tipo: 'govbr', pessoaCpf, selos });
const obito: PessoaParaNivel = { ...ativa, obito: true };
const LIGADO = { seloBiometricoGovbrContaPara4: true, selo801ContaPara5: true };

describe('calcularNivel with gov.br, biometrics and certificates (default policy)', () => {
  it.each<[string, EntradaNivel, number]>([
    ['gov.br link whose CPF is the account\'s, no master record', entrada({ evidencias: [govbr()] }), 2],
    ['gov.br link and an active master record with that CPF', entrada({ evidencias: [govbr()], pessoas: [ativa] }), 3],
    ['gov.br link, master record deceased', entrada({ evidencias: [govbr()], pessoas: [obito] }), 1],
    ['gov.br link, master record inactive', entrada({ evidencias: [govbr()], pessoas: [{ ...ativa, situacao: 'inativa' }] }), 1],
    ['gov.br link asserting another CPF than the account\'s', entrada({ evidencias: [govbr(['201'], OUTRO)], pessoas: [ativa] }), 1],
    ['gov.br link, but the account declares no CPF', entrada({ cpfDeclarado: null, evidencias: [govbr()] }), 1],
    ['gov.br link on a deleted account', entrada({ situacao: 'excluida', evidencias: [govbr()], pessoas: [ativa] }), 1],
    ['gov.br ouro with biometric seals and seal 801: seals do not count by default', entrada({ evidencias: [govbr(['201', '701', '801'])], pessoas: [ativa] }), 3],
    ['gov.br bronze (no seal at all) still links', entrada({ evidencias: [govbr([])] }), 2],
    ['city biometric capture for an active master record', entrada({ evidencias: [{ tipo: 'biometria', pessoaCpf: CPF }], pessoas: [ativa] }), 4],
    ['city biometric capture without a master record', entrada({ evidencias: [{ tipo: 'biometria', pessoaCpf: CPF }] }), 1],
    ['city biometric capture, deceased', entrada({ evidencias: [{ tipo: 'biometria', pessoaCpf: CPF }], pessoas: [obito] }), 1],
    ['biometric capture of another CPF', entrada({ evidencias: [{ tipo: 'biometria', pessoaCpf: OUTRO }, govbr()], pessoas: [ativa] }), 3],
    ['ICP-Brasil certificate sign-in, active master record', entrada({ evidencias: [{ tipo: 'certificado-icp', pessoaCpf: CPF }], pessoas: [ativa] }), 5],
    ['ICP-Brasil certificate without a master record', entrada({ evidencias: [{ tipo: 'certificado-icp', pessoaCpf: CPF }] }), 1],
    ['ICP-Brasil certificate of another CPF', entrada({ evidencias: [{ tipo: 'certificado-icp', pessoaCpf: OUTRO }], pessoas: [ativa] }), 1],
    ['certificate on a deleted account', entrada({ situacao: 'excluida', evidencias: [{ tipo: 'certificado-icp', pessoaCpf: CPF }], pessoas: [ativa] }), 1],
    ['an unknown seal id counts for nothing', entrada({ evidencias: [govbr(['999'])], pessoas: [ativa] }), 3],
  ])('%s → %i', (_caso, e, nivel) => {
    expect(calcularNivel(e)).toBe(nivel);
  });

  it('records the rule that applied for a gov.br link', () => {
    expect(regraAplicada(entrada({ evidencias: [govbr()] })).lastro).toBe('Conta vinculada ao gov.br, que confirmou o CPF da conta');
  });
});

describe('calcularNivel with the policy switches on', () => {
  const so4 = regrasNivel({ seloBiometricoGovbrContaPara4: true, selo801ContaPara5: false });
  const so5 = regrasNivel({ seloBiometricoGovbrContaPara4: false, selo801ContaPara5: true });
  const ambos = regrasNivel(LIGADO);

  it.each<[string, EntradaNivel, readonly ReturnType<typeof regrasNivel>[number][], number]>([
    ['biometric seal 401 (prata) counts toward 4 when switched on', entrada({ evidencias: [govbr(['201', '401'])], pessoas: [ativa] }), so4, 4],
    ['biometric seal 701 toward 4', entrada({ evidencias: [govbr(['701'])], pessoas: [ativa] }), so4, 4],
    ['biometric seal 702 toward 4', entrada({ evidencias: [govbr(['702'])], pessoas: [ativa] }), so4, 4],
    ['biometric seal 901 toward 4', entrada({ evidencias: [govbr(['901'])], pessoas: [ativa] }), so4, 4],
    ['a bank seal (610) is not biometric', entrada({ evidencias: [govbr(['201', '610'])], pessoas: [ativa] }), so4, 3],
    ['biometric seal without a master record stays 2', entrada({ evidencias: [govbr(['401'])] }), so4, 2],
    ['seal 801 does not count toward 5 with only the biometric switch', entrada({ evidencias: [govbr(['801'])], pessoas: [ativa] }), so4, 3],
    ['seal 801 counts toward 5 when switched on', entrada({ evidencias: [govbr(['801'])], pessoas: [ativa] }), so5, 5],
    ['seal 801 without a master record stays 2', entrada({ evidencias: [govbr(['801'])] }), so5, 2],
    ['biometric seal does not count toward 4 with only the 801 switch', entrada({ evidencias: [govbr(['401'])], pessoas: [ativa] }), so5, 3],
    ['both switches, ouro citizen with 701 and 801', entrada({ evidencias: [govbr(['201', '701', '801'])], pessoas: [ativa] }), ambos, 5],
    ['both switches, seals of a gov.br link asserting another CPF', entrada({ evidencias: [govbr(['701', '801'], OUTRO)], pessoas: [ativa] }), ambos, 1],
    ['both switches, deceased', entrada({ evidencias: [govbr(['701', '801'])], pessoas: [obito] }), ambos, 1],
  ])('%s', (_caso, e, regras, nivel) => {
    expect(calcularNivel(e, regras)).toBe(nivel);
  });

  it('says so in the explanation', () => {
    expect(regraAplicada(entrada({ evidencias: [govbr(['801'])], pessoas: [ativa] }), so5).lastro).toMatch(/selo 801/);
    expect(regraAplicada(entrada({ evidencias: [govbr(['401'])], pessoas: [ativa] }), so4).lastro).toMatch(/selo biométrico do gov.br/);
  });
});
