import { describe, expect, it } from '@jest/globals';
import { orgaosDosPapeis } from '../auth/papeis.js';
import { filtrarPessoa, visaoDoCidadao, visaoDoGestor } from './filtrar.js';
import { CAMPOS_PESSOA_JSON, REGRAS, type RegrasCompartilhamento } from './regras.js';

/** A full person JSON: every field present, so the filter is what decides. */
const PESSOA = Object.fromEntries(CAMPOS_PESSOA_JSON.map((c) => [c, `valor-${c}`])) as Record<string, unknown>;
const TODOS = [...CAMPOS_PESSOA_JSON].sort();

const quem = (roles: string[], clientId: string | null) => ({ orgaos: orgaosDosPapeis(roles), clientId });

describe('filtrarPessoa (data-sharing rules, default deny)', () => {
  it.each<[string, string[], string | null, readonly string[]]>([
    ['central steward, steward portal', ['gestor-cadastro'], 'portal-gestor', TODOS],
    ['admin', ['admin-cadastro'], 'portal-cidadao', TODOS],
    ['Saúde steward', ['gestor-saude'], 'portal-cidadao', REGRAS.orgaos.saude!.campos],
    ['Fazenda steward', ['gestor-fazenda'], 'portal-cidadao', REGRAS.orgaos.fazenda!.campos],
    ['Educação steward', ['gestor-educacao'], 'portal-gestor', REGRAS.orgaos.educacao!.campos],
    ['SMADS steward', ['gestor-smads'], 'portal-gestor', REGRAS.orgaos.smads!.campos],
    ['Saúde + Fazenda: union of both organs', ['gestor-saude', 'gestor-fazenda'], 'portal-gestor', [...new Set([...REGRAS.orgaos.saude!.campos, ...REGRAS.orgaos.fazenda!.campos])]],
    ['central steward through the Fazenda system: capped by the client', ['gestor-cadastro'], 'sf-fazenda', REGRAS.clientes['sf-fazenda'].campos],
    ['Saúde steward through the Fazenda system: intersection only', ['gestor-saude'], 'sf-fazenda', REGRAS.orgaos.saude!.campos.filter((c) => REGRAS.clientes['sf-fazenda'].campos.includes(c))],
    ['citizen (no organ)', ['cidadao'], 'portal-cidadao', []],
    ['servidor without a steward role', ['servidor', 'cidadao'], 'portal-cidadao', []],
    ['unknown role', ['gestor-transporte'], 'portal-gestor', []],
    ['steward through an unlisted client', ['gestor-cadastro'], 'outro-sistema', []],
    ['steward without azp', ['gestor-cadastro'], null, []],
  ])('%s', (_caso, roles, cliente, esperado) => {
    const r = filtrarPessoa(PESSOA, quem(roles, cliente));
    const ordenado = [...new Set(esperado)].sort();
    expect(r.campos).toEqual(ordenado);
    expect(Object.keys(r.pessoa).sort()).toEqual(ordenado);
    for (const c of ordenado) expect(r.pessoa[c]).toBe(`valor-${c}`);
  });

  it('Saúde never receives voter, RG, fiscal-only or family fields', () => {
    const { pessoa } = filtrarPessoa(PESSOA, quem(['gestor-saude'], 'portal-gestor'));
    for (const c of ['tituloEleitor', 'rg', 'estadoCivil', 'relacoesFamiliares', 'biometria', 'certificadoIcp', 'vinculoGovbr', 'cpfPai', 'nomePai']) {
      expect(pessoa).not.toHaveProperty(c);
    }
  });

  it('a field the rules do not know (added to the record later) is never returned, even to the central steward', () => {
    const r = filtrarPessoa({ ...PESSOA, campoNovo: 'x', __proto__x: 'y' }, quem(['gestor-cadastro'], 'portal-gestor'));
    expect(r.pessoa).not.toHaveProperty('campoNovo');
    expect(r.campos).toEqual(TODOS);
  });

  it('returns only fields present in the record (the audit records what actually left)', () => {
    expect(filtrarPessoa({ cpf: '1', nome: 'A', tituloEleitor: 'x' }, quem(['gestor-saude'], 'portal-gestor')).campos).toEqual(['cpf', 'nome']);
  });

  it('an organ missing from the rules reads nothing (default deny)', () => {
    const semSaude: RegrasCompartilhamento = { ...REGRAS, orgaos: { ...REGRAS.orgaos, saude: undefined } };
    expect(filtrarPessoa(PESSOA, quem(['gestor-saude'], 'portal-gestor'), semSaude).campos).toEqual([]);
  });

  it('the citizen view excludes capture references and keeps their own data', () => {
    const v = visaoDoCidadao();
    expect(v.campos).not.toContain('biometria');
    expect(v.campos).toEqual(expect.arrayContaining(['cpf', 'nome', 'nomeSocial', 'emails', 'telefones', 'enderecos']));
  });

  it('every field named in the rules exists in the person JSON (no typo silently denies)', () => {
    const conhecidos = new Set<string>(CAMPOS_PESSOA_JSON);
    const todas = [...Object.values(REGRAS.orgaos), ...Object.values(REGRAS.clientes), REGRAS.cidadao];
    for (const r of todas) for (const c of r.campos) expect(conhecidos.has(c)).toBe(true);
    expect(visaoDoGestor(quem(['gestor-cadastro'], 'portal-gestor')).versaoRegras).toBe(REGRAS.versao);
  });
});
