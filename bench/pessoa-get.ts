/**
 * Authenticated GET of a person by CPF (JWT validated against the realm's JWKS, audit row written in the same
 * transaction) with 1,000,000 persons loaded, at concurrency 32 — next to the baseline, a bare Express + pg handler
 * doing the same primary-key select (bench/baseline-server.ts), measured in the same run on the same database.
 * Target (issue 4): at least half the baseline's throughput.
 */
import autocannon from 'autocannon';
import KcAdminClient from '@keycloak/keycloak-admin-client';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { completarCpf } from '../api/src/validation/cpf.js';
import { discover, loginWithPassword } from '../scripts/support/keycloak-forms.js';
import { ROOT, peakRssMiB, sh, startNode, stopChild, table, waitHttp } from './lib.js';

const KC = { instance: 'bench', http: 8380, mgmt: 9300 };
const API_PORT = 3400;
const BASE_PORT = 3401;
const DB = 'lum_bench_pessoas';
const PESSOAS = Number(process.env.BENCH_PESSOAS ?? 1_000_000);
const CONCURRENCY = 32;
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
/** Baseline and API alternate in rounds, so drift of the shared machine hits both alike. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SENHA = 'Bench-gestor-2026';
const GESTOR = '11144477735';

const psql = (sql: string, db = 'postgres') => sh('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', db, '-qtAc', sql]);

/** Row i of the load: a valid CPF (check digits from the API's completarCpf), a name and a birth date. */
function linhaPessoa(i: number): string {
  const nascimento = new Date(Date.UTC(1940, 0, 1 + (i % 25000))).toISOString().slice(0, 10);
  return `${completarCpf(String(100_000_000 + i * 7).padStart(9, '0'))}\tPessoa de Teste ${i}\t${nascimento}\n`;
}

/** Streams SQL (with inline COPY data) into one psql session. */
async function psqlStdin(db: string, escrever: (w: Writable) => Promise<void>): Promise<void> {
  const p = spawn('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', db, '-q', '-v', 'ON_ERROR_STOP=1'], { stdio: ['pipe', 'ignore', 'inherit'] });
  const fim = new Promise<number | null>((resolve, reject) => { p.once('error', reject); p.once('exit', resolve); });
  await escrever(p.stdin);
  p.stdin.end();
  const codigo = await fim;
  if (codigo !== 0) throw new Error(`psql saiu com código ${codigo}`);
}

