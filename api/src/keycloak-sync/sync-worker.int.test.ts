import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Job, Worker } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import request from 'supertest';
import { criarAppDeTeste, type AppDeTeste } from '../../test/helpers/app.js';
import { cpfAleatorio } from '../../test/helpers/cpfs.js';
import { cabecalhosAssinados, eventoRegister } from '../../test/helpers/eventos.js';
import { Conta } from '../contas/conta.entity.js';
import { jobIdDaSaida } from '../../test/helpers/saida.js';
import { jobIdSaida } from './constantes.js';
import { reenviarFalhas, registrarFalha } from './saida.js';
import type { EstadoAtributos, KeycloakUsersPort, PedidoAtributos, UserRepresentation } from './keycloak-users.port.js';
import { UsuarioKeycloakNaoEncontrado } from './keycloak-users.port.js';
import { nivelContaTypeorm } from './sincronizar-nivel.js';
import { criarWorkerSync } from './sync-worker.js';

/** In-memory Keycloak users; `falhasTransitorias` makes the next N writes throw a retryable error. */
class KeycloakEmMemoria implements KeycloakUsersPort {
  usuarios = new Map<string, UserRepresentation>();
  escritas: Array<{ id: string; pedido: PedidoAtributos }> = [];
  falhasTransitorias = 0;
  async buscarUsuario(id: string) {
    const u = this.usuarios.get(id);
    return u && structuredClone(u);
  }
  async gravarAtributos(id: string, pedido: PedidoAtributos): Promise<EstadoAtributos> {
    if (this.falhasTransitorias > 0) {
      this.falhasTransitorias--;
      throw new Error('Keycloak 503');
    }
    const u = this.usuarios.get(id);
    if (!u) throw new UsuarioKeycloakNaoEncontrado(id);
    this.escritas.push({ id, pedido: structuredClone(pedido) });
    let alterado = false;
    const attrs = { ...(u.attributes ?? {}) } as Record<string, string[]>;
    for (const [k, v] of Object.entries(pedido.atributos)) {
      if (attrs[k]?.[0] !== v) alterado = true;
      if (v === null) delete attrs[k];
      else attrs[k] = [v];
    }
    if (pedido.habilitado !== undefined && pedido.habilitado !== u.enabled) alterado = true;
    this.usuarios.set(id, { ...u, attributes: attrs, enabled: pedido.habilitado ?? u.enabled });
    return { atributos: { nivel_confianca: attrs['nivel_confianca']?.[0] ?? null }, habilitado: pedido.habilitado ?? u.enabled ?? true, alterado };
  }
  logouts: string[] = [];
  async encerrarSessoes(id: string) {
    this.logouts.push(id);
  }
}

let t: AppDeTeste;
let worker: Worker;
const keycloak = new KeycloakEmMemoria();

beforeAll(async () => {
  t = await criarAppDeTeste('sync');
  worker = criarWorkerSync(
    t.config,
    { contas: nivelContaTypeorm(t.db.dataSource), keycloak, logger: pino({ level: 'silent' }), registrarFalha: (id, erro, n) => registrarFalha(t.db.dataSource, id, erro, n) },
    { nome: t.nomeFila },
  );
  await worker.waitUntilReady();
});

afterAll(async () => {
  await worker?.close();
  await t?.fechar();
});

