/**
 * The OpenAPI document is true to the code for RESPONSES: every route of the real app (real PostgreSQL, Redis and
 * REAL Keycloak tokens from the slot's Keycloak instance) is called, and each body is validated with ajv (draft
 * 2020-12) against the schema the served `/openapi.json` declares for that route, status and media type. Objects
 * are closed (`additionalProperties: false`), so an undocumented field fails. The last test fails when a route has
 * a documented 2xx not validated, or no validated error answer although it documents some; a status the document
 * does not list fails the call that got it.
 */
import KcAdminClient from '@keycloak/keycloak-admin-client';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import formatos from 'ajv-formats';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import type { Configuration } from 'openid-client';
import request from 'supertest';
import type { Response, Test } from 'supertest';
import { createApp } from '../app.js';
import { criarVerificadorKeycloak } from '../auth/verificador-token.js';
import { criarWorkerCarga } from '../carga/gestao/processador.js';
import { baseValida } from '../cmbd/cmbd.fixtures.js';
import { paraCsv } from '../cmbd/publicacao.js';
import { digitosVerificadoresCnpj } from '../validation/cnpj.js';
import { criarAppDeTeste, configDeTeste, type AppDeTeste } from '../../test/helpers/app.js';
import { cpfAleatorio } from '../../test/helpers/cpfs.js';
import { cabecalhosAssinados, eventoRegister, SEGREDO_EVENTOS_TESTE } from '../../test/helpers/eventos.js';
import { assinarReferencia } from '../sala-espera/referencia.js';
import { KC_TEST } from '../../../test/support/keycloak.js';
import { eventually } from '../../../test/support/eventually.js';
import { criarServidor } from '../../../test/support/pilha.js';
import { discover, loginWithPassword } from '../../../test/support/oidc.js';
import { discoverSecretaria } from '../../../test/support/chave-cliente-dev.js';
import * as oidc from 'openid-client';
import { caminhoOpenApi, ROTAS, type RotaDocumentada } from './documento.js';
import { usarRelogioDosTestes } from '../../../test/support/relogio.js';
import { relogio, usarRelogio } from '../relogio.js';

// Dates in this file are relative to the tests' "today", 2026-11-16 (test/support/relogio.ts), not to the day it runs.
usarRelogioDosTestes();

const REDIRECT = 'http://localhost:4000/callback';
const SENHA = 'Senha-de-teste-2026';
const BASE_ID = 'https://lum.invalid/openapi.json';
/** The document's `#/components/schemas/X` become `BASE_ID#/$defs/X`: ajv resolves them inside one registered schema. */
const comBase = (s: unknown): Record<string, unknown> => JSON.parse(JSON.stringify(s).replaceAll('"#/components/schemas/', `"${BASE_ID}#/$defs/`));

type Persona = 'central' | 'saude' | 'cgm' | 'smads' | 'cidadao' | 'semConta' | 'excluido' | 'descomplica';
const token: Partial<Record<Persona, string>> = {};
let t: AppDeTeste;
let appQuebrado: ReturnType<typeof createApp>;
let verificador: ReturnType<typeof criarVerificadorKeycloak>;
let kc: KcAdminClient;
let portal: Configuration;
let doc: { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>; components: { schemas: Record<string, unknown> } };
let ajv: Ajv2020;
const validadores = new Map<string, ValidateFunction>();
/** `GET /pessoas/:cpf 200` → validated at least once. */
const validados = new Set<string>();

const cpfCidadao = cpfAleatorio();
const cpfOutro = cpfAleatorio();
const cnpj = (() => {
  const base = `${Math.floor(Math.random() * 1e11)}`.padStart(8, '7').slice(0, 8) + '0001';
  return `${base}${digitosVerificadoresCnpj(base)}`;
})();
let contaCidadao: string;
let excluido: { id: string; username: string };
/** The batch-load inbox (CARGA_DIRETORIO) of this file's app. */
let entradaCarga: string;

async function usuario(papeis: string[]): Promise<{ id: string; username: string }> {
  const { cpf, id } = await criarServidor(kc, papeis, SENHA);
  return { id, username: cpf };
}
const login = async (username: string) => (await loginWithPassword({ config: portal, redirectUri: REDIRECT, username, password: SENHA })).access_token;

beforeAll(async () => {
  const verificarToken = criarVerificadorKeycloak({ keycloakUrl: KC_TEST.url, keycloakPublicUrl: KC_TEST.url, keycloakRealm: KC_TEST.realm, lumApiAudience: 'lum-api' });
  verificador = verificarToken;
  entradaCarga = await mkdtemp(join(tmpdir(), 'lum-respostas-carga-'));
  t = await criarAppDeTeste('openapi-respostas', { env: { KEYCLOAK_URL: KC_TEST.url, CARGA_DIRETORIO: entradaCarga, LUM_SALA_DOCUMENTOS_DIR: join(entradaCarga, 'sala-documentos') }, deps: { verificarToken } });
  // The same app with a Keycloak that does not answer: /health/ready says 503.
  appQuebrado = createApp({
    config: configDeTeste({ KEYCLOAK_URL: 'http://127.0.0.1:9' }), dataSource: t.db.dataSource, sync: t.sync, verificarToken, logger: pino({ level: 'silent' }),
  });
  kc = new KcAdminClient({ baseUrl: KC_TEST.url });
  kc.setConfig({ realmName: 'master' });
  await kc.auth({ grantType: 'password', clientId: 'admin-cli', username: KC_TEST.adminUser, password: KC_TEST.adminPassword });
  kc.setConfig({ realmName: KC_TEST.realm });
  portal = await discover('portal-cidadao');
  const personas: [Persona, string[]][] = [
    ['central', ['admin-cadastro']], ['saude', ['gestor-saude']], ['cgm', ['servidor', 'cmbd-cgm']],
    ['smads', ['servidor', 'cmbd-ponto-focal', 'cmbd-orgao-smads']], ['semConta', []],
  ];
  for (const [p, papeis] of personas) token[p] = await login((await usuario(papeis)).username);
  excluido = await usuario([]);
  token.excluido = await login(excluido.username);
  // The citizen: an account in Keycloak whose REGISTER event the API receives below (its username is its CPF).
  const cidadao = await kc.users.create({
    username: cpfCidadao, email: `${cpfCidadao}@exemplo.sp.gov.br`, firstName: 'Cida', lastName: 'Dã', enabled: true, emailVerified: true,
    credentials: [{ type: 'password', value: SENHA, temporary: false }], attributes: { cpf: [cpfCidadao] },
  });
  contaCidadao = cidadao.id;
  token.cidadao = await login(cpfCidadao);
  // The Descomplica points' service account (client credentials, private_key_jwt with the development key).
  token.descomplica = (await oidc.clientCredentialsGrant(await discoverSecretaria('descomplica-biometria'))).access_token;

  doc = (await request(t.app).get('/openapi.json').expect(200)).body;
  ajv = new Ajv2020({ allErrors: true, strict: true });
  formatos.default(ajv);
  ajv.addSchema({ $id: BASE_ID, $defs: comBase(doc.components.schemas) });
}, 240_000);

afterAll(async () => {
  await t?.fechar();
  await rm(entradaCarga, { recursive: true, force: true });
});


/** Reads any body as text (JSON parsed below), so every media type is validated as it arrived. */
function texto(req: Test): Test {
  return req.buffer(true).parse((res, cb) => {
    let d = '';
    res.setEncoding('utf8');
    res.on('data', (c: string) => (d += c));
    res.on('end', () => cb(null, d));
  });
}

interface Chamada {
  metodo: RotaDocumentada['metodo'];
  /** The documented path (Express syntax). */
  rota: string;
  url: string;
  quem?: Persona;
  corpo?: unknown;
  cabecalhos?: Record<string, string>;
  app?: ReturnType<typeof createApp>;
  /** A multipart body instead (Sala de Espera uploads): text fields, then one file. */
  multipart?: { campos: Record<string, string>; arquivo?: { campo: string; conteudo: Buffer; nome: string; tipo: string } };
}

/**
 * Calls the real app, expects `status`, and validates the body against the document's schema for that route,
 * status and media type. Returns the parsed body.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the body is checked against the route's OpenAPI schema here; each caller then reads the fields its test asserts
async function chamar(c: Chamada, status: number): Promise<{ corpo: any; res: Response }> {
  let req = request(c.app ?? t.app)[c.metodo.toLowerCase() as 'get'](c.url);
  if (c.quem) req = req.set('authorization', `Bearer ${token[c.quem]}`);
  for (const [k, v] of Object.entries(c.cabecalhos ?? {})) req = req.set(k, v);
  if (c.corpo !== undefined) req = typeof c.corpo === 'string' ? req.send(c.corpo) : req.send(c.corpo as object);
  if (c.multipart) {
    for (const [k, v] of Object.entries(c.multipart.campos)) req = req.field(k, v);
    const a = c.multipart.arquivo;
    if (a) req = req.attach(a.campo, a.conteudo, { filename: a.nome, contentType: a.tipo });
  }
  const res = await texto(req);
  const texto_ = res.body as string;
  const nome = `${c.metodo} ${c.rota} → ${res.status}`;
  expect({ chamada: `${c.metodo} ${c.url}`, status: res.status, corpo: res.status === status ? '' : texto_.slice(0, 400) }).toEqual({ chamada: `${c.metodo} ${c.url}`, status, corpo: '' });
  const op = doc.paths[caminhoOpenApi(c.rota)]?.[c.metodo.toLowerCase()];
  if (!op) throw new Error(`${c.metodo} ${c.rota} não está no documento`);
  const resposta = op.responses[String(status)];
  if (!resposta) throw new Error(`${nome}: status não documentado (documentados: ${Object.keys(op.responses).join(', ')})`);
  const tipo = String(res.headers['content-type'] ?? '').split(';')[0].trim();
  const midia = resposta.content?.[tipo];
  if (!midia) throw new Error(`${nome}: content-type ${tipo} não documentado (documentados: ${Object.keys(resposta.content ?? {}).join(', ')})`);
  const corpo = /json$/.test(tipo) ? JSON.parse(texto_) : texto_;
  const chave = `${c.metodo} ${c.rota} ${status} ${tipo}`;
  let validar = validadores.get(chave);
  if (!validar) {
    validar = ajv.compile(comBase(midia.schema));
    validadores.set(chave, validar);
  }
  if (!validar(corpo)) {
    throw new Error(`${nome} (${tipo}): o corpo não confere com o esquema do documento:\n${JSON.stringify(validar.errors, null, 2)}\ncorpo: ${texto_.slice(0, 1500)}`);
  }
  validados.add(`${c.metodo} ${c.rota} ${status}`);
  return { corpo, res };
}

/** A request without a token: 401 with the `Erro` body. */
const semToken = (metodo: Chamada['metodo'], rota: string, url: string) => chamar({ metodo, rota, url }, 401);

