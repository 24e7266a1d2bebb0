/**
 * The sharing rules against the realm the API trusts, read straight from realm-export/ (the file `realm:apply`
 * puts into Keycloak — an independent source, not the rules): every client whose tokens are addressed to the API
 * has a rule with its legal purpose, and no rule names a client that does not exist or cannot call the API.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { REGRAS } from './regras.js';

/** The API's audience (LUM_API_AUDIENCE's default, config.ts): the `aud` every accepted token carries. */
const AUDIENCIA_API = 'lum-api';

type Mapper = { protocolMapper?: string; config?: Record<string, string> };
type Escopo = { name: string; protocolMappers?: Mapper[] };
type Cliente = { clientId: string; protocolMappers?: Mapper[]; defaultClientScopes?: string[]; optionalClientScopes?: string[] };
type Realm = { realm: string; clients?: Cliente[]; clientScopes?: Escopo[] };

const DIR = new URL('../../../realm-export/', import.meta.url);
const REALMS: Realm[] = readdirSync(DIR).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(new URL(f, DIR), 'utf8')) as Realm);

/** An audience mapper that puts the API into the access token (`included.client.audience` or a custom audience). */
const daAudiencia = (m: Mapper) => m.protocolMapper === 'oidc-audience-mapper' && m.config?.['access.token.claim'] !== 'false'
  && (m.config?.['included.client.audience'] === AUDIENCIA_API || m.config?.['included.custom.audience'] === AUDIENCIA_API);

/** Clients that can obtain a token for the API: an audience mapper of their own, or in a default/optional scope. */
function clientesComAudiencia(realm: Realm): string[] {
  const escopos = new Set((realm.clientScopes ?? []).filter((e) => (e.protocolMappers ?? []).some(daAudiencia)).map((e) => e.name));
  return (realm.clients ?? [])
    .filter((c) => (c.protocolMappers ?? []).some(daAudiencia)
      || [...(c.defaultClientScopes ?? []), ...(c.optionalClientScopes ?? [])].some((e) => escopos.has(e)))
    .map((c) => c.clientId)
    .sort();
}

const todosOsClientes = REALMS.flatMap((r) => (r.clients ?? []).map((c) => c.clientId));
const comAudiencia = [...new Set(REALMS.flatMap(clientesComAudiencia))].sort();
const comRegra = Object.keys(REGRAS.clientes).sort();

describe('sharing rules × realm-export clients', () => {
  it('reads the realm file, and finds the API audience where it is set (client scope lum-api)', () => {
    expect(REALMS.map((r) => r.realm)).toEqual(['prefeitura-sp']);
    // Hand-checked against realm-export/prefeitura-sp.json: the clients with the `lum-api` default scope.
    expect(comAudiencia).toEqual([
      'descomplica', 'descomplica-biometria', 'portal-cidadao', 'sf-fazenda', 'sgm-governo', 'smads-assistencia', 'sme-educacao', 'smit-inovacao', 'sms-saude',
    ]);
  });

  it('no rule names a client the realm file does not have', () => {
    expect(comRegra.filter((c) => !todosOsClientes.includes(c))).toEqual([]);
  });

  it('no rule names a realm client whose tokens cannot reach the API (dead rule)', () => {
    expect(comRegra.filter((c) => !comAudiencia.includes(c))).toEqual([]);
  });

  it('every realm client with the API audience has a rule', () => {
    expect(comAudiencia.filter((c) => !comRegra.includes(c))).toEqual([]);
  });

  it('every client rule states its purpose and legal basis (LGPD article), in Portuguese', () => {
    const semBase = Object.entries(REGRAS.clientes).filter(([, r]) => !/\(LGPD art\. \d+º?/.test(r.finalidade) || r.finalidade.length < 40).map(([c]) => c);
    expect(semBase).toEqual([]);
  });

  it('docs/seguranca.md lists exactly these client rules, and the version in force', () => {
    const doc = readFileSync(new URL('../../../docs/seguranca.md', import.meta.url), 'utf8');
    const tabela = doc.slice(doc.indexOf('| client (`azp`) |'));
    const linhas = tabela.slice(0, tabela.indexOf('\n\n')).split('\n');
    const documentados = linhas.map((l) => /^\s*\| `([a-z-]+)` \|/.exec(l)?.[1]).filter((c): c is string => c !== undefined).sort();
    expect(documentados).toEqual(comRegra);
    expect(doc).toContain(`Rules version \`${REGRAS.versao}\``);
  });
});
