import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Job, Worker } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import request from 'supertest';
import { criarAppDeTeste, type AppDeTeste } from '../../test/helpers/app.js';
import { cpfAleatorio } from '../../test/helpers/cpfs.js';
import { cabecalhosAssinados, eventoRegister } from '../../test/helpers/eventos.js';
import { Conta } from '../contas/conta.entity.js';
import { jobIdSyncNivel } from './constantes.js';
import type { KeycloakUsersPort, UserRepresentation } from './keycloak-users.port.js';
import { nivelContaTypeorm } from './sincronizar-nivel.js';
import { criarWorkerSync } from './sync-worker.js';

/** In-memory Keycloak users; `falhasTransitorias` makes the next N PUTs throw a retryable error. */
class KeycloakEmMemoria implements KeycloakUsersPort {
  usuarios = new Map<string, UserRepresentation>();
  puts: Array<{ id: string; rep: UserRepresentation }> = [];
  falhasTransitorias = 0;
  async buscarUsuario(id: string) {
    const u = this.usuarios.get(id);
    return u && structuredClone(u);
  }
  async atualizarUsuario(id: string, rep: UserRepresentation) {
    if (this.falhasTransitorias > 0) {
      this.falhasTransitorias--;
      throw new Error('Keycloak 503');
    }
    this.puts.push({ id, rep: structuredClone(rep) });
    this.usuarios.set(id, { ...this.usuarios.get(id), ...structuredClone(rep), id });
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
  worker = criarWorkerSync(t.config, { contas: nivelContaTypeorm(t.db.dataSource), keycloak, logger: pino({ level: 'silent' }) }, { nome: t.nomeFila });
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
  it('registration → level 1 pushed; steward link → level 3 pushed, merged into the other attributes', async () => {
    const cpf = cpfAleatorio();
    const contaId = await registrar(cpf);
    expect((await esperarFim(jobIdSyncNivel(contaId, 0))).returnvalue).toEqual({ resultado: 'sincronizado', nivel: 1, versao: 0 });
    expect(keycloak.usuarios.get(contaId)?.attributes).toEqual({ cpf: [cpf], preferencia_contato: ['email'], nivel_confianca: ['1'] });

    const gestor = await t.tokens.gestor();
    await request(t.app).post('/pessoas').set('Authorization', `Bearer ${gestor}`).send({ cpf, nome: 'Ana Souza', dataNascimento: '1980-01-01' }).expect(201);
    await request(t.app).post(`/contas/${contaId}/vinculo`).set('Authorization', `Bearer ${gestor}`).send({ cpf, documento: { tipo: 'CNH', numero: '01234567890' } }).expect(200);

    const job = await esperarFim(jobIdSyncNivel(contaId, 1));
    expect(job.returnvalue).toEqual({ resultado: 'sincronizado', nivel: 3, versao: 1 });
    const ultimoPut = keycloak.puts.filter((p) => p.id === contaId).at(-1)!;
    // with the level, the evidence summary read by the verified_claims mapper (docs/conhecimento.md)
    const [{ em }] = await t.db.dataSource.query(`SELECT registrado_em AS em FROM evidencia WHERE conta_id = $1`, [contaId]);
    const lastro = `{"v":1,"cpf":"${cpf}","nome":"Ana Souza","evidencias":[{"tipo":"vinculo-confirmado-gestor","verificadoEm":"${(em as Date).toISOString()}","detalhe":"CNH"}]}`;
    expect(ultimoPut.rep).toEqual({
      username: cpf,
      email: `${cpf}@exemplo.test`,
      firstName: 'Ana',
      lastName: 'Souza',
      enabled: true,
      emailVerified: false,
      attributes: { cpf: [cpf], preferencia_contato: ['email'], nivel_confianca: ['3'], lastro: [lastro] },
    });
    expect(await t.db.dataSource.manager.findOneByOrFail(Conta, { keycloakUserId: contaId })).toMatchObject({ nivelVersao: 1, nivelSincronizadoVersao: 1 });
    const auditoria = await t.db.dataSource.query(`SELECT ator, pessoa_cpf FROM auditoria WHERE acao = 'keycloak.nivel-sincronizado' AND detalhe->>'contaId' = $1 ORDER BY id`, [contaId]);
    expect(auditoria).toEqual([
      { ator: 'lum-api-worker', pessoa_cpf: null },
      { ator: 'lum-api-worker', pessoa_cpf: cpf },
    ]);
  });

  it('retries transient Keycloak failures with backoff', async () => {
    keycloak.falhasTransitorias = 2;
    const contaId = await registrar(cpfAleatorio());
    const job = await esperarFim(jobIdSyncNivel(contaId, 0));
    expect(await job.getState()).toBe('completed');
    expect(job.attemptsMade).toBe(3);
  });

  it('a user missing in Keycloak fails at once (UnrecoverableError, no retries)', async () => {
    const contaId = await registrar(cpfAleatorio(), false);
    const job = await esperarFim(jobIdSyncNivel(contaId, 0));
    expect(await job.getState()).toBe('failed');
    expect(job.attemptsStarted).toBe(1);
    expect(job.failedReason).toContain('não existe no Keycloak');
  });

  it('the same (account, version) is enqueued once', async () => {
    const contaId = randomUUID();
    await t.sync.fila.add('sincronizar-nivel', { contaId, versao: 7 }, { jobId: jobIdSyncNivel(contaId, 7), delay: 60_000 });
    await t.sync.fila.add('sincronizar-nivel', { contaId, versao: 7 }, { jobId: jobIdSyncNivel(contaId, 7), delay: 60_000 });
    expect(await t.sync.fila.getDelayedCount()).toBe(1);
  });
});
