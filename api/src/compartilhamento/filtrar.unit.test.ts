import { describe, expect, it } from '@jest/globals';
import { orgaosDosPapeis } from '../auth/papeis.js';
import { filtrarPessoa, visaoDoCidadao, visaoDoGestor } from './filtrar.js';
import { CAMPOS_PESSOA_JSON, REGRAS, type RegrasCompartilhamento } from './regras.js';

/*
 * Expected views are written out by hand from the sharing policy agreed with the stewards (docs/seguranca.md), field
 * by field — never derived from REGRAS, the table under test. A change to regras.ts that changes what leaves the API
 * must change these lists too.
 */

/** Every field of the person JSON, typed out (26). */
const TODOS = [
  'atualizadoEm', 'biometria', 'certificadoIcp', 'cpf', 'cpfMae', 'cpfPai', 'criadoEm', 'dataNascimento', 'emails', 'enderecos', 'estadoCivil',
  'genero', 'localNascimento', 'nome', 'nomeMae', 'nomePai', 'nomeSocial', 'obito', 'obitoRegistro', 'relacoesFamiliares', 'rg', 'situacao',
  'telefones', 'tituloEleitor', 'versao', 'vinculoGovbr',
];
/** Who the person is and whether the record is usable (every reader that reads anything). */
const ID = ['atualizadoEm', 'cpf', 'criadoEm', 'dataNascimento', 'nome', 'nomeSocial', 'obito', 'situacao', 'versao'];
const SAUDE = [...ID, 'cpfMae', 'emails', 'enderecos', 'genero', 'localNascimento', 'nomeMae', 'obitoRegistro', 'telefones'];
const FAZENDA = [...ID, 'emails', 'enderecos', 'obitoRegistro', 'telefones'];
const EDUCACAO = [...ID, 'cpfMae', 'cpfPai', 'emails', 'enderecos', 'genero', 'nomeMae', 'nomePai', 'relacoesFamiliares', 'telefones'];
const SMADS = [...ID, 'cpfMae', 'cpfPai', 'emails', 'enderecos', 'estadoCivil', 'genero', 'nomeMae', 'nomePai', 'obitoRegistro', 'relacoesFamiliares', 'telefones'];

/** A full person JSON: every field present, so the filter is what decides. */
const PESSOA = Object.fromEntries(TODOS.map((c) => [c, `valor-${c}`])) as Record<string, unknown>;

const quem = (roles: string[], clientId: string | null) => ({ orgaos: orgaosDosPapeis(roles), clientId });

