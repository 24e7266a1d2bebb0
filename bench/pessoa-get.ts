/**
 * Authenticated GET of a person by CPF with 1,000,000 persons loaded, at concurrency 32, next to a named baseline: a
 * bare Express + pg handler doing the same primary-key select (bench/baseline-server.ts), on the same database, with
 * the SAME connection pool size (BENCH_DB_POOL, default 32 = the API's DB_POOL_MAX default). The API runs with its
 * default configuration (LOG_LEVEL info: one access-log line per request, written to /dev/null).
 *
 * Two API runs, each next to the baseline in every round:
 *   - one token: every request carries the same steward's access token (the verifier checks it once and then
 *     remembers it until its `exp`, see auth/verificador-token.ts);
 *   - many tokens: BENCH_STEWARDS stewards (real Keycloak accounts, five organ roles), and every request carries a
 *     token no other request carries (real Keycloak access tokens, minted by refresh grants of the stewards'
 *     sessions just before the round), so every request pays the full signature and claims check.
 * Rounds: baseline, one token, many tokens in rotating order, ROUNDS times; the drift of this shared machine hits all alike.
 * Every API read is audited: the bench counts the audit rows and compares them with the reads answered.
 * Target (issue 10): the API at ≥ 0.60 of the baseline's throughput at equal pools.
 */
import autocannon from 'autocannon';
import KcAdminClient from '@keycloak/keycloak-admin-client';
import { once } from 'node:events';
import path from 'node:path';
import * as oidc from 'openid-client';
import { completarCpf } from '../api/src/validation/cpf.js';
import { decodeJwt, discover, loginWithPassword } from '../scripts/support/keycloak-forms.js';
import { ROOT, psqlStdin, cpuSeconds, gravarResultados, peakRssMiB, sh, startNode, stopChild, table, waitHttp } from './lib.js';

const KC = { instance: 'bench', http: 8380, mgmt: 9300 };
const API_PORT = 3400;
const BASE_PORT = 3401;
const DB = 'lum_bench_pessoas';
const PESSOAS = Number(process.env.BENCH_PESSOAS ?? 1_000_000);
const CONCURRENCY = 32;
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
/** Baseline and API alternate in rounds, so drift of the shared machine hits both alike. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** Connection pool of BOTH servers (the API's DB_POOL_MAX, the baseline's pg.Pool max). */
const POOL = Number(process.env.BENCH_DB_POOL ?? 32);
/** Stewards (distinct Keycloak accounts) whose tokens the many-token run carries. */
const STEWARDS = Number(process.env.BENCH_STEWARDS ?? 100);
/** Distinct tokens per many-token round (each used by exactly one request; the round ends when all are used). */
const TOKENS = Number(process.env.BENCH_TOKENS ?? 8000);
const KNOBS = {
  BENCH_PESSOAS: process.env.BENCH_PESSOAS, BENCH_DURATION_S: process.env.BENCH_DURATION_S, BENCH_ROUNDS: process.env.BENCH_ROUNDS,
  BENCH_DB_POOL: process.env.BENCH_DB_POOL, BENCH_STEWARDS: process.env.BENCH_STEWARDS, BENCH_TOKENS: process.env.BENCH_TOKENS,
};
const SENHA = 'Bench-gestor-2026';
const GESTOR = '11144477735';
const REDIRECT = 'http://localhost:4000/callback';
/** Steward roles (auth/papeis.ts), one per organ; stewards get them in turn. */
const PAPEIS = ['gestor-cadastro', 'gestor-saude', 'gestor-fazenda', 'gestor-educacao', 'gestor-smads'];

const psql = (sql: string, db = 'postgres') => sh('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', db, '-qtAc', sql]);

