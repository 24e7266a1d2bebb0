/**
 * Mensagens through the API (local tokens, real PostgreSQL): a citizen opens a thread with an organ, the organ's
 * steward lists, reads and answers it, read/unread state on each side; every read and write audited, the steward's read
 * listed under "Quem acessou meus dados"; citizen A never reads or writes B's thread; an organ never sees another's;
 * strict validation (unknown fields, sizes, invisible characters) with nothing written; the e-mail notice choice.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { criarAppDeTeste, type AppDeTeste } from '../../test/helpers/app.js';
import { cpfAleatorio } from '../../test/helpers/cpfs.js';
import type { Avisos, MotivoAviso } from './avisos.js';

let t: AppDeTeste;
let central: string;
let saude: string;
let fazenda: string;
const avisados: { contaId: string; motivo: MotivoAviso; ref: string }[] = [];
const avisos: Avisos = {
  avisar: (contaId, motivo, ref) => {
    avisados.push({ contaId, motivo, ref });
    return Promise.resolve();
  },
};

interface Cidadao { sub: string; cpf: string; token: string }

async function cidadao(): Promise<Cidadao> {
  const cpf = cpfAleatorio();
  const sub = randomUUID();
  await request(t.app).post('/pessoas').set('authorization', `Bearer ${central}`)
    .send({ cpf, nome: 'Rita Moura', dataNascimento: '1980-02-29', nomeMae: 'Joana Moura' }).expect(201);
  await t.db.dataSource.query(
    `INSERT INTO conta (keycloak_user_id, username, cpf_declarado, pessoa_cpf, nivel_confianca) VALUES ($1, $2, $3, $3, 3)`, [sub, cpf, cpf]);
  const token = await t.tokens.emitir({ sub, username: cpf, roles: ['cidadao'], azp: 'portal-cidadao', extra: { cpf } });
  return { sub, cpf, token };
}

const como = (token: string) => ({
  get: (url: string) => request(t.app).get(url).set('authorization', `Bearer ${token}`),
  post: (url: string, corpo: object) => request(t.app).post(url).set('authorization', `Bearer ${token}`).send(corpo),
  put: (url: string, corpo: object) => request(t.app).put(url).set('authorization', `Bearer ${token}`).send(corpo),
});

async function auditoria(conversaId: string): Promise<{ acao: string; ator: string; pessoa_cpf: string | null; finalidade: string | null; leitor: unknown }[]> {
  return t.db.dataSource.query(
    `SELECT acao, ator, pessoa_cpf, finalidade, detalhe->'leitor' AS leitor FROM auditoria WHERE detalhe->>'conversaId' = $1 ORDER BY id`, [conversaId]);
}

const contagem = async () => (await t.db.dataSource.query<{ c: number; m: number }[]>(
  `SELECT (SELECT count(*)::int FROM conversa) AS c, (SELECT count(*)::int FROM mensagem) AS m`))[0];

beforeAll(async () => {
  t = await criarAppDeTeste('conversas', { deps: { avisos } });
  central = await t.tokens.gestor('gestora.central');
  saude = await t.tokens.emitir({ username: 'servidor.paulo.52998224725', roles: ['gestor-saude'], azp: 'sms-saude' });
  fazenda = await t.tokens.emitir({ username: 'servidora.lia', roles: ['gestor-fazenda'], azp: 'sf-fazenda' });
});

afterAll(async () => {
  await t?.fechar();
});

describe('a thread between a citizen and the health organ', () => {
  it('opened by the citizen, listed, read and answered by the organ; unread state on each side; every step audited', async () => {
    const a = await cidadao();
    const aberta = await como(a.token).post('/me/conversas', { orgao: 'saude', assunto: '  Vacina   da gripe ', texto: 'Bom dia.\r\nOnde tomo a vacina?' }).expect(201);
    expect(aberta.body).toMatchObject({ orgao: 'saude', assunto: 'Vacina da gripe', mensagens: 1, naoLidas: 0 });
    expect(aberta.body.itens).toEqual([expect.objectContaining({ numero: 1, autor: 'cidadao', papel: null, texto: 'Bom dia.\nOnde tomo a vacina?', lida: true })]);
    const id: string = aberta.body.id;

    const naoLidas = await como(saude).get('/conversas?situacao=nao-lidas').expect(200);
    expect(naoLidas.body.conversas).toEqual([expect.objectContaining({ id, assunto: 'Vacina da gripe', mensagens: 1, naoLidas: 1 })]);
    // The list carries no message and nothing that names the citizen.
    expect(JSON.stringify(naoLidas.body)).not.toMatch(new RegExp(`vacina\\?|${a.cpf}|${a.sub}`, 'i'));

    const lida = await como(saude).get(`/conversas/${id}`).expect(200);
    expect(lida.body.itens).toEqual([expect.objectContaining({ numero: 1, autor: 'cidadao', lida: false })]);
    expect((await como(saude).get('/conversas?situacao=nao-lidas').expect(200)).body.conversas).toEqual([]);

    const resposta = await como(saude).post(`/conversas/${id}/mensagens`, { texto: 'Em qualquer UBS, de segunda a sexta.' }).expect(201);
    expect(resposta.body).toMatchObject({ mensagens: 2, naoLidas: 0 });
    expect(resposta.body.itens[1]).toMatchObject({ numero: 2, autor: 'orgao', papel: 'gestor-saude', texto: 'Em qualquer UBS, de segunda a sexta.', lida: true });
    expect(avisados).toContainEqual({ contaId: a.sub, motivo: 'mensagem', ref: `${id}-2` });

    const lista = await como(a.token).get('/me/conversas').expect(200);
    expect(lista.body.conversas).toEqual([expect.objectContaining({ id, mensagens: 2, naoLidas: 1 })]);
    const doCidadao = await como(a.token).get(`/me/conversas/${id}`).expect(200);
    expect(doCidadao.body.itens.map((m: { autor: string; lida: boolean }) => [m.autor, m.lida])).toEqual([['cidadao', true], ['orgao', false]]);
    // The servant's name never reaches the citizen.
    expect(JSON.stringify(doCidadao.body)).not.toMatch(/paulo|52998224725/i);
    expect((await como(a.token).get('/me/conversas').expect(200)).body.conversas[0].naoLidas).toBe(0);

    await como(a.token).post(`/me/conversas/${id}/mensagens`, { texto: 'Obrigada!' }).expect(201);
    expect((await como(saude).get('/conversas?situacao=nao-lidas').expect(200)).body.conversas).toEqual([expect.objectContaining({ id, naoLidas: 1 })]);

    const linhas = await auditoria(id);
    expect(linhas.map((l) => [l.acao, l.ator, l.finalidade])).toEqual([
      ['conversa.aberta', a.cpf, 'autoatendimento-cidadao'],
      ['conversa.lida', 'servidor.paulo.52998224725', 'atendimento-cidadao'],
      ['conversa.respondida', 'servidor.paulo.52998224725', 'atendimento-cidadao'],
      ['conversa.lida', a.cpf, 'autoatendimento-cidadao'],
      ['conversa.respondida', a.cpf, 'autoatendimento-cidadao'],
    ]);
    expect(linhas.every((l) => l.pessoa_cpf === a.cpf)).toBe(true);
    expect(linhas[1].leitor).toEqual({ orgaos: ['saude'], papeis: ['gestor-saude'] });
    // Lists are audited too: the organ's row names the threads listed (the two lists that held it; the empty one did not).
    const listas = await t.db.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM auditoria WHERE acao = 'conversas.listadas' AND detalhe->'conversas' ? $1`, [id]);
    expect(listas[0].n).toBe(2);
  });

  it('the steward\'s read of the thread is listed under "Quem acessou meus dados" (organ, role, purpose); the citizen\'s own is not', async () => {
    const a = await cidadao();
    const { body } = await como(a.token).post('/me/conversas', { orgao: 'saude', assunto: 'Consulta marcada', texto: 'Posso remarcar?' }).expect(201);
    await como(a.token).get(`/me/conversas/${body.id}`).expect(200);
    await como(saude).get(`/conversas/${body.id}`).expect(200);
    const acessos = await como(a.token).get('/me/acessos').expect(200);
    expect(acessos.body.total).toBe(1);
    expect(acessos.body.itens[0]).toMatchObject({
      oQue: 'Leu uma conversa sua com a Prefeitura (Mensagens)',
      orgao: 'Secretaria Municipal da Saúde (SMS)',
      papel: 'gestor(a) de dados da Saúde',
      campos: ['Assunto da conversa', 'Mensagens da conversa'],
      finalidade: 'Responder às suas mensagens',
    });
    expect(JSON.stringify(acessos.body)).not.toMatch(/paulo|52998224725/i);
  });
});

describe('isolation', () => {
  it('citizen A can never read or write into B\'s thread, with A\'s token and B\'s ids; nothing is written', async () => {
    const a = await cidadao();
    const b = await cidadao();
    const { body } = await como(b.token).post('/me/conversas', { orgao: 'fazenda', assunto: 'IPTU 2026', texto: 'Segredo de B: boleto 123' }).expect(201);
    const antes = await contagem();
    for (const r of [await como(a.token).get(`/me/conversas/${body.id}`), await como(a.token).post(`/me/conversas/${body.id}/mensagens`, { texto: 'intrusa' })]) {
      expect(r.status).toBe(404);
      expect(r.body).toMatchObject({ error: 'NaoEncontrado', message: 'Conversa não encontrada' });
      expect(JSON.stringify(r.body)).not.toContain('Segredo');
    }
    // B's ids as query parameters or in other routes: refused, never used.
    expect((await como(a.token).get(`/me/conversas?conta=${b.sub}`)).status).toBe(400);
    expect((await como(a.token).get(`/conversas/${body.id}`)).status).toBe(403);
    expect((await como(a.token).post(`/conversas/${body.id}/mensagens`, { texto: 'intrusa' })).status).toBe(403);
    expect((await como(a.token).get('/me/conversas').expect(200)).body.conversas).toEqual([]);
    expect(await contagem()).toEqual(antes);
    expect((await como(b.token).get(`/me/conversas/${body.id}`).expect(200)).body.itens).toHaveLength(1);
  });

  it('staff of one organ never see or answer another organ\'s thread', async () => {
    const a = await cidadao();
    const { body } = await como(a.token).post('/me/conversas', { orgao: 'saude', assunto: 'Remédio em falta', texto: 'Não achei o remédio.' }).expect(201);
    const antes = await contagem();
    expect((await como(fazenda).get('/conversas').expect(200)).body.conversas.map((c: { id: string }) => c.id)).not.toContain(body.id);
    expect((await como(fazenda).get(`/conversas/${body.id}`).expect(404)).body.message).toBe('Conversa não encontrada');
    await como(fazenda).post(`/conversas/${body.id}/mensagens`, { texto: 'Resposta indevida' }).expect(404);
    expect(await contagem()).toEqual(antes);
    expect((await auditoria(body.id)).map((l) => l.acao)).toEqual(['conversa.aberta']);
    // The central team (admin-cadastro/gestor-cadastro → organ cadastro) does not see the health organ's threads either.
    await como(central).get(`/conversas/${body.id}`).expect(404);
  });
});

describe('validation: precise pt-BR 400, nothing written', () => {
  it.each<[string, object, string]>([
    ['an unknown field', { orgao: 'saude', assunto: 'Assunto', texto: 'Texto', conta: 'x' }, 'Campo não permitido: conta'],
    ['no organ', { assunto: 'Assunto', texto: 'Texto' }, 'orgao é obrigatório'],
    ['an unknown organ', { orgao: 'policia', assunto: 'Assunto', texto: 'Texto' }, 'orgao deve ser um de: cadastro, saude, fazenda, educacao, smads'],
    ['a short subject', { orgao: 'saude', assunto: ' a ', texto: 'Texto' }, 'assunto deve ter de 3 a 120 caracteres'],
    ['a long subject', { orgao: 'saude', assunto: 'x'.repeat(121), texto: 'Texto' }, 'assunto deve ter de 3 a 120 caracteres'],
    ['a subject with a bidi override', { orgao: 'saude', assunto: 'Assunto \u202Eoculto', texto: 'Texto' }, 'assunto contém caracteres de controle ou invisíveis (ex.: marcas de direção, espaço de largura zero)'],
    ['an empty text', { orgao: 'saude', assunto: 'Assunto', texto: ' \n ' }, 'texto deve ter de 1 a 4000 caracteres'],
    ['a text over 4000 characters', { orgao: 'saude', assunto: 'Assunto', texto: 'x'.repeat(4001) }, 'texto deve ter de 1 a 4000 caracteres'],
    ['a text with a zero-width space', { orgao: 'saude', assunto: 'Assunto', texto: 'Oi\u200B' }, 'texto contém caracteres de controle ou invisíveis (ex.: marcas de direção, espaço de largura zero)'],
    ['a text that is not text', { orgao: 'saude', assunto: 'Assunto', texto: 42 }, 'texto deve ser texto'],
  ])('POST /me/conversas with %s', async (_caso, corpo, mensagem) => {
    const a = await cidadao();
    const antes = await contagem();
    const r = await como(a.token).post('/me/conversas', corpo).expect(400);
    expect(r.body.details.map((d: { message: string }) => d.message)).toContain(mensagem);
    expect(await contagem()).toEqual(antes);
  });

  it('a reply: unknown field, bad id, bad query', async () => {
    const a = await cidadao();
    const { body } = await como(a.token).post('/me/conversas', { orgao: 'educacao', assunto: 'Matrícula', texto: 'Vaga na EMEI?' }).expect(201);
    expect((await como(a.token).post(`/me/conversas/${body.id}/mensagens`, { texto: 'ok', de: 'orgao' }).expect(400)).body.message).toBe('Campo não permitido: de');
    expect((await como(a.token).post('/me/conversas/123/mensagens', { texto: 'ok' }).expect(400)).body.message).toBe('id deve ser um UUID');
    expect((await como(saude).get('/conversas?situacao=abertas').expect(400)).body.message).toBe('situacao deve ser nao-lidas ou todas');
    expect((await como(saude).post(`/conversas/${body.id}/mensagens`, []).expect(400)).body.message).toContain('objeto JSON');
  });
});

describe('the e-mail notice choice', () => {
  it('a steward\'s decision on the citizen\'s own change request queues the `pedido` notice for the tied account', async () => {
    const a = await cidadao();
    await como(a.token).put('/me/aviso-email', { ativo: true }).expect(200);
    await request(t.app).patch('/me/pessoa').set('authorization', `Bearer ${a.token}`).send({ nome: 'Rita Moura Lima' }).expect(200);
    const [{ id }] = await t.db.dataSource.query<{ id: string }[]>(`SELECT id FROM revisao WHERE chave = $1 AND campo = 'nome'`, [a.cpf]);
    await request(t.app).post(`/revisoes/${id}/assumir`).set('authorization', `Bearer ${central}`).expect(200);
    await request(t.app).post(`/revisoes/${id}/resolver`).set('authorization', `Bearer ${central}`).send({ resolucao: 'manter-vigente', justificativa: 'Certidão não confere' }).expect(200);
    expect(avisados.filter((x) => x.contaId === a.sub)).toEqual([{ contaId: a.sub, motivo: 'pedido', ref: `revisao-${id}` }]);
  });

  it('off by default, turned on and off by the citizen, audited; a non-boolean is a 400', async () => {
    const a = await cidadao();
    expect((await como(a.token).get('/me/aviso-email').expect(200)).body).toEqual({ ativo: false });
    expect((await como(a.token).put('/me/aviso-email', { ativo: true }).expect(200)).body).toEqual({ ativo: true });
    expect((await como(a.token).get('/me/aviso-email').expect(200)).body).toEqual({ ativo: true });
    expect((await como(a.token).put('/me/aviso-email', { ativo: 'sim' }).expect(400)).body.message).toBe('ativo deve ser true ou false');
    await como(a.token).put('/me/aviso-email', { ativo: false }).expect(200);
    const linhas = await t.db.dataSource.query<{ antes: boolean; depois: boolean }[]>(
      `SELECT (detalhe->>'antes')::boolean AS antes, (detalhe->>'depois')::boolean AS depois FROM auditoria WHERE acao = 'aviso-email.alterado' AND pessoa_cpf = $1 ORDER BY id`, [a.cpf]);
    expect(linhas).toEqual([{ antes: false, depois: true }, { antes: true, depois: false }]);
  });
});