describe('filtrarPessoa (data-sharing rules, default deny)', () => {
  it('the person JSON has exactly the 26 fields listed here', () => {
    expect([...CAMPOS_PESSOA_JSON].sort()).toEqual(TODOS);
  });

  it.each<[string, string[], string | null, string[]]>([
    // organ stewards through their own secretariat's system: the organ's fields
    ['Saúde steward, SMS system', ['gestor-saude'], 'sms-saude', SAUDE],
    ['Fazenda steward, SF system', ['gestor-fazenda'], 'sf-fazenda', FAZENDA],
    ['Educação steward, SME system', ['gestor-educacao'], 'sme-educacao', EDUCACAO],
    ['SMADS steward, SMADS system', ['gestor-smads'], 'smads-assistencia', SMADS],
    // through the citizen portal (no cap of its own): the organ's fields
    ['central steward, citizen portal', ['gestor-cadastro'], 'portal-cidadao', TODOS],
    ['admin, citizen portal', ['admin-cadastro'], 'portal-cidadao', TODOS],
    ['Saúde steward, citizen portal', ['gestor-saude'], 'portal-cidadao', SAUDE],
    ['Saúde + Educação: union of both organs', ['gestor-saude', 'gestor-educacao'], 'portal-cidadao',
      [...ID, 'cpfMae', 'cpfPai', 'emails', 'enderecos', 'genero', 'localNascimento', 'nomeMae', 'nomePai', 'obitoRegistro', 'relacoesFamiliares', 'telefones']],
    // the central team through a secretariat's system: capped by that system's rule
    ['central steward, SF system', ['gestor-cadastro'], 'sf-fazenda', FAZENDA],
    ['central steward, SMS system', ['gestor-cadastro'], 'sms-saude', SAUDE],
    ['central steward, SGM system: identification only', ['gestor-cadastro'], 'sgm-governo', ID],
    ['central steward, SMIT system: identification, e-mail, phone', ['gestor-cadastro'], 'smit-inovacao', [...ID, 'emails', 'telefones']],
    ['central steward, Descomplica: identification, RG, mother, contacts, biometric capture', ['gestor-cadastro'], 'descomplica',
      [...ID, 'biometria', 'emails', 'enderecos', 'nomeMae', 'rg', 'telefones']],
    // an organ through another organ's system: intersection only
    ['Saúde steward, SF system', ['gestor-saude'], 'sf-fazenda', [...ID, 'emails', 'enderecos', 'obitoRegistro', 'telefones']],
    ['Saúde steward, SME system', ['gestor-saude'], 'sme-educacao', [...ID, 'cpfMae', 'emails', 'enderecos', 'genero', 'nomeMae', 'telefones']],
    ['Fazenda steward, Descomplica', ['gestor-fazenda'], 'descomplica', [...ID, 'emails', 'enderecos', 'telefones']],
    ['SMADS steward, SMIT system', ['gestor-smads'], 'smit-inovacao', [...ID, 'emails', 'telefones']],
    // default deny
    ['citizen (no organ)', ['cidadao'], 'portal-cidadao', []],
    ['servidor without a steward role', ['servidor', 'cidadao'], 'sms-saude', []],
    ['unknown role', ['gestor-transporte'], 'portal-cidadao', []],
    ['steward through a client the realm does not have (portal-gestor)', ['gestor-cadastro'], 'portal-gestor', []],
    ['steward through a realm client without the API audience (parceiro-externo)', ['gestor-cadastro'], 'parceiro-externo', []],
    ['steward without azp', ['gestor-cadastro'], null, []],
  ])('%s', (_caso, roles, cliente, esperado) => {
    const r = filtrarPessoa(PESSOA, quem(roles, cliente));
    const ordenado = [...esperado].sort();
    expect(r.campos).toEqual(ordenado);
    expect(Object.keys(r.pessoa).sort()).toEqual(ordenado);
    for (const c of ordenado) expect(r.pessoa[c]).toBe(`valor-${c}`);
  });

  it('Saúde never receives voter, RG, fiscal-only or family fields', () => {
    const { pessoa } = filtrarPessoa(PESSOA, quem(['gestor-saude'], 'sms-saude'));
    for (const c of ['tituloEleitor', 'rg', 'estadoCivil', 'relacoesFamiliares', 'biometria', 'certificadoIcp', 'vinculoGovbr', 'cpfPai', 'nomePai']) {
      expect(pessoa).not.toHaveProperty(c);
    }
  });

  it('a field the rules do not know (added to the record later) is never returned, even to the central steward', () => {
    const r = filtrarPessoa({ ...PESSOA, campoNovo: 'x', __proto__x: 'y' }, quem(['gestor-cadastro'], 'portal-cidadao'));
    expect(r.pessoa).not.toHaveProperty('campoNovo');
    expect(r.campos).toEqual(TODOS);
  });

  it('returns only fields present in the record (the audit records what actually left)', () => {
    expect(filtrarPessoa({ cpf: '1', nome: 'A', tituloEleitor: 'x' }, quem(['gestor-saude'], 'sms-saude')).campos).toEqual(['cpf', 'nome']);
  });

  it('an organ missing from the rules reads nothing (default deny)', () => {
    const semSaude: RegrasCompartilhamento = { ...REGRAS, orgaos: { ...REGRAS.orgaos, saude: undefined } };
    expect(filtrarPessoa(PESSOA, quem(['gestor-saude'], 'sms-saude'), semSaude).campos).toEqual([]);
  });

  it('the citizen view is every field of their own record except the raw capture references', () => {
    expect(visaoDoCidadao().campos).toEqual(TODOS.filter((c) => c !== 'biometria' && c !== 'certificadoIcp'));
    expect(visaoDoCidadao().campos).toHaveLength(24);
  });

  it('every field named in the rules exists in the person JSON (no typo silently denies)', () => {
    const conhecidos = new Set<string>(TODOS);
    const todas = [...Object.values(REGRAS.orgaos), ...Object.values(REGRAS.clientes), REGRAS.cidadao];
    expect(todas.flatMap((r) => r.campos.filter((c) => !conhecidos.has(c)))).toEqual([]);
  });

  it('the view carries the rules version, which names the day of the last change', () => {
    expect(visaoDoGestor(quem(['gestor-cadastro'], 'portal-cidadao')).versaoRegras).toBe('2026-12-05.1');
  });
});