describe('public routes', () => {
  it('health, the document and its page', async () => {
    await chamar({ metodo: 'GET', rota: '/health/live', url: '/health/live' }, 200);
    const pronto = await chamar({ metodo: 'GET', rota: '/health/ready', url: '/health/ready' }, 200);
    expect(pronto.corpo.status).toBe('UP');
    const fora = await chamar({ metodo: 'GET', rota: '/health/ready', url: '/health/ready', app: appQuebrado }, 503);
    expect(fora.corpo.falhas).toEqual(['keycloak']);
    await chamar({ metodo: 'GET', rota: '/openapi.json', url: '/openapi.json' }, 200);
    await chamar({ metodo: 'GET', rota: '/docs', url: '/docs' }, 200);
    await chamar({ metodo: 'GET', rota: '/docs/inicializar.js', url: '/docs/inicializar.js' }, 200);
  });

  it('POST /eventos/keycloak: accepted, bad signature, invalid payload, replay', async () => {
    const evento = eventoRegister(cpfCidadao, { userId: contaCidadao });
    const corpo = JSON.stringify(evento);
    const rota = { metodo: 'POST' as const, rota: '/eventos/keycloak', url: '/eventos/keycloak' };
    const aceito = await chamar({ ...rota, corpo, cabecalhos: cabecalhosAssinados(corpo) }, 202);
    expect(aceito.corpo).toMatchObject({ id: evento.id, resultado: 'processado' });
    await chamar({ ...rota, corpo, cabecalhos: cabecalhosAssinados(corpo) }, 409);
    await chamar({ ...rota, corpo, cabecalhos: cabecalhosAssinados(corpo, { segredo: 'outro-segredo' }) }, 401);
    const invalido = JSON.stringify({ id: randomUUID() });
    await chamar({ ...rota, corpo: invalido, cabecalhos: cabecalhosAssinados(invalido) }, 400);
    const grande = JSON.stringify({ ...evento, id: randomUUID(), details: { enchimento: 'x'.repeat(200_000) } });
    await chamar({ ...rota, corpo: grande, cabecalhos: cabecalhosAssinados(grande) }, 413);
    // An account created and then deleted in the Login Único: its owner still signs in, /me refuses (403).
    for (const tipo of ['REGISTER', 'DELETE_ACCOUNT']) {
      const e = JSON.stringify(eventoRegister(excluido.username, { userId: excluido.id, type: tipo }));
      await chamar({ ...rota, corpo: e, cabecalhos: cabecalhosAssinados(e) }, 202);
    }
  });
});

const registroCompleto = (cpf: string, nome: string) => ({
  cpf, nome, dataNascimento: '1985-03-04', nomeSocial: null, genero: 'feminino', estadoCivil: 'casado',
  localNascimento: { municipio: 'São Paulo', uf: 'SP' }, rg: { numero: '123456789', digito: 'X', uf: 'SP' },
  nomeMae: 'Mãe de Teste', cpfMae: cpfOutro, nomePai: 'Pai de Teste',
  emails: [{ endereco: `${cpf}@exemplo.sp.gov.br`, verificado: false }],
  telefones: [{ numero: '11987654321', tipo: 'celular', verificado: false }],
  enderecos: [{ cep: '01001000', logradouro: 'Praça da Sé', numero: '1', complemento: 'Sala 2', bairro: 'Sé', municipio: 'São Paulo', uf: 'SP' }],
  relacoesFamiliares: [{ tipo: 'filho', cpf: cpfOutro }],
});

