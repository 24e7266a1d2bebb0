/**
 * Authorization matrix with REAL Keycloak tokens (issue 4, item 5): every endpoint of the people API ×
 * (anonymous, citizen A, citizen B, steward of Saúde, steward of Fazenda, admin) → allowed or denied; citizen A
 * never reads B's record; a Saúde (or Fazenda) steward never receives a field outside its sharing rule.
 *
 * Citizens register through Keycloak's form (the listener creates their account in the API), an admin ties each
 * account to its master record after "checking documents", and everyone signs in through the login form.
 * Stewards are Keycloak users holding the realm roles from realm-export (imported at each run).
 */
import KcAdminClient from '@keycloak/keycloak-admin-client';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import request from 'supertest';
import type { Configuration } from 'openid-client';
import { cpfAleatorio } from '../api/test/helpers/cpfs.js';
import { createApp } from '../api/src/app.js';
import type { Config } from '../api/src/config.js';
import { autenticarAdmin, configDeTeste, criarServidor, registrarCidadao } from './support/pilha.js';
import { listarRotas } from '../api/src/openapi/rotas.js';
import { iniciarServidor, type ServidorIniciado } from '../api/src/server.js';
import { createTestDatabase, type TestDatabase } from './support/db.js';
import { KC_TEST } from './support/keycloak.js';
import { decodeJwt, discover, loginWithPassword } from './support/oidc.js';
import { discoverSecretaria } from './support/chave-cliente-dev.js';

const REDIRECT = 'http://localhost:4000/callback';
/** Saúde's own system (client `sms-saude` in realm-export): confidential, private_key_jwt with the development key. */
const SMS_REDIRECT = 'http://localhost:4102/callback';

/*
 * What each steward may receive, written out by hand from the sharing policy (docs/seguranca.md) — never read from
 * REGRAS, the table under test.
 */
const IDENTIFICACAO = ['atualizadoEm', 'cpf', 'criadoEm', 'dataNascimento', 'nome', 'nomeSocial', 'obito', 'situacao', 'versao'];
const CAMPOS_SAUDE = [...IDENTIFICACAO, 'cpfMae', 'emails', 'enderecos', 'genero', 'localNascimento', 'nomeMae', 'obitoRegistro', 'telefones'].sort();
const CAMPOS_FAZENDA = [...IDENTIFICACAO, 'emails', 'enderecos', 'obitoRegistro', 'telefones'].sort();
const CAMPOS: Record<'gestorSaude' | 'gestorFazenda', string[]> = { gestorSaude: CAMPOS_SAUDE, gestorFazenda: CAMPOS_FAZENDA };
const SENHA = 'Senha-de-teste-2026';

type Persona = 'anonimo' | 'cidadaoA' | 'cidadaoB' | 'gestorSaude' | 'gestorFazenda' | 'admin';
const PERSONAS: Persona[] = ['anonimo', 'cidadaoA', 'cidadaoB', 'gestorSaude', 'gestorFazenda', 'admin'];

let db: TestDatabase;
let config: Config;
let api: ServidorIniciado;
let apiUrl: string;
let kc: KcAdminClient;
let portal: Configuration;
const tokens: Partial<Record<Persona, string>> = {};
const cpfA = cpfAleatorio();
const cpfB = cpfAleatorio();
let contaA: string;

async function login(username: string): Promise<string> {
  return (await loginWithPassword({ config: portal, redirectUri: REDIRECT, username, password: SENHA })).access_token;
}

/** A staff account holding the given realm roles, signing in through the login form like anyone else. */
const servidorCom = async (papeis: string[]) => login((await criarServidor(kc, papeis, SENHA)).cpf);

const registrar = (cpf: string, nome: string) =>
  registrarCidadao(portal, { cpf, senha: SENHA, nome, sobrenome: 'Teste', dataNascimento: '1985-03-04' }, db.dataSource);

const ALL_FIELDS_RECORD = (cpf: string, nome: string) => ({
  cpf, nome, dataNascimento: '1985-03-04', nomeSocial: null, genero: 'feminino', estadoCivil: 'casado',
  nomeMae: 'Mãe de Teste', nomePai: 'Pai de Teste',
  emails: [{ endereco: `${cpf}@exemplo.sp.gov.br`, verificado: false }],
  enderecos: [{ cep: '01001000', logradouro: 'Praça da Sé', numero: '1', bairro: 'Sé', municipio: 'São Paulo', uf: 'SP' }],
});

