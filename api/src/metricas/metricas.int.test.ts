import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db.js';
import { criarMetricas, servirMetricas } from './metricas.js';

let db: TestDatabase;
let servidor: { porta: number; fechar(): Promise<void> };
const TOKEN = 'token-de-metricas-do-teste';

beforeAll(async () => {
  db = await createTestDatabase();
  const contas = [randomUUID(), randomUUID()];
  await db.dataSource.query(`INSERT INTO conta (keycloak_user_id) SELECT unnest($1::uuid[])`, [contas]);
  // two pending changes, the older one 90 s old; one delivered; one dead letter not replayed
  await db.dataSource.query(
    `INSERT INTO sincronizacao_saida (conta_id, versao, motivo, situacao, criado_em) VALUES
       ($1, 1, 'nivel', 'pendente', clock_timestamp() - interval '90 seconds'), ($2, 1, 'nivel', 'pendente', clock_timestamp()),
       ($1, 0, 'conta-registrada', 'concluida', clock_timestamp()), ($2, 0, 'conta-registrada', 'falhou', clock_timestamp())`,
    contas,
  );
  await db.dataSource.query(`INSERT INTO sincronizacao_falha (saida_id, conta_id, erro, tentativas) SELECT id, conta_id, 'x', 12 FROM sincronizacao_saida WHERE situacao = 'falhou'`);
  const metricas = criarMetricas({ dataSource: db.dataSource });
  metricas.entregas.inc({ resultado: 'sincronizado' }, 3);
  metricas.reparos.inc({ tipo: 'atributos' });
  servidor = await servirMetricas(metricas, { porta: 0, token: TOKEN });
});

afterAll(async () => {
  await servidor?.fechar();
  await db?.drop();
});

const url = (caminho = '/metrics') => `http://127.0.0.1:${servidor.porta}${caminho}`;

describe('/metrics of the worker', () => {
  it('answers 401 without the scrape token or with another, 404 elsewhere', async () => {
    const tentativas: Array<Record<string, string>> = [{}, { authorization: 'Bearer outro-token-qualquer' }, { authorization: TOKEN }];
    for (const headers of tentativas) {
      const r = await fetch(url(), { headers });
      expect({ status: r.status, corpo: await r.json() }).toEqual({ status: 401, corpo: { error: 'Unauthorized', message: 'Token de métricas ausente ou inválido' } });
    }
    expect((await fetch(url('/'), { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
  });

  it('reports queue depth, the oldest pending change, dead letters, deliveries and repairs in Prometheus format', async () => {
    const r = await fetch(url(), { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/plain');
    const texto = await r.text();
    expect(texto).toContain('\nlum_sync_saida_pendentes 2\n');
    expect(texto).toContain('\nlum_sync_falhas_nao_reenviadas 1\n');
    expect(texto).toContain('\nlum_sync_entregas_total{resultado="sincronizado"} 3\n');
    expect(texto).toContain('\nlum_sync_reparos_total{tipo="atributos"} 1\n');
    const idade = Number(/\nlum_sync_saida_pendente_mais_antiga_segundos (\S+)\n/.exec(texto)?.[1]);
    expect(idade).toBeGreaterThanOrEqual(90);
    expect(idade).toBeLessThan(600);
  });
});