describe('people, accounts, citizen, review queue (real Keycloak tokens)', () => {
  it('sharing rules and the caller view', async () => {
    await chamar({ metodo: 'GET', rota: '/compartilhamento/regras', url: '/compartilhamento/regras', quem: 'central' }, 200);
    await semToken('GET', '/compartilhamento/regras', '/compartilhamento/regras');
    const visao = await chamar({ metodo: 'GET', rota: '/compartilhamento/minha-visao', url: '/compartilhamento/minha-visao', quem: 'saude' }, 200);
    expect(visao.corpo.orgaos).toEqual(['saude']);
    await chamar({ metodo: 'GET', rota: '/compartilhamento/minha-visao', url: '/compartilhamento/minha-visao', quem: 'cidadao' }, 403);
  });

  it('persons: create (dry run and real), search, read (full and filtered), change, inactivate, history', async () => {
    const P = { rota: '/pessoas', url: '/pessoas' };
    await chamar({ metodo: 'POST', ...P, url: '/pessoas?dryRun=true', quem: 'central', corpo: registroCompleto(cpfCidadao, 'Cida Dã') }, 200);
    const criada = await chamar({ metodo: 'POST', ...P, quem: 'central', corpo: registroCompleto(cpfCidadao, 'Cida Dã') }, 201);
    expect(criada.corpo).toMatchObject({ cpf: cpfCidadao, versao: 1 });
    await chamar({ metodo: 'POST', ...P, quem: 'central', corpo: registroCompleto(cpfCidadao, 'Cida Dã') }, 409);
    await chamar({ metodo: 'POST', ...P, quem: 'central', corpo: { nome: 'Sem CPF' } }, 400);
    const recusa = await chamar({ metodo: 'POST', ...P, quem: 'central', corpo: { ...registroCompleto(cpfAleatorio(), 'Outra'), vinculoGovbr: { referencia: 'govbr-1' } } }, 422);
    expect(recusa.corpo.recusas).toEqual([expect.objectContaining({ campo: 'vinculoGovbr', codigo: 'ATOR_NAO_AUTORIZADO' })]);

    await chamar({ metodo: 'GET', rota: '/pessoas', url: `/pessoas?cpf=${cpfCidadao}`, quem: 'central' }, 200);
    const busca = await chamar({ metodo: 'GET', rota: '/pessoas', url: `/pessoas?nome=cida&dataNascimento=1985-03-04`, quem: 'saude' }, 200);
    expect(busca.corpo.itens[0]).not.toHaveProperty('rg');
    await chamar({ metodo: 'GET', rota: '/pessoas', url: '/pessoas', quem: 'central' }, 400);

    const R = { metodo: 'GET' as const, rota: '/pessoas/:cpf' };
    const lida = await chamar({ ...R, url: `/pessoas/${cpfCidadao}`, quem: 'central' }, 200);
    expect(Object.keys(lida.corpo)).toHaveLength(26);
    const filtrada = await chamar({ ...R, url: `/pessoas/${cpfCidadao}`, quem: 'saude' }, 200);
    expect(filtrada.corpo).not.toHaveProperty('tituloEleitor');
    await chamar({ ...R, url: `/pessoas/${cpfOutro}`, quem: 'central' }, 404);
    await chamar({ ...R, url: '/pessoas/123', quem: 'central' }, 400);
    await chamar({ ...R, url: `/pessoas/${cpfCidadao}`, quem: 'cidadao' }, 403);
    await semToken('GET', '/pessoas/:cpf', `/pessoas/${cpfCidadao}`);

    const A = { metodo: 'PATCH' as const, rota: '/pessoas/:cpf', url: `/pessoas/${cpfCidadao}` };
    await chamar({ ...A, url: `${A.url}?dryRun=true`, quem: 'saude', corpo: { nomeSocial: 'Cida' } }, 200);
    await chamar({ ...A, quem: 'central', corpo: { nomeSocial: 'Cida' } }, 428);
    const alterada = await chamar({ ...A, quem: 'central', corpo: { nomeSocial: 'Cida' }, cabecalhos: { 'if-match': '"v1"' } }, 200);
    expect(alterada.corpo.registro).toMatchObject({ nomeSocial: 'Cida', versao: 2 });
    await chamar({ ...A, quem: 'central', corpo: { nomeSocial: 'Cidinha' }, cabecalhos: { 'if-match': '"v1"' } }, 409);
    await chamar({ ...A, quem: 'central', corpo: { genero: 'x' }, cabecalhos: { 'if-match': '"v2"' } }, 400);
    await chamar({ ...A, quem: 'central', corpo: { vinculoGovbr: { referencia: 'govbr-1' } }, cabecalhos: { 'if-match': '"v2"' } }, 422);
    await chamar({ ...A, url: `/pessoas/${cpfOutro}`, quem: 'central', corpo: { nomeSocial: 'X' }, cabecalhos: { 'if-match': '"v1"' } }, 404);

    const D = { metodo: 'DELETE' as const, rota: '/pessoas/:cpf', url: `/pessoas/${cpfCidadao}` };
    await chamar({ ...D, url: `${D.url}?dryRun=true`, quem: 'central' }, 200);
    await chamar({ ...D, quem: 'central', corpo: { motivo: 'x' } }, 400);
    await chamar({ ...D, quem: 'central', cabecalhos: { 'if-match': '"v1"' } }, 409);
    await chamar({ ...D, url: `/pessoas/${cpfOutro}?dryRun=true`, quem: 'central' }, 404);

    const H = { metodo: 'GET' as const, rota: '/pessoas/:cpf/historico/:campo' };
    const hist = await chamar({ ...H, url: `/pessoas/${cpfCidadao}/historico/nomeSocial`, quem: 'central' }, 200);
    expect(hist.corpo.valores.length).toBeGreaterThan(0);
    await chamar({ ...H, url: `/pessoas/${cpfCidadao}/historico/tituloEleitor`, quem: 'saude' }, 403);
    await chamar({ ...H, url: `/pessoas/${cpfCidadao}/historico/inexistente`, quem: 'central' }, 400);
    await chamar({ ...H, url: `/pessoas/${cpfOutro}/historico/nome`, quem: 'central' }, 404);
  });

  it('accounts: read, in-person link (level 3)', async () => {
    const C = { metodo: 'GET' as const, rota: '/contas/:keycloakUserId' };
    const conta = await chamar({ ...C, url: `/contas/${contaCidadao}`, quem: 'central' }, 200);
    expect(conta.corpo).toMatchObject({ cpfDeclarado: cpfCidadao, nivelConfianca: 1 });
    await chamar({ ...C, url: `/contas/${randomUUID()}`, quem: 'central' }, 404);
    await chamar({ ...C, url: '/contas/nao-e-uuid', quem: 'central' }, 400);
    await chamar({ ...C, url: `/contas/${contaCidadao}`, quem: 'saude' }, 403);

    const V = { metodo: 'POST' as const, rota: '/contas/:keycloakUserId/vinculo', url: `/contas/${contaCidadao}/vinculo` };
    await chamar({ ...V, quem: 'central', corpo: { cpf: cpfCidadao } }, 400);
    await chamar({ ...V, url: `/contas/${randomUUID()}/vinculo`, quem: 'central', corpo: { cpf: cpfCidadao, documento: { tipo: 'RG', numero: '123456789' } } }, 404);
    const vinculo = await chamar({ ...V, quem: 'central', corpo: { cpf: cpfCidadao, documento: { tipo: 'RG', numero: '123456789' } } }, 200);
    expect(vinculo.corpo).toMatchObject({ pessoaCpf: cpfCidadao, nivelConfianca: 3 });
    // Another person's record: the CPF declared on the account does not match (422).
    const outra = cpfAleatorio();
    await chamar({ metodo: 'POST', rota: '/pessoas', url: '/pessoas', quem: 'central', corpo: { cpf: outra, nome: 'Outra Pessoa', dataNascimento: '1970-01-01' } }, 201);
    await chamar({ ...V, quem: 'central', corpo: { cpf: outra, documento: { tipo: 'RG', numero: '123456789' } } }, 422);
    // The citizen changes the CPF declared on the account (an UPDATE_PROFILE event): the account stays tied to its
    // record, so tying it to the other person is a conflict (409).
    const perfil = JSON.stringify(eventoRegister(outra, { userId: contaCidadao, type: 'UPDATE_PROFILE' }));
    await chamar({ metodo: 'POST', rota: '/eventos/keycloak', url: '/eventos/keycloak', corpo: perfil, cabecalhos: cabecalhosAssinados(perfil) }, 202);
    await chamar({ ...V, quem: 'central', corpo: { cpf: outra, documento: { tipo: 'RG', numero: '123456789' } } }, 409);
    // The deleted account, declared with the other person's CPF: refused (422, account deleted).
    await chamar({ ...V, url: `/contas/${excluido.id}/vinculo`, quem: 'central', corpo: { cpf: outra, documento: { tipo: 'RG', numero: '1' } } }, 422);
  });

  it('biometric capture (level 4): recorded, repeated, no account, no master record, bad body, too large, another role', async () => {
    const B = { metodo: 'POST' as const, rota: '/biometria/capturas', url: '/biometria/capturas' };
    const [conta, semRegistro, cpf, cpfSemRegistro] = [randomUUID(), randomUUID(), cpfAleatorio(), cpfAleatorio()];
    await t.db.dataSource.query(`INSERT INTO pessoa (cpf, nome, data_nascimento) VALUES ($1, 'Pessoa Biometria', DATE '1980-01-01')`, [cpf]);
    await t.db.dataSource.query(`INSERT INTO conta (keycloak_user_id, username, cpf_declarado) VALUES ($1, $2, $3), ($4, $5, $6)`, [conta, cpf, cpf, semRegistro, cpfSemRegistro, cpfSemRegistro]);
    const corpo = { cpf, ponto: 'descomplica-sao-miguel', operador: 'RF-7001', capturadaEm: '2026-11-16T11:50:00-03:00', referenciaCaptura: 'SMG-000042-a' };
    const feita = await chamar({ ...B, quem: 'descomplica', corpo }, 201);
    expect(feita.corpo).toMatchObject({ keycloakUserId: conta, nivelAnterior: 1, nivel: 4, evidencia: { tipo: 'biometria' } });
    await chamar({ ...B, quem: 'descomplica', corpo }, 409);
    await chamar({ ...B, quem: 'descomplica', corpo: { ...corpo, cpf: cpfAleatorio() } }, 404);
    await chamar({ ...B, quem: 'descomplica', corpo: { ...corpo, cpf: cpfSemRegistro, referenciaCaptura: 'SMG-000043-a' } }, 422);
    await chamar({ ...B, quem: 'descomplica', corpo: { ...corpo, template: 'Rk1SACAyMAAAAAFiAAABPAFiAMUAxQEAAAAoQ' } }, 400);
    await chamar({ ...B, quem: 'descomplica', corpo: { ...corpo, referenciaCaptura: 'x'.repeat(5000) } }, 413);
    await chamar({ ...B, quem: 'central', corpo }, 403);
  });

  it('citizen: /me and a correction through Entrada Única (a name change becomes a review item)', async () => {
    const eu = await chamar({ metodo: 'GET', rota: '/me', url: '/me', quem: 'cidadao' }, 200);
    expect(eu.corpo.pessoa).toMatchObject({ cpf: cpfCidadao });
    expect(eu.corpo.pessoa).not.toHaveProperty('biometria');
    await chamar({ metodo: 'GET', rota: '/me', url: '/me', quem: 'semConta' }, 404);
    await semToken('GET', '/me', '/me');

    const M = { metodo: 'PATCH' as const, rota: '/me/pessoa', url: '/me/pessoa' };
    await chamar({ ...M, url: '/me/pessoa?dryRun=true', quem: 'cidadao', corpo: { nomeSocial: 'Cida S.' } }, 200);
    const pedido = await chamar({ ...M, quem: 'cidadao', corpo: { nome: 'Cida Dã Silva' } }, 200);
    expect(pedido.corpo.revisoesAbertas).toHaveLength(1);
    await chamar({ ...M, quem: 'cidadao', corpo: { nome: '' } }, 400);
    await chamar({ ...M, quem: 'semConta', corpo: { nomeSocial: 'X' } }, 404);
    await chamar({ ...M, quem: 'cidadao', corpo: { cpfMae: null } }, 422);
    await chamar({ ...M, quem: 'cidadao', corpo: { nomeSocial: 'Cida' }, cabecalhos: { 'if-match': '"v1"' } }, 409);
    await chamar({ metodo: 'GET', rota: '/me', url: '/me', quem: 'excluido' }, 403);
    await chamar({ ...M, quem: 'excluido', corpo: { nomeSocial: 'X' } }, 403);
    // A second request for the name: it stays open in the queue, for the review test.
    await chamar({ ...M, quem: 'cidadao', corpo: { nome: 'Cida D. Silva' } }, 200);
  });

  it('citizen: who read my data (/me/acessos, its CSV)', async () => {
    await chamar({ metodo: 'GET', rota: '/pessoas/:cpf', url: `/pessoas/${cpfCidadao}`, quem: 'saude' }, 200);
    const A = { metodo: 'GET' as const, rota: '/me/acessos' };
    const pagina = await chamar({ ...A, url: '/me/acessos?limit=5', quem: 'cidadao' }, 200);
    expect(pagina.corpo.itens[0]).toMatchObject({ orgao: 'Secretaria Municipal da Saúde (SMS)' });
    await chamar({ ...A, url: '/me/acessos?limit=0', quem: 'cidadao' }, 400);
    await chamar({ ...A, url: '/me/acessos', quem: 'semConta' }, 404);
    await chamar({ ...A, url: '/me/acessos', quem: 'excluido' }, 403);
    await semToken('GET', '/me/acessos', '/me/acessos');
    const C = { metodo: 'GET' as const, rota: '/me/acessos.csv' };
    await chamar({ ...C, url: '/me/acessos.csv', quem: 'cidadao' }, 200);
    await chamar({ ...C, url: '/me/acessos.csv?x=1', quem: 'cidadao' }, 400);
    await chamar({ ...C, url: '/me/acessos.csv', quem: 'semConta' }, 404);
    await chamar({ ...C, url: '/me/acessos.csv', quem: 'excluido' }, 403);
    await semToken('GET', '/me/acessos.csv', '/me/acessos.csv');
  });

  it('Mensagens: the citizen\'s threads and e-mail choice, the organ\'s side', async () => {
    const L = { metodo: 'GET' as const, rota: '/me/conversas' };
    await chamar({ ...L, url: '/me/conversas?x=1', quem: 'cidadao' }, 400);
    await chamar({ ...L, url: '/me/conversas', quem: 'semConta' }, 404);
    await chamar({ ...L, url: '/me/conversas', quem: 'excluido' }, 403);
    await semToken('GET', '/me/conversas', '/me/conversas');
    const N = { metodo: 'POST' as const, rota: '/me/conversas', url: '/me/conversas' };
    const valida = { orgao: 'saude', assunto: 'Vacina', texto: 'Onde tomo a vacina?' };
    await chamar({ ...N, quem: 'cidadao', corpo: { ...valida, orgao: 'x' } }, 400);
    await chamar({ ...N, quem: 'semConta', corpo: valida }, 404);
    await chamar({ ...N, quem: 'excluido', corpo: valida }, 403);
    await semToken('POST', '/me/conversas', '/me/conversas');
    const id = (await chamar({ ...N, quem: 'cidadao', corpo: valida }, 201)).corpo.id as string;
    expect((await chamar({ ...L, url: '/me/conversas', quem: 'cidadao' }, 200)).corpo.conversas).toEqual([expect.objectContaining({ id })]);
    const U = { metodo: 'GET' as const, rota: '/me/conversas/:id' };
    await chamar({ ...U, url: `/me/conversas/${id}`, quem: 'cidadao' }, 200);
    await chamar({ ...U, url: '/me/conversas/x', quem: 'cidadao' }, 400);
    await chamar({ ...U, url: `/me/conversas/${id}`, quem: 'semConta' }, 404);
    await chamar({ ...U, url: `/me/conversas/${id}`, quem: 'excluido' }, 403);
    await semToken('GET', '/me/conversas/:id', `/me/conversas/${id}`);
    const M = { metodo: 'POST' as const, rota: '/me/conversas/:id/mensagens', url: `/me/conversas/${id}/mensagens` };
    await chamar({ ...M, quem: 'cidadao', corpo: { texto: 'Obrigada' } }, 201);
    await chamar({ ...M, quem: 'cidadao', corpo: { texto: '' } }, 400);
    await chamar({ ...M, quem: 'semConta', corpo: { texto: 'Oi' } }, 404);
    await chamar({ ...M, quem: 'excluido', corpo: { texto: 'Oi' } }, 403);
    await semToken('POST', '/me/conversas/:id/mensagens', `/me/conversas/${id}/mensagens`);

    const FL = { metodo: 'GET' as const, rota: '/conversas' };
    expect((await chamar({ ...FL, url: '/conversas?situacao=nao-lidas', quem: 'saude' }, 200)).corpo.conversas).toEqual(expect.arrayContaining([expect.objectContaining({ id })]));
    await chamar({ ...FL, url: '/conversas?situacao=x', quem: 'saude' }, 400);
    await chamar({ ...FL, url: '/conversas', quem: 'cidadao' }, 403);
    await semToken('GET', '/conversas', '/conversas');
    const FU = { metodo: 'GET' as const, rota: '/conversas/:id' };
    await chamar({ ...FU, url: `/conversas/${id}`, quem: 'saude' }, 200);
    await chamar({ ...FU, url: '/conversas/x', quem: 'saude' }, 400);
    await chamar({ ...FU, url: `/conversas/${id}`, quem: 'central' }, 404);
    await chamar({ ...FU, url: `/conversas/${id}`, quem: 'cidadao' }, 403);
    await semToken('GET', '/conversas/:id', `/conversas/${id}`);
    const FM = { metodo: 'POST' as const, rota: '/conversas/:id/mensagens', url: `/conversas/${id}/mensagens` };
    await chamar({ ...FM, quem: 'saude', corpo: { texto: 'Em qualquer UBS.' } }, 201);
    await chamar({ ...FM, quem: 'saude', corpo: { texto: 'x', de: 'y' } }, 400);
    await chamar({ ...FM, quem: 'central', corpo: { texto: 'Oi' } }, 404);
    await chamar({ ...FM, quem: 'cidadao', corpo: { texto: 'Oi' } }, 403);
    await semToken('POST', '/conversas/:id/mensagens', `/conversas/${id}/mensagens`);
    // A thread at its 500-message limit refuses more (both sides).
    await t.db.dataSource.query(`UPDATE conversa SET mensagens = 500 WHERE id = $1`, [id]);
    await chamar({ ...M, quem: 'cidadao', corpo: { texto: 'Mais uma' } }, 422);
    await chamar({ ...FM, quem: 'saude', corpo: { texto: 'Mais uma' } }, 422);

    const AG = { metodo: 'GET' as const, rota: '/me/aviso-email' };
    expect((await chamar({ ...AG, url: '/me/aviso-email', quem: 'cidadao' }, 200)).corpo).toEqual({ ativo: false });
    await chamar({ ...AG, url: '/me/aviso-email?x=1', quem: 'cidadao' }, 400);
    await chamar({ ...AG, url: '/me/aviso-email', quem: 'semConta' }, 404);
    await chamar({ ...AG, url: '/me/aviso-email', quem: 'excluido' }, 403);
    await semToken('GET', '/me/aviso-email', '/me/aviso-email');
    const AP = { metodo: 'PUT' as const, rota: '/me/aviso-email', url: '/me/aviso-email' };
    await chamar({ ...AP, quem: 'cidadao', corpo: { ativo: true } }, 200);
    await chamar({ ...AP, quem: 'cidadao', corpo: { ativo: 1 } }, 400);
    await chamar({ ...AP, quem: 'semConta', corpo: { ativo: true } }, 404);
    await chamar({ ...AP, quem: 'excluido', corpo: { ativo: true } }, 403);
    await semToken('PUT', '/me/aviso-email', '/me/aviso-email');
  });

  it('citizen: the knowledge check (no record, start, a wrong and a right set of answers, already tied, rate limit)', async () => {
    // A self-registered citizen at level 1 (account row as the REGISTER event leaves it), real Keycloak token.
    const cpf = cpfAleatorio();
    const criado = await kc.users.create({
      username: cpf, email: `${cpf}@exemplo.sp.gov.br`, firstName: 'Rita', lastName: 'Dias', enabled: true, emailVerified: true,
      credentials: [{ type: 'password', value: SENHA, temporary: false }], attributes: { cpf: [cpf] },
    });
    await t.db.dataSource.query(`INSERT INTO conta (keycloak_user_id, username, cpf_declarado, nivel_confianca) VALUES ($1, $2, $3, 1)`, [criado.id, cpf, cpf]);
    const eu = { authorization: `Bearer ${await login(cpf)}` };
    const I = { metodo: 'POST' as const, rota: '/me/verificacao-conhecimento', url: '/me/verificacao-conhecimento' };
    const R = { metodo: 'POST' as const, rota: '/me/verificacao-conhecimento/:id/respostas' };
    await chamar({ ...I, cabecalhos: eu }, 422);
    await chamar({ metodo: 'POST', rota: '/pessoas', url: '/pessoas', quem: 'central', corpo: {
      cpf, nome: 'Rita Dias', dataNascimento: '1979-05-02', nomeMae: 'Lúcia Dias', localNascimento: { municipio: 'Santos', uf: 'SP' },
    } }, 201);
    const certas: Record<string, string> = { dataNascimento: '02/05/1979', nomeMae: 'LUCIA DIAS', localNascimento: 'SANTOS/SP' };
    type P = { id: string; campo: string; opcoes: { id: string; texto: string }[] };
    const respostas = (ps: P[], certo: boolean) => ps.map((p) => ({ pergunta: p.id, opcao: p.opcoes.find((o) => (o.texto === certas[p.campo]) === certo)!.id }));
    const primeira = await chamar({ ...I, cabecalhos: eu }, 201);
    const url1 = `/me/verificacao-conhecimento/${primeira.corpo.id as string}/respostas`;
    await chamar({ ...R, url: url1, cabecalhos: eu, corpo: { respostas: [] } }, 400);
    const errada = await chamar({ ...R, url: url1, cabecalhos: eu, corpo: { respostas: respostas(primeira.corpo.perguntas, false) } }, 200);
    expect(errada.corpo).toMatchObject({ aprovada: false, tentativasRestantes: 2 });
    await chamar({ ...R, url: url1, cabecalhos: eu, corpo: { respostas: respostas(primeira.corpo.perguntas, true) } }, 409);
    await chamar({ ...R, url: `/me/verificacao-conhecimento/${randomUUID()}/respostas`, cabecalhos: eu, corpo: { respostas: [] } }, 404);
    // answered 11 minutes later (the domain clock moved): the check expired
    const expirada = await chamar({ ...I, cabecalhos: eu }, 201);
    const antes = relogio();
    const restaurar = usarRelogio({ agora: () => new Date(antes.agora().getTime() + 11 * 60_000), hoje: () => antes.hoje() });
    try {
      await chamar({ ...R, url: `/me/verificacao-conhecimento/${expirada.corpo.id as string}/respostas`, cabecalhos: eu, corpo: { respostas: respostas(expirada.corpo.perguntas, true) } }, 422);
    } finally {
      restaurar();
    }
    const segunda = await chamar({ ...I, cabecalhos: eu }, 201);
    const url2 = `/me/verificacao-conhecimento/${segunda.corpo.id as string}/respostas`;
    await chamar({ ...R, url: url2, quem: 'semConta', corpo: { respostas: respostas(segunda.corpo.perguntas, true) } }, 404);
    const certa = await chamar({ ...R, url: url2, cabecalhos: eu, corpo: { respostas: respostas(segunda.corpo.perguntas, true) } }, 200);
    expect(certa.corpo).toMatchObject({ aprovada: true, nivelConfianca: 3 });
    await chamar({ ...I, cabecalhos: eu }, 409);
    await chamar({ ...I, quem: 'semConta' }, 404);
    await chamar({ ...I, quem: 'excluido' }, 403);
    await chamar({ ...I, cabecalhos: eu, corpo: { x: 1 } }, 400);
    await chamar({ ...R, url: url2, quem: 'excluido', corpo: { respostas: [] } }, 403);
    await semToken('POST', I.rota, I.url);
    await semToken('POST', R.rota, url2);
    // the account's counter (20 requests an hour by default): 11 of this account's requests above reached it (the
    // ones refused before it — a body on a start, another account's token — did not); the 21st is refused
    for (let i = 0; i < 9; i++) await chamar({ ...I, cabecalhos: eu }, 409);
    const limite = await chamar({ ...I, cabecalhos: eu }, 429);
    expect(Number(limite.res.headers['retry-after'])).toBeGreaterThan(0);
    await chamar({ ...R, url: url2, cabecalhos: eu, corpo: { respostas: respostas(segunda.corpo.perguntas, true) } }, 429);
    // Redis unreachable: the limit cannot be counted, so no check is offered (503)
    const redisFora = new Redis({ port: 1, enableOfflineQueue: false, maxRetriesPerRequest: 0, lazyConnect: true, retryStrategy: () => null });
    redisFora.on('error', () => undefined);
    const semRedis = createApp({ config: t.config, dataSource: t.db.dataSource, sync: { fila: t.sync.fila, redis: redisFora }, verificarToken: verificador, logger: pino({ level: 'silent' }) });
    await chamar({ ...I, cabecalhos: eu, app: semRedis }, 503);
    await chamar({ ...R, url: url2, cabecalhos: eu, corpo: { respostas: [] }, app: semRedis }, 503);
    redisFora.disconnect();
  });

  it('review queue: list, claim, resolve', async () => {
    const lista = await chamar({ metodo: 'GET', rota: '/revisoes', url: `/revisoes?chave=${cpfCidadao}`, quem: 'central' }, 200);
    expect(lista.corpo.itens).toHaveLength(2);
    const [id, id2] = lista.corpo.itens.map((i: { id: string }) => i.id) as [string, string];
    await chamar({ metodo: 'GET', rota: '/revisoes', url: '/revisoes?situacao=outra', quem: 'central' }, 400);
    await chamar({ metodo: 'GET', rota: '/revisoes', url: '/revisoes', quem: 'saude' }, 403);

    const S = { metodo: 'POST' as const, rota: '/revisoes/:id/assumir' };
    await chamar({ ...S, url: `/revisoes/${id}/assumir`, quem: 'central' }, 200);
    await chamar({ ...S, url: '/revisoes/abc/assumir', quem: 'central' }, 400);
    await chamar({ ...S, url: '/revisoes/999999999/assumir', quem: 'central' }, 404);

    const X = { metodo: 'POST' as const, rota: '/revisoes/:id/resolver', url: `/revisoes/${id}/resolver` };
    await chamar({ ...X, quem: 'central', corpo: {} }, 400);
    const resolvida = await chamar({ ...X, quem: 'central', corpo: { resolucao: 'manter-vigente', justificativa: 'Documento não confere' } }, 200);
    expect(resolvida.corpo.situacao).toBe('resolvida');
    await chamar({ ...X, quem: 'central', corpo: { resolucao: 'manter-vigente', justificativa: 'De novo' } }, 409);
    await chamar({ ...S, url: `/revisoes/${id}/assumir`, quem: 'central' }, 409);
    await chamar({ ...X, url: '/revisoes/999999999/resolver', quem: 'central', corpo: { resolucao: 'manter-vigente', justificativa: 'Inexistente' } }, 404);
    // Adopting the citizen's name needs documentary evidence from the steward (PMCC): refused, 422.
    await chamar({ ...S, url: `/revisoes/${id2}/assumir`, quem: 'central' }, 200);
    const recusa = await chamar({ ...X, url: `/revisoes/${id2}/resolver`, quem: 'central', corpo: { resolucao: 'adotar-alternativo', justificativa: 'Pedido do cidadão' } }, 422);
    expect(recusa.corpo.recusas[0]).toMatchObject({ campo: 'nome', codigo: 'EVIDENCIA_OBRIGATORIA' });
  });

  it('companies: create, read, change, history', async () => {
    const PJ = { metodo: 'POST' as const, rota: '/pessoas-juridicas', url: '/pessoas-juridicas' };
    const corpo = {
      cnpj, razaoSocial: 'Padaria Teste Ltda', nomeFantasia: 'Pão da Sé', situacao: 'ativa',
      endereco: { cep: '01001000', logradouro: 'Praça da Sé', numero: '10', bairro: 'Sé', municipio: 'São Paulo', uf: 'SP' },
      responsaveis: [{ cpf: cpfCidadao, papel: 'socio-administrador' }],
    };
    await chamar({ ...PJ, url: '/pessoas-juridicas?dryRun=true', quem: 'central', corpo }, 200);
    await chamar({ ...PJ, quem: 'central', corpo }, 201);
    await chamar({ ...PJ, quem: 'central', corpo }, 409);
    await chamar({ ...PJ, quem: 'central', corpo: { cnpj: '11222333000182', razaoSocial: 'X' } }, 400);
    await chamar({ ...PJ, quem: 'saude', corpo }, 403);

    const G = { metodo: 'GET' as const, rota: '/pessoas-juridicas/:cnpj' };
    await chamar({ ...G, url: `/pessoas-juridicas/${cnpj}`, quem: 'central' }, 200);
    await chamar({ ...G, url: '/pessoas-juridicas/11222333000181', quem: 'central' }, 404);
    await chamar({ ...G, url: '/pessoas-juridicas/123', quem: 'central' }, 400);

    const A = { metodo: 'PATCH' as const, rota: '/pessoas-juridicas/:cnpj', url: `/pessoas-juridicas/${cnpj}` };
    await chamar({ ...A, quem: 'central', corpo: { nomeFantasia: 'Pão' }, cabecalhos: { 'if-match': '"v1"' } }, 200);
    await chamar({ ...A, quem: 'central', corpo: { nomeFantasia: 'Pão' } }, 428);
    await chamar({ ...A, quem: 'central', corpo: { nomeFantasia: 'Pão' }, cabecalhos: { 'if-match': '"v1"' } }, 409);
    await chamar({ ...A, quem: 'central', corpo: { nomeFantasia: 42 }, cabecalhos: { 'if-match': '"v2"' } }, 400);
    await chamar({ ...A, quem: 'central', corpo: { razaoSocial: 'Outra Razão Ltda' }, cabecalhos: { 'if-match': '"v2"' } }, 422);
    await chamar({ ...A, url: '/pessoas-juridicas/11222333000181', quem: 'central', corpo: { nomeFantasia: 'Pão' }, cabecalhos: { 'if-match': '"v1"' } }, 404);

    const H = { metodo: 'GET' as const, rota: '/pessoas-juridicas/:cnpj/historico/:campo' };
    await chamar({ ...H, url: `/pessoas-juridicas/${cnpj}/historico/nomeFantasia`, quem: 'central' }, 200);
    await chamar({ ...H, url: `/pessoas-juridicas/${cnpj}/historico/cpf`, quem: 'central' }, 400);
    await chamar({ ...H, url: '/pessoas-juridicas/11222333000181/historico/razaoSocial', quem: 'central' }, 404);
  });
});

