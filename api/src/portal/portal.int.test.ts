/**
 * The citizen area's portal in process (supertest) against the slot's real Keycloak: sign-in with authorization code
 * + PKCE as `portal-cidadao` (Keycloak's real login form), the server-side session (new id after sign-in, HttpOnly,
 * SameSite), the CSP, CSRF on every write, Meus Dados through Entrada Única (accepted, pending, refused with the
 * PMCC's reason), Segurança, Quem acessou meus dados, and sign-out. Real PostgreSQL and Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type KcAdminClient from '@keycloak/keycloak-admin-client';
import { pino } from 'pino';
import request from 'supertest';
import { CookieJar, discover, formAction, openAuthorization, postForm } from '../../../scripts/support/keycloak-forms.js';
import { issuer, KC_TEST } from '../../../test/support/keycloak.js';
import { adminKeycloak, criarServidor } from '../../../test/support/pilha.js';
import { criarAppDeTeste, type AppDeTeste } from '../../test/helpers/app.js';
import { criarVerificadorKeycloak } from '../auth/verificador-token.js';
import { loadConfig } from '../config.js';
import { keycloakAplicacoes } from './aplicacoes.js';
import { criarClienteOidc } from './oidc.js';
import { criarPortal } from './portal.js';
import { randomUUID } from 'node:crypto';
import { SEGREDO_EVENTOS_TESTE } from '../../test/helpers/eventos.js';
import { assinarReferencia } from '../sala-espera/referencia.js';

const SENHA = 'Portal#Teste2026';
const URL_PORTAL = 'http://localhost:4000';
type TestAgent = ReturnType<typeof request.agent>;

let t: AppDeTeste;
let kc: KcAdminClient;
let portal: ReturnType<typeof criarPortal>;
let central: string;

interface Cidadao { cpf: string; id: string }

async function cidadaoComRegistro(): Promise<Cidadao> {
  const { cpf, id } = await criarServidor(kc, ['cidadao'], SENHA);
  await request(t.app).post('/pessoas').set('authorization', `Bearer ${central}`).send({
    cpf, nome: 'Helena Prado', dataNascimento: '1979-03-08', genero: 'feminino', nomeMae: 'Marta Prado',
    enderecos: [{ cep: '01001000', logradouro: 'Praça da Sé', numero: '1', bairro: 'Sé', municipio: 'São Paulo', uf: 'SP' }],
  }).expect(201);
  await t.db.dataSource.query(`INSERT INTO conta (keycloak_user_id, username, cpf_declarado, pessoa_cpf, nivel_confianca) VALUES ($1, $2, $3, $4, 3)`, [id, cpf, cpf, cpf]);
  await t.db.dataSource.query(`INSERT INTO evidencia (conta_id, tipo, pessoa_cpf, detalhe, registrado_por) VALUES ($1, 'vinculo-confirmado-gestor', $2, '{}', 'gestor.x')`, [id, cpf]);
  return { cpf, id };
}

/** Signs in through the portal: /entrar → Keycloak's login form (real) → /callback. Returns the agent (cookies). */
async function entrar(c: Cidadao): Promise<{ agente: TestAgent; cookieAntes: string; cookieDepois: string }> {
  return entrarCom(request.agent(portal), c);
}

async function entrarCom(agente: TestAgent, c: Cidadao): Promise<{ agente: TestAgent; cookieAntes: string; cookieDepois: string }> {
  const inicio = await agente.get('/entrar?volta=/meus-dados').expect(303);
  const cookieAntes = String(inicio.headers['set-cookie']);
  const autorizacao = new URL(inicio.headers.location);
  expect(`${autorizacao.origin}${autorizacao.pathname}`).toBe(`${issuer}/protocol/openid-connect/auth`);
  expect(autorizacao.searchParams.get('code_challenge_method')).toBe('S256');
  expect(autorizacao.searchParams.get('client_id')).toBe('portal-cidadao');
  const jar = new CookieJar();
  const pagina = await fetch(autorizacao, { redirect: 'manual' });
  jar.store(pagina);
  const res = await postForm(jar, formAction(await pagina.text(), 'kc-form-login'), { username: c.cpf, password: SENHA, credentialId: '' });
  const volta = new URL(res.headers.get('location') ?? '');
  expect(`${volta.origin}${volta.pathname}`).toBe(`${URL_PORTAL}/callback`);
  const cb = await agente.get(`${volta.pathname}${volta.search}`).expect(303);
  expect(cb.headers.location).toBe('/meus-dados');
  return { agente, cookieAntes, cookieDepois: String(cb.headers['set-cookie']) };
}

const csrfDe = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

/** An agent whose session is in English (before signing in). */
async function agenteEmIngles(): Promise<TestAgent> {
  const agente = request.agent(portal);
  await agente.get('/idioma?para=en&volta=/').expect(303);
  return agente;
}

/** Signs in with the session already in English: Keycloak's screens are asked in English too (`ui_locales=en`). */
async function entrarEmIngles(c: Cidadao): Promise<TestAgent> {
  return (await entrarCom(await agenteEmIngles(), c)).agente;
}

/** Words of the pt-BR pages (layout and bodies) that an English page must not have. */
const PORTUGUES_DE_TODA_PAGINA = ['Meus Dados', 'Quem acessou', 'Segurança', 'Aplicações Permitidas', 'Mensagens', 'Início', 'Sair', 'Entrar',
  'Salvar', 'Enviar', 'Nível', 'Voltar', 'Prefeitura de São Paulo', 'Pular para o conteúdo'];

/** An English page: `<html lang="en">`, each of `ingles`, none of `portugues` nor the words of every pt-BR page. */
function emIngles(html: string, ingles: readonly string[], portugues: readonly string[]): void {
  expect(html).toContain('<html lang="en">');
  expect(html).toContain('<a class="idioma" href="/idioma?para=pt-BR');
  for (const x of ingles) expect(html).toContain(x);
  for (const x of [...PORTUGUES_DE_TODA_PAGINA, ...portugues]) expect(html).not.toContain(x);
}

beforeAll(async () => {
  t = await criarAppDeTeste('portal');
  central = await t.tokens.gestor('gestora.central');
  kc = await adminKeycloak();
  const config = loadConfig({ KEYCLOAK_URL: KC_TEST.url });
  portal = criarPortal({
    dataSource: t.db.dataSource, redis: t.sync.redis, fila: t.sync.fila, logger: pino({ level: 'silent' }), verificarToken: criarVerificadorKeycloak(config),
    oidc: criarClienteOidc(issuer, 'portal-cidadao'), urlPublica: URL_PORTAL, urlRealm: issuer, prefixo: t.nomeFila,
    aplicacoes: keycloakAplicacoes({ baseUrl: KC_TEST.url, realm: KC_TEST.realm, clientId: 'lum-api', clientSecret: KC_TEST.apiClientSecret }),
  });
});

afterAll(async () => {
  await t?.fechar();
});

