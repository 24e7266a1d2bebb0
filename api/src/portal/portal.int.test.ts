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
  const agente = request.agent(portal);
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
