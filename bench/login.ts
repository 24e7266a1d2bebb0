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
 * duration per round; the targets run in rotating order for ROUNDS rounds after a warm-up, so the drift of this
 * shared 2-core machine hits them alike. Throughput is the mean of the rounds, latencies are percentiles over every
 * sign-in of all rounds, and "Keycloak CPU per sign-in" is the Java process's user+system CPU time during its rounds
 * divided by the sign-ins — the figure least disturbed by other load on the machine.
 *
 * A third row, the control, serves the stock realm (defaults, stock theme) from OUR instance: ours vs control is the
 * cost of our realm, theme and listener on the very same JVM; control vs stock is how much two JVMs of the same build
 * differ. BENCH_LOGIN_PROFILE=1 adds variants of the control with one group of our realm's settings each.
 * Target: ours ≥ 0.95 of stock. Knobs: BENCH_DURATION_S (20), BENCH_WARMUP_S (10), BENCH_ROUNDS (3),
 * BENCH_LOGIN_CONCURRENCY (8), BENCH_LOGIN_USERS (40), BENCH_LOGIN_REUSE=1 (keep running instances, for iterating).
 */
import KcAdminClient from '@keycloak/keycloak-admin-client';
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as oidc from 'openid-client';
import { completarCpf } from '../api/src/validation/cpf.js';
import { discover, formAction, openAuthorization, pageErrors, postForm } from '../scripts/support/keycloak-forms.js';
import { ROOT, javaPidUnder, peakRssMiB, percentile, sh, table } from './lib.js';

const CONCURRENCY = Number(process.env.BENCH_LOGIN_CONCURRENCY ?? 8);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 20);
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const USERS = Number(process.env.BENCH_LOGIN_USERS ?? 40);
const PASSWORD = 'Bench-login-2026';
const REDIRECT = 'http://localhost:4000/callback';
const SINK_PORT = 3480;
/** BENCH_LOGIN_REUSE=1 (iterating on the bench): keep instances that are running, their realm and users; leave them running. */
const REUSE = process.env.BENCH_LOGIN_REUSE === '1';

interface Target {
  label: string;
  instance: string;
  http: number;
  mgmt: number;
  db: string;
  stock: boolean;
  realm: string;
  clientId: string;
  /** The bench creates this realm through the admin API with defaults only (else: the realm imported from git). */
  defaults: boolean;
  /** Profile variants only: settings copied from our realm file onto the default realm. */
  settings?: Record<string, unknown>;
}

const OURS: Target = {
  label: 'Keycloak + LUM providers, theme, realm', instance: 'bench-login', http: 8480, mgmt: 9400,
  db: 'lum_keycloak_bench_login', stock: false, realm: 'prefeitura-sp', clientId: 'portal-cidadao', defaults: false,
};
const STOCK: Target = {
  label: 'stock Keycloak 26.7.3, default realm (baseline)', instance: 'bench-login-stock', http: 8481, mgmt: 9401,
  db: 'lum_keycloak_bench_login_stock', stock: true, realm: 'bench', clientId: 'bench-spa', defaults: true,
};
/**
 * Control: the stock realm (defaults, stock theme) served by OUR instance. Ours vs control isolates what our realm,
 * theme and listener cost on the very same JVM; control vs stock shows how much two JVMs of the same build differ.
 */
const CONTROL: Target = { ...OURS, label: 'our instance, default realm and theme (control)', realm: 'bench', clientId: 'bench-spa', defaults: true };

/**
 * BENCH_LOGIN_PROFILE=1: where our realm's cost goes. Each variant is the control realm plus one group of settings
 * taken from realm-export/prefeitura-sp.json (not restated here), measured in the same rotation.
 */