describe('CMBD (real Keycloak tokens) and its open data', () => {
  it('organs, entries, campaign, publication, import, report', async () => {
    const csvAntes = { metodo: 'GET' as const, rota: '/dados-abertos/cmbd.csv', url: '/dados-abertos/cmbd.csv' };
    await chamar(csvAntes, 404);
    await chamar({ metodo: 'GET', rota: '/dados-abertos/cmbd.jsonld', url: '/dados-abertos/cmbd.jsonld' }, 404);

    await chamar({ metodo: 'POST', rota: '/cmbd/campanhas', url: '/cmbd/campanhas', quem: 'cgm', corpo: { codigo: '2026-2', prazo: '2099-11-30' } }, 422);
    const O = { metodo: 'PUT' as const, rota: '/cmbd/orgaos/:sigla' };
    await chamar({ ...O, url: '/cmbd/orgaos/SMADS', quem: 'cgm', corpo: { nome: 'Secretaria Municipal de Assistência e Desenvolvimento Social' } }, 201);
    await chamar({ ...O, url: '/cmbd/orgaos/SF', quem: 'cgm', corpo: { nome: 'Secretaria da Fazenda' } }, 201);
    await chamar({ ...O, url: '/cmbd/orgaos/SF', quem: 'cgm', corpo: { nome: 'Secretaria Municipal da Fazenda' } }, 200);
    await chamar({ ...O, url: '/cmbd/orgaos/SF', quem: 'cgm', corpo: {} }, 400);
    await chamar({ ...O, url: '/cmbd/orgaos/SF', quem: 'smads', corpo: { nome: 'X' } }, 403);
    await chamar({ metodo: 'GET', rota: '/cmbd/orgaos', url: '/cmbd/orgaos', quem: 'smads' }, 200);
    await chamar({ metodo: 'GET', rota: '/cmbd/orgaos', url: '/cmbd/orgaos', quem: 'cidadao' }, 403);

    const B = { metodo: 'POST' as const, rota: '/cmbd/bases', url: '/cmbd/bases' };
    const base = (await chamar({ ...B, quem: 'smads', corpo: baseValida({ possuiDadosPessoais: true, fonteCarga: 'smads-bdc', situacaoMigracao: 'planejada', cronogramaMigracao: '2027-06-30' }) }, 201)).corpo;
    const outra = (await chamar({ ...B, quem: 'smads', corpo: baseValida({ titulo: 'Segunda base da SMADS' }) }, 201)).corpo;
    await chamar({ ...B, quem: 'smads', corpo: baseValida() }, 409);
    await chamar({ ...B, quem: 'smads', corpo: { sigla: 'SMADS' } }, 400);
    await chamar({ ...B, quem: 'smads', corpo: baseValida({ sigla: 'SF' }) }, 403);
    await chamar({ ...B, quem: 'cgm', corpo: baseValida({ sigla: 'SME' }) }, 422);

    await chamar({ metodo: 'GET', rota: '/cmbd/bases', url: '/cmbd/bases?sigla=SMADS', quem: 'smads' }, 200);
    await chamar({ metodo: 'GET', rota: '/cmbd/bases', url: '/cmbd/bases?sigla=%20', quem: 'smads' }, 400);
    const G = { metodo: 'GET' as const, rota: '/cmbd/bases/:id' };
    await chamar({ ...G, url: `/cmbd/bases/${base.id}`, quem: 'smads' }, 200);
    await chamar({ ...G, url: `/cmbd/bases/${randomUUID()}`, quem: 'smads' }, 404);
    await chamar({ ...G, url: '/cmbd/bases/1', quem: 'smads' }, 400);
    const A = { metodo: 'PATCH' as const, rota: '/cmbd/bases/:id', url: `/cmbd/bases/${base.id}` };
    await chamar({ ...A, quem: 'smads', corpo: { resumo: 'Atendimentos nos CRAS, atualizado.' } }, 200);
    await chamar({ ...A, quem: 'smads', corpo: { sigla: 'SF' } }, 400);
    await chamar({ ...A, quem: 'smads', corpo: { titulo: 'Segunda base da SMADS' } }, 409);
    await chamar({ ...A, url: `/cmbd/bases/${randomUUID()}`, quem: 'smads', corpo: { resumo: 'X' } }, 404);
    await chamar({ metodo: 'POST', rota: '/cmbd/importacao', url: '/cmbd/importacao', quem: 'cgm', corpo: { enchimento: 'x'.repeat(200_000) } }, 413);
    await chamar({ metodo: 'GET', rota: '/cmbd/bases/:id/versoes', url: `/cmbd/bases/${base.id}/versoes`, quem: 'smads' }, 200);
    await chamar({ metodo: 'GET', rota: '/cmbd/bases/:id/versoes', url: `/cmbd/bases/${randomUUID()}/versoes`, quem: 'smads' }, 404);
    await chamar({ metodo: 'GET', rota: '/cmbd/bases/:id/versoes', url: '/cmbd/bases/x/versoes', quem: 'smads' }, 400);
    await chamar({ metodo: 'DELETE', rota: '/cmbd/bases/:id', url: '/cmbd/bases/x', quem: 'smads' }, 400);
    await chamar({ metodo: 'DELETE', rota: '/cmbd/bases/:id', url: `/cmbd/bases/${base.id}`, quem: 'smads' }, 422);
    await chamar({ metodo: 'DELETE', rota: '/cmbd/bases/:id', url: `/cmbd/bases/${randomUUID()}`, quem: 'smads' }, 404);
    const C = { metodo: 'POST' as const, rota: '/cmbd/bases/:id/confirmacao', url: `/cmbd/bases/${base.id}/confirmacao` };
    await chamar({ ...C, quem: 'smads' }, 422);
    await chamar({ ...C, url: '/cmbd/bases/x/confirmacao', quem: 'smads' }, 400);
    await chamar({ ...C, url: `/cmbd/bases/${randomUUID()}/confirmacao`, quem: 'smads' }, 404);

    const K = { metodo: 'POST' as const, rota: '/cmbd/campanhas', url: '/cmbd/campanhas' };
    await chamar({ ...K, quem: 'cgm', corpo: { codigo: '2026-2' } }, 400);
    await chamar({ ...K, quem: 'smads', corpo: { codigo: '2026-2', prazo: '2026-11-30' } }, 403);
    await chamar({ ...K, quem: 'cgm', corpo: { codigo: '2026-2', prazo: '2099-11-30' } }, 201);
    await chamar({ ...K, quem: 'cgm', corpo: { codigo: '2026-2', prazo: '2099-11-30' } }, 409);
    await chamar({ metodo: 'GET', rota: '/cmbd/campanhas/:codigo', url: '/cmbd/campanhas/2026-2', quem: 'smads' }, 200);
    await chamar({ metodo: 'GET', rota: '/cmbd/campanhas/:codigo', url: '/cmbd/campanhas/2030-1', quem: 'smads' }, 404);
    await chamar({ metodo: 'GET', rota: '/cmbd/campanhas/:codigo', url: '/cmbd/campanhas/2030', quem: 'smads' }, 400);

    const F = { metodo: 'POST' as const, rota: '/cmbd/campanhas/:codigo/orgaos/:sigla/pontos-focais', url: '/cmbd/campanhas/2026-2/orgaos/SMADS/pontos-focais' };
    await chamar({ ...F, quem: 'cgm', corpo: { nome: 'Ponto Focal', email: 'pf.smads@prefeitura.sp.gov.br', username: 'pf.smads' } }, 201);
    await chamar({ ...F, quem: 'cgm', corpo: { nome: 'Ponto Focal', email: 'pf.smads@prefeitura.sp.gov.br' } }, 409);
    await chamar({ ...F, quem: 'cgm', corpo: { nome: 'Sem e-mail' } }, 400);
    await chamar({ ...F, url: '/cmbd/campanhas/2030-1/orgaos/SMADS/pontos-focais', quem: 'cgm', corpo: { nome: 'PF', email: 'pf@prefeitura.sp.gov.br' } }, 404);

    const L = { metodo: 'GET' as const, rota: '/cmbd/campanhas/:codigo/orgaos/:sigla/lista' };
    const lista = await chamar({ ...L, url: '/cmbd/campanhas/2026-2/orgaos/SMADS/lista', quem: 'smads' }, 200);
    expect(lista.corpo.pendentes).toBe(2);
    await chamar({ ...L, url: '/cmbd/campanhas/2026-2/orgaos/SF/lista', quem: 'smads' }, 403);
    await chamar({ ...L, url: '/cmbd/campanhas/2026-1/orgaos/SMADS/lista', quem: 'smads' }, 404);
    await chamar({ ...L, url: '/cmbd/campanhas/2026-2/orgaos/%20/lista', quem: 'smads' }, 400);

    const Q = { metodo: 'POST' as const, rota: '/cmbd/campanhas/:codigo/orgaos/:sigla/conclusao', url: '/cmbd/campanhas/2026-2/orgaos/SMADS/conclusao' };
    await chamar({ ...Q, quem: 'smads' }, 422);
    await chamar({ ...Q, url: '/cmbd/campanhas/2026/orgaos/SMADS/conclusao', quem: 'smads' }, 400);
    await chamar({ ...Q, url: '/cmbd/campanhas/2030-1/orgaos/SMADS/conclusao', quem: 'smads' }, 404);
    await chamar({ metodo: 'GET', rota: '/cmbd/campanhas/:codigo/pendentes', url: '/cmbd/campanhas/2026-2/pendentes', quem: 'cgm' }, 200);
    await chamar({ metodo: 'GET', rota: '/cmbd/campanhas/:codigo/pendentes', url: '/cmbd/campanhas/2026-2/pendentes', quem: 'smads' }, 403);
    await chamar({ metodo: 'GET', rota: '/cmbd/campanhas/:codigo/pendentes', url: '/cmbd/campanhas/2026/pendentes', quem: 'cgm' }, 400);
    await chamar({ metodo: 'GET', rota: '/cmbd/campanhas/:codigo/pendentes', url: '/cmbd/campanhas/2030-1/pendentes', quem: 'cgm' }, 404);
    await chamar({ metodo: 'POST', rota: '/cmbd/campanhas/:codigo/lembretes', url: '/cmbd/campanhas/2026/lembretes', quem: 'cgm' }, 400);
    await chamar({ metodo: 'POST', rota: '/cmbd/campanhas/:codigo/lembretes', url: '/cmbd/campanhas/2026-2/lembretes', quem: 'cgm' }, 200);
    await chamar({ metodo: 'POST', rota: '/cmbd/campanhas/:codigo/lembretes', url: '/cmbd/campanhas/2030-1/lembretes', quem: 'cgm' }, 404);

    await chamar({ ...C, quem: 'smads' }, 200);
    const I = { metodo: 'POST' as const, rota: '/cmbd/bases/:id/inativacao', url: `/cmbd/bases/${outra.id}/inativacao` };
    await chamar({ ...I, quem: 'smads', corpo: { desde: '2999-01-01' } }, 400);
    await chamar({ ...I, quem: 'smads', corpo: { desde: '2025-01-01' } }, 200);
    await chamar({ ...I, url: `/cmbd/bases/${randomUUID()}/inativacao`, quem: 'smads', corpo: { desde: '2025-01-01' } }, 404);
    const T = { metodo: 'POST' as const, rota: '/cmbd/bases/:id/transferencia', url: `/cmbd/bases/${outra.id}/transferencia` };
    await chamar({ ...T, quem: 'smads', corpo: { siglaDestino: 'SME', data: '2025-02-01' } }, 422);
    const transf = await chamar({ ...T, quem: 'smads', corpo: { siglaDestino: 'SF', data: '2025-02-01' } }, 200);
    expect(transf.corpo.origem.transferidaPara).toBe('SF');
    await chamar({ ...T, quem: 'smads', corpo: { siglaDestino: 'SF', data: '2025-02-01' } }, 409);
    await chamar({ ...T, quem: 'smads', corpo: {} }, 400);
    await chamar({ ...T, url: `/cmbd/bases/${randomUUID()}/transferencia`, quem: 'smads', corpo: { siglaDestino: 'SF', data: '2025-02-01' } }, 404);
    // A transferred entry is history: no more changes (422).
    await chamar({ ...A, url: `/cmbd/bases/${outra.id}`, quem: 'smads', corpo: { resumo: 'Mudança tardia.' } }, 422);
    await chamar({ ...I, quem: 'smads', corpo: { desde: '2025-03-01' } }, 422);
    await chamar({ metodo: 'POST', rota: '/cmbd/bases/:id/confirmacao', url: `/cmbd/bases/${transf.corpo.destino.id}/confirmacao`, quem: 'cgm' }, 200);
    await chamar({ ...Q, quem: 'smads' }, 200);
    await chamar({ ...Q, quem: 'smads' }, 409);

    await chamar({ metodo: 'GET', rota: '/cmbd/relatorios/dados-pessoais', url: '/cmbd/relatorios/dados-pessoais', quem: 'cgm' }, 200);
    await chamar({ metodo: 'GET', rota: '/cmbd/relatorios/dados-pessoais', url: '/cmbd/relatorios/dados-pessoais', quem: 'smads' }, 403);

    const E = { metodo: 'POST' as const, rota: '/cmbd/campanhas/:codigo/encerramento' };
    await chamar({ ...E, url: '/cmbd/campanhas/2030-1/encerramento', quem: 'cgm' }, 404);
    const pub = await chamar({ ...E, url: '/cmbd/campanhas/2026-2/encerramento', quem: 'cgm' }, 200);
    expect(pub.corpo.bases).toBe(3);
    await chamar({ ...E, url: '/cmbd/campanhas/2026-2/encerramento', quem: 'cgm' }, 422);
    await chamar({ ...E, url: '/cmbd/campanhas/2026/encerramento', quem: 'cgm' }, 400);
    await chamar({ metodo: 'POST', rota: '/cmbd/campanhas/:codigo/lembretes', url: '/cmbd/campanhas/2026-2/lembretes', quem: 'cgm' }, 422);
    await chamar({ ...F, quem: 'cgm', corpo: { nome: 'Tarde', email: 'tarde@prefeitura.sp.gov.br' } }, 422);

    const csv = await chamar(csvAntes, 200);
    await chamar({ metodo: 'GET', rota: '/dados-abertos/cmbd.jsonld', url: '/dados-abertos/cmbd.jsonld' }, 200);
    const AR = { metodo: 'GET' as const, rota: '/dados-abertos/cmbd/:arquivo' };
    await chamar({ ...AR, url: '/dados-abertos/cmbd/2026-2.csv' }, 200);
    await chamar({ ...AR, url: '/dados-abertos/cmbd/2026-2.jsonld' }, 200);
    await chamar({ ...AR, url: '/dados-abertos/cmbd/2026-1.csv' }, 404);
    await chamar({ metodo: 'GET', rota: '/dados-abertos/cmbd', url: '/dados-abertos/cmbd' }, 200);
    await chamar({ metodo: 'GET', rota: '/dados-abertos/cmbd/pagina.css', url: '/dados-abertos/cmbd/pagina.css' }, 200);
    await chamar({ metodo: 'GET', rota: '/dados-abertos/cmbd/pagina.js', url: '/dados-abertos/cmbd/pagina.js' }, 200);

    // Import: the published CSV of another organ's entry (new title), then the same again (duplicate).
    const M = { metodo: 'POST' as const, rota: '/cmbd/importacao', url: '/cmbd/importacao', cabecalhos: { 'content-type': 'text/csv; charset=utf-8' } };
    const novo = paraCsv([{ ...baseValida({ sigla: 'SF', titulo: 'Base importada da Fazenda' }), id: randomUUID(), orgao: 'Secretaria Municipal da Fazenda', inativaDesde: null, sigiloBaseLegal: null } as never]);
    expect(csv.corpo.split('\r\n')[0]).toBe(novo.split('\r\n')[0]);
    await chamar({ ...M, quem: 'cgm', corpo: novo }, 201);
    await chamar({ ...M, quem: 'cgm', corpo: novo }, 409);
    await chamar({ ...M, cabecalhos: { 'content-type': 'application/json' }, quem: 'cgm', corpo: { nada: 1 } }, 400);
    await semToken('POST', '/cmbd/importacao', '/cmbd/importacao');
  });
});

