import { describe, expect, it } from '@jest/globals';
import { calcularNivel, REGRAS_NIVEL, regraAplicada, type EntradaNivel, type EvidenciaParaNivel, type PessoaParaNivel } from './calcular-nivel.js';

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
    ['evidence of a kind with no level yet (biometria)', entrada({ evidencias: [{ tipo: 'biometria', pessoaCpf: CPF }], pessoas: [ativa] }), 1],
    ['one good link among bad ones', entrada({ evidencias: [vinculo(OUTRO), vinculo()], pessoas: [ativa] }), 3],
  ])('%s → %i', (_caso, e, nivel) => {
    expect(calcularNivel(e)).toBe(nivel);
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