beforeAll(async () => {
  db = await createTestDatabase();
  config = configDeTeste(db.url);
  api = await iniciarServidor(config);
  apiUrl = `http://127.0.0.1:${KC_TEST.apiPort}`;
  kc = new KcAdminClient({ baseUrl: KC_TEST.url });
  await autenticarAdmin(kc);
  portal = await discover('portal-cidadao');

  tokens.admin = await servidorCom(['admin-cadastro']);
  tokens.gestorSaude = await servidorCom(['gestor-saude']);
  tokens.gestorFazenda = await servidorCom(['gestor-fazenda']);

  contaA = await registrar(cpfA, 'Ana');
  const contaB = await registrar(cpfB, 'Bia');
  for (const [cpf, nome, conta] of [[cpfA, 'Ana Teste', contaA], [cpfB, 'Bia Teste', contaB]] as const) {
    const p = await request(apiUrl).post('/pessoas').set('authorization', `Bearer ${tokens.admin}`).send(ALL_FIELDS_RECORD(cpf, nome));
    expect(p.status).toBe(201);
    const v = await request(apiUrl).post(`/contas/${conta}/vinculo`).set('authorization', `Bearer ${tokens.admin}`)
      .send({ cpf, documento: { tipo: 'RG', numero: '123456789' } });
    expect(v.status).toBe(200);
  }
  tokens.cidadaoA = await login(cpfA);
  tokens.cidadaoB = await login(cpfB);
}, 180_000);

afterAll(async () => {
  await api?.parar();
  await db?.drop();
});

/**
 * The exact status each persona gets: 401 anonymous, 403 refused by a role gate, otherwise the route's own answer
 * to the harmless request below (written by hand: what that request must answer once authorised).
 */
interface Linha {
  metodo: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  caminho: string;
  /** Concrete URL (harmless targets: unknown ids, invalid bodies or dry runs — authorization runs first). */
  url: () => string;
  corpo?: unknown;
  esperado: Record<Persona, number>;
}

/** Citizens' routes: staff hold `cidadao` too (realm default role) but have no citizen account here → 404. */
const CIDADAO = (cidadao: number, semConta: number): Record<Persona, number> =>
  ({ anonimo: 401, cidadaoA: cidadao, cidadaoB: cidadao, gestorSaude: semConta, gestorFazenda: semConta, admin: semConta });
/** Every steward (any organ). */
const GESTOR = (ok: number): Record<Persona, number> => ({ anonimo: 401, cidadaoA: 403, cidadaoB: 403, gestorSaude: ok, gestorFazenda: ok, admin: ok });
/** The central team only. */
const CENTRAL = (ok: number): Record<Persona, number> => ({ anonimo: 401, cidadaoA: 403, cidadaoB: 403, gestorSaude: 403, gestorFazenda: 403, admin: ok });
const cnpjInexistente = '11222333000181';

/** The Descomplica points' service account only (client descomplica-biometria + role registro-biometria): no persona here. */
const SO_DESCOMPLICA: Record<Persona, number> = { anonimo: 401, cidadaoA: 403, cidadaoB: 403, gestorSaude: 403, gestorFazenda: 403, admin: 403 };

