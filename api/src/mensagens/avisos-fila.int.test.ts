/**
 * The e-mail notice's queue (real Redis and PostgreSQL; Keycloak replaced by a recording sender or a local HTTP stand-in
 * of `lum-avisos`): the choice read when sending, a failed send retried with backoff until it goes, a permanent refusal
 * not retried, the producer never throwing when Redis is away, and the HTTP sender's mapping of the resource's answers.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { UnrecoverableError, type Job } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db.js';
import { configDeTeste } from '../../test/helpers/app.js';
import { criarFilaAvisos, criarWorkerAvisos, enviadorKeycloak, type EnviadorAviso, type ResultadoAviso } from './avisos-fila.js';

let db: TestDatabase;
const config = configDeTeste();

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

async function conta(ativo: boolean | null): Promise<string> {
  const id = randomUUID();
  await db.dataSource.query(`INSERT INTO conta (keycloak_user_id, username, nivel_confianca) VALUES ($1, $2, 1)`, [id, `u-${id}`]);
  if (ativo !== null) await db.dataSource.query(`INSERT INTO aviso_email (conta_id, ativo, alterado_em) VALUES ($1, $2, now())`, [id, ativo]);
  return id;
}

/** A queue and its worker with `enviador`; resolves each job's end (completed or failed for good). */
function filaDeTeste(enviador: EnviadorAviso) {
  const nome = `teste-avisos-fila-${randomUUID().slice(0, 8)}`;
  const fila = criarFilaAvisos(config, { nome });
  const worker = criarWorkerAvisos(config, { dataSource: db.dataSource, enviador, logger: pino({ level: 'silent' }) }, { nome });
  const fins = new Map<string, { estado: 'concluido' | 'falhou'; resultado?: ResultadoAviso; tentativas: number }>();
  worker.on('completed', (job: Job, r: ResultadoAviso) => fins.set(job.id!, { estado: 'concluido', resultado: r, tentativas: job.attemptsMade }));
  worker.on('failed', (job) => {
    if (job && (job.attemptsMade >= (job.opts.attempts ?? 1) || job.failedReason?.includes('recusou'))) fins.set(job.id!, { estado: 'falhou', tentativas: job.attemptsMade });
  });
  const fim = async (jobId: string) => {
    const limite = Date.now() + 20_000;
    while (!fins.has(jobId)) {
      if (Date.now() > limite) throw new Error(`job ${jobId} did not end`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return fins.get(jobId)!;
  };
  const fechar = async () => {
    await worker.close();
    await fila.fila.obliterate({ force: true });
    await fila.fechar();
  };
  return { fila, fim, fechar };
}

describe('the queue', () => {
  it('reads the choice when sending: on → sent; off or never chosen → nothing sent', async () => {
    const chamadas: string[] = [];
    const q = filaDeTeste({ enviar: (id) => { chamadas.push(id); return Promise.resolve('enviado'); } });
    try {
      const [sim, nao, nunca] = [await conta(true), await conta(false), await conta(null)];
      for (const c of [sim, nao, nunca]) await q.fila.avisos.avisar(c, 'mensagem', 'c1-2', pino({ level: 'silent' }));
      expect(await q.fim(`aviso-mensagem-${sim}-c1-2`)).toMatchObject({ estado: 'concluido', resultado: 'enviado' });
      expect(await q.fim(`aviso-mensagem-${nao}-c1-2`)).toMatchObject({ estado: 'concluido', resultado: 'desligado' });
      expect(await q.fim(`aviso-mensagem-${nunca}-c1-2`)).toMatchObject({ estado: 'concluido', resultado: 'desligado' });
      expect(chamadas).toEqual([sim]);
      // The same message again: the same job id, no second notice.
      await q.fila.avisos.avisar(sim, 'mensagem', 'c1-2', pino({ level: 'silent' }));
      await new Promise((r) => setTimeout(r, 500));
      expect(chamadas).toEqual([sim]);
    } finally {
      await q.fechar();
    }
  });

  it('a failed send (Keycloak or SMTP away) is retried with backoff until it goes; a permanent refusal is not retried', async () => {
    let vezes = 0;
    const recusadas = new Set<string>();
    const q = filaDeTeste({
      enviar: (id) => {
        if (recusadas.has(id)) return Promise.reject(new UnrecoverableError('lum-avisos recusou o aviso: HTTP 404'));
        vezes++;
        return vezes < 3 ? Promise.reject(new Error('HTTP 502')) : Promise.resolve('enviado');
      },
    });
    try {
      const c = await conta(true);
      await q.fila.avisos.avisar(c, 'pedido', 'revisao-1', pino({ level: 'silent' }));
      expect(await q.fim(`aviso-pedido-${c}-revisao-1`)).toEqual({ estado: 'concluido', resultado: 'enviado', tentativas: 3 });
      const recusada = await conta(true);
      recusadas.add(recusada);
      await q.fila.avisos.avisar(recusada, 'pedido', 'revisao-2', pino({ level: 'silent' }));
      expect(await q.fim(`aviso-pedido-${recusada}-revisao-2`)).toEqual({ estado: 'falhou', tentativas: 1 });
    } finally {
      await q.fechar();
    }
  });

  it('the producer never throws: with Redis away it logs and returns within its limit', async () => {
    const fora = criarFilaAvisos({ ...config, redisUrl: 'redis://127.0.0.1:1' }, { nome: 'teste-avisos-sem-redis', timeoutMs: 300 });
    const avisos: unknown[] = [];
    const logger = { warn: (o: unknown) => avisos.push(o), error: (o: unknown) => avisos.push(o) };
    try {
      const t0 = Date.now();
      await expect(fora.avisos.avisar(randomUUID(), 'mensagem', 'x-1', logger)).resolves.toBeUndefined();
      expect(Date.now() - t0).toBeLessThan(5_000);
      expect(avisos).toHaveLength(1);
    } finally {
      await fora.fechar().catch(() => undefined);
    }
  });
});

describe('the HTTP sender (a stand-in of lum-avisos)', () => {
  let servidor: Server;
  let url: string;
  const respostas = new Map<string, number>();
  const pedidos: { caminho: string; corpo: string; auth: string | undefined }[] = [];
  let tokens = 0;

  beforeAll(async () => {
    servidor = createServer((req, res) => {
      let corpo = '';
      req.on('data', (c: Buffer) => (corpo += c.toString()));
      req.on('end', () => {
        if (req.url?.endsWith('/protocol/openid-connect/token')) {
          tokens++;
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: `tk${tokens}`, expires_in: 300 }));
          return;
        }
        pedidos.push({ caminho: req.url ?? '', corpo, auth: req.headers.authorization });
        const id = (req.url ?? '').split('/')[5] ?? '';
        res.writeHead(respostas.get(id) ?? 500, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((r) => servidor.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(servidor.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => servidor.close(() => r()));
  });

  it('200 → enviado, 422 → sem-email-verificado, 502 → retryable error, 404 → UnrecoverableError; one token for all', async () => {
    const e = enviadorKeycloak({ baseUrl: url, realm: 'prefeitura-sp', clientId: 'lum-api', clientSecret: 's' });
    for (const [id, status] of [['u200', 200], ['u422', 422], ['u502', 502], ['u404', 404]] as const) respostas.set(id, status);
    await expect(e.enviar('u200', 'mensagem')).resolves.toBe('enviado');
    await expect(e.enviar('u422', 'pedido')).resolves.toBe('sem-email-verificado');
    const erro502 = await e.enviar('u502', 'mensagem').catch((err: unknown) => err);
    expect(erro502).toBeInstanceOf(Error);
    expect(erro502).not.toBeInstanceOf(UnrecoverableError);
    await expect(e.enviar('u404', 'mensagem')).rejects.toBeInstanceOf(UnrecoverableError);
    expect(tokens).toBe(1);
    expect(pedidos[0]).toEqual({ caminho: '/realms/prefeitura-sp/lum-avisos/usuarios/u200/aviso', corpo: '{"motivo":"mensagem"}', auth: 'Bearer tk1' });
  });
});