/** Row i of the load: a valid CPF (check digits from the API's completarCpf), a name and a birth date. */
function linhaPessoa(i: number): string {
  const nascimento = new Date(Date.UTC(1940, 0, 1 + (i % 25000))).toISOString().slice(0, 10);
  return `${completarCpf(String(100_000_000 + i * 7).padStart(9, '0'))}\tPessoa de Teste ${i}\t${nascimento}\n`;
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

async function admin(): Promise<KcAdminClient> {
  const kc = new KcAdminClient({ baseUrl: `http://localhost:${KC.http}`, realmName: 'master' });
  await kc.auth({ grantType: 'password', clientId: 'admin-cli', username: 'admin', password: process.env.KEYCLOAK_ADMIN_PASSWORD ?? 'admin' });
  kc.setConfig({ realmName: 'prefeitura-sp' });
  return kc;
}

/** Creates a steward account with one role (kept when it exists). */
async function criarGestor(kc: KcAdminClient, username: string, papel: string, email: string): Promise<void> {
  if ((await kc.users.find({ username, exact: true })).length > 0) return;
  const { id } = await kc.users.create({ username, email, firstName: 'Gestor', lastName: 'Bench', enabled: true, emailVerified: true,
    credentials: [{ type: 'password', value: SENHA, temporary: false }] });
  const role = await kc.roles.findOneByName({ name: papel });
  await kc.users.addRealmRoleMappings({ id, roles: [{ id: role!.id!, name: role!.name! }] });
}

/** Runs `fn` over `items` with at most `limit` in flight. */
async function emParalelo<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) { const i = next++; out[i] = await fn(items[i], i); }
  }));
  return out;
}

interface Sessao { username: string; refresh: string }

/** Signs every steward in through the login form (authorization code + PKCE): one session each. */
async function entrar(config: oidc.Configuration, usernames: string[]): Promise<{ sessoes: Sessao[]; primeiro: string }> {
  const tokens = await emParalelo(usernames, 4, (username) => loginWithPassword({ config, redirectUri: REDIRECT, username, password: SENHA }));
  return { sessoes: tokens.map((t, i) => ({ username: usernames[i], refresh: t.refresh_token! })), primeiro: tokens[0].access_token };
}

/**
 * `n` distinct access tokens, taken from the stewards' sessions in turn (refresh grants: real tokens, signed by the
 * realm's key, each with its own jti/iat), ordered so that consecutive requests carry different stewards' tokens.
 */
async function cunharTokens(config: oidc.Configuration, sessoes: Sessao[], n: number): Promise<string[]> {
  const tokens = await emParalelo(Array.from({ length: n }, (_, i) => sessoes[i % sessoes.length]), 8, async (s) => {
    const t = await oidc.refreshTokenGrant(config, s.refresh);
    if (t.refresh_token) s.refresh = t.refresh_token;
    return t.access_token;
  });
  if (new Set(tokens).size !== n) throw new Error('Keycloak returned the same access token twice: the many-token run would hit the cache');
  return tokens;
}

interface Medida { rps: number; pedidos: number; p50: number; p97: number; p99: number; non2xx: number; errors: number; cpuServidor: number; cpuPostgres: number }

/**
 * CPU seconds used so far by a server process and by the PostgreSQL backends serving it (its pool's connections,
 * found by application_name on the bench database) — per request, the figures least disturbed by other load.
 */
async function cpuAlvo(pid: number, aplicacao: string): Promise<{ servidor: number; postgres: Map<number, number> }> {
  const pids = (await psql(`select pid from pg_stat_activity where datname = '${DB}' and application_name = '${aplicacao}'`)).trim().split('\n').filter(Boolean).map(Number);
  return { servidor: cpuSeconds(pid), postgres: new Map(pids.map((p) => [p, cpuSeconds(p)])) };
}
function cpuDesde(antes: { servidor: number; postgres: Map<number, number> }, depois: { servidor: number; postgres: Map<number, number> }): { servidor: number; postgres: number } {
  let pg = 0;
  for (const [p, c] of depois.postgres) pg += c - (antes.postgres.get(p) ?? 0);
  return { servidor: depois.servidor - antes.servidor, postgres: pg };
}

interface Alvo { port: number; pid: number; aplicacao: string }

/** One load run: for `seconds`, or (with `tokens`) exactly one request per token, each token used once. */
async function carga(alvo: Alvo, cpfs: string[], o: { seconds?: number; token?: string; tokens?: string[] }): Promise<Medida> {
  const antes = await cpuAlvo(alvo.pid, alvo.aplicacao);
  let n = 0;
  let t = 0;
  const tokens = o.tokens;
  const r = await autocannon({
    url: `http://127.0.0.1:${alvo.port}`, connections: CONCURRENCY,
    ...(tokens ? { amount: tokens.length } : { duration: o.seconds! }),
    headers: o.token ? { authorization: `Bearer ${o.token}` } : {},
    requests: [{
      method: 'GET',
      setupRequest: (req) => ({
        ...req, path: `/pessoas/${cpfs[n++ % cpfs.length]}`,
        ...(tokens ? { headers: { ...req.headers, authorization: `Bearer ${tokens[t++ % tokens.length]}` } } : {}),
      }),
    }],
  });
  const cpu = cpuDesde(antes, await cpuAlvo(alvo.pid, alvo.aplicacao));
  const segundos = (new Date(r.finish).getTime() - new Date(r.start).getTime()) / 1000;
  return { rps: r.requests.total / segundos, pedidos: r.requests.total, p50: r.latency.p50, p97: r.latency.p97_5, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors,
    cpuServidor: (1000 * cpu.servidor) / r.requests.total, cpuPostgres: (1000 * cpu.postgres) / r.requests.total };
}