describe('batch load for the central stewards (real Keycloak tokens, real worker)', () => {
  it('loads: request (and its refusals), the request processed, the list, the diagnosis, the page', async () => {
    await writeFile(join(entradaCarga, 'bdc.csv'), 'ID_CIDADAO;CPF;NOME;NOME_MAE;DATA_NASC;SEXO;CIDADE/UF;TELEFONE;FALECIDO\r\n1;;ANA;;01/02/1980;FEMININO;SAO PAULO/SP;;N\r\n');
    await mkdir(join(entradaCarga, 'pasta'));
    const P = { metodo: 'POST' as const, rota: '/cargas', url: '/cargas' };
    const aceito = await chamar({ ...P, quem: 'central', corpo: { fonte: 'bdc', arquivo: 'bdc.csv' } }, 202);
    expect(aceito.res.headers['location']).toBe(`/cargas/${aceito.corpo.id}`);
    await chamar({ ...P, quem: 'central', corpo: { fonte: 'bdc', arquivo: 'bdc.csv', extra: 1 } }, 400);
    await chamar({ ...P, quem: 'central', corpo: { fonte: 'bdc', arquivo: 'nao-existe.csv' } }, 404);
    await chamar({ ...P, quem: 'central', corpo: { fonte: 'bdc', arquivo: 'pasta' } }, 422);
    await chamar({ ...P, quem: 'saude', corpo: { fonte: 'bdc', arquivo: 'bdc.csv' } }, 403);
    // An app without the load queue: 503.
    await chamar({ ...P, quem: 'central', corpo: { fonte: 'bdc', arquivo: 'bdc.csv' }, app: appQuebrado }, 503);

    const G = { metodo: 'GET' as const, rota: '/cargas/:id' };
    await chamar({ ...G, url: `/cargas/${aceito.corpo.id}`, quem: 'central' }, 200);
    await chamar({ ...G, url: '/cargas/7', quem: 'central' }, 400);
    await chamar({ ...G, url: '/cargas/carga-bdc-0000000000000000', quem: 'central' }, 404);
    await chamar({ ...G, url: `/cargas/${aceito.corpo.id}`, quem: 'central', app: appQuebrado }, 503);
    const worker = criarWorkerCarga(t.config, { dataSource: t.db.dataSource, logger: pino({ level: 'silent' }) }, { nome: t.nomeFilaCarga });
    try {
      await eventually(async () => expect((await request(t.app).get(`/cargas/${aceito.corpo.id}`).set('authorization', `Bearer ${token.central}`)).body.situacao).toBe('concluida'), { timeoutMs: 60_000 });
    } finally {
      await worker.close();
    }
    const feito = await chamar({ ...G, url: `/cargas/${aceito.corpo.id}`, quem: 'central' }, 200);
    expect(feito.corpo.carga.diagnostico.registrosLidos).toBe(1);

    const L = { metodo: 'GET' as const, rota: '/cargas' };
    const lista = await chamar({ ...L, url: '/cargas', quem: 'central' }, 200);
    expect(lista.corpo.itens).toHaveLength(1);
    await chamar({ ...L, url: '/cargas?limit=0', quem: 'central' }, 400);
    await chamar({ metodo: 'GET', rota: '/cargas/diagnostico', url: '/cargas/diagnostico', quem: 'central' }, 200);
    await chamar({ metodo: 'GET', rota: '/cargas/diagnostico', url: '/cargas/diagnostico?x=1', quem: 'central' }, 400);
    await chamar({ metodo: 'GET', rota: '/cargas/painel', url: '/cargas/painel', quem: 'central' }, 200);
    await chamar({ metodo: 'GET', rota: '/cargas/painel', url: '/cargas/painel?x=1', quem: 'central' }, 400);
  });

  it('golden ids and linkage review: read, merge, split, resolve, and their refusals', async () => {
    const q = <T>(sql: string, p: unknown[] = []) => t.db.dataSource.query<T>(sql, p);
    const [{ id: carga }] = await q<{ id: string }[]>(
      `INSERT INTO carga (fonte, fonte_pmcc, cmbd_sigla, cmbd_fonte_carga, arquivo, arquivo_sha256, arquivo_bytes, observado_em, iniciada_por, situacao, fase)
       VALUES ('bdc', 'smads-bdc', 'SMADS', 'smads-bdc', 'x.csv', repeat('c', 64), 1, now(), 'teste', 'concluida', 'concluida') RETURNING id::text AS id`);
    const identidade = async (cpf: string | null) => (await q<{ id: string }[]>(`INSERT INTO identidade (cpf, situacao) VALUES ($1, $2) RETURNING id::text AS id`, [cpf, cpf ? 'ativa' : 'pendente']))[0].id;
    const linha = (chave: string, id: string, cpf: string | null, vinculo: string) => q(
      `INSERT INTO linha_carga (fonte, carga_id, chave_fonte, linha, hash, triagem, cpf, nome, data_nascimento, identidade_id, vinculo, pontuacao, comparacoes)
       VALUES ('bdc', $1, $2, 1, 'h', $3, $4, 'ANA', '1980-02-01', $5, $6, 9.5, '{"nome":{"nivel":"exato","peso":6}}')`, [carga, chave, cpf ? 'base-unica' : 'sem-cpf', cpf, id, vinculo]);
    const [cpfA, cpfB] = [cpfAleatorio(), cpfAleatorio()];
    const a = await identidade(cpfA);
    const b = await identidade(cpfB);
    const p = await identidade(null);
    const r = await identidade(null);
    await linha('a1', a, cpfA, 'cpf');
    await linha('a2', a, cpfA, 'cpf');
    await linha('b1', b, cpfB, 'cpf');
    await linha('p1', p, null, 'novo');
    await linha('r1', r, null, 'revisao');
    const [{ id: item }] = await q<{ id: string }[]>(
      `INSERT INTO revisao_vinculo (fonte, chave_fonte, carga_id, identidade_candidata, pontuacao, comparacoes) VALUES ('bdc', 'r1', $1, $2, 4.5, '{}') RETURNING id::text AS id`, [carga, a]);
    const J = 'Documentos conferidos no atendimento presencial.';

    const I = { metodo: 'GET' as const, rota: '/identidades/:id' };
    await chamar({ ...I, url: `/identidades/${a}`, quem: 'central' }, 200);
    await chamar({ ...I, url: '/identidades/x', quem: 'central' }, 400);
    await chamar({ ...I, url: '/identidades/999999999', quem: 'central' }, 404);

    const F = { metodo: 'POST' as const, rota: '/identidades/:id/fundir' };
    await chamar({ ...F, url: `/identidades/${a}/fundir`, quem: 'central', corpo: { com: b, justificativa: J } }, 409);
    await chamar({ ...F, url: `/identidades/${a}/fundir`, quem: 'central', corpo: { com: b } }, 400);
    await chamar({ ...F, url: `/identidades/${a}/fundir`, quem: 'central', corpo: { com: '999999999', justificativa: J } }, 404);
    await chamar({ ...F, url: `/identidades/${a}/fundir`, quem: 'central', corpo: { com: p, justificativa: J } }, 200);

    const S = { metodo: 'POST' as const, rota: '/identidades/:id/separar' };
    const separada = await chamar({ ...S, url: `/identidades/${a}/separar`, quem: 'central', corpo: { linhas: [{ fonte: 'bdc', chave: 'p1' }], justificativa: J } }, 201);
    expect(separada.res.headers['location']).toBe(`/identidades/${separada.corpo.nova.id}`);
    await chamar({ ...S, url: `/identidades/${a}/separar`, quem: 'central', corpo: { linhas: [{ fonte: 'bdc', chave: 'b1' }], justificativa: J } }, 409);
    await chamar({ ...S, url: `/identidades/${a}/separar`, quem: 'central', corpo: { linhas: [], justificativa: J } }, 400);
    await chamar({ ...S, url: '/identidades/999999999/separar', quem: 'central', corpo: { linhas: [{ fonte: 'bdc', chave: 'a1' }], justificativa: J } }, 404);

    const V = { metodo: 'GET' as const, rota: '/revisoes-vinculo' };
    const abertos = await chamar({ ...V, url: '/revisoes-vinculo', quem: 'central' }, 200);
    expect(abertos.corpo.itens.map((i: { id: string }) => i.id)).toEqual([item]);
    await chamar({ ...V, url: '/revisoes-vinculo?situacao=x', quem: 'central' }, 400);
    const R = { metodo: 'POST' as const, rota: '/revisoes-vinculo/:id/resolver' };
    await chamar({ ...R, url: `/revisoes-vinculo/${item}/resolver`, quem: 'central', corpo: { resolucao: 'mesma-pessoa' } }, 400);
    await chamar({ ...R, url: '/revisoes-vinculo/999999999/resolver', quem: 'central', corpo: { resolucao: 'mesma-pessoa', justificativa: J } }, 404);
    await chamar({ ...R, url: `/revisoes-vinculo/${item}/resolver`, quem: 'central', corpo: { resolucao: 'mesma-pessoa', justificativa: J } }, 200);
    await chamar({ ...R, url: `/revisoes-vinculo/${item}/resolver`, quem: 'central', corpo: { resolucao: 'mesma-pessoa', justificativa: J } }, 409);
  });
});