describe('signing in and out', () => {
  it('a page of the area without a session sends to /entrar; the home page offers to sign in; strict CSP and no-store on every page', async () => {
    const res = await request(portal).get('/meus-dados').expect(303);
    expect(res.headers.location).toBe('/entrar?volta=%2Fmeus-dados');
    const inicio = await request(portal).get('/').expect(200);
    expect(inicio.text).toContain('<html lang="pt-BR">');
    expect(inicio.text).toContain('href="/entrar"');
    expect(inicio.headers['content-security-policy']).toBe(`default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self' ${KC_TEST.url}; frame-ancestors 'none'; base-uri 'none'`);
    expect(inicio.headers['cache-control']).toBe('no-store');
    expect(inicio.text).not.toMatch(/<script/i);
  });

  it('code + PKCE through Keycloak\'s form; the session cookie is HttpOnly and SameSite=Lax and changes at sign-in', async () => {
    const c = await cidadaoComRegistro();
    const { agente, cookieAntes, cookieDepois } = await entrar(c);
    expect(cookieDepois).toMatch(/^lum_portal_sessao=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax$/);
    expect(cookieDepois.split(';')[0]).not.toBe(cookieAntes.split(';')[0]);
    const inicio = await agente.get('/').expect(200);
    expect(inicio.text).toContain('Meus Dados');
    expect(inicio.text).toContain('Quem acessou meus dados');
    // The old (pre-sign-in) session id is gone: it opens nothing.
    await request(portal).get('/meus-dados').set('cookie', cookieAntes.split(';')[0]).expect(303);
  });

  it('pt-BR first; the layout switches to English and back, staying on the page; an unknown language is a 400', async () => {
    const agente = request.agent(portal);
    expect((await agente.get('/').expect(200)).text).toContain('<a class="botao botao-claro" href="/entrar">Entrar</a>');
    const ida = await agente.get('/idioma?para=en&volta=/').expect(303);
    expect(ida.headers.location).toBe('/');
    const en = await agente.get('/').expect(200);
    expect(en.text).toContain('<html lang="en">');
    expect(en.text).toContain('>Sign in</a>');
    await agente.get('/idioma?para=en&volta=https://malicioso.example/').expect(303).expect('location', '/');
    await agente.get('/idioma?para=fr').expect(400);
    await agente.get('/idioma?para=pt-BR&volta=/').expect(303);
    expect((await agente.get('/').expect(200)).text).toContain('<html lang="pt-BR">');
  });

  it('a callback with a state of another sign-in is refused (400, pt-BR)', async () => {
    const agente = request.agent(portal);
    await agente.get('/entrar').expect(303);
    const res = await agente.get('/callback?code=abc&state=outro').expect(400);
    expect(res.text).toContain('A entrada não foi concluída');
  });

  it('an access token about to expire is renewed with the refresh token; a refused renewal sends back to sign-in', async () => {
    const c = await cidadaoComRegistro();
    const { agente, cookieDepois } = await entrar(c);
    const id = /lum_portal_sessao=([^;]+)/.exec(cookieDepois)![1];
    const chave = `${t.nomeFila}:portal:sessao:${id}`;
    const sessao = JSON.parse((await t.sync.redis.get(chave))!);
    const acessoAntes: string = sessao.tokens.acesso;
    await t.sync.redis.set(chave, JSON.stringify({ ...sessao, tokens: { ...sessao.tokens, expiraEm: Date.now() - 1000 } }), 'EX', 600);
    await agente.get('/seguranca').expect(200);
    const renovada = JSON.parse((await t.sync.redis.get(chave))!);
    expect(renovada.tokens.acesso).not.toBe(acessoAntes);
    expect(renovada.tokens.expiraEm).toBeGreaterThan(Date.now());
    await t.sync.redis.set(chave, JSON.stringify({ ...renovada, tokens: { ...renovada.tokens, renovacao: 'invalido', expiraEm: Date.now() - 1000 } }), 'EX', 600);
    const res = await agente.get('/seguranca').expect(303);
    expect(res.headers.location).toBe('/entrar?volta=%2Fseguranca');
  });

  it('a session token the API no longer accepts signs the citizen out instead of failing', async () => {
    const c = await cidadaoComRegistro();
    const { agente, cookieDepois } = await entrar(c);
    const chave = `${t.nomeFila}:portal:sessao:${/lum_portal_sessao=([^;]+)/.exec(cookieDepois)![1]}`;
    const sessao = JSON.parse((await t.sync.redis.get(chave))!);
    await t.sync.redis.set(chave, JSON.stringify({ ...sessao, tokens: { ...sessao.tokens, acesso: `${sessao.tokens.acesso}x` } }), 'EX', 600);
    const res = await agente.get('/meus-dados').expect(303);
    expect(res.headers.location).toBe('/entrar?volta=%2Fmeus-dados');
    expect(JSON.parse((await t.sync.redis.get(chave))!).tokens).toBeUndefined();
  });

  it('sign-out (POST with the CSRF token) ends the session and goes to Keycloak\'s end-session endpoint', async () => {
    const c = await cidadaoComRegistro();
    const { agente } = await entrar(c);
    const html = (await agente.get('/').expect(200)).text;
    await agente.post('/sair').type('form').send({ _csrf: 'errado' }).expect(403);
    const res = await agente.post('/sair').type('form').send({ _csrf: csrfDe(html) }).expect(303);
    expect(res.headers.location).toContain(`${issuer}/protocol/openid-connect/logout?`);
    expect(new URL(res.headers.location).searchParams.get('post_logout_redirect_uri')).toBe(`${URL_PORTAL}/`);
    await agente.get('/meus-dados').expect(303);
  });
});