const MATRIZ: Linha[] = [
  { metodo: 'POST', caminho: '/biometria/capturas', url: () => '/biometria/capturas', corpo: {}, esperado: SO_DESCOMPLICA },
  { metodo: 'GET', caminho: '/me', url: () => '/me', esperado: CIDADAO(200, 404) },
  { metodo: 'PATCH', caminho: '/me/pessoa', url: () => '/me/pessoa?dryRun=true', corpo: { nomeSocial: 'Simulação' }, esperado: CIDADAO(200, 404) },
  { metodo: 'GET', caminho: '/me/acessos', url: () => '/me/acessos', esperado: CIDADAO(200, 404) },
  { metodo: 'GET', caminho: '/me/acessos.csv', url: () => '/me/acessos.csv', esperado: CIDADAO(200, 404) },
  // Mensagens: the caller's own threads; another's id is a 404 like an unknown one; bodies validated before the account
  { metodo: 'GET', caminho: '/me/conversas', url: () => '/me/conversas', esperado: CIDADAO(200, 404) },
  { metodo: 'POST', caminho: '/me/conversas', url: () => '/me/conversas', corpo: {}, esperado: CIDADAO(400, 400) },
  { metodo: 'GET', caminho: '/me/conversas/:id', url: () => `/me/conversas/${randomUUID()}`, esperado: CIDADAO(404, 404) },
  { metodo: 'POST', caminho: '/me/conversas/:id/mensagens', url: () => `/me/conversas/${randomUUID()}/mensagens`, corpo: {}, esperado: CIDADAO(400, 400) },
  { metodo: 'GET', caminho: '/me/aviso-email', url: () => '/me/aviso-email', esperado: CIDADAO(200, 404) },
  { metodo: 'PUT', caminho: '/me/aviso-email', url: () => '/me/aviso-email', corpo: {}, esperado: CIDADAO(400, 400) },
  { metodo: 'POST', caminho: '/me/verificacao-conhecimento', url: () => '/me/verificacao-conhecimento', corpo: { invalido: true }, esperado: CIDADAO(400, 400) },
  { metodo: 'POST', caminho: '/me/verificacao-conhecimento/:id/respostas', url: () => `/me/verificacao-conhecimento/${randomUUID()}/respostas`, corpo: { respostas: 'x' }, esperado: CIDADAO(400, 400) },
  { metodo: 'GET', caminho: '/compartilhamento/regras', url: () => '/compartilhamento/regras', esperado: GESTOR(200) },
  { metodo: 'GET', caminho: '/compartilhamento/minha-visao', url: () => '/compartilhamento/minha-visao', esperado: GESTOR(200) },
  { metodo: 'GET', caminho: '/pessoas', url: () => `/pessoas?cpf=${cpfA}`, esperado: GESTOR(200) },
  { metodo: 'POST', caminho: '/pessoas', url: () => '/pessoas?dryRun=true', corpo: { cpf: cpfAleatorio(), nome: 'Simulada', dataNascimento: '1990-01-01' }, esperado: GESTOR(200) },
  { metodo: 'GET', caminho: '/pessoas/:cpf', url: () => `/pessoas/${cpfA}`, esperado: GESTOR(200) },
  { metodo: 'PATCH', caminho: '/pessoas/:cpf', url: () => `/pessoas/${cpfA}?dryRun=true`, corpo: { nomeSocial: 'Simulação' }, esperado: GESTOR(200) },
  { metodo: 'DELETE', caminho: '/pessoas/:cpf', url: () => `/pessoas/${cpfA}?dryRun=true`, esperado: GESTOR(200) },
  { metodo: 'GET', caminho: '/pessoas/:cpf/historico/:campo', url: () => `/pessoas/${cpfA}/historico/nome`, esperado: GESTOR(200) },
  // empty body: cnpj and razaoSocial missing
  { metodo: 'POST', caminho: '/pessoas-juridicas', url: () => '/pessoas-juridicas?dryRun=true', corpo: {}, esperado: CENTRAL(400) },
  { metodo: 'GET', caminho: '/pessoas-juridicas/:cnpj', url: () => `/pessoas-juridicas/${cnpjInexistente}`, esperado: CENTRAL(404) },
  { metodo: 'PATCH', caminho: '/pessoas-juridicas/:cnpj', url: () => `/pessoas-juridicas/${cnpjInexistente}?dryRun=true`, corpo: { nomeFantasia: 'X' }, esperado: CENTRAL(404) },
  { metodo: 'GET', caminho: '/pessoas-juridicas/:cnpj/historico/:campo', url: () => `/pessoas-juridicas/${cnpjInexistente}/historico/razaoSocial`, esperado: CENTRAL(404) },
  { metodo: 'GET', caminho: '/revisoes', url: () => '/revisoes', esperado: CENTRAL(200) },
  // a review item id is a positive integer: a UUID is refused
  { metodo: 'POST', caminho: '/revisoes/:id/assumir', url: () => `/revisoes/${randomUUID()}/assumir`, esperado: CENTRAL(400) },
  { metodo: 'POST', caminho: '/revisoes/:id/resolver', url: () => `/revisoes/${randomUUID()}/resolver`, corpo: {}, esperado: CENTRAL(400) },
  { metodo: 'GET', caminho: '/contas/:keycloakUserId', url: () => `/contas/${contaA}`, esperado: CENTRAL(200) },
  // empty body: cpf and documento missing
  { metodo: 'POST', caminho: '/contas/:keycloakUserId/vinculo', url: () => `/contas/${randomUUID()}/vinculo`, corpo: {}, esperado: CENTRAL(400) },
  // Batch load: empty bodies (fonte/arquivo, justificativa missing), unknown ids, reads of an empty base
  { metodo: 'POST', caminho: '/cargas', url: () => '/cargas', corpo: {}, esperado: CENTRAL(400) },
  { metodo: 'GET', caminho: '/cargas', url: () => '/cargas', esperado: CENTRAL(200) },
  { metodo: 'GET', caminho: '/cargas/diagnostico', url: () => '/cargas/diagnostico', esperado: CENTRAL(200) },
  { metodo: 'GET', caminho: '/cargas/painel', url: () => '/cargas/painel', esperado: CENTRAL(200) },
  { metodo: 'GET', caminho: '/cargas/:id', url: () => '/cargas/carga-bdc-0123456789abcdef', esperado: CENTRAL(404) },
  { metodo: 'GET', caminho: '/revisoes-vinculo', url: () => '/revisoes-vinculo', esperado: CENTRAL(200) },
  { metodo: 'POST', caminho: '/revisoes-vinculo/:id/resolver', url: () => '/revisoes-vinculo/999999999/resolver', corpo: {}, esperado: CENTRAL(400) },
  { metodo: 'GET', caminho: '/identidades/:id', url: () => '/identidades/999999999', esperado: CENTRAL(404) },
  { metodo: 'POST', caminho: '/identidades/:id/fundir', url: () => '/identidades/999999999/fundir', corpo: {}, esperado: CENTRAL(400) },
  { metodo: 'POST', caminho: '/identidades/:id/separar', url: () => '/identidades/999999999/separar', corpo: {}, esperado: CENTRAL(400) },
  // Sala de Espera, the organ's queue: any organ's steward, their organ's requests only (unknown ids, empty bodies)
  // Mensagens, the organ's side: any organ's steward, their organ's threads only
  { metodo: 'GET', caminho: '/conversas', url: () => '/conversas', esperado: GESTOR(200) },
  { metodo: 'GET', caminho: '/conversas/:id', url: () => `/conversas/${randomUUID()}`, esperado: GESTOR(404) },
  { metodo: 'POST', caminho: '/conversas/:id/mensagens', url: () => `/conversas/${randomUUID()}/mensagens`, corpo: {}, esperado: GESTOR(400) },
  { metodo: 'GET', caminho: '/sala-espera/fila', url: () => '/sala-espera/fila', esperado: GESTOR(200) },
  { metodo: 'GET', caminho: '/sala-espera/fila/:id', url: () => `/sala-espera/fila/${randomUUID()}`, esperado: GESTOR(404) },
  { metodo: 'GET', caminho: '/sala-espera/fila/:id/documentos/:doc', url: () => `/sala-espera/fila/${randomUUID()}/documentos/${randomUUID()}`, esperado: GESTOR(404) },
  { metodo: 'POST', caminho: '/sala-espera/fila/:id/assumir', url: () => `/sala-espera/fila/${randomUUID()}/assumir`, corpo: {}, esperado: GESTOR(404) },
  { metodo: 'POST', caminho: '/sala-espera/fila/:id/recusar', url: () => `/sala-espera/fila/${randomUUID()}/recusar`, corpo: {}, esperado: GESTOR(400) },
  { metodo: 'POST', caminho: '/sala-espera/fila/:id/complementar', url: () => `/sala-espera/fila/${randomUUID()}/complementar`, corpo: {}, esperado: GESTOR(400) },
  { metodo: 'POST', caminho: '/sala-espera/fila/:id/aprovar', url: () => `/sala-espera/fila/${randomUUID()}/aprovar`, corpo: {}, esperado: GESTOR(400) },
];