const PROFILE = process.env.BENCH_LOGIN_PROFILE === '1';
function variants(): Target[] {
  const ours = JSON.parse(readFileSync(path.join(ROOT, 'realm-export/prefeitura-sp.json'), 'utf8')) as Record<string, unknown>;
  const pick = (...keys: string[]) => Object.fromEntries(keys.map((k) => [k, ours[k]]));
  const groups: [string, string, Record<string, unknown>][] = [
    ['p-events', 'event storage (LOGIN, CODE_TO_TOKEN… in the DB)', pick('eventsEnabled', 'enabledEventTypes', 'eventsExpiration')],
    ['p-listener', 'the lum-api event listener', pick('eventsListeners')],
    ['p-brute', 'brute-force detection', pick('bruteForceProtected', 'permanentLockout', 'failureFactor', 'waitIncrementSeconds',
      'maxFailureWaitSeconds', 'minimumQuickLoginWaitSeconds', 'quickLoginCheckMilliSeconds', 'maxDeltaTimeSeconds')],
    ['p-theme', 'theme prefeitura-sp in pt-BR', pick('loginTheme', 'internationalizationEnabled', 'supportedLocales', 'defaultLocale',
      'displayName', 'displayNameHtml')],
  ];
  return groups.map(([realm, what, settings]) => ({ ...CONTROL, realm, label: `control + ${what}`, settings }));
}

const script = path.join(ROOT, 'scripts/keycloak.sh');
const kcEnv = (t: Target) => ({
  KC_INSTANCE: t.instance, KC_HTTP_PORT: String(t.http), KC_MGMT_PORT: String(t.mgmt), KC_DB_NAME: t.db,
  KC_STOCK: t.stock ? '1' : '0', LUM_SKIP_MVN: '1', KEYCLOAK_ADMIN: 'admin', KEYCLOAK_ADMIN_PASSWORD: 'admin',
  LUM_EVENTS_URL: `http://127.0.0.1:${SINK_PORT}/eventos/keycloak`, LUM_EVENTS_HMAC_SECRET: 'bench-events-secret',
});

/** Valid CPFs (check digits from the API's completarCpf): our realm's user profile only accepts a CPF as username. */
const cpf = (n: number): string => completarCpf(String(300_000_000 + n * 7).padStart(9, '0'));

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
    while (next < items.length) await fn(items[next++]);
  }));
}

/** Realm (when `defaults`: a new realm with defaults + one public PKCE client) and the users; returns the password hash they got. */
async function prepare(t: Target, usernames: string[]): Promise<string> {
  const kc = await admin(t);
  if (t.defaults && !(REUSE && (await kc.realms.findOne({ realm: t.realm })))) {
    await kc.realms.create({ realm: t.realm, enabled: true, ...t.settings });
    await kc.clients.create({
      clientId: t.clientId, publicClient: true, standardFlowEnabled: true, directAccessGrantsEnabled: false,
      redirectUris: ['http://localhost:4000/*'], attributes: { 'pkce.code.challenge.method': 'S256' },
    });
  }
  await pool(usernames, 4, async (username) => {
    if (REUSE && (await kc.users.find({ username, exact: true })).length > 0) return;
    await kc.users.create({
      username, email: `${username}@bench.example`, firstName: 'Pessoa', lastName: 'de Teste', enabled: true, emailVerified: true,
      ...(t.defaults ? {} : { attributes: { cpf: [username] } }),
      credentials: [{ type: 'password', value: PASSWORD, temporary: false }],
    });
  });
  const [u] = await kc.users.find({ username: usernames[0], exact: true });
  const [cred] = await kc.users.getCredentials({ id: u.id! });
  const data = JSON.parse(cred.credentialData ?? '{}') as { algorithm?: string; hashIterations?: number; additionalParameters?: Record<string, string[]> };
  const p = data.additionalParameters ?? {};
  return `${data.algorithm} i=${data.hashIterations} ${['type', 'memory', 'parallelism'].map((k) => `${k}=${p[k]?.[0] ?? '-'}`).join(' ')}`;
}

interface Sample { total: number; page: number; post: number; token: number }
interface Round { ok: number; errors: number; seconds: number; cpu: number; samples: Sample[]; firstError?: string }