/** Mean throughput over the rounds; latency percentiles and CPU per request are the median round's. */
function combinar(ms: Medida[]): Medida {
  const med = (f: (m: Medida) => number) => ms.map(f).sort((x, y) => x - y)[Math.floor(ms.length / 2)];
  const soma = (f: (m: Medida) => number) => ms.reduce((t, m) => t + f(m), 0);
  return { rps: soma((m) => m.rps) / ms.length, pedidos: soma((m) => m.pedidos), p50: med((m) => m.p50), p97: med((m) => m.p97), p99: med((m) => m.p99),
    non2xx: soma((m) => m.non2xx), errors: soma((m) => m.errors), cpuServidor: med((m) => m.cpuServidor), cpuPostgres: med((m) => m.cpuPostgres) };
}

async function main(): Promise<void> {
  const cabecalho = `${PESSOAS.toLocaleString('en')} persons, concurrency ${CONCURRENCY}, connection pool ${POOL} for both servers, `
    + `${ROUNDS} rounds (baseline ${DURATION_S} s, one token ${DURATION_S} s, ${TOKENS.toLocaleString('en')} requests with as many distinct tokens of ${STEWARDS} stewards)`;
  console.log(`Person read benchmark: ${cabecalho}.`);
  const kcEnv = { KC_INSTANCE: KC.instance, KC_HTTP_PORT: String(KC.http), KC_MGMT_PORT: String(KC.mgmt), KC_DB_NAME: 'lum_keycloak_bench', LUM_SKIP_MVN: '1', KC_FRESH_DB: '1' };
  await sh('bash', [path.join(ROOT, 'scripts/keycloak.sh'), 'start'], kcEnv);
  const env = { PORT: String(API_PORT), DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${DB}`, KEYCLOAK_URL: `http://localhost:${KC.http}`,
    QUEUE_PREFIX: 'lum-bench', DB_POOL_MAX: String(POOL) };
  try {
    await psql(`drop database if exists ${DB} with (force)`);
    await psql(`create database ${DB}`);
    await sh(process.execPath, [path.join(ROOT, 'dist/api/src/db/migrate.js')], env);
    const cpfs = await carregarPessoas();

    const t0 = performance.now();
    const kc = await admin();
    const usernames = [GESTOR, ...Array.from({ length: STEWARDS - 1 }, (_, i) => cpfs[cpfs.length - 1 - i])];
    await emParalelo(usernames, 4, (u, i) => criarGestor(kc, u, PAPEIS[i % PAPEIS.length], `gestor.${u}.bench@prefeitura.sp.gov.br`));
    const portal = await discover(`http://localhost:${KC.http}/realms/prefeitura-sp`, 'portal-cidadao');
    const { sessoes, primeiro: token } = await entrar(portal, usernames);
    console.log(`  ${STEWARDS} stewards created and signed in in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const api = startNode('dist/api/src/server.js', env);
    const base = startNode('dist/bench/baseline-server.js', { ...env, PORT: String(BASE_PORT) });
    try {
      await waitHttp(`http://127.0.0.1:${API_PORT}/health/live`);
      await waitHttp(`http://127.0.0.1:${BASE_PORT}/pessoas/${cpfs[0]}`);
      const A: Alvo = { port: API_PORT, pid: api.pid!, aplicacao: 'lum-api' };
      const B: Alvo = { port: BASE_PORT, pid: base.pid!, aplicacao: 'lum-bench-baseline' };
      // Warm-up of every target (the many-token one with its own fresh tokens).
      const aquecer = await cunharTokens(portal, sessoes, Math.min(TOKENS, 2000));
      const aquecimento = [await carga(B, cpfs, { seconds: 5 }), await carga(A, cpfs, { seconds: 5, token }), await carga(A, cpfs, { tokens: aquecer })];
      const rb: Medida[] = [];
      const r1: Medida[] = [];
      const rn: Medida[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        const tc = performance.now();
        const tokens = await cunharTokens(portal, sessoes, TOKENS);
        const expira = 1000 * Number(decodeJwt(tokens[0])['exp']);
        console.log(`  round ${r + 1}: ${TOKENS} tokens minted in ${((performance.now() - tc) / 1000).toFixed(1)} s`);
        if (expira - Date.now() < 1000 * (3 * DURATION_S + 30)) {
          throw new Error(`the first token minted expires in ${((expira - Date.now()) / 1000).toFixed(0)} s, before its round can end: lower BENCH_TOKENS or run on a quieter machine`);
        }
        // Rotating order (b 1 n, 1 n b, n b 1, …): each target runs first, middle and last once every three rounds.
        const corridas: (() => Promise<void>)[] = [
          async () => { rb.push(await carga(B, cpfs, { seconds: DURATION_S })); },
          async () => { r1.push(await carga(A, cpfs, { seconds: DURATION_S, token })); },
          async () => { rn.push(await carga(A, cpfs, { tokens })); },
        ];
        for (let k = 0; k < corridas.length; k++) await corridas[(k + r) % corridas.length]();
        console.log(`  round ${r + 1}: baseline ${rb[r].rps.toFixed(0)}/s, one token ${r1[r].rps.toFixed(0)}/s, many tokens ${rn[r].rps.toFixed(0)}/s`);
      }
      const b = combinar(rb);
      const a1 = combinar(r1);
      const an = combinar(rn);
      const auditadas = Number((await psql(`select count(*) from auditoria where acao = 'pessoa.lida'`, DB)).trim());
      const respondidas = [...aquecimento.slice(1), ...r1, ...rn].reduce((t, m) => t + m.pedidos, 0);
      const porRodada = (xs: Medida[]) => xs.map((m, i) => (m.rps / rb[i].rps).toFixed(2)).join(', ');
      const texto = [
        `${cabecalho}; throughput is the mean of the rounds, latencies and CPU per request the median round's. `
          + 'Load generator, servers and PostgreSQL share the cores, so CPU per request is what decides the throughput.',
        '',
        table(
          ['target', 'req/s', 'p50 (ms)', 'p97.5 (ms)', 'p99 (ms)', 'non-2xx', 'server CPU per request (ms)', 'PostgreSQL CPU per request (ms)', 'peak RSS (MiB)', 'vs baseline (req/s)'],
          [
            [`bare Express + pg, same select, pool ${POOL} (baseline)`, b.rps, b.p50, b.p97, b.p99, b.non2xx + b.errors, b.cpuServidor.toFixed(3), b.cpuPostgres.toFixed(3), peakRssMiB(base.pid!), '1.00'],
            [`lum-api GET /pessoas/:cpf, pool ${POOL}, one token for all requests`, a1.rps, a1.p50, a1.p97, a1.p99, a1.non2xx + a1.errors, a1.cpuServidor.toFixed(3), a1.cpuPostgres.toFixed(3), peakRssMiB(api.pid!), (a1.rps / b.rps).toFixed(2)],
            [`lum-api GET /pessoas/:cpf, pool ${POOL}, a distinct token per request (${STEWARDS} stewards)`, an.rps, an.p50, an.p97, an.p99, an.non2xx + an.errors, an.cpuServidor.toFixed(3), an.cpuPostgres.toFixed(3), '-', (an.rps / b.rps).toFixed(2)],
          ],
        ),
        '',
        `Per round, vs baseline: one token ${porRodada(r1)}; distinct tokens ${porRodada(rn)}. `
          + `Audit rows of person reads: ${auditadas.toLocaleString('en')} for ${respondidas.toLocaleString('en')} reads answered (warm-up included; `
          + `a read still in flight when a timed run ends is audited but not counted as answered). Target: lum-api ≥ 0.60 of the baseline.`,
      ].join('\n');
      console.log(`\n${texto}`);
      if (auditadas < respondidas) throw new Error(`fewer audit rows (${auditadas}) than reads answered (${respondidas})`);
      if ([b, a1, an].some((m) => m.non2xx + m.errors > 0)) throw new Error('a server answered non-2xx during the run: the figures are not valid');
      await gravarResultados('pessoa-get', 'Person read (`bench/pessoa-get.ts`)', KNOBS, texto);
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