describe('Meus Dados', () => {
  it('shows the master record as the citizen reads it: formatted CPF, dd/mm/aaaa, "Possui nome social?"', async () => {
    const c = await cidadaoComRegistro();
    const { agente } = await entrar(c);
    const res = await agente.get('/meus-dados').expect(200);
    expect(res.text).toContain(`${c.cpf.slice(0, 3)}.${c.cpf.slice(3, 6)}.${c.cpf.slice(6, 9)}-${c.cpf.slice(9)}`);
    expect(res.text).toContain('<dt>Data de nascimento</dt><dd>08/03/1979</dd>');
    expect(res.text).toContain('<dt>Possui nome social?</dt><dd>Não</dd>');
    expect(res.text).toContain('Praça da Sé, 1 — Sé, São Paulo/SP — CEP 01001000');
    // The CPF is shown, never offered as an input.
    expect(res.text).not.toContain('name="cpf"');
  });

  it('an address change is applied through Entrada Única with the citizen as actor; a form without the CSRF token writes nothing', async () => {
    const c = await cidadaoComRegistro();
    const { agente } = await entrar(c);
    const html = (await agente.get('/meus-dados').expect(200)).text;
    const endereco = { cep: '01310100', logradouro: 'Avenida Paulista', numero: '1000', complemento: 'Ap 5', bairro: 'Bela Vista', municipio: 'São Paulo', uf: 'SP' };
    const antes = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM valor_campo WHERE chave = $1`, [c.cpf]);
    await agente.post('/meus-dados').type('form').send({ ...endereco }).expect(403);
    await agente.post('/meus-dados').type('form').set('origin', 'http://malicioso.example').send({ _csrf: csrfDe(html), ...endereco }).expect(403);
    expect(await t.db.dataSource.query(`SELECT count(*)::int AS n FROM valor_campo WHERE chave = $1`, [c.cpf])).toEqual(antes);
    const res = await agente.post('/meus-dados').type('form').set('origin', URL_PORTAL).send({ _csrf: csrfDe(html), ...endereco }).expect(303);
    expect(res.headers.location).toBe('/meus-dados');
    const depois = await agente.get('/meus-dados').expect(200);
    expect(depois.text).toContain('Alteração gravada: Endereço.');
    expect(depois.text).toContain('Avenida Paulista, 1000 Ap 5 — Bela Vista, São Paulo/SP — CEP 01310100');
    const [v] = await t.db.dataSource.query(`SELECT tipo_ator, ator, fonte, estado FROM valor_campo WHERE chave = $1 AND campo = 'enderecos' ORDER BY id DESC LIMIT 1`, [c.cpf]);
    expect(v).toEqual({ tipo_ator: 'cidadao', ator: c.cpf, fonte: 'autodeclarado', estado: 'vigente' });
  });

  it('a civil-name change is a request: pending until a steward decides, the record unchanged', async () => {
    const c = await cidadaoComRegistro();
    const { agente } = await entrar(c);
    const html = (await agente.get('/meus-dados').expect(200)).text;
    await agente.post('/meus-dados').type('form').send({ _csrf: csrfDe(html), nome: 'Helena Prado Souza' }).expect(303);
    const depois = await agente.get('/meus-dados').expect(200);
    expect(depois.text).toContain('Pedido registrado e pendente de análise por um gestor do cadastro: Nome.');
    expect(depois.text).toContain('<td data-rotulo="Valor pedido">Helena Prado Souza</td>');
    expect(depois.text).toContain('Pendente — aguardando análise de um gestor do cadastro');
    expect(depois.text).toContain('<dt>Nome</dt><dd>Helena Prado</dd>');
    const revisoes = await t.db.dataSource.query(`SELECT campo, situacao FROM revisao WHERE chave = $1`, [c.cpf]);
    expect(revisoes).toEqual([{ campo: 'nome', situacao: 'aberta' }]);
  });

  it('a change the PMCC refuses shows its reason and writes nothing (the CPF; a gender set by a steward)', async () => {
    const c = await cidadaoComRegistro();
    const { agente } = await entrar(c);
    const html = (await agente.get('/meus-dados').expect(200)).text;
    const antes = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM valor_campo WHERE chave = $1`, [c.cpf]);
    const cpf = await agente.post('/meus-dados').type('form').send({ _csrf: csrfDe(html), cpf: '111.444.777-35' }).expect(422);
    expect(cpf.text).toContain('Alteração recusada pela PMCC');
    expect(cpf.text).toContain('CPF: O campo cpf não pode ser alterado por ninguém (PMCC)');
    const genero = await agente.post('/meus-dados').type('form').send({ _csrf: csrfDe(html), genero: 'masculino' }).expect(422);
    expect(genero.text).toContain('Sexo / gênero:');
    expect(genero.text).toContain('role="alert"');
    expect(await t.db.dataSource.query(`SELECT count(*)::int AS n FROM valor_campo WHERE chave = $1`, [c.cpf])).toEqual(antes);
  });

  it('Mensagens: a steward\'s decision on the request and the account\'s evidence arrive as unread notifications; marking them read', async () => {
    const c = await cidadaoComRegistro();
    const { agente } = await entrar(c);
    const html = (await agente.get('/meus-dados').expect(200)).text;
    await agente.post('/meus-dados').type('form').send({ _csrf: csrfDe(html), nome: 'Helena Prado Lima' }).expect(303);
    const [{ id }] = await t.db.dataSource.query(`SELECT id FROM revisao WHERE chave = $1 AND campo = 'nome'`, [c.cpf]);
    await request(t.app).post(`/revisoes/${id}/assumir`).set('authorization', `Bearer ${central}`).expect(200);
    await request(t.app).post(`/revisoes/${id}/resolver`).set('authorization', `Bearer ${central}`)
      .send({ resolucao: 'manter-vigente', justificativa: 'A certidão apresentada não confere' }).expect(200);
    const pagina = await agente.get('/mensagens').expect(200);
    expect(pagina.text).toContain('Notificações (2 não lidas)');
    expect(pagina.text).toContain('<strong>Nova: </strong>Seu pedido de alteração de Nome foi recusado por um gestor do cadastro: A certidão apresentada não confere');
    expect(pagina.text).toContain('Nova comprovação de identidade na sua conta: Conferência presencial por um gestor do cadastro.');
    await agente.post('/mensagens/lidas').type('form').send({ _csrf: 'outro' }).expect(403);
    await agente.post('/mensagens/lidas').type('form').send({ _csrf: csrfDe(pagina.text) }).expect(303);
    const depois = await agente.get('/mensagens').expect(200);
    expect(depois.text).toContain('Notificações (0 não lidas)');
    expect(depois.text).not.toContain('Nova: ');
    // Another citizen sees none of it.
    const outro = (await entrar(await cidadaoComRegistro())).agente;
    expect((await outro.get('/mensagens').expect(200)).text).not.toContain('certidão apresentada');
  });

  it('Mensagens: the organ\'s answers to the citizen\'s Sala de Espera requests (ask for more, reject, approve) arrive as notifications', async () => {
    const c = await cidadaoComRegistro();
    const agora = Math.floor(Date.now() / 1000);
    const ref = (cli: string, nom: string) => assinarReferencia(SEGREDO_EVENTOS_TESTE, JSON.stringify({
      v: 1, sub: c.id, cpf: c.cpf, cli, nom, org: 'cadastro', niv: 3, dad: [], iat: agora, exp: agora + 900, jti: randomUUID(),
    }));
    const gestor = (caminho: string, corpo: object = {}) => request(t.app).post(caminho).set('authorization', `Bearer ${central}`).send(corpo).expect(200);
    // one request asked for more, then rejected
    await request(t.app).get('/sala-espera/pedido').query({ ref: ref('sgm-governo', 'Governo — SGM') }).expect(200);
    const [{ id: recusado }] = await t.db.dataSource.query(`SELECT id FROM pedido_sala WHERE conta_id = $1 AND cliente = 'sgm-governo'`, [c.id]);
    await gestor(`/sala-espera/fila/${recusado}/assumir`);
    await gestor(`/sala-espera/fila/${recusado}/complementar`, { motivo: 'Envie a frente e o verso do RG.' });
    await gestor(`/sala-espera/fila/${recusado}/recusar`, { motivo: 'O documento enviado é de outra pessoa.' });
    // another approved with the document the citizen sent
    const refPortal = ref('smit-inovacao', 'SMIT — Inovação');
    await request(t.app).get('/sala-espera/pedido').query({ ref: refPortal }).expect(200);
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000a49444154789c6300010000050001', 'hex');
    const enviado = await request(t.app).post('/sala-espera/documentos').field('ref', refPortal).attach('documento', png, { filename: 'rg.png', contentType: 'image/png' }).expect(200);
    const [{ id: aprovado }] = await t.db.dataSource.query(`SELECT id FROM pedido_sala WHERE conta_id = $1 AND cliente = 'smit-inovacao'`, [c.id]);
    await gestor(`/sala-espera/fila/${aprovado}/assumir`);
    await gestor(`/sala-espera/fila/${aprovado}/aprovar`, { evidencia: { descricao: 'RG conferido', documentos: [enviado.body.pedido.documentos[0].id] } });

    const { agente } = await entrar(c);
    const pagina = (await agente.get('/mensagens').expect(200)).text;
    expect(pagina).toContain('<strong>Nova: </strong>O órgão pediu mais informações sobre seu pedido na Sala de Espera do serviço Governo — SGM: Envie a frente e o verso do RG. Entre de novo no serviço para responder.');
    expect(pagina).toContain('<strong>Nova: </strong>Seu pedido na Sala de Espera do serviço Governo — SGM foi recusado: O documento enviado é de outra pessoa.');
    expect(pagina).toContain('<strong>Nova: </strong>Seu pedido na Sala de Espera do serviço SMIT — Inovação foi aprovado. Entre de novo no serviço para continuar.');
    expect(pagina).toContain('Nova comprovação de identidade na sua conta: Documentos conferidos pelo órgão (Sala de Espera).');
    const decisoes = await t.db.dataSource.query(`SELECT decisao, motivo FROM decisao_sala WHERE conta_id = $1 ORDER BY decidido_em, id`, [c.id]);
    expect(decisoes).toEqual([
      { decisao: 'complementacao-solicitada', motivo: 'Envie a frente e o verso do RG.' }, { decisao: 'recusado', motivo: 'O documento enviado é de outra pessoa.' }, { decisao: 'aprovado', motivo: null },
    ]);
    // another citizen sees none of it
    const outro = (await entrar(await cidadaoComRegistro())).agente;
    expect((await outro.get('/mensagens').expect(200)).text).not.toContain('Sala de Espera');
  });

  it('a field the form does not have is a 400, not passed on', async () => {
    const c = await cidadaoComRegistro();
    const { agente } = await entrar(c);
    const html = (await agente.get('/meus-dados').expect(200)).text;
    const res = await agente.post('/meus-dados').type('form').send({ _csrf: csrfDe(html), obito: 'sim' }).expect(400);
    expect(res.text).toContain('Campo desconhecido no formulário: obito');
  });
});