async function esperarFim(jobId: string, ms = 10_000): Promise<Job> {
  const limite = Date.now() + ms;
  for (;;) {
    const job = await t.sync.fila.getJob(jobId);
    const estado = job ? await job.getState() : 'ausente';
    if (job && (estado === 'completed' || estado === 'failed')) return (await t.sync.fila.getJob(jobId))!;
    if (Date.now() > limite) throw new Error(`job ${jobId} não terminou (estado ${estado})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function registrar(cpf: string, noKeycloak = true): Promise<string> {
  const evento = eventoRegister(cpf);
  if (noKeycloak) {
    keycloak.usuarios.set(evento.userId, {
      id: evento.userId,
      username: cpf,
      email: `${cpf}@exemplo.test`,
      firstName: 'Ana',
      lastName: 'Souza',
      enabled: true,
      emailVerified: false,
      attributes: { cpf: [cpf], preferencia_contato: ['email'] },
    });
  }
  const corpo = JSON.stringify(evento);
  await request(t.app).post('/eventos/keycloak').set(cabecalhosAssinados(corpo)).send(corpo).expect(202);
  return evento.userId;
}

describe('keycloak-sync worker (real Redis and PostgreSQL, in-memory Keycloak)', () => {
  it('registration → level 1 written; steward link → level 3 written, only the owned attribute, the outbox rows concluded', async () => {
    const cpf = cpfAleatorio();
    const contaId = await registrar(cpf);
    expect((await esperarFim(await jobIdDaSaida(t.db.dataSource, contaId, 0))).returnvalue).toEqual({ resultado: 'sincronizado', nivel: 1, versao: 0 });
    expect(keycloak.usuarios.get(contaId)?.attributes).toEqual({ cpf: [cpf], preferencia_contato: ['email'], nivel_confianca: ['1'] });

    const gestor = await t.tokens.gestor();
    await request(t.app).post('/pessoas').set('Authorization', `Bearer ${gestor}`).send({ cpf, nome: 'Ana Souza', dataNascimento: '1980-01-01' }).expect(201);
    await request(t.app).post(`/contas/${contaId}/vinculo`).set('Authorization', `Bearer ${gestor}`).send({ cpf, documento: { tipo: 'CNH', numero: '01234567890' } }).expect(200);

    const job = await esperarFim(await jobIdDaSaida(t.db.dataSource, contaId, 1));
    expect(job.returnvalue).toEqual({ resultado: 'sincronizado', nivel: 3, versao: 1 });
    // with the level, the evidence summary read by the verified_claims mapper (docs/conhecimento.md); null = none yet
    const [{ em }] = await t.db.dataSource.query(`SELECT registrado_em AS em FROM evidencia WHERE conta_id = $1`, [contaId]);
    const lastro = `{"v":1,"cpf":"${cpf}","nome":"Ana Souza","evidencias":[{"tipo":"vinculo-confirmado-gestor","verificadoEm":"${(em as Date).toISOString()}","detalhe":"CNH"}]}`;
    expect(keycloak.escritas.filter((e) => e.id === contaId).map((e) => e.pedido)).toEqual([
      { atributos: { nivel_confianca: '1', lastro: null } },
      // tied to the record now: its name is the account's in Keycloak (issue 14, item 2); the record has no e-mail
      { atributos: { nivel_confianca: '3', lastro }, perfil: { firstName: 'Ana', lastName: 'Souza' } },
    ]);
    expect(keycloak.usuarios.get(contaId)?.attributes).toEqual({ cpf: [cpf], preferencia_contato: ['email'], nivel_confianca: ['3'], lastro: [lastro] });
    expect(await t.db.dataSource.query(`SELECT versao, motivo, situacao FROM sincronizacao_saida WHERE conta_id = $1 ORDER BY id`, [contaId])).toEqual([
      { versao: 0, motivo: 'conta-registrada', situacao: 'concluida' },
      { versao: 1, motivo: 'nivel', situacao: 'concluida' },
    ]);
    expect(await t.db.dataSource.manager.findOneByOrFail(Conta, { keycloakUserId: contaId })).toMatchObject({ nivelVersao: 1, nivelSincronizadoVersao: 1 });
    const auditoria = await t.db.dataSource.query(`SELECT ator, pessoa_cpf FROM auditoria WHERE acao = 'keycloak.nivel-sincronizado' AND detalhe->>'contaId' = $1 ORDER BY id`, [contaId]);
    expect(auditoria).toEqual([
      { ator: 'lum-api-worker', pessoa_cpf: null },
      { ator: 'lum-api-worker', pessoa_cpf: cpf },
    ]);
  });

  it('new evidence at the same level (a second in-person check) → an outbox row `lastro` and the summary rewritten, the level unchanged', async () => {
    const cpf = cpfAleatorio();
    const contaId = await registrar(cpf);
    await esperarFim(await jobIdDaSaida(t.db.dataSource, contaId, 0));
    const gestor = await t.tokens.gestor();
    await request(t.app).post('/pessoas').set('Authorization', `Bearer ${gestor}`).send({ cpf, nome: 'Bia Souza', dataNascimento: '1981-02-03' }).expect(201);
    await request(t.app).post(`/contas/${contaId}/vinculo`).set('Authorization', `Bearer ${gestor}`).send({ cpf, documento: { tipo: 'CNH', numero: '01234567890' } }).expect(200);
    await esperarFim(await jobIdDaSaida(t.db.dataSource, contaId, 1));
    await request(t.app).post(`/contas/${contaId}/vinculo`).set('Authorization', `Bearer ${gestor}`).send({ cpf, documento: { tipo: 'RG', numero: '123456789' } }).expect(200);

    const job = await esperarFim(await jobIdDaSaida(t.db.dataSource, contaId, 1));
    expect(job.returnvalue).toEqual({ resultado: 'sincronizado', nivel: 3, versao: 1 });
    const [cnh, rg] = (await t.db.dataSource.query<Array<{ em: Date }>>(`SELECT registrado_em AS em FROM evidencia WHERE conta_id = $1 ORDER BY registrado_em`, [contaId])).map((l) => l.em.toISOString());
    const lastro = `{"v":1,"cpf":"${cpf}","nome":"Bia Souza","evidencias":[{"tipo":"vinculo-confirmado-gestor","verificadoEm":"${cnh}","detalhe":"CNH"},{"tipo":"vinculo-confirmado-gestor","verificadoEm":"${rg}","detalhe":"RG"}]}`;
    expect(keycloak.usuarios.get(contaId)?.attributes).toEqual({ cpf: [cpf], preferencia_contato: ['email'], nivel_confianca: ['3'], lastro: [lastro] });
    expect(await t.db.dataSource.query(`SELECT versao, motivo, situacao FROM sincronizacao_saida WHERE conta_id = $1 ORDER BY id`, [contaId])).toEqual([
      { versao: 0, motivo: 'conta-registrada', situacao: 'concluida' },
      { versao: 1, motivo: 'nivel', situacao: 'concluida' },
      { versao: 1, motivo: 'lastro', situacao: 'concluida' },
    ]);
  });

  it('retries transient Keycloak failures with backoff', async () => {
    keycloak.falhasTransitorias = 2;
    const contaId = await registrar(cpfAleatorio());
    const job = await esperarFim(await jobIdDaSaida(t.db.dataSource, contaId, 0));
    expect(await job.getState()).toBe('completed');
    expect(job.attemptsMade).toBe(3);
  });

  it('a user missing in Keycloak (account still active) fails after TENTATIVAS_USUARIO_AUSENTE attempts into the dead-letter table; the replay delivers it once the user exists', async () => {
    const cpf = cpfAleatorio();
    const contaId = await registrar(cpf, false);
    const jobId = await jobIdDaSaida(t.db.dataSource, contaId, 0);
    const job = await esperarFim(jobId);
    expect(await job.getState()).toBe('failed');
    expect(job.attemptsStarted).toBe(6);
    expect(job.failedReason).toBe(`usuário ${contaId} não encontrado no Keycloak`);
    const saidaId = jobId.replace('saida-', '');
    expect(await t.db.dataSource.query(`SELECT situacao FROM sincronizacao_saida WHERE id = $1`, [saidaId])).toEqual([{ situacao: 'falhou' }]);
    const [falha] = await t.db.dataSource.query<Array<{ id: string; erro: string; tentativas: number }>>(`SELECT id::text AS id, erro, tentativas FROM sincronizacao_falha WHERE saida_id = $1`, [saidaId]);
    expect(falha).toEqual({ id: expect.any(String), erro: `usuário ${contaId} não encontrado no Keycloak`, tentativas: 6 });

    keycloak.usuarios.set(contaId, { id: contaId, username: cpf, enabled: true, attributes: { cpf: [cpf] } });
    const r = await reenviarFalhas(t.db.dataSource, { ids: [falha.id], ator: 'teste' });
    expect(r.reenviadas).toEqual([{ falhaId: falha.id, saidaId, novaSaidaId: expect.any(String), contaId }]);
    await t.sync.fila.add('sincronizar-nivel', { saidaId: r.reenviadas[0].novaSaidaId, contaId, versao: 0 }, { jobId: jobIdSaida(r.reenviadas[0].novaSaidaId) });
    expect((await esperarFim(jobIdSaida(r.reenviadas[0].novaSaidaId))).returnvalue).toEqual({ resultado: 'sincronizado', nivel: 1, versao: 0 });
    expect(keycloak.usuarios.get(contaId)?.attributes).toEqual({ cpf: [cpf], nivel_confianca: ['1'] });
    // replayed once: a second replay finds nothing
    expect((await reenviarFalhas(t.db.dataSource, { ator: 'teste' })).reenviadas.filter((x) => x.contaId === contaId)).toEqual([]);
  });

  it('the same outbox row is enqueued once', async () => {
    const contaId = randomUUID();
    await t.sync.fila.add('sincronizar-nivel', { saidaId: '999999', contaId, versao: 7 }, { jobId: jobIdSaida('999999'), delay: 60_000 });
    await t.sync.fila.add('sincronizar-nivel', { saidaId: '999999', contaId, versao: 7 }, { jobId: jobIdSaida('999999'), delay: 60_000 });
    expect(await t.sync.fila.getDelayedCount()).toBe(1);
  });
});
