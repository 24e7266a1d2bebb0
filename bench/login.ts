/**
 * Password sign-ins through the full browser-less form flow, ours next to stock Keycloak, in the same run (issue 5).
 *
 *   ours:  Keycloak 26.7.3 + our provider jar, theme `prefeitura-sp` and realm `prefeitura-sp` (as imported from
 *          realm-export/), client `portal-cidadao`; the event listener `lum-api` is on and posts to a live HTTP
 *          endpoint of this process (see `sink` below).
 *   stock: the same distribution untouched (`KC_STOCK=1`), a realm created through the admin API with defaults only,
 *          one public client requiring PKCE S256, stock theme.
 *
 * Both instances run at once on their own ports and databases (never the dev or test ones). The same number of
 * users, with the same password, hashed by the same policy (checked from the stored credentials, not assumed).
 * One sign-in = GET the authorization endpoint (renders the login page) → POST the login form → 302 with the code →
 * token exchange with the PKCE verifier (openid-client, which also validates the ID token). Fixed concurrency, fixed
 * duration per round; the two targets alternate (ABBA order) for ROUNDS rounds after a warm-up, so the drift of this
 * shared 2-core machine hits both alike. Throughput is the mean of the rounds, latencies are percentiles over every
 * sign-in of all rounds. Target: ours ≥ 0.95 of stock.
 */
import KcAdminClient from '@keycloak/keycloak-admin-client';
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as oidc from 'openid-client';
import { discover, formAction, openAuthorization, postForm } from '../scripts/support/keycloak-forms.js';
import { ROOT, javaPidUnder, peakRssMiB, percentile, sh, table } from './lib.js';

const CONCURRENCY = Number(process.env.BENCH_LOGIN_CONCURRENCY ?? 8);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 20);
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const USERS = Number(process.env.BENCH_LOGIN_USERS ?? 40);
const PASSWORD = 'Bench-login-2026';
const REDIRECT = 'http://localhost:4000/callback';
const SINK_PORT = 3480;

interface Target {
  label: string;
  instance: string;
  http: number;
  mgmt: number;
  db: string;
  stock: boolean;
  realm: string;
  clientId: string;
}

const OURS: Target = {
  label: 'Keycloak + LUM providers, theme, realm', instance: 'bench-login', http: 8480, mgmt: 9400,
  db: 'lum_keycloak_bench_login', stock: false, realm: 'prefeitura-sp', clientId: 'portal-cidadao',
};
const STOCK: Target = {
  label: 'stock Keycloak 26.7.3, default realm (baseline)', instance: 'bench-login-stock', http: 8481, mgmt: 9401,
  db: 'lum_keycloak_bench_login_stock', stock: true, realm: 'bench', clientId: 'bench-spa',
};

const script = path.join(ROOT, 'scripts/keycloak.sh');
const kcEnv = (t: Target) => ({
  KC_INSTANCE: t.instance, KC_HTTP_PORT: String(t.http), KC_MGMT_PORT: String(t.mgmt), KC_DB_NAME: t.db,
  KC_STOCK: t.stock ? '1' : '0', LUM_SKIP_MVN: '1', KEYCLOAK_ADMIN: 'admin', KEYCLOAK_ADMIN_PASSWORD: 'admin',
  LUM_EVENTS_URL: `http://127.0.0.1:${SINK_PORT}/eventos/keycloak`, LUM_EVENTS_HMAC_SECRET: 'bench-events-secret',
});

/** Valid CPFs (check digits computed): our realm's user profile only accepts a CPF as username. */
function cpf(n: number): string {
  const base = String(300_000_000 + n * 7).padStart(9, '0');
  const dv = (s: string) => {
    let soma = 0;
    for (let i = 0; i < s.length; i++) soma += Number(s[i]) * (s.length + 1 - i);
    const r = (soma * 10) % 11;
    return r === 10 ? 0 : r;
  };
  const d1 = dv(base);
  return `${base}${d1}${dv(base + d1)}`;
}

/**
 * Event delivery: our listener forwards REGISTER, UPDATE_PROFILE, DELETE_ACCOUNT and IDENTITY_PROVIDER_FIRST_LOGIN
 * (docs/contracts.md); a sign-in raises LOGIN and CODE_TO_TOKEN, which it inspects and does not forward. So the API
 * would receive nothing here; this endpoint stands in for it, answers 202 like the API, and counts what arrives, so
 * the table can say how many deliveries happened rather than assume none.
 */