/**
 * Public or separately guarded surfaces, outside this matrix: probes, HMAC-signed events, CMBD (own roles, own tests),
 * docs, and the citizen's side of the Sala de Espera (the signed reference, not a bearer token: api/src/sala-espera/).
 */
const FORA_DA_MATRIZ = /^\/(health|eventos|cmbd|dados-abertos|openapi\.json|docs)(\/|$)|^\/sala-espera(?!\/fila)(\/|$)/;

async function chamar(l: Linha, persona: Persona) {
  const token = tokens[persona];
  let req = request(apiUrl)[l.metodo.toLowerCase() as 'get'](l.url());
  if (token) req = req.set('authorization', `Bearer ${token}`);
  return l.corpo !== undefined ? req.send(l.corpo as object) : req;
}

describe('authorization matrix (real Keycloak tokens)', () => {
  it('the matrix covers every authenticated route registered in the app', () => {
    const app = createApp({ config, dataSource: db.dataSource, sync: { fila: {} as never, redis: {} as never }, verificarToken: async () => { throw new Error('x'); }, logger: pino({ level: 'silent' }) });
    const registradas = listarRotas(app).filter((r) => !FORA_DA_MATRIZ.test(r.caminho)).map((r) => `${r.metodo} ${r.caminho}`).sort();
    expect(MATRIZ.map((l) => `${l.metodo} ${l.caminho}`).sort()).toEqual(registradas);
  });

  it('the tokens are real Keycloak tokens with the expected roles', () => {
    expect(decodeJwt(tokens.gestorSaude!)).toMatchObject({ iss: expect.stringContaining(KC_TEST.realm), realm_access: { roles: expect.arrayContaining(['gestor-saude']) } });
    expect(decodeJwt(tokens.cidadaoA!)).toMatchObject({ cpf: cpfA, realm_access: { roles: expect.arrayContaining(['cidadao']) } });
    expect((decodeJwt(tokens.cidadaoA!) as { realm_access: { roles: string[] } }).realm_access.roles.filter((r) => r.startsWith('gestor-') || r.startsWith('admin-'))).toEqual([]);
  });

  it.each(MATRIZ.map((l) => [`${l.metodo} ${l.caminho}`, l] as const))('%s', async (_nome, linha) => {
    const obtido: Record<string, number | string> = {};
    for (const persona of PERSONAS) {
      const res = await chamar(linha, persona);
      obtido[persona] = res.status === linha.esperado[persona] ? res.status : `${res.status} ${JSON.stringify(res.body).slice(0, 200)}`;
    }
    expect(obtido).toEqual(linha.esperado);
  });
});

