/**
 * Cold start of the stack to ready, and peak memory of each process.
 * Baseline (same run, same machine): stock Keycloak of the same version, untouched (no providers, theme or realm).
 *   cold = empty database (first boot: schema creation, realm import); warm = second boot on the same database.
 * Run with `npm run bench` (which builds first). Uses its own ports and databases; the dev stack may keep running.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ROOT, gravarResultados, javaPidUnder, peakRssMiB, sh, startNode, stopChild, table, waitHttp } from './lib.js';

const KC = { instance: 'bench', http: 8380, mgmt: 9300 };
const API_PORT = 3300;
const ANCORAS = path.join(ROOT, '.run/bench-auditoria-ancoras.jsonl');

interface KcRun { cold: number; warm: number; rss: number }

async function keycloakRun(stock: boolean): Promise<KcRun> {
  const env = {
    KC_INSTANCE: stock ? 'bench-stock' : KC.instance, KC_HTTP_PORT: String(KC.http), KC_MGMT_PORT: String(KC.mgmt),
    KC_DB_NAME: stock ? 'lum_keycloak_bench_stock' : 'lum_keycloak_bench', KC_STOCK: stock ? '1' : '0',
    LUM_SKIP_MVN: '1', LUM_EVENTS_URL: `http://127.0.0.1:${API_PORT}/eventos/keycloak`,
  };
  const script = path.join(ROOT, 'scripts/keycloak.sh');
  await sh('bash', [script, 'build'], env);
  const timed = async (fresh: boolean) => {
    const t0 = performance.now();
    await sh('bash', [script, 'start'], { ...env, KC_FRESH_DB: fresh ? '1' : '0' });
    return (performance.now() - t0) / 1000;
  };
  const cold = await timed(true);
  // A little work so the peak reflects a serving server: discovery + login page, 20 times.
  for (let i = 0; i < 20; i++) {
    const realm = stock ? 'master' : 'prefeitura-sp';
    await fetch(`http://localhost:${KC.http}/realms/${realm}/.well-known/openid-configuration`).then((r) => r.text());
    await fetch(`http://localhost:${KC.http}/realms/${realm}/account`).then((r) => r.text());
  }
  const pidFile = path.join(ROOT, `.run/keycloak-${env.KC_INSTANCE}.pid`);
  const rss = peakRssMiB(javaPidUnder(Number(readFileSync(pidFile, 'utf8'))));
  await sh('bash', [script, 'stop'], env);
  const warm = await timed(false);
  if (stock) await sh('bash', [script, 'stop'], env);
  return { cold, warm, rss };
}

async function main(): Promise<void> {
  console.log('Cold start benchmark (2 cores); this takes about 3 minutes.');
  const stock = await keycloakRun(true);
  const ours = await keycloakRun(false);

  // The API and the worker, against the bench Keycloak (left running by keycloakRun(false)).
  const db = 'lum_bench';
  await sh('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-qc', `drop database if exists ${db} with (force)`]);
  await sh('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-qc', `create database ${db}`]);
  const env = {
    PORT: String(API_PORT), DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${db}`,
    KEYCLOAK_URL: `http://localhost:${KC.http}`, LOG_LEVEL: 'warn',
    // Its own BullMQ queues and its own audit-anchor file: never the dev stack's (which may keep running).
    QUEUE_PREFIX: 'lum-bench', AUDIT_ANCHOR_FILE: ANCORAS,
  };
  rmSync(ANCORAS, { force: true });
  const tm = performance.now();
  await sh(process.execPath, [path.join(ROOT, 'dist/api/src/db/migrate.js')], env);
  const migrate = (performance.now() - tm) / 1000;
  const ta = performance.now();
  const api = startNode('dist/api/src/server.js', env);
  const worker = startNode('dist/api/src/worker.js', env);
  await waitHttp(`http://127.0.0.1:${API_PORT}/health/ready`, 60_000);
  const apiReady = (performance.now() - ta) / 1000;
  for (let i = 0; i < 200; i++) await fetch(`http://127.0.0.1:${API_PORT}/health/ready`).then((r) => r.text());
  const apiRss = peakRssMiB(api.pid!);
  const workerRss = peakRssMiB(worker.pid!);
  await stopChild(api);
  await stopChild(worker);
  await sh('bash', [path.join(ROOT, 'scripts/keycloak.sh'), 'stop'], { KC_INSTANCE: KC.instance });

  const total = ours.cold + migrate + apiReady;
  const texto = [
    table(
      ['process', 'cold start to ready (s)', 'warm start (s)', 'peak RSS (MiB)', 'vs stock Keycloak'],
      [
        ['stock Keycloak 26.7.3 (baseline)', stock.cold, stock.warm, stock.rss, '1.00'],
        ['Keycloak + LUM providers, theme, realm', ours.cold, ours.warm, ours.rss,
          `${(ours.cold / stock.cold).toFixed(2)} time, ${(ours.rss / stock.rss).toFixed(2)} memory`],
        ['API migrations (empty database)', migrate, '-', '-', '-'],
        ['API (server.js)', apiReady, '-', apiRss, '-'],
        ['worker (worker.js)', '-', '-', workerRss, '-'],
      ],
    ),
    '',
    `Whole stack, cold: ${total.toFixed(1)} s to ready, Keycloak's share ${(100 * ours.cold / total).toFixed(0)} %.`,
  ].join('\n');
  console.log(`\n${texto}`);
  await gravarResultados('cold-start', 'Cold start (`bench/cold-start.ts`)', {}, texto);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
