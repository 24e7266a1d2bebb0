/**
 * Metrics of the Keycloak sync path in Prometheus format (prom-client), served by the worker on
 * `LUM_METRICS_PORT` at `/metrics`, behind `Authorization: Bearer <LUM_METRICS_TOKEN>` (401 without it, compared in
 * constant time). Gauges are read from PostgreSQL and Redis at each scrape, so every worker process reports the same
 * values; counters (`*_total`) count what this process did since it started.
 */
import { timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import type { FilaSyncNivel } from '../keycloak-sync/fila.js';

export interface MetricasSync {
  readonly registro: Registry;
  readonly entregas: Counter<'resultado'>;
  readonly falhas: Counter<'tipo'>;
  readonly reparos: Counter<'tipo'>;
  readonly eventosRecuperados: Counter<'tipo'>;
}

export function criarMetricas(deps: { dataSource: DataSource; fila?: FilaSyncNivel }): MetricasSync {
  const registro = new Registry();
  // prom-client runs the collects of one scrape together: they share one read of the database and Redis
  let leitura: Promise<void> | undefined;
  const ler = (): Promise<void> => (leitura ??= coletar().finally(() => (leitura = undefined)));
  const pendentes: Gauge = new Gauge({ name: 'lum_sync_saida_pendentes', help: 'Mudanças no outbox ainda não confirmadas no Keycloak', registers: [registro], collect: ler });
  const maisAntiga = new Gauge({ name: 'lum_sync_saida_pendente_mais_antiga_segundos', help: 'Idade da mudança pendente mais antiga (0 sem pendências)', registers: [registro], collect: () => ler() });
  const dlq = new Gauge({ name: 'lum_sync_falhas_nao_reenviadas', help: 'Linhas da fila de mensagens mortas ainda não reenviadas', registers: [registro], collect: () => ler() });
  const fila = new Gauge({ name: 'lum_sync_fila_jobs', help: 'Jobs na fila BullMQ keycloak-sync por estado', labelNames: ['estado'], registers: [registro], collect: () => ler() });
  const coletar = async () => {
    const [l] = await deps.dataSource.query<Array<{ n: number; idade: number }>>(
      `SELECT count(*)::int AS n, COALESCE(EXTRACT(EPOCH FROM clock_timestamp() - min(criado_em)), 0)::float8 AS idade FROM sincronizacao_saida WHERE situacao = 'pendente'`,
    );
    const [f] = await deps.dataSource.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM sincronizacao_falha WHERE reenviada_em IS NULL`);
    pendentes.set(l.n);
    maisAntiga.set(l.idade);
    dlq.set(f.n);
    if (deps.fila) {
      const contagens = await deps.fila.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized');
      for (const [estado, n] of Object.entries(contagens)) fila.set({ estado }, n);
    }
  };
  return {
    registro,
    entregas: new Counter({ name: 'lum_sync_entregas_total', help: 'Jobs de sincronização concluídos por este processo, por resultado', labelNames: ['resultado'], registers: [registro] }),
    falhas: new Counter({ name: 'lum_sync_falhas_total', help: 'Tentativas que falharam (tipo=tentativa) e jobs enviados à fila de mensagens mortas (tipo=definitiva)', labelNames: ['tipo'], registers: [registro] }),
    reparos: new Counter({ name: 'lum_sync_reparos_total', help: 'Divergências reparadas pela reconciliação, por tipo', labelNames: ['tipo'], registers: [registro] }),
    eventosRecuperados: new Counter({ name: 'lum_eventos_keycloak_recuperados_total', help: 'Eventos do Keycloak aplicados pela recuperação (não entregues pelo listener)', labelNames: ['tipo'], registers: [registro] }),
  };
}

function tokenConfere(recebido: string | undefined, esperado: string): boolean {
  if (!recebido?.startsWith('Bearer ')) return false;
  const a = Buffer.from(recebido.slice('Bearer '.length));
  const b = Buffer.from(esperado);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The /metrics server (only that path; anything else 404). Resolves with the port it listens on. */
export async function servirMetricas(metricas: MetricasSync, opcoes: { porta: number; token: string; host?: string }): Promise<{ porta: number; fechar(): Promise<void> }> {
  const servidor = http.createServer((req, res) => {
    void (async () => {
      const json = (status: number, corpo: object) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(corpo));
      };
      if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') return json(404, { error: 'Not Found', message: 'Recurso não encontrado' });
      if (!tokenConfere(req.headers.authorization, opcoes.token)) return json(401, { error: 'Unauthorized', message: 'Token de métricas ausente ou inválido' });
      try {
        const corpo = await metricas.registro.metrics();
        res.writeHead(200, { 'content-type': metricas.registro.contentType }).end(corpo);
      } catch {
        json(503, { error: 'Service Unavailable', message: 'Métricas indisponíveis no momento (banco ou Redis)' });
      }
    })();
  });
  await new Promise<void>((resolver) => servidor.listen(opcoes.porta, opcoes.host ?? '127.0.0.1', resolver));
  return {
    porta: (servidor.address() as AddressInfo).port,
    fechar: () => new Promise<void>((resolver) => servidor.close(() => resolver())),
  };
}