describe('Sala de Espera (issue 13): the citizen behind the signed reference, the organ\'s queue (real Keycloak tokens)', () => {
  /** A minimal PNG: enough for file-type to recognise it. */
  const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000a49444154789c6300010000050001', 'hex');
  const png = { campo: 'documento', conteudo: PNG, nome: 'rg.png', tipo: 'image/png' };

  it('page, request, data, documents, queue, claim, ask for more, reject, approve — and their refusals', async () => {
    const agora = Math.floor(Date.now() / 1000);
    const novaConta = async () => {
      const cpf = cpfAleatorio();
      const ev = eventoRegister(cpf);
      const corpo = JSON.stringify(ev);
      await chamar({ metodo: 'POST', rota: '/eventos/keycloak', url: '/eventos/keycloak', corpo, cabecalhos: cabecalhosAssinados(corpo) }, 202);
      return { contaId: ev.userId, cpf };
    };
    /** Signed as the Keycloak authenticator signs it (same secret as the listener's). */
    const ref = (c: { contaId: string; cpf: string }) => assinarReferencia(SEGREDO_EVENTOS_TESTE, JSON.stringify({
      v: 1, sub: c.contaId, cpf: c.cpf, cli: 'sms-saude', nom: 'Saúde — Secretaria Municipal da Saúde (SMS)', org: 'saude', niv: 3, dad: ['cns'], iat: agora, exp: agora + 900, jti: randomUUID(),
    }));
    const a = await novaConta();
    const b = await novaConta();
    const refA = ref(a);
    const refB = ref(b);
    const fantasma = ref({ contaId: randomUUID(), cpf: cpfAleatorio() });

    await chamar({ metodo: 'GET', rota: '/sala-espera/pagina.css', url: '/sala-espera/pagina.css' }, 200);
    const P = { metodo: 'GET' as const, rota: '/sala-espera' };
    await chamar({ ...P, url: `/sala-espera?ref=${refA}&x=1` }, 400);
    await chamar({ ...P, url: `/sala-espera?ref=${refA}x` }, 401);
    await chamar({ ...P, url: `/sala-espera?ref=${fantasma}` }, 409);
    expect((await chamar({ ...P, url: `/sala-espera?ref=${refA}` }, 200)).corpo).toContain('Número SUS');
    const J = { metodo: 'GET' as const, rota: '/sala-espera/pedido' };
    await chamar({ ...J, url: `/sala-espera/pedido?ref=${refA}&y=2` }, 400);
    await chamar({ ...J, url: '/sala-espera/pedido' }, 401);
    await chamar({ ...J, url: `/sala-espera/pedido?ref=${fantasma}` }, 409);
    expect((await chamar({ ...J, url: `/sala-espera/pedido?ref=${refA}` }, 200)).corpo).toMatchObject({ pedido: { situacao: 'aguardando-cidadao', dadosExigidos: ['cns'] } });

    const D = { metodo: 'POST' as const, rota: '/sala-espera/dados', url: '/sala-espera/dados' };
    await chamar({ ...D, corpo: { ref: refA, cns: '123' } }, 400);
    await chamar({ ...D, corpo: { ref: 'x', cns: '123456789010000' } }, 401);
    await chamar({ ...D, corpo: { ref: refB, cns: '123456789010000' } }, 404); // B has not opened the page yet
    await chamar({ ...D, corpo: { ref: refA, cns: '123456789010000' } }, 200);

    // the in-person step (a level-4 request): book, book again, cancel, cancel again, and the refusals
    const c4 = await novaConta();
    const ref4 = assinarReferencia(SEGREDO_EVENTOS_TESTE, JSON.stringify({
      v: 1, sub: c4.contaId, cpf: c4.cpf, cli: 'sf-fazenda', nom: 'Secretaria da Fazenda', org: 'fazenda', niv: 4, dad: [], iat: agora, exp: agora + 900, jti: randomUUID(),
    }));
    const visao4 = (await chamar({ ...J, url: `/sala-espera/pedido?ref=${ref4}` }, 200)).corpo;
    expect(visao4.presencial).toMatchObject({ necessario: true, agendamento: null });
    const horario = visao4.presencial.pontos[0].horarios[0].valor as string;
    const AG = { metodo: 'POST' as const, rota: '/sala-espera/agendamento', url: '/sala-espera/agendamento' };
    await chamar({ ...AG, corpo: { ref: ref4, horario: 'descomplica-butanta|ontem' } }, 400);
    await chamar({ ...AG, corpo: { ref: 'x', horario } }, 401);
    await chamar({ ...AG, corpo: { ref: refB, horario } }, 404);
    await chamar({ ...AG, corpo: { ref: refA, horario } }, 422);
    expect((await chamar({ ...AG, corpo: { ref: ref4, horario } }, 200)).corpo.presencial).toMatchObject({ agendamento: { situacao: 'agendado' }, pontos: [] });
    await chamar({ ...AG, corpo: { ref: ref4, horario } }, 409);
    const CA = { metodo: 'POST' as const, rota: '/sala-espera/agendamento/cancelar', url: '/sala-espera/agendamento/cancelar' };
    await chamar({ ...CA, corpo: { ref: ref4, horario } }, 400);
    await chamar({ ...CA, corpo: { ref: 'x' } }, 401);
    expect((await chamar({ ...CA, corpo: { ref: ref4 } }, 200)).corpo.presencial).toMatchObject({ necessario: true, agendamento: null });
    await chamar({ ...CA, corpo: { ref: ref4 } }, 404);

    const U = { metodo: 'POST' as const, rota: '/sala-espera/documentos', url: '/sala-espera/documentos' };
    await chamar({ ...U, multipart: { campos: { ref: refA }, arquivo: { ...png, conteudo: Buffer.from('texto'), nome: 'a.txt', tipo: 'text/plain' } } }, 400);
    await chamar({ ...U, multipart: { campos: { ref: 'x' }, arquivo: png } }, 401);
    await chamar({ ...U, multipart: { campos: { ref: refB }, arquivo: png } }, 404);
    await chamar({ ...U, multipart: { campos: { ref: refA }, arquivo: { ...png, conteudo: Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024)]) } } }, 413);
    const enviado = await chamar({ ...U, multipart: { campos: { ref: refA }, arquivo: png } }, 200);
    expect(enviado.corpo.pedido.situacao).toBe('em-analise');
    const docId = enviado.corpo.pedido.documentos[0].id as string;
    const G = { metodo: 'GET' as const, rota: '/sala-espera/documentos/:id' };
    await chamar({ ...G, url: `/sala-espera/documentos/x?ref=${refA}` }, 400);
    await chamar({ ...G, url: `/sala-espera/documentos/${docId}` }, 401);
    await chamar({ ...G, url: `/sala-espera/documentos/${docId}?ref=${refB}` }, 404);
    await chamar({ ...G, url: `/sala-espera/documentos/${docId}?ref=${refA}` }, 200);

    const F = { metodo: 'GET' as const, rota: '/sala-espera/fila', quem: 'saude' as const };
    await chamar({ ...F, url: '/sala-espera/fila?situacao=qualquer' }, 400);
    const id = ((await chamar({ ...F, url: '/sala-espera/fila' }, 200)).corpo.pedidos as Array<{ id: string; cliente: string }>).find((p) => p.cliente === 'sms-saude' && p)!.id;
    const FI = { metodo: 'GET' as const, rota: '/sala-espera/fila/:id', quem: 'saude' as const };
    await chamar({ ...FI, url: '/sala-espera/fila/x' }, 400);
    await chamar({ ...FI, url: `/sala-espera/fila/${randomUUID()}` }, 404);
    expect((await chamar({ ...FI, url: `/sala-espera/fila/${id}` }, 200)).corpo).toMatchObject({ cpf: a.cpf, dadosInformados: { cns: '123456789010000' } });
    const FD = { metodo: 'GET' as const, rota: '/sala-espera/fila/:id/documentos/:doc', quem: 'saude' as const };
    await chamar({ ...FD, url: `/sala-espera/fila/${id}/documentos/x` }, 400);
    await chamar({ ...FD, url: `/sala-espera/fila/${id}/documentos/${randomUUID()}` }, 404);
    await chamar({ ...FD, url: `/sala-espera/fila/${id}/documentos/${docId}` }, 200);

    const AS = { metodo: 'POST' as const, rota: '/sala-espera/fila/:id/assumir', quem: 'saude' as const, corpo: {} };
    await chamar({ ...AS, url: '/sala-espera/fila/x/assumir' }, 400);
    await chamar({ ...AS, url: `/sala-espera/fila/${randomUUID()}/assumir` }, 404);
    await chamar({ ...AS, url: `/sala-espera/fila/${id}/assumir` }, 200);
    await chamar({ ...D, corpo: { ref: refA, cns: '123456789010000' } }, 422); // in the steward's hands now

    const AP = { metodo: 'POST' as const, rota: '/sala-espera/fila/:id/aprovar', quem: 'saude' as const, url: `/sala-espera/fila/${id}/aprovar` };
    const evidencia = { descricao: 'RG conferido com a foto', documentos: [docId] };
    await chamar({ ...AP, corpo: { evidencia: { descricao: 'x' } } }, 400);
    await chamar({ ...AP, url: `/sala-espera/fila/${randomUUID()}/aprovar`, corpo: { evidencia } }, 404);
    await chamar({ ...AP, corpo: { evidencia } }, 422); // no master record, and no civil data to create it
    const aprovado = await chamar({ ...AP, corpo: { evidencia, pessoa: { nome: 'Bia Sala', dataNascimento: '1991-02-03' } } }, 200);
    expect(aprovado.corpo).toMatchObject({ situacao: 'aprovado', nivel: 3 });
    await chamar({ ...AP, corpo: { evidencia } }, 409);
    await chamar({ ...AS, url: `/sala-espera/fila/${id}/assumir` }, 409);

    // B: ask for more, then reject
    const idB = ((await chamar({ ...J, url: `/sala-espera/pedido?ref=${refB}` }, 200)).corpo as { pedido: { id: string } }).pedido.id;
    for (const acao of ['complementar', 'recusar'] as const) {
      const R = { metodo: 'POST' as const, rota: `/sala-espera/fila/:id/${acao}`, quem: 'saude' as const };
      await chamar({ ...R, url: `/sala-espera/fila/${idB}/${acao}`, corpo: { motivo: 'x' } }, 400);
      await chamar({ ...R, url: `/sala-espera/fila/${randomUUID()}/${acao}`, corpo: { motivo: 'Envie a frente do RG.' } }, 404);
      if (acao === 'complementar') {
        await chamar({ ...R, url: `/sala-espera/fila/${idB}/${acao}`, corpo: { motivo: 'Envie a frente do RG.' } }, 409); // not claimed yet
        await chamar({ ...AS, url: `/sala-espera/fila/${idB}/assumir` }, 200);
      }
      await chamar({ ...R, url: `/sala-espera/fila/${idB}/${acao}`, corpo: { motivo: 'Envie a frente do RG.' } }, 200);
    }
    await chamar({ metodo: 'POST', rota: '/sala-espera/fila/:id/recusar', quem: 'saude', url: `/sala-espera/fila/${idB}/recusar`, corpo: { motivo: 'Já recusado.' } }, 409);
  });
});

