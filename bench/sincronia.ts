/**
 * Propagation of a level from the master record to Keycloak (issue 12): latency p50/p95/p99 from the change's commit
 * (the outbox row's `criado_em`, written in the change's transaction) to the worker's confirmation that Keycloak has
 * it (`concluido_em`, after the write returned — the attribute is readable from then on; the bench also reads every
 * user back at the end), and sustained changes per second, at each size of BENCH_SINCRONIA_N (default "1000,10000":
 * both sizes in one run). Each change is a steward's link (level 1 → 3) through the real service, 8 at a time.
 * A new worker per size; its peak resident memory is reported.
 *
 * Two runs of ours: "as fast as possible" (all N changes submitted at once: throughput, latency under backlog) and
 * "steady" (changes at a fixed rate, BENCH_SINCRONIA_TAXA per second, default 50: latency without backlog).
 * Baseline, same run, same Keycloak and users: a plain synchronous admin-client loop — for each user, GET it, merge
 * the attribute, PUT it back — one at a time, timed per update.
 *
 * Own Keycloak instance (8382/9302, database lum_keycloak_bench_sincronia), database lum_bench_sincronia, BullMQ
 * prefix lum-bench-sincronia; never the dev stack's or a test slot's.
 */
import 'reflect-metadata';
import KcAdminClient from '@keycloak/keycloak-admin-client';
import path from 'node:path';
import { confirmarVinculo } from '../api/src/contas/contas.service.js';
import type { DataSource } from 'typeorm';
import { criarDataSource } from '../api/src/db/data-source.js';
import { criarProdutorSync, tentarEnfileirarSyncNivel, type ProdutorSync } from '../api/src/keycloak-sync/fila.js';
import { completarCpf } from '../api/src/validation/cpf.js';
import { CONFIG_TABLE } from '../api/src/config.js';
import { ROOT, gravarResultados, peakRssMiB, percentile, sh, startNode, stopChild, table } from './lib.js';

const TAMANHOS = (process.env.BENCH_SINCRONIA_N ?? '1000,10000').split(',').map(Number);
if (TAMANHOS.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('BENCH_SINCRONIA_N: sizes, e.g. 1000,10000');
const TAXA = Number(process.env.BENCH_SINCRONIA_TAXA ?? 50);
const KC = { instance: 'bench-sincronia', http: 8382, mgmt: 9302, db: 'lum_keycloak_bench_sincronia' };
const KC_URL = `http://localhost:${KC.http}`;
const DB = 'lum_bench_sincronia';
const DB_URL = `postgres://postgres@127.0.0.1:5432/${DB}`;
const SEGREDO = 'dev-lum-api-secret';
const PREFIXO = 'lum-bench-sincronia';
/** The worker runs with the configuration's defaults for these (named in the results). */
const DEFAULTS = ['SYNC_CONCURRENCY', 'SYNC_LOTE_MAX', 'SYNC_LOTES_EM_VOO'].map((n) => `${n}=${String(CONFIG_TABLE.find((e) => e.env === n)?.default)}`).join(', ');
let produtor: ProdutorSync;

async function paralelo<T>(itens: readonly T[], n: number, fn: (x: T) => Promise<void>): Promise<void> {
  let i = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (i < itens.length) await fn(itens[i++]);
  }));
}

async function admin(): Promise<KcAdminClient> {
  const kc = new KcAdminClient({ baseUrl: KC_URL, realmName: 'prefeitura-sp' });
  await kc.auth({ grantType: 'client_credentials', clientId: 'lum-api', clientSecret: SEGREDO });
  return kc;
}

interface Usuario { id: string; cpf: string }

async function criarUsuarios(n: number, base: number): Promise<Usuario[]> {
  const cpfs = Array.from({ length: n }, (_, i) => completarCpf(String(700_000_000 + base + i).padStart(9, '0')));
  const saida: Usuario[] = [];
  let kc = await admin();
  let desde = Date.now();
  await paralelo(cpfs, 8, async (cpf) => {
    if (Date.now() - desde > 30_000) {
      desde = Date.now();
      kc = await admin();
    }
    const { id } = await kc.users.create({ username: cpf, email: `${cpf}@bench.test`, firstName: 'Bench', lastName: 'Sincronia', enabled: true, attributes: { cpf: [cpf] } });
    saida.push({ id, cpf });
  });
  return saida;
}

function resumo(ms: number[]): { p50: number; p95: number; p99: number } {
  const s = [...ms].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99) };
}

async function leiturasEmParalelo(usuarios: Usuario[]): Promise<number> {
  let kc = await admin();
  let desde = Date.now();
  let certos = 0;
  await paralelo(usuarios, 8, async (u) => {
    if (Date.now() - desde > 30_000) {
      desde = Date.now();
      kc = await admin();
    }
    const atributos = (await kc.users.findOne({ id: u.id }))?.attributes as Record<string, string[]> | undefined;
    if (atributos?.['nivel_confianca']?.[0] === '3') certos++;
  });
  return certos;
}