describe('citizens: their own record only', () => {
  it('A reads A and B reads B under /me; no request parameter reaches another CPF', async () => {
    const a = await request(apiUrl).get(`/me?cpf=${cpfB}`).set('authorization', `Bearer ${tokens.cidadaoA}`);
    expect(a.status).toBe(200);
    expect(a.body.pessoa).toMatchObject({ cpf: cpfA, nome: 'Ana Teste' });
    expect(a.body.conta).toMatchObject({ nivelConfianca: 3, vinculada: true });
    const b = await request(apiUrl).get('/me').set('authorization', `Bearer ${tokens.cidadaoB}`);
    expect(b.body.pessoa).toMatchObject({ cpf: cpfB, nome: 'Bia Teste' });
    expect(JSON.stringify(a.body)).not.toContain(cpfB);
    // All refused with 403 before anything is read: `/me/:x` is no route of the citizen, so it reaches the steward
    // role gate like the steward routes do.
    for (const [url, status] of [[`/me/${cpfB}`, 403], [`/pessoas/${cpfB}`, 403], [`/pessoas?cpf=${cpfB}`, 403], [`/pessoas/${cpfB}/historico/nome`, 403]] as const) {
      const r = await request(apiUrl).get(url).set('authorization', `Bearer ${tokens.cidadaoA}`);
      expect({ url, status: r.status }).toEqual({ url, status });
      expect(JSON.stringify(r.body)).not.toContain('Bia');
    }
  });

  it('a citizen\'s own edit goes through PMCC: nome social applied for A only', async () => {
    const r = await request(apiUrl).patch('/me/pessoa').set('authorization', `Bearer ${tokens.cidadaoA}`).send({ nomeSocial: 'Ana Social' });
    expect(r.status).toBe(200);
    expect(r.body.pessoa).toMatchObject({ cpf: cpfA, nomeSocial: 'Ana Social' });
    const b = await request(apiUrl).get('/me').set('authorization', `Bearer ${tokens.cidadaoB}`);
    expect(b.status).toBe(200);
    expect(b.body.pessoa).toMatchObject({ cpf: cpfB, nomeSocial: null });
  });
});