describe('the authentication and role gates, on every authenticated route', () => {
  const autenticadas = ROTAS.filter((r) => r.acesso !== 'publico' && r.acesso !== 'hmac' && r.acesso !== 'referencia');
  /** Path parameters filled with a harmless value: the gates answer before any parameter is read. */
  const url = (r: RotaDocumentada) => r.caminho.replace(/:[A-Za-z]+/g, 'x');

  it('no token → 401 with the Erro body, on each of them', async () => {
    for (const r of autenticadas) await semToken(r.metodo, r.caminho, url(r));
  });

  it('a signed-in person without any steward or CMBD role → 403 with the Erro body, on each steward and CMBD route', async () => {
    for (const r of autenticadas.filter((x) => x.acesso !== 'cidadao')) await chamar({ metodo: r.metodo, rota: r.caminho, url: url(r), quem: 'semConta' }, 403);
  });
});

describe('coverage', () => {
  it('every documented route had each of its documented answers (successes and errors) validated', () => {
    const faltas: string[] = [];
    const naoExercitados: string[] = [];
    for (const r of ROTAS) {
      for (const status of Object.keys(r.respostas)) if (!validados.has(`${r.metodo} ${r.caminho} ${status}`)) faltas.push(`${r.metodo} ${r.caminho} ${status}`);
      const erros = r.erros.filter((s) => validados.has(`${r.metodo} ${r.caminho} ${s}`));
      if (r.erros.length > 0 && erros.length === 0) faltas.push(`${r.metodo} ${r.caminho}: nenhuma resposta de erro validada (${r.erros.join(', ')})`);
      for (const s of r.erros) if (!validados.has(`${r.metodo} ${r.caminho} ${s}`)) naoExercitados.push(`${r.metodo} ${r.caminho} ${s}`);
    }
    expect(faltas).toEqual([]);
    // The document lists no error a route cannot answer: each documented error status was seen and validated, but
    // for these, which only a race produces (a profile event that keeps losing to concurrent writes: 503, retried).
    expect(naoExercitados).toEqual(['POST /eventos/keycloak 503']);
    expect(ROTAS.filter((r) => r.erros.length === 0 && Object.keys(r.respostas).length > 0).map((r) => `${r.metodo} ${r.caminho}`).sort()).toEqual([
      'GET /dados-abertos/cmbd', 'GET /dados-abertos/cmbd/pagina.css', 'GET /dados-abertos/cmbd/pagina.js', 'GET /docs', 'GET /docs/inicializar.js',
      'GET /health/live', 'GET /health/ready', 'GET /openapi.json', 'GET /sala-espera/pagina.css',
    ]);
  });
});