/** One size: N users per group (fast, steady, baseline), a fresh worker; the table rows and the read-back count. */
async function medirTamanho(ds: DataSource, N: number, base: number): Promise<{ linhas: (string | number)[][]; certos: number; rssMiB: number }> {
  const rapidos = await criarUsuarios(N, base);
  const estaveis = await criarUsuarios(N, base + N);
  const basal = await criarUsuarios(N, base + 2 * N);
  for (const grupo of [rapidos, estaveis]) {
    await ds.query(`INSERT INTO pessoa (cpf, nome, data_nascimento) SELECT unnest($1::text[]), 'Pessoa Bench', DATE '1980-01-01'`, [grupo.map((u) => u.cpf)]);
    await ds.query(`INSERT INTO conta (keycloak_user_id, username, cpf_declarado) SELECT unnest($1::uuid[]), unnest($2::text[]), unnest($2::text[])`, [grupo.map((u) => u.id), grupo.map((u) => u.cpf)]);
  }

  // baseline: synchronous admin-client loop, GET + merge + PUT, one user at a time
  let kc = await admin();
  let desde = Date.now();
  const baseMs: number[] = [];
  const t0b = performance.now();
  for (const u of basal) {
    if (Date.now() - desde > 30_000) {
      desde = Date.now();
      kc = await admin();
    }
    const t = performance.now();
    const rep = (await kc.users.findOne({ id: u.id }))!;
    await kc.users.update({ id: u.id }, { username: rep.username, email: rep.email, firstName: rep.firstName, lastName: rep.lastName, enabled: rep.enabled, emailVerified: rep.emailVerified, attributes: { ...rep.attributes, nivel_confianca: ['3'] } });
    baseMs.push(performance.now() - t);
  }
  const baseS = (performance.now() - t0b) / 1000;

  const ctx = { ator: 'bench', cliente: null, finalidade: 'bench', username: 'bench' };
  /** Commit instant (this process's wall clock, the database's is the same machine's) of each change, by account. */
  const commitMs = new Map<string, number>();
  // As the HTTP route does: the change commits with its outbox row, then the row is handed to the queue at once
  // (the relay would hand it over anyway, within 100 ms).
  const mudar = async (u: Usuario) => {
    const r = await confirmarVinculo(ds, u.id, { cpf: u.cpf, documento: { tipo: 'RG', numero: '123456789' } }, ctx);
    commitMs.set(u.id, Date.now());
    if (r.recalculo.saidaId) await tentarEnfileirarSyncNivel(produtor.fila, { saidaId: r.recalculo.saidaId, keycloakUserId: u.id, nivelVersao: r.recalculo.versao }, console);
  };
  const esperar = async (ids: string[]) => {
    for (;;) {
      const [l] = await ds.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM sincronizacao_saida WHERE conta_id = ANY($1::uuid[]) AND situacao = 'concluida'`, [ids]);
      if (l.n >= ids.length) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const concluidos = (ids: string[]) =>
    ds.query<Array<{ conta: string; ms: number }>>(`SELECT conta_id::text AS conta, EXTRACT(EPOCH FROM concluido_em) * 1000 AS ms FROM sincronizacao_saida WHERE conta_id = ANY($1::uuid[])`, [ids]);
  const iniciarWorker = () => startNode('dist/api/src/worker.js', {
    NODE_ENV: 'test', DATABASE_URL: DB_URL, KEYCLOAK_URL: KC_URL, LUM_API_CLIENT_SECRET: SEGREDO, QUEUE_PREFIX: PREFIXO, LOG_LEVEL: 'error',
    AUDIT_ANCHOR_FILE: '-', RECONCILIACAO_INTERVALO_S: '0', EVENTOS_RECUPERACAO_INTERVALO_S: '0', LUM_METRICS_PORT: '0',
  });

  // Backlog: the N changes committed (and queued) first, then a worker drains them — the sustained propagation rate,
  // (N − 1) / (last confirmation − first confirmation). The first job pays the service account's token: measured too.
  await paralelo(rapidos, 8, mudar);
  const worker = iniciarWorker();
  try {
    await esperar(rapidos.map((u) => u.id));
    const fim = (await concluidos(rapidos.map((u) => u.id))).map((l) => Number(l.ms)).sort((a, b) => a - b);
    const drenagem = (N - 1) / ((fim[fim.length - 1] - fim[0]) / 1000);

    // Steady: changes at TAXA per second with the worker running; latency from each change's commit to the worker's
    // confirmation that Keycloak has it.
    const intervalo = 1000 / TAXA;
    const t0e = performance.now();
    await Promise.all(estaveis.map(async (u, i) => {
      await new Promise((r) => setTimeout(r, Math.max(0, t0e + i * intervalo - performance.now())));
      await mudar(u);
    }));
    const submissaoS = (performance.now() - t0e) / 1000;
    await esperar(estaveis.map((u) => u.id));
    const estavel = resumo((await concluidos(estaveis.map((u) => u.id))).map((l) => Number(l.ms) - commitMs.get(l.conta)!));
    const rssMiB = peakRssMiB(worker.pid!);

    const certos = await leiturasEmParalelo([...rapidos, ...estaveis]);
    const b = resumo(baseMs);
    const f = (x: number) => x.toFixed(0);
    const linhas: (string | number)[][] = [
      [`plain synchronous admin-client loop, GET + merge + PUT, one at a time (baseline)`, N, f(b.p50), f(b.p95), f(b.p99), (N / baseS).toFixed(1), '-', '1.00'],
      [`outbox → worker → lum-sincronia: a backlog of ${N} drained`, N, '-', '-', '-', drenagem.toFixed(1), rssMiB.toFixed(0), (drenagem / (N / baseS)).toFixed(2)],
      [`outbox → worker → lum-sincronia: changes at ${TAXA}/s (achieved ${(N / submissaoS).toFixed(1)}/s), latency from commit`, N, f(estavel.p50), f(estavel.p95), f(estavel.p99), '-', '(same worker)', '-'],
    ];
    return { linhas, certos, rssMiB };
  } finally {
    await stopChild(worker);
  }
}

async function main(): Promise<void> {
  console.log(`Propagation benchmark: sizes ${TAMANHOS.join(', ')} (each: that many changes at once, as many at a steady ${TAXA}/s, as many for the baseline).`);
  const kcEnv = { KC_INSTANCE: KC.instance, KC_HTTP_PORT: String(KC.http), KC_MGMT_PORT: String(KC.mgmt), KC_DB_NAME: KC.db, LUM_SKIP_MVN: '1', LUM_API_CLIENT_SECRET: SEGREDO, LUM_EVENTS_URL: 'http://127.0.0.1:9/nada' };
  const script = path.join(ROOT, 'scripts/keycloak.sh');
  await sh('bash', [script, 'build'], kcEnv);
  await sh('bash', [script, 'start'], { ...kcEnv, KC_FRESH_DB: '1' });
  await sh('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-qc', `drop database if exists ${DB} with (force)`]);
  await sh('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-qc', `create database ${DB}`]);
  await sh(process.execPath, [path.join(ROOT, 'dist/api/src/db/migrate.js')], { DATABASE_URL: DB_URL });
  // A fresh database numbers its outbox rows from 1 again, and a job id (saida-<id>) left in Redis by an earlier run
  // would make BullMQ ignore the new job until the relay's re-check (15 s): start from an empty queue.
  await sh('bash', ['-c', `redis-cli -h 127.0.0.1 --scan --pattern '${PREFIXO}:*' | xargs -r -n 500 redis-cli -h 127.0.0.1 del > /dev/null`]);
  const ds = criarDataSource({ url: DB_URL, poolMax: 16, applicationName: 'bench-sincronia', esperaConexaoMs: 60_000 });
  await ds.initialize();
  produtor = criarProdutorSync({ redisUrl: 'redis://127.0.0.1:6379', queuePrefix: PREFIXO, syncAttempts: 12, syncBackoffMs: 1000 }); // the configuration's defaults
  try {
    const linhas: (string | number)[][] = [];
    const lidos: string[] = [];
    let base = 0;
    for (const N of TAMANHOS) {
      const t0 = performance.now();
      const r = await medirTamanho(ds, N, base);
      base += 3 * N;
      linhas.push(...r.linhas);
      lidos.push(`${r.certos} of ${2 * N} (size ${N})`);
      console.log(`  size ${N}: done in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    }
    const corpo = [
      `Sizes ${TAMANHOS.join(' and ')}: per size, three groups of that many accounts, each change a steward's link (level 1 → 3) through the service, handed to the queue after its commit as the HTTP route does (${TAMANHOS.reduce((a, n) => a + 3 * n, 0)} Keycloak users in all; Keycloak ${KC_URL} of its own; worker with the configuration's defaults — ${DEFAULTS} —, a new worker per size).`,
      'Baseline: a plain loop of admin-client GET + merge + PUT, one user at a time (latency per update, rate = updates / loop time). Backlog: the changes committed first (8 at a time), then the worker started; rate = (N − 1) / (last − first confirmation). Steady: changes submitted at the set rate with the worker running; latency = the change\'s commit (the bench\'s clock) → the worker\'s confirmation that Keycloak has it (concluido_em, the database\'s clock; same machine). Peak RSS: the worker\'s (VmHWM) over both runs.',
      '',
      table(['run', 'changes', 'p50 (ms)', 'p95 (ms)', 'p99 (ms)', 'changes/s', 'worker peak RSS (MiB)', 'vs baseline (changes/s)'], linhas),
      '',
      `Read back at the end, users with level 3 in Keycloak: ${lidos.join('; ')}. Targets: p95 < 1 s at steady state, ≥ 200 changes/s.`,
    ].join('\n');
    console.log(corpo);
    await gravarResultados('sincronia', 'Level propagation to Keycloak (`bench/sincronia.ts`)', { BENCH_SINCRONIA_N: process.env.BENCH_SINCRONIA_N, BENCH_SINCRONIA_TAXA: process.env.BENCH_SINCRONIA_TAXA }, corpo);
  } finally {
    await produtor.fechar();
    await ds.destroy();
    await sh('bash', [script, 'stop'], kcEnv);
  }
}

void main().then(() => process.exit(0), (err: unknown) => {
  console.error(err);
  process.exit(1);
});