function startSink(): Promise<{ server: Server; received: () => number }> {
  let n = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => { n++; res.writeHead(202).end(); });
  });
  return new Promise((resolve) => server.listen(SINK_PORT, '127.0.0.1', () => resolve({ server, received: () => n })));
}

async function admin(t: Target): Promise<KcAdminClient> {
  const kc = new KcAdminClient({ baseUrl: `http://localhost:${t.http}`, realmName: 'master' });
  await kc.auth({ grantType: 'password', clientId: 'admin-cli', username: 'admin', password: 'admin' });
  kc.setConfig({ realmName: t.realm });
  return kc;
}

/** Runs `fn` over `items` with at most `limit` in flight. */
async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

/** Realm (stock only: defaults + one public PKCE client) and the users; returns the password hash the users got. */
async function prepare(t: Target, usernames: string[]): Promise<string> {
  const kc = await admin(t);
  if (t.stock) {
    await kc.realms.create({ realm: t.realm, enabled: true });
    await kc.clients.create({
      clientId: t.clientId, publicClient: true, standardFlowEnabled: true, directAccessGrantsEnabled: false,
      redirectUris: ['http://localhost:4000/*'], attributes: { 'pkce.code.challenge.method': 'S256' },
    });
  }
  await pool(usernames, 4, async (username) => {
    await kc.users.create({
      username, email: `${username}@bench.example`, firstName: 'Pessoa', lastName: 'de Teste', enabled: true, emailVerified: true,
      ...(t.stock ? {} : { attributes: { cpf: [username] } }),
      credentials: [{ type: 'password', value: PASSWORD, temporary: false }],
    });
  });
  const [u] = await kc.users.find({ username: usernames[0], exact: true });
  const [cred] = await kc.users.getCredentials({ id: u!.id! });
  const data = JSON.parse(cred!.credentialData ?? '{}') as { algorithm?: string; hashIterations?: number; additionalParameters?: Record<string, string[]> };
  const p = data.additionalParameters ?? {};
  return `${data.algorithm} i=${data.hashIterations} ${['type', 'memory', 'parallelism'].map((k) => `${k}=${p[k]?.[0] ?? '-'}`).join(' ')}`;
}

interface Sample { total: number; page: number; post: number; token: number }
interface Round { ok: number; errors: number; seconds: number; samples: Sample[]; firstError?: string }

/** One sign-in: login page, form POST, code for tokens (PKCE). Times each step, in ms. */
async function signIn(config: oidc.Configuration, username: string): Promise<Sample> {
  const t0 = performance.now();
  const { jar, page, codeVerifier, state } = await openAuthorization({ config, redirectUri: REDIRECT });
  if (page.status !== 200) throw new Error(`login page answered ${page.status}`);
  const t1 = performance.now();
  const res = await postForm(jar, formAction(page.html, 'kc-form-login'), { username, password: PASSWORD, credentialId: '' });
  await res.arrayBuffer();
  const location = res.headers.get('location');
  if (res.status !== 302 || !location?.startsWith(REDIRECT)) throw new Error(`login POST answered ${res.status} ${location ?? ''}`);
  const t2 = performance.now();
  const tokens = await oidc.authorizationCodeGrant(config, new URL(location), { pkceCodeVerifier: codeVerifier, expectedState: state });
  if (!tokens.access_token || !tokens.id_token) throw new Error('token response without access or ID token');
  const t3 = performance.now();
  return { total: t3 - t0, page: t1 - t0, post: t2 - t1, token: t3 - t2 };
}

async function round(config: oidc.Configuration, usernames: string[], seconds: number): Promise<Round> {
  const samples: Sample[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let next = 0;
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (performance.now() < end) {
      try {
        samples.push(await signIn(config, usernames[next++ % usernames.length]!));
      } catch (err) {
        errors++;
        firstError ??= String(err).slice(0, 300);
      }
    }
  }));
  return { ok: samples.length, errors, seconds: (performance.now() - t0) / 1000, samples, firstError };
}

interface Summary { rate: number; p50: number; p95: number; p99: number; errors: number; page: number; post: number; token: number; rates: number[] }

