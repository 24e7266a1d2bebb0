/**
 * Sala de Espera in the realm file (issue 13): each login client's requirement, and the static policy check that
 * knows them (scripts/realm/sala-espera.ts, part of `violacoesDePolitica`). No server.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ambienteDe, resolver } from '../scripts/realm/ambiente.js';
import { normalizar, type Obj } from '../scripts/realm/normalizar.js';
import { violacoesDePolitica } from '../scripts/realm/politicas.js';
import { ROOT } from './support/keycloak.js';

const git = (): Obj => JSON.parse(readFileSync(path.join(ROOT, 'realm-export/prefeitura-sp.json'), 'utf8')) as Obj;
const resolvido = (): Obj => resolver(normalizar(git()), ambienteDe(ROOT, 'dev', {}), { tolerante: true });
const clientes = (d: Obj) => d['clients'] as Obj[];
const cliente = (d: Obj, id: string) => clientes(d).find((c) => c['clientId'] === id)!;
const atributos = (d: Obj, id: string) => cliente(d, id)['attributes'] as Record<string, string>;

describe('requirements per client in the realm file', () => {
  it('the defaults of the issue: Saúde 3 + CNS, SMADS 3 + NIS, Fazenda 2, Educação 2, Descomplica 1, each with its reviewing organ', () => {
    const d = git();
    const requisito = (id: string) => {
      const a = atributos(d, id);
      return { nivel: a['lum.sala.nivel-minimo'], dados: a['lum.sala.dados'] ?? null, orgao: a['lum.sala.orgao'] };
    };
    expect(requisito('sms-saude')).toEqual({ nivel: '3', dados: 'cns', orgao: 'saude' });
    expect(requisito('smads-assistencia')).toEqual({ nivel: '3', dados: 'nis', orgao: 'smads' });
    expect(requisito('sf-fazenda')).toEqual({ nivel: '2', dados: null, orgao: 'fazenda' });
    expect(requisito('sme-educacao')).toEqual({ nivel: '2', dados: null, orgao: 'educacao' });
    expect(requisito('descomplica')).toEqual({ nivel: '1', dados: null, orgao: 'cadastro' });
    for (const id of ['sgm-governo', 'smit-inovacao', 'portal-cidadao', 'parceiro-externo']) expect(requisito(id)).toEqual({ nivel: '1', dados: null, orgao: 'cadastro' });
  });

  it('the browser flow and the gov.br post-broker-login flow run lum-sala-espera after authentication', () => {
    const d = git();
    const fluxo = (alias: string) => (d['authenticationFlows'] as Obj[]).find((f) => f['alias'] === alias)!;
    expect(d['browserFlow']).toBe('navegador lum');
    expect((fluxo('navegador lum')['authenticationExecutions'] as Obj[]).map((e) => [e['flowAlias'] ?? e['authenticator'], e['requirement']])).toEqual([
      ['navegador lum autenticacao', 'REQUIRED'],
      ['lum-sala-espera', 'REQUIRED'],
    ]);
    const govbr = (d['identityProviders'] as Obj[]).find((i) => i['alias'] === 'govbr')!;
    expect(govbr['postBrokerLoginFlowAlias']).toBe('govbr depois do login');
    expect((fluxo('govbr depois do login')['authenticationExecutions'] as Obj[]).map((e) => e['authenticator'])).toEqual(['lum-sala-espera']);
  });

  it('the git file passes the policy check', () => {
    expect(violacoesDePolitica(resolvido())).toEqual([]);
  });

  it('the policy check names a missing, malformed or unknown requirement, and a flow without the room', () => {
    const quebrar = (f: (d: Obj) => void): string[] => {
      const d = resolvido();
      f(d);
      return violacoesDePolitica(d);
    };
    expect(quebrar((d) => delete atributos(d, 'sf-fazenda')['lum.sala.nivel-minimo'])).toEqual([
      'clients[sf-fazenda].attributes.lum.sala.nivel-minimo: ausente (todo cliente de login declara o nível mínimo, de 1 a 5)',
    ]);
    expect(quebrar((d) => (atributos(d, 'sms-saude')['lum.sala.nivel-minimo'] = '6'))).toEqual(['clients[sms-saude].attributes.lum.sala.nivel-minimo: deve ser um nível de 1 a 5 (6)']);
    expect(quebrar((d) => (atributos(d, 'sms-saude')['lum.sala.dados'] = 'cns,foto'))).toEqual([
      'clients[sms-saude].attributes.lum.sala.dados: dados desconhecidos (foto); conhecidos: cns, nis',
    ]);
    expect(quebrar((d) => (atributos(d, 'smads-assistencia')['lum.sala.orgao'] = 'habitacao'))).toEqual([
      'clients[smads-assistencia].attributes.lum.sala.orgao: órgão desconhecido (habitacao); conhecidos: cadastro, saude, fazenda, educacao, smads',
    ]);
    expect(quebrar((d) => (d['browserFlow'] = 'browser'))).toEqual([
      'browserFlow: o fluxo browser não passa pela Sala de Espera (lum-sala-espera obrigatório depois da autenticação)',
    ]);
    expect(quebrar((d) => delete (d['identityProviders'] as Obj[])[0]['postBrokerLoginFlowAlias'])).toEqual([
      'identityProviders[govbr].postBrokerLoginFlowAlias: sem a Sala de Espera (lum-sala-espera) depois do login pelo provedor',
    ]);
    expect(quebrar((d) => ((d['requiredActions'] as Obj[]).find((a) => a['alias'] === 'lum-sala-espera')!['enabled'] = false))).toEqual([
      'requiredActions[lum-sala-espera]: ausente ou desligada (cobre cadastro e troca de senha, que não passam pelo fluxo do navegador)',
    ]);
    // the service-account client lum-api has no login: no requirement needed
    expect(quebrar((d) => delete atributos(d, 'lum-api')['lum.sala.nivel-minimo'])).toEqual([]);
  });
});
