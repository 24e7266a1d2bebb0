import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { criarAppDeTeste, contagens, type AppDeTeste } from '../../test/helpers/app.js';
import { cpfAleatorio } from '../../test/helpers/cpfs.js';
import { cabecalhosAssinados, eventoRegister, type EventoTeste } from '../../test/helpers/eventos.js';
import { Conta } from '../contas/conta.entity.js';
import { jobIdDaSaida } from '../../test/helpers/saida.js';
import { EventoKeycloak } from './evento-keycloak.entity.js';

let t: AppDeTeste;

beforeAll(async () => {
  t = await criarAppDeTeste('eventos');
});

afterAll(async () => {
  await t?.fechar();
});

function enviar(evento: EventoTeste | string, opcoes: Parameters<typeof cabecalhosAssinados>[1] = {}) {
  const corpo = typeof evento === 'string' ? evento : JSON.stringify(evento);
  return request(t.app).post('/eventos/keycloak').set(cabecalhosAssinados(corpo, opcoes)).send(corpo);
}

describe('POST /eventos/keycloak', () => {
  it('REGISTER with a valid signature → 202, an account at level 1 and a sync job', async () => {
    const cpf = cpfAleatorio();
    const evento = eventoRegister(cpf);
    const res = await enviar(evento, { eventId: evento.id }).expect(202);

    expect(res.body).toEqual({ id: evento.id, tipo: 'REGISTER', resultado: 'processado', sincronizacao: { jobId: (await jobIdDaSaida(t.db.dataSource, evento.userId, 0)) } });
    const conta = await t.db.dataSource.manager.findOneByOrFail(Conta, { keycloakUserId: evento.userId });
    expect(conta).toMatchObject({ username: cpf, cpfDeclarado: cpf, pessoaCpf: null, nivelConfianca: 1, nivelVersao: 0, situacao: 'ativa' });

    const job = await t.sync.fila.getJob((await jobIdDaSaida(t.db.dataSource, evento.userId, 0)));
    expect(job?.name).toBe('sincronizar-nivel');
    expect(job?.data).toEqual({ saidaId: expect.any(String), contaId: evento.userId, versao: 0 });
    expect(job?.opts.attempts).toBe(t.config.syncAttempts);

    const auditoria = await t.db.dataSource.query(`SELECT ator, acao, cliente, campos FROM auditoria WHERE detalhe->>'eventoId' = $1`, [evento.id]);
    expect(auditoria).toEqual([{ ator: 'keycloak', acao: 'conta.registrada', cliente: 'portal-cidadao', campos: ['username', 'cpf_declarado'] }]);
  });

  it('takes the declared CPF from the username when the attribute is missing, and none when neither is a CPF', async () => {
    const cpf = cpfAleatorio();
    const semAtributo = eventoRegister(cpf, { user: { username: cpf } });
    await enviar(semAtributo).expect(202);
    expect((await t.db.dataSource.manager.findOneByOrFail(Conta, { keycloakUserId: semAtributo.userId })).cpfDeclarado).toBe(cpf);

    const semCpf = eventoRegister('x', { user: { username: 'maria.silva', attributes: { cpf: ['11111111111'] } } });
    await enviar(semCpf).expect(202);
    expect((await t.db.dataSource.manager.findOneByOrFail(Conta, { keycloakUserId: semCpf.userId })).cpfDeclarado).toBeNull();
  });

  describe('refused without changing anything', () => {
    it.each<[string, (corpo: string) => Record<string, string>]>([
      ['forged signature', (corpo) => cabecalhosAssinados(corpo, { segredo: 'segredo-errado' })],
      ['missing signature', (corpo) => ({ ...cabecalhosAssinados(corpo), 'x-lum-signature': '' })],
      ['missing timestamp', (corpo) => ({ ...cabecalhosAssinados(corpo), 'x-lum-timestamp': '' })],
      // An hour outside the 300 s window: one second outside raced the server's own clock reading (the timestamp is
      // whole seconds, and a loaded machine answers later), and once took 301 s for 300. The window's edges are
      // assinatura.unit.test.ts's, with an injected clock.
      ['stale timestamp', (corpo) => cabecalhosAssinados(corpo, { timestamp: Math.floor(Date.now() / 1000) - 3600 })],
      ['timestamp from the future', (corpo) => cabecalhosAssinados(corpo, { timestamp: Math.floor(Date.now() / 1000) + 3600 })],
      ['signature of another body', () => cabecalhosAssinados(JSON.stringify(eventoRegister(cpfAleatorio())))],
    ])('%s → 401', async (_caso, cabecalhos) => {
      const antes = await contagens(t.db);
      const evento = eventoRegister(cpfAleatorio());
      const corpo = JSON.stringify(evento);
      const h = cabecalhos(corpo);
      const req = request(t.app).post('/eventos/keycloak');
      for (const [k, v] of Object.entries(h)) if (v !== '') req.set(k, v);
      const res = await req.send(corpo).expect(401);

      expect(res.body.error).toBe('NaoAutenticado');
      expect(await contagens(t.db)).toEqual(antes);
      expect(await t.sync.fila.getJob((await jobIdDaSaida(t.db.dataSource, evento.userId, 0)))).toBeUndefined();
    });

    it('replayed event id → 409, nothing changed', async () => {
      const evento = eventoRegister(cpfAleatorio());
      await enviar(evento).expect(202);
      const antes = await contagens(t.db);
      const contaAntes = await t.db.dataSource.manager.findOneByOrFail(Conta, { keycloakUserId: evento.userId });

      // Same id, freshly signed, even with a different body: still a replay.
      const res = await enviar({ ...evento, type: 'UPDATE_PROFILE', user: { username: evento.user!.username, attributes: { cpf: [cpfAleatorio()] } } }).expect(409);
      expect(res.body.error).toBe('Conflito');
      expect(await contagens(t.db)).toEqual(antes);
      expect(await t.db.dataSource.manager.findOneByOrFail(Conta, { keycloakUserId: evento.userId })).toEqual(contaAntes);
    });

    it('malformed JSON (validly signed) → 400 "JSON malformado"', async () => {
      const antes = await contagens(t.db);
      const res = await enviar('{"id": "abc", "type": ').expect(400);
      expect(res.body).toMatchObject({ error: 'JsonMalformado', message: 'JSON malformado' });
      expect(await contagens(t.db)).toEqual(antes);
    });

    it.each<[string, unknown]>([
      ['a JSON array', []],
      ['no id', { type: 'REGISTER', userId: randomUUID() }],
      ['a userId that is not a UUID', { id: randomUUID(), type: 'REGISTER', userId: 'f:ldap:123' }],
      ['another realm', { ...eventoRegister(cpfAleatorio()), realm: 'master' }],
    ])('%s → 400', async (_caso, corpo) => {
      const antes = await contagens(t.db);
      const res = await enviar(JSON.stringify(corpo)).expect(400);
      expect(res.body.error).toBe('DadosInvalidos');
      expect(await contagens(t.db)).toEqual(antes);
    });

    it('X-LUM-Event-Id different from the body id → 400', async () => {
      await enviar(eventoRegister(cpfAleatorio()), { eventId: randomUUID() }).expect(400);
    });

    it('oversize body → 413', async () => {
      const evento = { ...eventoRegister(cpfAleatorio()), details: { lixo: 'x'.repeat(120 * 1024) } };
      const res = await enviar(evento).expect(413);
      expect(res.body.error).toBe('PayloadGrande');
    });
  });

  it('UPDATE_PROFILE updates the declared CPF and username (never evidence); no level change → no job', async () => {
    const evento = eventoRegister(cpfAleatorio());
    await enviar(evento).expect(202);
    const novoCpf = cpfAleatorio();
    const atualizacao = { ...evento, id: randomUUID(), type: 'UPDATE_PROFILE', user: { username: novoCpf, attributes: { cpf: [novoCpf] } } };
    const res = await enviar(atualizacao).expect(202);

    expect(res.body.sincronizacao).toBeNull();
    const conta = await t.db.dataSource.manager.findOneByOrFail(Conta, { keycloakUserId: evento.userId });
    expect(conta).toMatchObject({ cpfDeclarado: novoCpf, username: novoCpf, pessoaCpf: null, nivelConfianca: 1 });
    expect(await t.db.dataSource.query(`SELECT count(*)::int AS n FROM evidencia WHERE conta_id = $1`, [evento.userId])).toEqual([{ n: 0 }]);
  });

  it('DELETE_ACCOUNT marks the account as excluded (no sync)', async () => {
    const evento = eventoRegister(cpfAleatorio());
    await enviar(evento).expect(202);
    const res = await enviar({ ...evento, id: randomUUID(), type: 'DELETE_ACCOUNT', user: null }).expect(202);
    expect(res.body.sincronizacao).toBeNull();
    expect((await t.db.dataSource.manager.findOneByOrFail(Conta, { keycloakUserId: evento.userId })).situacao).toBe('excluida');
    const [linha] = await t.db.dataSource.query(`SELECT acao FROM auditoria WHERE detalhe->>'contaId' = $1 ORDER BY id DESC LIMIT 1`, [evento.userId]);
    expect(linha).toEqual({ acao: 'conta.excluida' });
  });

  it('other event types are recorded and ignored', async () => {
    const evento = { ...eventoRegister(cpfAleatorio()), type: 'LOGIN' };
    const res = await enviar(evento).expect(202);
    expect(res.body.resultado).toBe('ignorado');
    expect(await t.db.dataSource.manager.findOneBy(EventoKeycloak, { id: evento.id })).not.toBeNull();
    expect(await t.db.dataSource.manager.findOneBy(Conta, { keycloakUserId: evento.userId })).toBeNull();
  });
});