/** 1M persons with valid CPFs, generated in Node and loaded with COPY. */
async function carregarPessoas(): Promise<string[]> {
  const t0 = performance.now();
  await psqlStdin(DB, async (w) => {
    const escrever = async (texto: string) => { if (!w.write(texto)) await once(w, 'drain'); };
    await escrever('begin;\ncreate temp table carga (cpf text, nome text, data_nascimento date) on commit drop;\ncopy carga from stdin;\n');
    let lote = '';
    for (let i = 1; i <= PESSOAS; i++) {
      lote += linhaPessoa(i);
      if (lote.length > 1 << 16) { await escrever(lote); lote = ''; }
    }
    await escrever(`${lote}\\.\ninsert into pessoa (cpf, nome, data_nascimento) select cpf, nome, data_nascimento from carga on conflict do nothing;\ncommit;\n`);
  });
  await psql('analyze pessoa', DB);
  const amostra = (await psql(`select cpf from pessoa tablesample system (1) limit 5000`, DB)).trim().split('\n');
  console.log(`  ${PESSOAS.toLocaleString('en')} persons loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return amostra;
}

async function tokenGestor(): Promise<string> {
  const base = `http://localhost:${KC.http}`;
  const kc = new KcAdminClient({ baseUrl: base, realmName: 'master' });
  await kc.auth({ grantType: 'password', clientId: 'admin-cli', username: 'admin', password: process.env.KEYCLOAK_ADMIN_PASSWORD ?? 'admin' });
  kc.setConfig({ realmName: 'prefeitura-sp' });
  if ((await kc.users.find({ username: GESTOR, exact: true })).length === 0) {
    const { id } = await kc.users.create({ username: GESTOR, email: 'gestor.bench@prefeitura.sp.gov.br', firstName: 'Gestor', lastName: 'Bench',
      enabled: true, emailVerified: true, credentials: [{ type: 'password', value: SENHA, temporary: false }] });
    const papel = await kc.roles.findOneByName({ name: 'gestor-cadastro' });
    await kc.users.addRealmRoleMappings({ id, roles: [{ id: papel!.id!, name: papel!.name! }] });
  }
  const portal = await discover(`${base}/realms/prefeitura-sp`, 'portal-cidadao');
  const tokens = await loginWithPassword({ config: portal, redirectUri: 'http://localhost:4000/callback', username: GESTOR, password: SENHA });
  return tokens.access_token;
}

interface Medida { rps: number; p50: number; p95: number; p99: number; non2xx: number; errors: number }

async function carga(port: number, cpfs: string[], headers: Record<string, string>, seconds: number): Promise<Medida> {
  let n = 0;
  const r = await autocannon({
    url: `http://127.0.0.1:${port}`, connections: CONCURRENCY, duration: seconds, headers,
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/pessoas/${cpfs[n++ % cpfs.length]}` }) }],
  });
  return { rps: r.requests.average, p50: r.latency.p50, p95: r.latency.p97_5 ?? r.latency.p99, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors };
}

/** Mean throughput over the rounds; latency percentiles are the median round's. */
function combinar(ms: Medida[]): Medida {
  const med = (f: (m: Medida) => number) => ms.map(f).sort((x, y) => x - y)[Math.floor(ms.length / 2)];
  return {
    rps: ms.reduce((t, m) => t + m.rps, 0) / ms.length, p50: med((m) => m.p50), p95: med((m) => m.p95), p99: med((m) => m.p99),
    non2xx: ms.reduce((t, m) => t + m.non2xx, 0), errors: ms.reduce((t, m) => t + m.errors, 0),
  };
}

async function main(): Promise<void> {
  console.log(`Person read benchmark: ${PESSOAS.toLocaleString('en')} persons, concurrency ${CONCURRENCY}, ${ROUNDS} alternating rounds of ${DURATION_S} s per target.`);
  const kcEnv = { KC_INSTANCE: KC.instance, KC_HTTP_PORT: String(KC.http), KC_MGMT_PORT: String(KC.mgmt), KC_DB_NAME: 'lum_keycloak_bench', LUM_SKIP_MVN: '1', KC_FRESH_DB: '1' };
  await sh('bash', [path.join(ROOT, 'scripts/keycloak.sh'), 'start'], kcEnv);
  const env = { PORT: String(API_PORT), DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${DB}`, KEYCLOAK_URL: `http://localhost:${KC.http}`,
    LOG_LEVEL: 'warn', QUEUE_PREFIX: 'lum-bench' };
  try {
    await psql(`drop database if exists ${DB} with (force)`);
    await psql(`create database ${DB}`);
    await sh(process.execPath, [path.join(ROOT, 'dist/api/src/db/migrate.js')], env);
    const cpfs = await carregarPessoas();
    const token = await tokenGestor();

    const api = startNode('dist/api/src/server.js', env);
    const base = startNode('dist/bench/baseline-server.js', { ...env, PORT: String(BASE_PORT) });
    try {
      await waitHttp(`http://127.0.0.1:${API_PORT}/health/live`);
      await waitHttp(`http://127.0.0.1:${BASE_PORT}/pessoas/${cpfs[0]}`);
      const auth = { authorization: `Bearer ${token}` };
      await carga(BASE_PORT, cpfs, {}, 5); // warm-up both
      await carga(API_PORT, cpfs, auth, 5);
      const rb: Medida[] = [];
      const ra: Medida[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        rb.push(await carga(BASE_PORT, cpfs, {}, DURATION_S));
        ra.push(await carga(API_PORT, cpfs, auth, DURATION_S));
      }
      const b = combinar(rb);
      const a = combinar(ra);
      console.log(`  rounds (API/baseline): ${ra.map((m, i) => (m.rps / rb[i].rps).toFixed(2)).join(', ')}`);
      const auditadas = (await psql(`select count(*) from auditoria where acao = 'pessoa.lida'`, DB)).trim();
      console.log();
      console.log(table(
        ['target', 'req/s', 'p50 (ms)', 'p97.5 (ms)', 'p99 (ms)', 'non-2xx', 'peak RSS (MiB)', 'vs baseline'],
        [
          ['bare Express + pg, same select (baseline)', b.rps, b.p50, b.p95, b.p99, b.non2xx + b.errors, peakRssMiB(base.pid!), '1.00'],
          ['lum-api GET /pessoas/:cpf (JWT + audit)', a.rps, a.p50, a.p95, a.p99, a.non2xx + a.errors, peakRssMiB(api.pid!), (a.rps / b.rps).toFixed(2)],
        ],
      ));
      console.log(`\n${auditadas} audited reads written during the run. Target: lum-api ≥ 0.50 of the baseline's throughput.`);
      if (a.non2xx + a.errors > 0) throw new Error('the API answered non-2xx during the run: the figures are not valid');
    } finally {
      await stopChild(api);
      await stopChild(base);
    }
  } finally {
    await sh('bash', [path.join(ROOT, 'scripts/keycloak.sh'), 'stop'], kcEnv);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
