/**
 * The e-mail notice of Mensagens against the slot's real Keycloak and the SMTP sink (STACK: the sink listens on the
 * slot's fixed port): a steward's answer queues the notice (BullMQ, real Redis); the worker checks the citizen's choice
 * and asks Keycloak's `lum-avisos` resource, which mails the theme's content-free pt-BR notice with the realm's SMTP
 * settings — to the citizen who turned it on, never to the one who did not, never to an unverified address. The
 * resource itself: only the API's service account (client role lum-api/enviar-aviso-email), strict body.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type KcAdminClient from '@keycloak/keycloak-admin-client';
import type { Job } from 'bullmq';
import { pino } from 'pino';
import request from 'supertest';
import { configDeTeste, criarAppDeTeste, type AppDeTeste } from '../api/test/helpers/app.js';
import { cpfAleatorio } from '../api/test/helpers/cpfs.js';
import { criarFilaAvisos, criarWorkerAvisos, enviadorKeycloak, type FilaAvisos, type ResultadoAviso } from '../api/src/mensagens/avisos-fila.js';
import { KC_TEST } from './support/keycloak.js';
import { adminKeycloak } from './support/pilha.js';
import { abrirCaixaDeEntrada, type CaixaDeEntrada } from './support/smtp-sink.js';

let t: AppDeTeste;
let kc: KcAdminClient;
let caixa: CaixaDeEntrada;
let fila: FilaAvisos;
let worker: ReturnType<typeof criarWorkerAvisos>;
let saude: string;
const concluidos = new Map<string, ResultadoAviso>();
const nomeFila = `teste-avisos-${process.pid}-${Date.now()}`;
const enviador = enviadorKeycloak({ baseUrl: KC_TEST.url, realm: KC_TEST.realm, clientId: 'lum-api', clientSecret: KC_TEST.apiClientSecret });

interface Cidadao { id: string; email: string; token: string }

/** A Keycloak account (verified e-mail or not) with its `conta` row, and a local API token for its `sub`. */
async function cidadao(emailVerificado: boolean): Promise<Cidadao> {
  const cpf = cpfAleatorio();
  const email = `cidadao.${cpf}@exemplo.sp.gov.br`;
  const { id } = await kc.users.create({ username: cpf, email, firstName: 'Joana', lastName: 'Teste', enabled: true, emailVerified: emailVerificado });
  await t.db.dataSource.query(`INSERT INTO conta (keycloak_user_id, username, cpf_declarado, nivel_confianca) VALUES ($1, $2, $3, 1)`, [id, cpf, cpf]);
  return { id, email, token: await t.tokens.emitir({ sub: id, username: cpf, roles: ['cidadao'], azp: 'portal-cidadao' }) };
}

async function conversaRespondida(c: Cidadao, resposta: string): Promise<string> {
  const { body } = await request(t.app).post('/me/conversas').set('authorization', `Bearer ${c.token}`).send({ orgao: 'saude', assunto: 'Exame', texto: 'Saiu o resultado?' }).expect(201);
  await request(t.app).post(`/conversas/${body.id}/mensagens`).set('authorization', `Bearer ${saude}`).send({ texto: resposta }).expect(201);
  return `aviso-mensagem-${c.id}-${body.id}-2`;
}