function summarize(rounds: Round[]): Summary {
  const all = rounds.flatMap((r) => r.samples);
  const q = (f: (s: Sample) => number, p: number) => percentile(all.map(f).sort((a, b) => a - b), p);
  const rates = rounds.map((r) => r.ok / r.seconds);
  return {
    rate: rates.reduce((a, b) => a + b, 0) / rates.length, rates,
    p50: q((s) => s.total, 50), p95: q((s) => s.total, 95), p99: q((s) => s.total, 99),
    errors: rounds.reduce((n, r) => n + r.errors, 0),
    page: q((s) => s.page, 50), post: q((s) => s.post, 50), token: q((s) => s.token, 50),
  };
}

function javaPid(t: Target): number {
  return javaPidUnder(Number(readFileSync(path.join(ROOT, `.run/keycloak-${t.instance}.pid`), 'utf8')));
}

async function main(): Promise<void> {
  console.log(`Sign-in benchmark: ${USERS} users per instance, concurrency ${CONCURRENCY}, warm-up ${WARMUP_S} s, `
    + `${ROUNDS} alternating rounds of ${DURATION_S} s per target; both Keycloaks alive at once.`);
  const sink = await startSink();
  const targets = [STOCK, OURS];
  try {
    const t0 = performance.now();
    await Promise.all(targets.map((t) => sh('bash', [script, 'start'], { ...kcEnv(t), KC_FRESH_DB: '1' })));
    console.log(`  both instances ready in ${((performance.now() - t0) / 1000).toFixed(0)} s`);

    const usernames = Array.from({ length: USERS }, (_, i) => cpf(i + 1));
    const hashes = await Promise.all(targets.map((t) => prepare(t, usernames)));
    console.log(`  password hashes — stock: ${hashes[0]}; ours: ${hashes[1]}`);
    if (hashes[0] !== hashes[1]) throw new Error('the two realms hash passwords differently: the comparison would not be fair');

    const configs = await Promise.all(targets.map((t) => discover(`http://localhost:${t.http}/realms/${t.realm}`, t.clientId)));
    const deliveredBefore = sink.received();
    for (let i = 0; i < targets.length; i++) {
      const w = await round(configs[i]!, usernames, WARMUP_S);
      if (w.ok === 0) throw new Error(`${targets[i]!.label}: no sign-in succeeded during warm-up (${w.firstError})`);
    }
    const results: Round[][] = targets.map(() => []);
    for (let r = 0; r < ROUNDS; r++) {
      const order = r % 2 === 0 ? [0, 1] : [1, 0];
      for (const i of order) results[i]!.push(await round(configs[i]!, usernames, DURATION_S));
      console.log(`  round ${r + 1}: stock ${(results[0]![r]!.ok / results[0]![r]!.seconds).toFixed(1)}/s, `
        + `ours ${(results[1]![r]!.ok / results[1]![r]!.seconds).toFixed(1)}/s`);
    }
    const [s, o] = results.map(summarize) as [Summary, Summary];
    const rss = targets.map((t) => peakRssMiB(javaPid(t)));
    console.log();
    console.log(table(
      ['target', 'sign-ins/s', 'p50 (ms)', 'p95 (ms)', 'p99 (ms)', 'errors', 'page / POST / token p50 (ms)', 'peak RSS (MiB)', 'vs stock'],
      [
        [STOCK.label, s.rate, s.p50, s.p95, s.p99, s.errors, `${s.page.toFixed(0)} / ${s.post.toFixed(0)} / ${s.token.toFixed(0)}`, rss[0]!, '1.00'],
        [OURS.label, o.rate, o.p50, o.p95, o.p99, o.errors, `${o.page.toFixed(0)} / ${o.post.toFixed(0)} / ${o.token.toFixed(0)}`, rss[1]!,
          `${(o.rate / s.rate).toFixed(2)} throughput, ${(o.p95 / s.p95).toFixed(2)} p95`],
      ],
    ));
    console.log(`\nRounds (ours/stock throughput): ${o.rates.map((x, i) => (x / s.rates[i]!).toFixed(2)).join(', ')}. `
      + `Events delivered by our listener during the sign-ins: ${sink.received() - deliveredBefore}. `
      + 'Target: ours ≥ 0.95 of stock.');
    const firstErrors = results.flat().map((r) => r.firstError).filter(Boolean);
    if (s.errors + o.errors > 0) throw new Error(`sign-ins failed during the run: the figures are not valid (${firstErrors[0]})`);
  } finally {
    for (const t of targets) await sh('bash', [script, 'stop'], kcEnv(t)).catch((e) => console.error(String(e)));
    sink.server.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
