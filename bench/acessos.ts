/**
 * "Quem acessou meus dados" (issue 14): the API's answer to `GET /me/acessos` for a citizen with BENCH_ALVO (10,000)
 * audit rows of reads of their record among BENCH_AUDITORIA (10,000,000) audit rows, next to the plain indexed SQL
 * query on the same database in the same run.
 *
 * - The API: the real server process (dist/api/src/server.js), a real Keycloak (instance `bench-acessos`), a real
 *   citizen account signed in through `portal-cidadao` (code + PKCE) whose access token every request carries; the
 *   citizen's account is tied to the record in the `conta` table. Each answer is one page of 20 (its offset drawn
 *   at random over all pages, deep pages included), the total count, the plain pt-BR rows, and the audit row the
 *   API writes for the read of the log.
 * - The baseline: the same page through the plain index the table already had (`auditoria (pessoa_cpf, em)`),
 *   `SELECT … WHERE pessoa_cpf = $1 ORDER BY em DESC LIMIT 20 OFFSET $2`, timed from a pg client (no count, no
 *   audit, no HTTP).
 * - A third row: the API's own SQL (the page as a deferred join on the partial index, and the total count, in
 *   parallel as the service sends them) from the same pg client — the database's share of the API's time.
 * Requests are sequential (concurrency 1): the figure asked is a page's latency, not throughput. Within a round the
 * three alternate, BENCH_PEDIDOS requests each; a fresh sign-in before each round (5-minute tokens). Also reported:
 * the API process's peak RSS, the load average at each round's start, and EXPLAIN ANALYZE of the API's page query at
 * the deepest page. Target: the API's p95 under 100 ms.
 *
 * The other 9,990,000 rows belong to 200,000 other persons (valid CPFs from `completarCpf`), with the action and purpose
 * mix of a live system (a third citizens' own reads, writes, searches, other organs' reads).
 */
import KcAdminClient from '@keycloak/keycloak-admin-client';
import { once } from 'node:events';
import path from 'node:path';
import pg from 'pg';
import { completarCpf } from '../api/src/validation/cpf.js';
import { decodeJwt, discover, loginWithPassword } from '../scripts/support/keycloak-forms.js';
import { ROOT, psqlStdin, gravarResultados, peakRssMiB, percentile, sh, startNode, stopChild, table, waitHttp } from './lib.js';
import { SQL_ACESSOS, SQL_TOTAL_ACESSOS } from '../api/src/portal/acessos.service.js';
import os from 'node:os';

const KC = { instance: 'bench-acessos', http: 8390, mgmt: 9310 };
const API_PORT = 3410;
const DB = 'lum_bench_acessos';
const TOTAL = Number(process.env.BENCH_AUDITORIA ?? 10_000_000);
const ALVO = Number(process.env.BENCH_ALVO ?? 10_000);
const PEDIDOS = Number(process.env.BENCH_PEDIDOS ?? 500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const OUTRAS_PESSOAS = 200_000;
const KNOBS = { BENCH_AUDITORIA: process.env.BENCH_AUDITORIA, BENCH_ALVO: process.env.BENCH_ALVO, BENCH_PEDIDOS: process.env.BENCH_PEDIDOS, BENCH_ROUNDS: process.env.BENCH_ROUNDS };
const SENHA = 'Bench-cidadao-2026';
const REDIRECT = 'http://localhost:4000/callback';
const PAGINA = 20;

const psql = (sql: string, db = 'postgres') => sh('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', db, '-qtAc', sql]);

/**
 * The audit table: TOTAL rows, ALVO of them reads of `alvo`'s record by organs (one in ten a steward's read of one of
 * the citizen's threads, `conversa.lida`), spread evenly over a year. Generated set-based in PostgreSQL (one
 * INSERT … SELECT over generate_series, the other persons' CPFs from a 200,000-row table copied in first) with the
 * table's secondary indexes dropped and rebuilt afterwards, as a bulk load would; then VACUUM ANALYZE. Not measured.
 */