async function resultado(jobId: string, timeoutMs = 30_000): Promise<ResultadoAviso> {
  const limite = Date.now() + timeoutMs;
  while (!concluidos.has(jobId)) {
    if (Date.now() > limite) throw new Error(`job ${jobId} not completed within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return concluidos.get(jobId)!;
}

beforeAll(async () => {
  caixa = await abrirCaixaDeEntrada();
  kc = await adminKeycloak();
  const config = configDeTeste();
  fila = criarFilaAvisos(config, { nome: nomeFila });
  t = await criarAppDeTeste('aviso-email', { deps: { avisos: fila.avisos } });
  worker = criarWorkerAvisos(config, { dataSource: t.db.dataSource, enviador, logger: pino({ level: 'silent' }) }, { nome: nomeFila });
  worker.on('completed', (job: Job, r: ResultadoAviso) => {
    concluidos.set(job.id!, r);
  });
  saude = await t.tokens.emitir({ username: 'servidor.jorge', roles: ['gestor-saude'], azp: 'sms-saude' });
});

afterAll(async () => {
  await worker?.close();
  await fila?.fila.obliterate({ force: true }).catch(() => undefined);
  await fila?.fechar();
  await t?.fechar();
  await caixa?.parar();
});

describe('a staff answer notifies the citizen by e-mail through Keycloak, only when they chose it', () => {
  it('opted in: one content-free pt-BR notice with the link to "Minha conta"; opted out and unverified: no e-mail', async () => {
    const sim = await cidadao(true);
    const nao = await cidadao(true);
    const naoVerificado = await cidadao(false);
    for (const c of [sim, naoVerificado]) await request(t.app).put('/me/aviso-email').set('authorization', `Bearer ${c.token}`).send({ ativo: true }).expect(200);

    const [jobSim, jobNao, jobNaoVerificado] = [
      await conversaRespondida(sim, 'Sim, o resultado do hemograma está pronto.'),
      await conversaRespondida(nao, 'Ainda não.'),
      await conversaRespondida(naoVerificado, 'Ainda não.'),
    ];
    expect(await resultado(jobSim)).toBe('enviado');
    expect(await resultado(jobNao)).toBe('desligado');
    expect(await resultado(jobNaoVerificado)).toBe('sem-email-verificado');

    const { mensagem } = await caixa.esperarPara(sim.email);
    expect(mensagem.subject).toBe('Você tem uma nova mensagem — Login Único Municipal');
    expect(mensagem.text).toContain('Você tem uma nova mensagem da Prefeitura de São Paulo. Para ler, entre na sua conta:');
    expect(mensagem.text).toContain('http://localhost:4000');
    expect(mensagem.html).toContain('href="http://localhost:4000"');
    // Nothing of the conversation or of the account is in the e-mail.
    const tudo = `${mensagem.subject} ${mensagem.text} ${String(mensagem.html)}`;
    expect(tudo).not.toMatch(/hemograma|Exame|Joana|Teste|servidor\.jorge/);
    // The job ran after the sink had the notice for `sim`: the other two, handled by then, sent nothing.
    expect(caixa.recebidos.filter((e) => e.para.some((p) => [nao.email, naoVerificado.email].includes(p)))).toEqual([]);
    expect(caixa.recebidos.filter((e) => e.para.includes(sim.email))).toHaveLength(1);
  });

  it('a citizen who turns the notice off after the answer gets nothing (the choice is read when sending)', async () => {
    const c = await cidadao(true);
    await request(t.app).put('/me/aviso-email').set('authorization', `Bearer ${c.token}`).send({ ativo: true }).expect(200);
    await worker.pause();
    const job = await conversaRespondida(c, 'Pode retirar amanhã.');
    await request(t.app).put('/me/aviso-email').set('authorization', `Bearer ${c.token}`).send({ ativo: false }).expect(200);
    void worker.resume();
    expect(await resultado(job)).toBe('desligado');
  });
});

describe('the lum-avisos resource', () => {
  const url = `${KC_TEST.url}/realms/${KC_TEST.realm}/lum-avisos/usuarios`;

  it('refuses a call without a token (401) and the service account without the role (403); strict body (400); unknown user (404)', async () => {
    const c = await cidadao(true);
    expect((await fetch(`${url}/${c.id}/aviso`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"motivo":"mensagem"}' })).status).toBe(401);
    const token = await (async () => {
      const r = await fetch(`${KC_TEST.url}/realms/${KC_TEST.realm}/protocol/openid-connect/token`, {
        method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'lum-api', client_secret: KC_TEST.apiClientSecret }),
      });
      return ((await r.json()) as { access_token: string }).access_token;
    })();
    const chamar = (id: string, corpo: string) => fetch(`${url}/${id}/aviso`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: corpo });
    const extra = await chamar(c.id, '{"motivo":"mensagem","texto":"Seu exame"}');
    expect(extra.status).toBe(400);
    expect(await extra.json()).toMatchObject({ message: 'Campo não permitido: texto' });
    expect((await chamar(c.id, '{"motivo":"outro"}')).status).toBe(400);
    expect((await chamar('00000000-0000-4000-8000-000000000000', '{"motivo":"pedido"}')).status).toBe(404);
    expect(caixa.recebidos.filter((e) => e.para.includes(c.email))).toEqual([]);
    // Without the client role the same service account is refused: removed, 403; given back.
    const sa = await kc.clients.find({ clientId: 'lum-api' });
    const usuarioSa = await kc.clients.getServiceAccountUser({ id: sa[0].id! });
    const papel = await kc.clients.findRole({ id: sa[0].id!, roleName: 'enviar-aviso-email' });
    await kc.users.delClientRoleMappings({ id: usuarioSa.id!, clientUniqueId: sa[0].id!, roles: [{ id: papel!.id!, name: papel!.name! }] });
    try {
      const semPapel = await chamar(c.id, '{"motivo":"mensagem"}');
      expect(semPapel.status).toBe(403);
      expect(await semPapel.json()).toMatchObject({ message: 'Requer o papel lum-api/enviar-aviso-email' });
    } finally {
      await kc.users.addClientRoleMappings({ id: usuarioSa.id!, clientUniqueId: sa[0].id!, roles: [{ id: papel!.id!, name: papel!.name! }] });
    }
  });
});