describe('Mensagens: threads with the organs', () => {
  it('the citizen writes to an organ through the form (CSRF), the organ answers through the stewards\' API, the answer shows as new; B never reaches A\'s thread', async () => {
    const a = await cidadaoComRegistro();
    const { agente } = await entrar(a);
    const pagina = await agente.get('/mensagens').expect(200);
    expect(pagina.text).toContain('Conversas com a Prefeitura (0 respostas não lidas)');
    expect(pagina.text).toContain('Você não recebe avisos por e-mail.');
    const csrf = csrfDe(pagina.text);
    const contar = async () => (await t.db.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM mensagem`))[0].n;
    const antes = await contar();
    await agente.post('/mensagens/conversas').type('form').send({ orgao: 'saude', assunto: 'Cartão SUS', texto: 'Perdi meu cartão.' }).expect(403);
    const desconhecido = await agente.post('/mensagens/conversas').type('form').send({ _csrf: csrf, orgao: 'saude', assunto: 'Cartão SUS', texto: 'Perdi meu cartão.', conta: 'x' }).expect(400);
    expect(desconhecido.text).toContain('Campo não permitido: conta');
    const longo = await agente.post('/mensagens/conversas').type('form').send({ _csrf: csrf, orgao: 'saude', assunto: 'x'.repeat(121), texto: 'Perdi meu cartão.' }).expect(400);
    expect(longo.text).toContain('assunto deve ter de 3 a 120 caracteres');
    // What the citizen typed is kept in the form.
    expect(longo.text).toContain('>Perdi meu cartão.</textarea>');
    expect(await contar()).toBe(antes);

    const enviada = await agente.post('/mensagens/conversas').type('form').send({ _csrf: csrf, orgao: 'saude', assunto: 'Cartão SUS', texto: 'Perdi meu cartão.\r\nComo tiro outro?' }).expect(303);
    const [, id] = /^\/mensagens\/conversas\/([0-9a-f-]{36})$/.exec(enviada.headers.location) ?? [];
    const conversa = await agente.get(`/mensagens/conversas/${id}`).expect(200);
    expect(conversa.text).toContain('Mensagem enviada para Secretaria Municipal da Saúde (SMS).');
    expect(conversa.text).toContain('<p>Perdi meu cartão.<br>Como tiro outro?</p>');

    const saude = await t.tokens.emitir({ username: 'servidora.ines', roles: ['gestor-saude'], azp: 'sms-saude' });
    await request(t.app).post(`/conversas/${id}/mensagens`).set('authorization', `Bearer ${saude}`).send({ texto: 'Vá a uma UBS com um documento com foto.' }).expect(201);
    expect((await agente.get('/mensagens').expect(200)).text).toContain('<strong>1 resposta nova: </strong>');
    const resposta = await agente.get(`/mensagens/conversas/${id}`).expect(200);
    expect(resposta.text).toContain('<strong>Nova · </strong>Secretaria Municipal da Saúde (SMS) (gestor(a) de dados da Saúde)');
    expect(resposta.text).toContain('Vá a uma UBS com um documento com foto.');
    expect(resposta.text).not.toContain('servidora.ines');
    await agente.post(`/mensagens/conversas/${id}`).type('form').send({ _csrf: csrf, texto: 'Obrigada!' }).expect(303);

    // Citizen B, signed in in another session, with A's thread id: 404, nothing written.
    const b = (await entrar(await cidadaoComRegistro())).agente;
    const csrfB = csrfDe((await b.get('/mensagens').expect(200)).text);
    const depois = await contar();
    expect((await b.get(`/mensagens/conversas/${id}`).expect(404)).text).not.toContain('Cartão SUS');
    await b.post(`/mensagens/conversas/${id}`).type('form').send({ _csrf: csrfB, texto: 'intrusa' }).expect(404);
    expect(await contar()).toBe(depois);
    expect((await b.get('/mensagens').expect(200)).text).not.toContain('Cartão SUS');
  });

  it('the e-mail notice: off until the citizen turns it on (CSRF), then off again', async () => {
    const { agente } = await entrar(await cidadaoComRegistro());
    const csrf = csrfDe((await agente.get('/mensagens').expect(200)).text);
    await agente.post('/mensagens/aviso-email').type('form').send({ _csrf: csrf, ativo: 'talvez' }).expect(400);
    await agente.post('/mensagens/aviso-email').type('form').send({ _csrf: csrf, ativo: 'true' }).expect(303);
    const ligado = (await agente.get('/mensagens').expect(200)).text;
    expect(ligado).toContain('Pronto: você receberá um aviso por e-mail de novas respostas e decisões.');
    expect(ligado).toContain('Parar de receber avisos por e-mail');
    await agente.post('/mensagens/aviso-email').type('form').send({ _csrf: csrf, ativo: 'false' }).expect(303);
    expect((await agente.get('/mensagens').expect(200)).text).toContain('Você não recebe avisos por e-mail.');
  });
});

describe('Segurança and Quem acessou meus dados', () => {
  it('Segurança: the level, what is missing for the next one, Keycloak\'s required actions', async () => {
    const c = await cidadaoComRegistro();
    const { agente } = await entrar(c);
    const res = await agente.get('/seguranca').expect(200);
    expect(res.text).toContain('Seu nível de confiança: <span class="nivel">3</span>');
    expect(res.text).toContain('Para chegar ao nível 4');
    expect(res.text).toContain('Conferência presencial por um gestor do cadastro');
    const acao = await agente.get('/acao/senha').expect(303);
    expect(new URL(acao.headers.location).searchParams.get('kc_action')).toBe('UPDATE_PASSWORD');
    await agente.get('/acao/apagar-tudo').expect(404);
  });

  it('Segurança lists the active sessions; another of the citizen\'s sessions can be ended, not someone else\'s', async () => {
    const a = await cidadaoComRegistro();
    const b = await cidadaoComRegistro();
    const sessaoA1 = (await entrar(a)).agente;
    await entrar(a); // a second sign-in of A (another device)
    const sessaoB = (await entrar(b)).agente;
    const pagina = await sessaoA1.get('/seguranca').expect(200);
    expect(pagina.text).toContain('Esta sessão (use Sair para encerrar)');
    const outras = [...pagina.text.matchAll(/name="sessao" value="([^"]+)"/g)].map((m) => m[1]);
    expect(outras).toHaveLength(1);
    const sessoesB = await kc.users.listSessions({ id: b.id });
    expect(sessoesB).toHaveLength(1);
    // A cannot end B's session (not one of A's): 404, B's session stays.
    await sessaoA1.post('/seguranca/sessoes/encerrar').type('form').send({ _csrf: csrfDe(pagina.text), sessao: sessoesB[0].id }).expect(404);
    expect(await kc.users.listSessions({ id: b.id })).toHaveLength(1);
    await sessaoA1.post('/seguranca/sessoes/encerrar').type('form').send({ _csrf: csrfDe(pagina.text), sessao: outras[0] }).expect(303);
    expect((await kc.users.listSessions({ id: a.id })).map((x) => x.id)).not.toContain(outras[0]);
    const depois = await sessaoA1.get('/seguranca').expect(200);
    expect(depois.text).toContain('Sessão encerrada.');
    expect(depois.text).not.toContain('name="sessao"');
    await sessaoB.get('/seguranca').expect(200);
  });

  it('a steward\'s read of the record appears, by organ and role, with the CSV; another citizen\'s session never sees it', async () => {
    const a = await cidadaoComRegistro();
    const b = await cidadaoComRegistro();
    const saude = await t.tokens.emitir({ username: 'servidor.pedro', roles: ['gestor-saude'], azp: 'sms-saude' });
    await request(t.app).get(`/pessoas/${a.cpf}`).set('authorization', `Bearer ${saude}`).expect(200);
    const sessaoA = (await entrar(a)).agente;
    const pagina = await sessaoA.get('/acessos').expect(200);
    expect(pagina.text).toContain('Secretaria Municipal da Saúde (SMS)');
    expect(pagina.text).toContain('gestor(a) de dados da Saúde');
    expect(pagina.text).not.toContain('servidor.pedro');
    const csv = await sessaoA.get('/acessos.csv').expect(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.text).toContain('Secretaria Municipal da Saúde (SMS)');
    const sessaoB = (await entrar(b)).agente;
    const paginaB = await sessaoB.get('/acessos').expect(200);
    expect(paginaB.text).toContain('Nenhum órgão ou aplicação consultou seus dados até agora.');
    await sessaoB.get(`/acessos?cpf=${a.cpf}`).expect(400);
    const dadosB = await sessaoB.get('/meus-dados').expect(200);
    expect(dadosB.text).not.toContain(`${a.cpf.slice(0, 3)}.${a.cpf.slice(3, 6)}.${a.cpf.slice(6, 9)}-${a.cpf.slice(9)}`);
  });
});

describe('English mode: every page the portal serves', () => {
  it('the signed-out home page and Keycloak\'s sign-in screen are in English; the sign-in asks for ui_locales=en', async () => {
    const agente = await agenteEmIngles();
    emIngles((await agente.get('/').expect(200)).text, [
      '<h1>Citizen area</h1>', 'Sign in with the Municipal Single Sign-On to see and correct your data', '<a class="botao" href="/entrar">Sign in</a>',
    ], ['Área do Cidadão', 'Entre com o Login Único']);
    const inicio = await agente.get('/entrar').expect(303);
    const autorizacao = new URL(inicio.headers.location);
    expect(autorizacao.searchParams.get('ui_locales')).toBe('en');
    const tela = await (await fetch(autorizacao)).text();
    expect(tela).toContain('lang="en"');
    expect(tela).toContain('City staff or citizen');
  });

  it('home, Meus Dados (a change saved, a pending request, PMCC refusals by code, a validation error in pt-BR marked as such), in English', async () => {
    const c = await cidadaoComRegistro();
    const agente = await entrarEmIngles(c);
    emIngles((await agente.get('/').expect(200)).text, [
      '<h1>My account</h1>', '<a href="/meus-dados">My data</a>', '<a href="/acessos">Who accessed my data</a>', '<a href="/seguranca">Security</a>',
      '<a href="/aplicacoes">Allowed applications</a>', '<a href="/mensagens">Messages</a>', '>Sign out</button>',
    ], ['Minha conta', 'Verifique seus dados']);

    const pagina = (await agente.get('/meus-dados').expect(200)).text;
    emIngles(pagina, [
      '<h2 id="t-perfil">User profile</h2>', '<dt>Date of birth</dt><dd>8 Mar 1979</dd>', '<dt>Do you use a social name (<span lang="pt-BR">nome social</span>)?</dt><dd>No</dd>',
      '<dt>Sex / gender</dt><dd>Female</dd>', '<dt>Marital status</dt><dd>Not given</dd>', '<dt>Mother&#39;s name</dt><dd>Marta Prado</dd>',
      'You have no change requests under review.', '<legend>Identification</legend>', '<legend>Parents</legend>', '<legend>Contact</legend>', '<legend>Address</legend>',
      '<label for="f-dataNascimento">Date of birth (yyyy-mm-dd)</label>', 'name="dataNascimento" value="1979-03-08"',
      '<label for="f-cep">Postcode (CEP, 8 digits)</label>', '<label for="f-bairro">Neighbourhood (<span lang="pt-BR">bairro</span>)</label>',
      '<option value="uniao-estavel">Stable union (união estável)</option>', 'Request: the change stays pending until a register manager reviews it (PMCC rule).',
      // The PMCC's note exists only in pt-BR: shown as is, in its own language.
      'The CPF, the RG and the place of birth cannot be changed here: <span lang="pt-BR">Obrigatório, dígitos válidos',
      '<button type="submit" class="botao">Save changes</button>',
    ], ['Perfil de Usuário', 'Data de nascimento', 'Possui nome social', 'Identificação', 'Filiação', 'Não informado', '08/03/1979', 'Pedidos de alteração']);

    const csrf = csrfDe(pagina);
    // The date as the English form shows it (aaaa-mm-dd), posted unchanged with a new address: only the address changes.
    const endereco = { cep: '01310100', logradouro: 'Avenida Paulista', numero: '1000', complemento: '', bairro: 'Bela Vista', municipio: 'São Paulo', uf: 'SP' };
    await agente.post('/meus-dados').type('form').send({ _csrf: csrf, dataNascimento: '1979-03-08', ...endereco }).expect(303);
    const gravado = (await agente.get('/meus-dados').expect(200)).text;
    emIngles(gravado, ['Change saved: Address.', 'Avenida Paulista, 1000 — Bela Vista, São Paulo/SP — CEP 01310100'], ['Alteração gravada']);

    await agente.post('/meus-dados').type('form').send({ _csrf: csrf, nome: 'Helena Prado Souza' }).expect(303);
    emIngles((await agente.get('/meus-dados').expect(200)).text, [
      'Request recorded, pending review by a register manager: Name.', '<caption>Your change requests</caption>',
      '<td data-rotulo="Field">Name</td><td data-rotulo="Value requested">Helena Prado Souza</td>',
      '<td data-rotulo="Status">Pending — waiting for a register manager to review it</td>',
    ], ['Pedido registrado', 'Pendente', 'Valor pedido', 'Situação']);

    const cpf = (await agente.post('/meus-dados').type('form').send({ _csrf: csrf, cpf: '111.444.777-35' }).expect(422)).text;
    emIngles(cpf, [
      'role="alert"><p>Change refused under the PMCC (the City&#39;s rules for maintaining the central registers); nothing was saved:</p><p>CPF: No one can change this field (PMCC rule).</p></div>',
    ], ['Alteração recusada', 'nada foi gravado', 'não pode ser alterado por ninguém']);
    const genero = (await agente.post('/meus-dados').type('form').send({ _csrf: csrf, genero: 'masculino' }).expect(422)).text;
    emIngles(genero, [
      '<p>Sex / gender: The current value came from a source that takes precedence over your own statement (an official source or a register manager), so it was kept (PMCC rule).</p>',
    ], ['Sexo / gênero', 'precedência']);

    // A validation message of Entrada Única exists only in pt-BR: shown after an English lead, in its own language.
    const invalido = (await agente.post('/meus-dados').type('form').send({ _csrf: csrf, email: 'sem-arroba' }).expect(422)).text;
    emIngles(invalido, ['<p>Change refused; nothing was saved. The reason, from the register, is in Portuguese:</p><p><span lang="pt-BR">'], ['Alteração recusada']);
    expect(await t.db.dataSource.query(`SELECT campo FROM valor_campo WHERE chave = $1 AND tipo_ator = 'cidadao' ORDER BY id`, [c.cpf]))
      .toEqual([{ campo: 'enderecos' }, { campo: 'nome' }]);
  });

  it('a notice written in pt-BR just before the switch to English keeps its own lang', async () => {
    const agente = (await entrar(await cidadaoComRegistro())).agente;
    const csrf = csrfDe((await agente.get('/meus-dados').expect(200)).text);
    await agente.post('/meus-dados').type('form').send({ _csrf: csrf, email: 'helena@example.com' }).expect(303);
    await agente.get('/idioma?para=en&volta=/meus-dados').expect(303);
    const pagina = (await agente.get('/meus-dados').expect(200)).text;
    expect(pagina).toContain('<html lang="en">');
    expect(pagina).toContain('<div class="aviso aviso-sucesso" role="status" lang="pt-BR"><p>Alteração gravada: E-mail.</p></div>');
    expect(pagina).toContain('<button type="submit" class="botao">Save changes</button>');
  });

  it('Segurança in English: the level, the table, what is missing and where, the evidence, the sessions', async () => {
    const c = await cidadaoComRegistro();
    const agente = await entrarEmIngles(c);
    emIngles((await agente.get('/seguranca').expect(200)).text, [
      '<h1>Security</h1>', '<h2 id="t-nivel">Your confidence level: <span class="nivel">3</span></h2>',
      'Your account is linked to your record in the Citizen Register (<span lang="pt-BR">Cadastro Base de Pessoas</span>).', '<h3>What is missing for the next level</h3>',
      'To reach level 4: have your biometrics captured at a Descomplica SP service point', '<h3>Your proofs of identity</h3>',
      '<li>In-person check by a register manager — ', '<th scope="col">Level</th><th scope="col">Name</th><th scope="col">What it takes</th>',
      '<th scope="row">3 (yours)</th><td data-rotulo="Name">Linked to the register</td>', '<td data-rotulo="Name">Verified by gov.br</td>',
      '<a href="/acao/senha">Change your password</a>', '<a href="/acao/chave-de-acesso">Register a passkey</a>', '<h3>Sessions and devices</h3>',
      '<caption>Active sessions in the Municipal Single Sign-On</caption>', 'This session (use Sign out to end it)',
    ], ['Seu nível', 'Para chegar', 'Conferência presencial', 'Trocar a senha', 'Sessões', 'O que é preciso', 'Vinculado ao cadastro']);
  });

  it('Mensagens in English: the form, its pt-BR validation marked, a thread with the organ\'s answer, the notifications with a steward\'s pt-BR reason', async () => {
    const c = await cidadaoComRegistro();
    const agente = await entrarEmIngles(c);
    const pagina = (await agente.get('/mensagens').expect(200)).text;
    emIngles(pagina, [
      '<h1>Messages</h1>', 'Conversations with the City (0 unread replies)', 'You have not written to any City department yet.', '<h2 id="t-nova">Write to a department</h2>',
      '<label for="f-orgao">To which department</label>', '<option value="saude">Municipal Health Department (SMS)</option>', '3 to 120 characters.',
      '<button type="submit" class="botao">Send message</button>', 'Notifications (1 unread)',
      '<strong>New: </strong>New proof of identity on your account: In-person check by a register manager. See your confidence level under Security.',
      'You do not get e-mail notices.', 'Get an e-mail notice', '>Mark all as read</button>',
    ], ['Conversas com', 'Escrever', 'Notificações', 'Nova comprovação', 'avisos por e-mail', 'Para qual órgão']);
    const csrf = csrfDe(pagina);
    const longo = (await agente.post('/mensagens/conversas').type('form').send({ _csrf: csrf, orgao: 'saude', assunto: 'x'.repeat(121), texto: 'Lost my card.' }).expect(400)).text;
    emIngles(longo, [
      '<p>Message not sent; nothing was saved. The reason, from the register, is in Portuguese:</p><p><span lang="pt-BR">assunto deve ter de 3 a 120 caracteres</span></p>',
      '>Lost my card.</textarea>',
    ], ['Mensagem não enviada']);

    const enviada = await agente.post('/mensagens/conversas').type('form').send({ _csrf: csrf, orgao: 'saude', assunto: 'Cartão SUS', texto: 'Lost my card.' }).expect(303);
    const id = enviada.headers.location.slice('/mensagens/conversas/'.length);
    emIngles((await agente.get(enviada.headers.location).expect(200)).text, [
      'Message sent to Municipal Health Department (SMS). The reply will show here.', '<h1>Cartão SUS</h1>', 'To: Municipal Health Department (SMS) · opened on ',
      '<h2 id="t-msgs">Messages</h2>', '<p class="dica">You · ', '<p>Lost my card.</p>', '<h2 id="t-responder">Reply</h2>', '<label for="f-texto">Your reply</label>',
      '<button type="submit" class="botao">Send reply</button>', '<a href="/mensagens">Back to Messages</a>',
    ], ['Mensagem enviada', 'Sua resposta', 'Responder', 'aberta em']);
    const saude = await t.tokens.emitir({ username: 'servidora.ines', roles: ['gestor-saude'], azp: 'sms-saude' });
    await request(t.app).post(`/conversas/${id}/mensagens`).set('authorization', `Bearer ${saude}`).send({ texto: 'Vá a uma UBS com um documento com foto.' }).expect(201);
    emIngles((await agente.get('/mensagens').expect(200)).text, ['Conversations with the City (1 unread reply)', '<strong>1 new reply: </strong>', ' · 2 messages · last on '], ['resposta nova']);
    // The City's staff write in pt-BR: their message carries its language.
    emIngles((await agente.get(`/mensagens/conversas/${id}`).expect(200)).text, [
      '<strong>New · </strong>Municipal Health Department (SMS) (Health data manager) · ', '<div lang="pt-BR"><p>Vá a uma UBS com um documento com foto.</p></div>',
    ], ['Nova · ', 'gestor(a)']);
    await agente.post(`/mensagens/conversas/${id}`).type('form').send({ _csrf: csrf, texto: 'Thanks!' }).expect(303);
    emIngles((await agente.get(`/mensagens/conversas/${id}`).expect(200)).text, ['<p>Reply sent.</p>'], ['Resposta enviada']);
    await agente.post('/mensagens/aviso-email').type('form').send({ _csrf: csrf, ativo: 'true' }).expect(303);
    emIngles((await agente.get('/mensagens').expect(200)).text, [
      'Done: you will get an e-mail notice of new replies and decisions.', 'You get an e-mail notice when a department replies', 'Stop e-mail notices',
    ], ['Pronto']);

    // A steward refuses a name request with a justification (pt-BR): the notification and Meus Dados mark it pt-BR.
    await agente.post('/meus-dados').type('form').send({ _csrf: csrf, nome: 'Helena Prado Lima' }).expect(303);
    const [{ id: revisao }] = await t.db.dataSource.query(`SELECT id FROM revisao WHERE chave = $1 AND campo = 'nome'`, [c.cpf]);
    await request(t.app).post(`/revisoes/${revisao}/assumir`).set('authorization', `Bearer ${central}`).expect(200);
    await request(t.app).post(`/revisoes/${revisao}/resolver`).set('authorization', `Bearer ${central}`)
      .send({ resolucao: 'manter-vigente', justificativa: 'A certidão apresentada não confere' }).expect(200);
    emIngles((await agente.get('/mensagens').expect(200)).text, [
      '<strong>New: </strong>Your request to change Name was refused by a register manager: <span lang="pt-BR">A certidão apresentada não confere</span>',
    ], ['Seu pedido']);
    const dados = (await agente.get('/meus-dados').expect(200)).text;
    emIngles(dados, [], ['Recusado em']);
    expect(dados).toMatch(/<td data-rotulo="Status">Refused on \d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}: <span lang="pt-BR">A certidão apresentada não confere<\/span><\/td>/);
  });

  it('Quem acessou meus dados in English: a health steward\'s read in plain English, the sharing rule\'s purpose marked pt-BR; the CSV stays pt-BR', async () => {
    const c = await cidadaoComRegistro();
    const saude = await t.tokens.emitir({ username: 'servidor.pedro', roles: ['gestor-saude'], azp: 'sms-saude' });
    await request(t.app).get(`/pessoas/${c.cpf}`).set('authorization', `Bearer ${saude}`).expect(200);
    const agente = await entrarEmIngles(c);
    const pagina = (await agente.get('/acessos').expect(200)).text;
    emIngles(pagina, [
      '<h1>Who accessed my data</h1>', 'Every time a City department or application reads your record, it is logged.',
      '<a href="/acessos.csv" download hreflang="pt-BR">Download the full list (CSV file, in Portuguese)</a>', '<caption>1 read of your record, newest first</caption>',
      '<th scope="col">When</th><th scope="col">Who</th><th scope="col">Application</th><th scope="col">What</th><th scope="col">Data</th><th scope="col">What for</th>',
      '<td data-rotulo="Who">Municipal Health Department (SMS)<br><span class="dica">Health data manager</span></td>',
      '<td data-rotulo="Application">Municipal Health Department systems (SIGA)</td>', '<td data-rotulo="What">Read your record</td>',
      'Mother&#39;s name', '<td data-rotulo="What for"><span lang="pt-BR">Atenção à saúde (SIGA): identificar o paciente',
      '<nav class="paginacao" aria-label="Pages"><span>Page 1 of 1</span></nav>',
    ], ['Quando', 'Consultou', 'Secretaria Municipal', 'Baixar', 'Página', 'Nome da mãe', 'gestor(a)']);
    expect(pagina).toMatch(/<td data-rotulo="When">\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}<\/td>/);
    expect(pagina).not.toContain('servidor.pedro');
    const csv = (await agente.get('/acessos.csv').expect(200)).text;
    expect(csv.split('\r\n')[0]).toBe('\uFEFFData e hora;O que foi feito;Órgão;Papel;Aplicação;Dados consultados;Finalidade');
    expect(csv).toContain('Consultou seu cadastro;Secretaria Municipal da Saúde (SMS);gestor(a) de dados da Saúde');
  });

  it('the error pages in English: the portal\'s own messages translated, an API message marked pt-BR', async () => {
    const agente = await agenteEmIngles();
    emIngles((await agente.get('/nao-existe').expect(404)).text, ['<h1>Page not found</h1>', '<p>This page does not exist. <a href="/">Back to the home page</a></p>'], ['Página não encontrada', 'Esta página']);
    emIngles((await agente.get('/callback?code=abc&state=outro').expect(400)).text, [
      '<h1>Could not complete</h1>', '<p>No sign-in under way in this session: start again with the Sign in button.</p>',
    ], ['Nenhuma entrada', 'Não foi possível']);
    await agente.get('/idioma?para=fr').expect(400).expect((res) => emIngles(res.text, ['<p>Unknown language: use pt-BR or en</p>'], ['Idioma desconhecido']));

    const signed = await entrarEmIngles(await cidadaoComRegistro());
    emIngles((await signed.get('/acessos?cpf=1').expect(400)).text, ['<p>Parameter not allowed: cpf</p>'], ['Parâmetro']);
    emIngles((await signed.get('/acao/apagar-tudo').expect(404)).text, ['<h1>Not found</h1>', '<p>Unknown action</p>'], ['Ação desconhecida', 'Não encontrado']);
    const html = (await signed.get('/aplicacoes').expect(200)).text;
    emIngles((await signed.post('/aplicacoes/revogar').type('form').send({ _csrf: 'outro', cliente: 'sf-fazenda' }).expect(403)).text, [
      '<h1>Access refused</h1>', '<p>Request refused: the form expired or did not come from this page. Open the page again and try once more.</p>',
    ], ['Acesso recusado', 'Pedido recusado']);
    // Revocation's "not found" is the API's own pt-BR sentence: an English lead, then the sentence in its language.
    emIngles((await signed.post('/aplicacoes/revogar').type('form').send({ _csrf: csrfDe(html), cliente: 'sf-fazenda' }).expect(404)).text, [
      '<h1>Not found</h1>', '<p>The reason, from the register, is in Portuguese:</p><p lang="pt-BR">Você não deu acesso a esta aplicação</p>',
    ], ['Não encontrado']);
  });
});

describe('Aplicações Permitidas', () => {
  const PARCEIRO = 'http://localhost:4900/callback';

  /** A sign-in to the outside application (consent required): whether Keycloak asked for consent; accepts it when asked. */
  async function entrarNoParceiro(cpf: string): Promise<'pediu-consentimento' | 'sem-consentimento'> {
    const config = await discover(issuer, 'parceiro-externo');
    const { jar, page } = await openAuthorization({ config, redirectUri: PARCEIRO });
    const res = await postForm(jar, formAction(page.html, 'kc-form-login'), { username: cpf, password: SENHA, credentialId: '' });
    const destino = res.headers.get('location') ?? '';
    if (res.status === 302 && destino.startsWith(PARCEIRO)) {
      expect(destino).toMatch(/[?&]code=/);
      return 'sem-consentimento';
    }
    // Keycloak 26 asks for consent as a required action (OAUTH_GRANT) of its own page.
    expect(destino).toContain('execution=OAUTH_GRANT');
    const consentimento = await fetch(destino, { headers: { cookie: jar.header() }, redirect: 'manual' });
    jar.store(consentimento);
    const html = await consentimento.text();
    const m = /<form[^>]*action="([^"]+)"[^>]*method="POST">\s*<input type="hidden" name="code" value="([^"]+)">/.exec(html);
    if (!m) throw new Error(`no consent form:\n${html.slice(0, 1500)}`);
    const aceite = await postForm(jar, new URL(m[1].replace(/&amp;/g, '&'), destino).href, { code: m[2], accept: '' });
    expect(aceite.status).toBe(302);
    expect(aceite.headers.get('location')).toMatch(/^http:\/\/localhost:4900\/callback\?.*code=/);
    return 'pediu-consentimento';
  }

  it('lists the granted application with its scopes and data; revoking it records the consent history and the next sign-in asks again', async () => {
    const c = await cidadaoComRegistro();
    expect(await entrarNoParceiro(c.cpf)).toBe('pediu-consentimento');
    expect(await entrarNoParceiro(c.cpf)).toBe('sem-consentimento');
    const { agente } = await entrar(c);
    const pagina = await agente.get('/aplicacoes').expect(200);
    expect(pagina.text).toContain('<h2>Aplicação parceira externa</h2>');
    expect(pagina.text).toContain('Remover o acesso de Aplicação parceira externa');
    // The portal itself (a session now, no consent asked): listed, with the data its sharing rule lets it receive.
    expect(pagina.text).toContain('<h2>Portal do Cidadão</h2>');
    expect(pagina.text).toContain('Aplicação da Prefeitura: não pede autorização.');
    await agente.post('/aplicacoes/revogar').type('form').send({ cliente: 'parceiro-externo' }).expect(403);
    const res = await agente.post('/aplicacoes/revogar').type('form').send({ _csrf: csrfDe(pagina.text), cliente: 'parceiro-externo' }).expect(303);
    expect(res.headers.location).toBe('/aplicacoes');
    const depois = await agente.get('/aplicacoes').expect(200);
    expect(depois.text).toContain('Acesso removido: Aplicação parceira externa');
    expect(depois.text).toContain('acesso de Aplicação parceira externa removido por você');
    expect(depois.text).not.toContain('Remover o acesso de Aplicação parceira externa');
    const historico = await t.db.dataSource.query(`SELECT pessoa_cpf, cliente, acao, origem FROM historico_consentimento WHERE conta_id = $1`, [c.id]);
    expect(historico).toEqual([{ pessoa_cpf: c.cpf, cliente: 'parceiro-externo', acao: 'revogado', origem: 'area-do-cidadao' }]);
    const [auditoria] = await t.db.dataSource.query(`SELECT ator, detalhe->>'cliente' AS cliente FROM auditoria WHERE acao = 'consentimento.revogado' AND pessoa_cpf = $1`, [c.cpf]);
    expect(auditoria).toEqual({ ator: c.cpf, cliente: 'parceiro-externo' });
    expect(await entrarNoParceiro(c.cpf)).toBe('pediu-consentimento');
    // Nothing granted to that client any more… until the consent just given; another client never granted: 404.
    const outra = await agente.post('/aplicacoes/revogar').type('form').send({ _csrf: csrfDe(pagina.text), cliente: 'sf-fazenda' }).expect(404);
    expect(outra.text).toContain('Você não deu acesso a esta aplicação');
  });

  it('in English: the applications, their permissions, data and purpose (pt-BR, marked), the revocation and the history', async () => {
    const c = await cidadaoComRegistro();
    expect(await entrarNoParceiro(c.cpf)).toBe('pediu-consentimento');
    const agente = await entrarEmIngles(c);
    const pagina = (await agente.get('/aplicacoes').expect(200)).text;
    emIngles(pagina, [
      '<h1>Allowed applications</h1>', 'Applications that have access to your account: the ones you authorised and the ones you are using now.',
      '<h2>External partner application</h2>', '<h2>Citizen Portal (<span lang="pt-BR">Portal do Cidadão</span>)</h2>', 'A City application: it does not ask for authorisation. You are signed in to it now.',
      '<strong>Permissions granted (scopes):</strong>', '<strong>Register data it may receive:</strong>', '<strong>What for (in Portuguese):</strong> <span lang="pt-BR">Portal do Cidadão, pelo qual',
      '<button type="submit" class="botao">Remove the access of External partner application</button>', '<h2 id="t-hist">Consent history</h2>', 'No access removed.',
    ], ['Aplicação parceira', 'Aplicação da Prefeitura', 'Dados do cadastro', 'Remover', 'Histórico', 'Permissões']);
    expect(pagina).toMatch(/You gave access on \d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}\./);
    await agente.post('/aplicacoes/revogar').type('form').send({ _csrf: csrfDe(pagina), cliente: 'parceiro-externo' }).expect(303);
    const depois = (await agente.get('/aplicacoes').expect(200)).text;
    emIngles(depois, [
      'Access removed: External partner application will ask for your authorisation again the next time you sign in.',
    ], ['Acesso removido', 'removido por você', 'Remove the access of External partner application']);
    expect(depois).toMatch(/<li>\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2} — access of External partner application removed by you<\/li>/);
  });

  it('citizen A cannot remove citizen B\'s grant: the revocation acts on the signed-in account only', async () => {
    const a = await cidadaoComRegistro();
    const b = await cidadaoComRegistro();
    expect(await entrarNoParceiro(b.cpf)).toBe('pediu-consentimento');
    const { agente } = await entrar(a);
    const html = (await agente.get('/aplicacoes').expect(200)).text;
    expect(html).not.toContain('Aplicação parceira externa');
    await agente.post('/aplicacoes/revogar').type('form').send({ _csrf: csrfDe(html), cliente: 'parceiro-externo' }).expect(404);
    const consentimentos = await kc.users.listConsents({ id: b.id });
    expect(consentimentos.map((c) => c.clientId)).toEqual(['parceiro-externo']);
    expect(await t.db.dataSource.query(`SELECT count(*)::int AS n FROM historico_consentimento WHERE conta_id IN ($1, $2)`, [a.id, b.id])).toEqual([{ n: 0 }]);
  });
});