async function carregarAuditoria(alvo: string): Promise<void> {
  const outros = Array.from({ length: OUTRAS_PESSOAS }, (_, i) => completarCpf(String(200_000_000 + i * 13).padStart(9, '0')));
  const leitores = ['{"leitor":{"orgaos":["saude"],"papeis":["gestor-saude"]},"compartilhamento":{"versao":"x","camposVisiveis":["cpf","nome","nomeMae"]}}',
    '{"leitor":{"orgaos":["fazenda"],"papeis":["gestor-fazenda"]}}', '{"leitor":{"orgaos":["cadastro"],"papeis":["gestor-cadastro"]}}', '{"autoatendimento":true}'];
  const t0 = performance.now();
  const indices = (await psql(`select indexname || '|' || indexdef from pg_indexes where tablename = 'auditoria' and indexname <> 'auditoria_pkey'`, DB))
    .trim().split('\n').filter(Boolean).map((l) => { const [nome, ...def] = l.split('|'); return { nome, def: def.join('|') }; });
  const cada = Math.max(1, Math.floor(TOTAL / ALVO));
  const lista = (xs: readonly string[]) => `ARRAY[${xs.map((x) => `'${x}'`).join(', ')}]`;
  await psqlStdin(DB, async (w) => {
    const escrever = async (texto: string) => { if (!w.write(texto)) await once(w, 'drain'); };
    await escrever(`set synchronous_commit = off; set maintenance_work_mem = '256MB';
create temp table outros (k int primary key, cpf char(11) not null);
copy outros (k, cpf) from stdin;
${outros.map((c, k) => `${k}\t${c}`).join('\n')}
\\.
${indices.map((x) => `drop index ${x.nome};`).join('\n')}
insert into auditoria (ator, acao, pessoa_cpf, campos, cliente, finalidade, detalhe, em)
select
  case when alvo then 'gestor.bench' when i % 4 = 3 then 'cidadao' else 'gestor.' || (i % 300) end,
  case when alvo then (case when (i / ${cada}) % 10 = 9 then 'conversa.lida' else 'pessoa.lida' end)
       else (${lista(['pessoa.lida', 'pessoa.lida', 'pessoa.alterada', 'pessoa.buscada', 'conta.lida', 'pessoa.historico-lido', 'revisao.listada'])})[i % 7 + 1] end,
  case when alvo then '${alvo}' else o.cpf end,
  case when alvo then '{cpf,nome,nome_mae}'::text[] else '{cpf,nome}'::text[] end,
  case when alvo then 'sms-saude' else (${lista(['sms-saude', 'sf-fazenda', 'portal-cidadao', 'portal-cidadao'])})[i % 4 + 1] end,
  case when alvo then (case when (i / ${cada}) % 10 = 9 then 'atendimento-cidadao' else 'gestao-cadastro' end)
       when i % 4 = 3 then 'autoatendimento-cidadao' else 'gestao-cadastro' end,
  (case when alvo then '${leitores[0]}' else (${lista(leitores)})[i % 4 + 1] end)::jsonb,
  timestamptz '2025-12-01 00:00:00+00' + (i * (365.0 * 86400 / ${TOTAL})) * interval '1 second'
from (select i, (i % ${cada} = 0 and i / ${cada} < ${ALVO}) as alvo from generate_series(0, ${TOTAL - 1}) i) g
join outros o on o.k = (i::bigint * 7919) % ${OUTRAS_PESSOAS};
${indices.map((x) => `${x.def};`).join('\n')}
`);
  });
  await psql('vacuum analyze auditoria', DB);
  const alvoLinhas = Number((await psql(`select count(*) from auditoria where pessoa_cpf = '${alvo}'`, DB)).trim());
  if (alvoLinhas !== ALVO) throw new Error(`generated ${alvoLinhas} rows for the measured citizen, expected ${ALVO}`);
  console.log(`  ${TOTAL.toLocaleString('en')} audit rows generated, indexed and analysed in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}

interface Medida { p50: number; p95: number; p99: number; max: number }

function medida(ms: number[]): Medida {
  const s = [...ms].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: s[s.length - 1] };
}

async function main(): Promise<void> {
  const cabecalho = `${TOTAL.toLocaleString('en')} audit rows, ${ALVO.toLocaleString('en')} of them reads of the measured citizen's record; `
    + `${ROUNDS} rounds of ${PEDIDOS} sequential requests per target, page of ${PAGINA}, random offset over all pages`;
  console.log(`"Quem acessou meus dados" benchmark: ${cabecalho}.`);
  const kcEnv = { KC_INSTANCE: KC.instance, KC_HTTP_PORT: String(KC.http), KC_MGMT_PORT: String(KC.mgmt), KC_DB_NAME: 'lum_keycloak_bench_acessos', LUM_SKIP_MVN: '1', KC_FRESH_DB: '1' };
  await sh('bash', [path.join(ROOT, 'scripts/keycloak.sh'), 'start'], kcEnv);
  const env = { PORT: String(API_PORT), DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${DB}`, KEYCLOAK_URL: `http://localhost:${KC.http}`,
    QUEUE_PREFIX: 'lum-bench-acessos', LUM_PORTAL_PORT: '0', DB_POOL_MAX: '8' };
  const cliente = new pg.Client({ connectionString: env.DATABASE_URL });
  try {
    await psql(`drop database if exists ${DB} with (force)`);
    await psql(`create database ${DB}`);
    await sh(process.execPath, [path.join(ROOT, 'dist/api/src/db/migrate.js')], env);
    const alvo = completarCpf('987654321');

    // The citizen: a realm account with the cidadao role, signed in through the portal's client.
    const kc = new KcAdminClient({ baseUrl: `http://localhost:${KC.http}`, realmName: 'master' });
    await kc.auth({ grantType: 'password', clientId: 'admin-cli', username: process.env.KEYCLOAK_ADMIN ?? 'admin', password: process.env.KEYCLOAK_ADMIN_PASSWORD ?? 'admin' });
    kc.setConfig({ realmName: 'prefeitura-sp' });
    const { id } = await kc.users.create({ username: alvo, email: `${alvo}@exemplo.sp.gov.br`, firstName: 'Cidadã', lastName: 'Bench', enabled: true, emailVerified: true,
      attributes: { data_nascimento: ['1980-01-01'] }, credentials: [{ type: 'password', value: SENHA, temporary: false }] });
    const papel = await kc.roles.findOneByName({ name: 'cidadao' });
    await kc.users.addRealmRoleMappings({ id, roles: [{ id: papel!.id!, name: papel!.name! }] });
    const portal = await discover(`http://localhost:${KC.http}/realms/prefeitura-sp`, 'portal-cidadao');
    // A fresh sign-in before each round (the realm's access tokens live 5 minutes; the load takes longer).
    const entrar = async () => (await loginWithPassword({ config: portal, redirectUri: REDIRECT, username: alvo, password: SENHA })).access_token;
    await psql(`insert into pessoa (cpf, nome, data_nascimento) values ('${alvo}', 'Cidadã Bench', '1980-01-01')`, DB);
    await psql(`insert into conta (keycloak_user_id, username, cpf_declarado, pessoa_cpf, nivel_confianca) values ('${id}', '${alvo}', '${alvo}', '${alvo}', 3)`, DB);
    await carregarAuditoria(alvo);

    await cliente.connect();
    const sqlBase = `SELECT id, em, acao, cliente, finalidade, campos, detalhe FROM auditoria WHERE pessoa_cpf = $1 ORDER BY em DESC LIMIT ${PAGINA} OFFSET $2`;
    const plano = (await cliente.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sqlBase}`, [alvo, 0])).rows.map((r) => r['QUERY PLAN']).join(' / ');
    // The API's own page query at the deepest page, as PostgreSQL runs it (profile of the API's database share).
    const planoApi = (await cliente.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${SQL_ACESSOS}`, [alvo, PAGINA, ALVO - PAGINA]))
      .rows.map((r) => r['QUERY PLAN'].trim()).join(' / ');
    let token = await entrar();
    const api = startNode('dist/api/src/server.js', env);
    try {
      await waitHttp(`http://127.0.0.1:${API_PORT}/health/live`);
      const paginas = Math.ceil(ALVO / PAGINA);
      const offset = () => PAGINA * Math.floor(Math.random() * paginas);
      const viaApi = async (): Promise<number> => {
        const t0 = performance.now();
        const r = await fetch(`http://127.0.0.1:${API_PORT}/me/acessos?limit=${PAGINA}&offset=${offset()}`, { headers: { authorization: `Bearer ${token}` } });
        const corpo = (await r.json()) as { total?: number; itens?: unknown[] };
        const ms = performance.now() - t0;
        if (r.status !== 200 || corpo.total !== ALVO || corpo.itens?.length !== PAGINA) throw new Error(`API answered ${r.status} ${JSON.stringify(corpo).slice(0, 300)}`);
        return ms;
      };
      const viaSql = async (): Promise<number> => {
        const t0 = performance.now();
        const r = await cliente.query(sqlBase, [alvo, offset()]);
        const ms = performance.now() - t0;
        if (r.rowCount !== PAGINA) throw new Error(`SQL returned ${r.rowCount} rows`);
        return ms;
      };
      // The API's SQL alone (page + total count, as listarAcessos sends them), from the same pg client.
      const viaSqlDaApi = async (): Promise<number> => {
        const t0 = performance.now();
        const [r] = await Promise.all([cliente.query(SQL_ACESSOS, [alvo, PAGINA, offset()]), cliente.query(SQL_TOTAL_ACESSOS, [alvo])]);
        const ms = performance.now() - t0;
        if (r.rowCount !== PAGINA) throw new Error(`the API's SQL returned ${r.rowCount} rows`);
        return ms;
      };
      for (let i = 0; i < 50; i++) { await viaApi(); await viaSql(); await viaSqlDaApi(); }
      const a: number[] = [];
      const b: number[] = [];
      const c: number[] = [];
      const cargas: number[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        token = await entrar();
        const expira = 1000 * Number(decodeJwt(token)['exp']);
        cargas.push(os.loadavg()[0]);
        const ra: number[] = [];
        const rb: number[] = [];
        const rc: number[] = [];
        for (let i = 0; i < PEDIDOS; i++) {
          if (expira - Date.now() < 10_000) throw new Error('the access token expires before the round can end: lower BENCH_PEDIDOS');
          rb.push(await viaSql()); ra.push(await viaApi()); rc.push(await viaSqlDaApi());
        }
        a.push(...ra);
        b.push(...rb);
        c.push(...rc);
        console.log(`  round ${r + 1}: API p95 ${medida(ra).p95.toFixed(1)} ms, plain SQL p95 ${medida(rb).p95.toFixed(1)} ms, the API's SQL p95 ${medida(rc).p95.toFixed(1)} ms (load ${cargas[r].toFixed(1)})`);
      }
      const rss = peakRssMiB(api.pid!);
      const ma = medida(a);
      const mb = medida(b);
      const mc = medida(c);
      const auditadas = Number((await psql(`select count(*) from auditoria where acao = 'acessos.lidos'`, DB)).trim());
      const texto = [
        `${cabecalho}. Client, API, Keycloak and PostgreSQL share the machine.`,
        '',
        table(['target', 'requests', 'p50 (ms)', 'p95 (ms)', 'p99 (ms)', 'max (ms)'], [
          ['lum-api GET /me/acessos (HTTP, token check, page + total count, pt-BR rows, audit row of the read)', a.length, ma.p50, ma.p95, ma.p99, ma.max],
          ['plain indexed SQL: the same page through auditoria (pessoa_cpf, em), from a pg client', b.length, mb.p50, mb.p95, mb.p99, mb.max],
          ['the API\'s own SQL (page by deferred join on the partial index + total count), from a pg client', c.length, mc.p50, mc.p95, mc.p99, mc.max],
        ]),
        '',
        `Peak RSS of the API process: ${rss.toFixed(0)} MiB. 1-minute load average at the start of each round: ${cargas.map((x) => x.toFixed(1)).join(', ')} (2 cores).`,
        '',
        `Plan of the plain query: ${plano}.`,
        '',
        `Plan of the API's page query at the deepest page (offset ${ALVO - PAGINA}), EXPLAIN ANALYZE: ${planoApi}.`,
        '',
        `Audit rows written for the reads of the log: ${auditadas.toLocaleString('en')} (warm-up included). `
          + `Target: the API's p95 under 100 ms — ${ma.p95 < 100 ? 'met' : 'NOT met'} in this run.`,
      ].join('\n');
      console.log(`\n${texto}`);
      await gravarResultados('acessos', '"Quem acessou meus dados" (`bench/acessos.ts`)', KNOBS, texto);
    } finally {
      await stopChild(api);
    }
  } finally {
    await cliente.end().catch(() => undefined);
    await sh('bash', [path.join(ROOT, 'scripts/keycloak.sh'), 'stop'], kcEnv);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