describe('stewards of an organ receive only the fields of their sharing rule', () => {
  it.each([
    ['gestorSaude', 'Saúde'],
    ['gestorFazenda', 'Fazenda'],
  ] as const)('%s: GET, search, write answers and history stay inside the rule', async (persona, _orgao) => {
    const esperados = CAMPOS[persona];
    const auth = `Bearer ${tokens[persona]}`;

    const um = await request(apiUrl).get(`/pessoas/${cpfA}`).set('authorization', auth);
    expect(um.status).toBe(200);
    expect(Object.keys(um.body).sort()).toEqual(esperados);
    expect(um.body).toMatchObject({ cpf: cpfA, nome: 'Ana Teste', dataNascimento: '1985-03-04' });

    const busca = await request(apiUrl).get(`/pessoas?cpf=${cpfA}`).set('authorization', auth);
    expect(busca.status).toBe(200);
    expect(busca.body.itens).toHaveLength(1);
    expect(Object.keys(busca.body.itens[0]).sort()).toEqual(esperados);

    // A dry run on a field outside the view: the would-be record comes back filtered, and the decision on that
    // field is not shown (its values would leak it).
    const simulacao = await request(apiUrl).patch(`/pessoas/${cpfA}?dryRun=true`).set('authorization', auth).send({ estadoCivil: 'divorciado' });
    expect(simulacao.status).toBe(200);
    expect(simulacao.body).toMatchObject({ dryRun: true, decisoes: [] });
    expect(Object.keys(simulacao.body.registro).sort()).toEqual(esperados);
    expect(simulacao.body.registro).not.toHaveProperty('estadoCivil');

    const historico = await request(apiUrl).get(`/pessoas/${cpfA}/historico/nomePai`).set('authorization', auth);
    expect(historico.status).toBe(403);

    // What the audit says left the API for this steward's read is exactly the hand-listed fields.
    const [linha] = await db.dataSource.query(
      `SELECT detalhe FROM auditoria WHERE acao = 'pessoa.lida' AND pessoa_cpf = $1 AND cliente = 'portal-cidadao' AND ator = $2 ORDER BY id DESC LIMIT 1`,
      [cpfA, decodeJwt(tokens[persona]!).preferred_username],
    );
    expect([...linha.detalhe.compartilhamento.camposVisiveis].sort()).toEqual(esperados);
  });

  it('a Saúde steward using Saúde\'s own system (sms-saude) reads the person: 200 with exactly the Saúde fields', async () => {
    const username = decodeJwt(tokens.gestorSaude!).preferred_username as string;
    const sms = await discoverSecretaria('sms-saude');
    const token = (await loginWithPassword({ config: sms, redirectUri: SMS_REDIRECT, username, password: SENHA })).access_token;
    // least privilege: the API is the only audience (no `account`: the client's role scope holds no account role)
    expect(decodeJwt(token)).toMatchObject({ azp: 'sms-saude', aud: 'lum-api' });

    const r = await request(apiUrl).get(`/pessoas/${cpfA}`).set('authorization', `Bearer ${token}`);
    expect(r.status).toBe(200);
    expect(Object.keys(r.body).sort()).toEqual(CAMPOS_SAUDE);
    expect(r.body).toMatchObject({ cpf: cpfA, nome: 'Ana Teste', genero: 'feminino', nomeMae: 'Mãe de Teste', dataNascimento: '1985-03-04' });

    const visao = await request(apiUrl).get('/compartilhamento/minha-visao').set('authorization', `Bearer ${token}`);
    expect(visao.status).toBe(200);
    expect(visao.body).toEqual({ orgaos: ['saude'], cliente: 'sms-saude', campos: CAMPOS_SAUDE, versaoRegras: '2026-12-05.1' });

    const [linha] = await db.dataSource.query(
      `SELECT detalhe FROM auditoria WHERE acao = 'pessoa.lida' AND pessoa_cpf = $1 AND cliente = 'sms-saude' AND ator = $2 ORDER BY id DESC LIMIT 1`,
      [cpfA, username],
    );
    expect([...linha.detalhe.compartilhamento.camposVisiveis].sort()).toEqual(CAMPOS_SAUDE);
  });

  it('the admin (central team) receives every field', async () => {
    const r = await request(apiUrl).get(`/pessoas/${cpfA}`).set('authorization', `Bearer ${tokens.admin}`);
    expect(r.status).toBe(200);
    expect(Object.keys(r.body).sort()).toEqual([
      'atualizadoEm', 'biometria', 'certificadoIcp', 'cpf', 'cpfMae', 'cpfPai', 'criadoEm', 'dataNascimento', 'emails', 'enderecos', 'estadoCivil',
      'genero', 'localNascimento', 'nome', 'nomeMae', 'nomePai', 'nomeSocial', 'obito', 'obitoRegistro', 'relacoesFamiliares', 'rg', 'situacao',
      'telefones', 'tituloEleitor', 'versao', 'vinculoGovbr',
    ]);
    expect(r.body).toMatchObject({ nomePai: 'Pai de Teste', estadoCivil: 'casado', nomeMae: 'Mãe de Teste' });
  });
});