/** CPU time (user + system, all threads) a process has used so far, in seconds. Clock ticks are 100 Hz on Linux. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

/** One sign-in: login page, form POST, code for tokens (PKCE). Times each step, in ms. */
async function signIn(config: oidc.Configuration, username: string): Promise<Sample> {
  const t0 = performance.now();
  const { jar, page, codeVerifier, state } = await openAuthorization({ config, redirectUri: REDIRECT });
  if (page.status !== 200) throw new Error(`login page answered ${page.status}`);
  const t1 = performance.now();
  const res = await postForm(jar, formAction(page.html, 'kc-form-login'), { username, password: PASSWORD, credentialId: '' });
  const body = await res.text();
  const location = res.headers.get('location');
  if (res.status !== 302 || !location?.startsWith(REDIRECT)) {
    throw new Error(`login POST for ${username} answered ${res.status} ${location ?? ''} ${res.status === 200 ? pageErrors(body).slice(0, 200) : ''}`);
  }
  const t2 = performance.now();
  const tokens = await oidc.authorizationCodeGrant(config, new URL(location), { pkceCodeVerifier: codeVerifier, expectedState: state });
  if (!tokens.access_token || !tokens.id_token) throw new Error('token response without access or ID token');
  const t3 = performance.now();
  return { total: t3 - t0, page: t1 - t0, post: t2 - t1, token: t3 - t2 };
}

/**
 * Each worker signs in its own users in turn, so no account ever has two sign-ins in flight: with brute-force
 * detection on (our realm), Keycloak 26 counts a sign-in as a possible failure until it succeeds and refuses a
 * concurrent one for the same account (user_temporarily_disabled) — by design, and what one person never does.
 */
