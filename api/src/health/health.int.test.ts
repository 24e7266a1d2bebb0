import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import request from 'supertest';
import { createApp } from '../app.js';
import { verificacaoKeycloak, verificacaoPostgres, verificacaoRedis } from './verificacoes.js';
import { configDeTeste, criarAppDeTeste, type AppDeTeste } from '../../test/helpers/app.js';

/** A port nobody listens on. */
async function portaFechada(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function ouvir(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

let t: AppDeTeste;
const servidores: Server[] = [];
const caminhosPedidos: string[] = [];

beforeAll(async () => {
  t = await criarAppDeTeste('health', { env: { KEYCLOAK_URL: `http://127.0.0.1:${await portaFechada()}` } });
});

afterAll(async () => {
  for (const s of servidores) {
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
  await t?.fechar();
});

describe('health', () => {
  it('/health/live answers 200 without a token', async () => {
    await request(t.app).get('/health/live').expect(200, { status: 'UP' });
  });

  it('/health/ready → 503 naming keycloak when KEYCLOAK_URL points to a closed port', async () => {
    const res = await request(t.app).get('/health/ready').expect(503);
    expect(res.body).toMatchObject({
      status: 'DOWN',
      falhas: ['keycloak'],
      checks: { postgres: { status: 'UP' }, redis: { status: 'UP' }, keycloak: { status: 'DOWN', erro: 'ECONNREFUSED' } },
    });
  });

  it('/health/ready → 200 when the realm discovery document answers', async () => {
    const kc = await ouvir((req, res) => {
      caminhosPedidos.push(req.url ?? '');
      res.setHeader('content-type', 'application/json');
      res.end('{"issuer":"x"}');
    });
    servidores.push(kc.server);
    const config = configDeTeste({ KEYCLOAK_URL: kc.url });
    const app = createApp({
      config,
      dataSource: t.db.dataSource,
      sync: t.sync,
      verificarToken: t.tokens.verificador,
      logger: pino({ level: 'silent' }),
    });
    const res = await request(app).get('/health/ready').expect(200);
    expect(res.body).toMatchObject({ status: 'UP', falhas: [], checks: { postgres: { status: 'UP' }, redis: { status: 'UP' }, keycloak: { status: 'UP' } } });
    expect(caminhosPedidos).toContain('/realms/prefeitura-sp/.well-known/openid-configuration');
  });

  it('a check that hangs is cut by the timeout; Redis down is named', async () => {
    const mudo = await ouvir(() => undefined); // never answers
    servidores.push(mudo.server);
    const redisMorto = new Redis({ host: '127.0.0.1', port: await portaFechada(), enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    redisMorto.on('error', () => undefined);
    const redisEncerrado = new Promise((r) => redisMorto.once('end', r));
    try {
      const app = createApp({
        config: t.config,
        dataSource: t.db.dataSource,
        sync: t.sync,
        verificarToken: t.tokens.verificador,
        logger: pino({ level: 'silent' }),
        verificacoesProntidao: [verificacaoPostgres(t.db.dataSource), verificacaoRedis(redisMorto), verificacaoKeycloak({ keycloakUrl: mudo.url, keycloakRealm: 'prefeitura-sp' })],
        timeoutProntidaoMs: 300,
      });
      const inicio = Date.now();
      const res = await request(app).get('/health/ready').expect(503);
      expect(Date.now() - inicio).toBeLessThan(2000);
      expect(res.body.falhas).toEqual(['redis', 'keycloak']);
      expect(res.body.checks.keycloak.erro).toBe('tempo esgotado');
    } finally {
      // retryStrategy null: the refused connection ends by itself; disconnect() on it would arm a 2 s timer.
      if (redisMorto.status !== 'end') redisMorto.disconnect();
      await redisEncerrado;
    }
  });

  it('steward routes still need a token', async () => {
    await request(t.app).get('/pessoas/52998224725').expect(401);
    await request(t.app).get('/qualquer-coisa').expect(401);
  });
});