async function round(config: oidc.Configuration, usernames: string[], seconds: number, pid: number): Promise<Round> {
  const cpu0 = cpuSeconds(pid);
  const samples: Sample[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  await Promise.all(Array.from({ length: CONCURRENCY }, async (_, w) => {
    const mine = usernames.filter((_u, i) => i % CONCURRENCY === w);
    for (let n = 0; performance.now() < end; n++) {
      try {
        samples.push(await signIn(config, mine[n % mine.length]));
      } catch (err) {
        errors++;
        firstError ??= String(err).slice(0, 400);
      }
    }
  }));
  return { ok: samples.length, errors, seconds: (performance.now() - t0) / 1000, cpu: cpuSeconds(pid) - cpu0, samples, firstError };
}

interface Summary { cpuMs: number; rate: number; p50: number; p95: number; p99: number; errors: number; page: number; post: number; token: number; rates: number[] }

function summarize(rounds: Round[]): Summary {
  const all = rounds.flatMap((r) => r.samples);
  const q = (f: (s: Sample) => number, p: number) => percentile(all.map(f).sort((a, b) => a - b), p);
  const rates = rounds.map((r) => r.ok / r.seconds);
  return {
    cpuMs: (1000 * rounds.reduce((c, r) => c + r.cpu, 0)) / all.length,
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
  console.log(`Sign-in benchmark: ${USERS} users per realm, concurrency ${CONCURRENCY}, warm-up ${WARMUP_S} s, `
    + `${ROUNDS} rounds of ${DURATION_S} s per target in rotating order; both Keycloaks alive at once.`);
  if (USERS < CONCURRENCY) throw new Error('BENCH_LOGIN_USERS must be at least the concurrency');
  const sink = await startSink();
  const instances = [STOCK, OURS];
  const targets = [STOCK, OURS, CONTROL, ...(PROFILE ? variants() : [])];
  try {
    const t0 = performance.now();
    await Promise.all(instances.map((t) => sh('bash', [script, 'start'], { ...kcEnv(t), KC_FRESH_DB: REUSE ? '0' : '1' })));
    console.log(`  both instances ready in ${((performance.now() - t0) / 1000).toFixed(0)} s`);

    const usernames = Array.from({ length: USERS }, (_, i) => cpf(i + 1));
    const hashes = await Promise.all(targets.map((t) => prepare(t, usernames)));
    console.log(`  password hashes — ${targets.map((t, i) => `${t.instance}/${t.realm}: ${hashes[i]}`).join('; ')}`);
    if (new Set(hashes).size !== 1) throw new Error('the realms hash passwords differently: the comparison would not be fair');

    const configs = await Promise.all(targets.map((t) => discover(`http://localhost:${t.http}/realms/${t.realm}`, t.clientId)));
    const pids = targets.map(javaPid);
    const deliveredBefore = sink.received();
    for (let i = 0; i < targets.length; i++) {
      const w = await round(configs[i], usernames, WARMUP_S, pids[i]);
      if (w.ok === 0) throw new Error(`${targets[i].label}: no sign-in succeeded during warm-up (${w.firstError})`);
    }
    const results: Round[][] = targets.map(() => []);
    const rate = (r: Round) => (r.ok / r.seconds).toFixed(1);
    for (let r = 0; r < ROUNDS; r++) {
      // Rotating order (0 1 2, 1 2 0, 2 0 1, …): each target runs first, middle and last once every three rounds.
      const order = targets.map((_, k) => (k + r) % targets.length);
      for (const i of order) results[i].push(await round(configs[i], usernames, DURATION_S, pids[i]));
      console.log(`  round ${r + 1}: ${targets.map((t, i) => `${t.instance}/${t.realm} ${rate(results[i][r])}/s`).join(', ')}`);
    }
    const all = results.map(summarize);
    const [s, o, c] = all as [Summary, Summary, Summary];
    const rss = pids.map(peakRssMiB);
    const ratio = (x: Summary, base: Summary) =>
      `${(x.rate / base.rate).toFixed(2)} throughput, ${(x.p95 / base.p95).toFixed(2)} p95, ${(x.cpuMs / base.cpuMs).toFixed(2)} CPU`;
    const row = (t: Target, x: Summary, mem: number, vs: string) =>
      [t.label, x.rate, x.p50, x.p95, x.p99, x.errors, `${x.page.toFixed(0)} / ${x.post.toFixed(0)} / ${x.token.toFixed(0)}`, x.cpuMs, mem, vs];
    console.log();
    console.log(table(
      ['target', 'sign-ins/s', 'p50 (ms)', 'p95 (ms)', 'p99 (ms)', 'errors', 'page / POST / token p50 (ms)', 'Keycloak CPU per sign-in (ms)', 'peak RSS (MiB)', 'vs stock'],
      [row(STOCK, s, rss[0], '1.00'), row(OURS, o, rss[1], ratio(o, s)), row(CONTROL, c, rss[2], ratio(c, s))],
    ));
    console.log(`\nOurs vs stock per round (throughput): ${o.rates.map((x, i) => (x / s.rates[i]).toFixed(2)).join(', ')}. `
      + `Ours vs control, same JVM: ${ratio(o, c)}. Events delivered by our listener during the sign-ins: `
      + `${sink.received() - deliveredBefore}. Target: ours ≥ 0.95 of stock.`);
    const firstErrors = results.flat().map((r) => r.firstError).filter(Boolean);
    if (PROFILE) {
      console.log('\nProfile (same JVM, vs the control realm):');
      console.log(table(['variant', 'sign-ins/s', 'p95 (ms)', 'page / POST / token p50 (ms)', 'Keycloak CPU per sign-in (ms)', 'vs control'],
        targets.slice(2).map((t, k) => {
          const x = all[k + 2];
          return [t.label, x.rate, x.p95, `${x.page.toFixed(0)} / ${x.post.toFixed(0)} / ${x.token.toFixed(0)}`, x.cpuMs, k === 0 ? '1.00' : ratio(x, c)];
        })));
    }
    if (all.some((x) => x.errors > 0)) throw new Error(`sign-ins failed during the run: the figures are not valid (${firstErrors[0]})`);
  } finally {
    if (!REUSE) for (const t of instances) await sh('bash', [script, 'stop'], kcEnv(t)).catch((e) => console.error(String(e)));
    sink.server.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
