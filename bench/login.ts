/**
 * Password sign-ins through the full browser-less form flow (issue 10): one sign-in = GET the authorization endpoint
 * (renders the login page) → POST the login form → 302 with the code → token exchange with the PKCE verifier
 * (openid-client, which also validates the ID token).
 *
 * Leading comparison, like for like, on ONE Keycloak instance (ours: Keycloak 26.7.3 + our provider jar):
 *   ours:     realm `prefeitura-sp` as imported from realm-export/, theme `prefeitura-sp`, client `portal-cidadao`,
 *             the event listener `lum-api` on (it posts to a live HTTP endpoint of this process, see `sink` below);
 *   baseline: a realm created through the admin API with defaults only, stock theme, one public client requiring
 *             PKCE S256 — plus our realm's brute-force detection settings (read from the realm file), since
 *             brute-force detection is on in ours and the comparison is meant to show what else our realm costs;
 *   the same default realm with brute-force detection OFF: how much the detection itself costs on this instance.
 * Client policies (issue 15): our realm next to itself without its client policies (removed through the admin API
 * for that target's rounds only) — target: with ≥ 0.95 of without. Before every round of either, the bench writes
 * that target's realm state through the admin API (the same calls for both) and signs in for BENCH_LOGIN_SETTLE_S
 * unmeasured seconds; then one more round of each under Java Flight Recorder gives the share of Keycloak's Java CPU
 * samples in client-policy code, which the machine's other load does not move. Per policy, executor and setting:
 * bench/login-politicas.ts.
 * Second comparison, across processes: the untouched distribution (`KC_STOCK=1`, no providers) with the default
 * realm, next to the default realm on our instance — two JVMs of one build differ by more than our realm does, so
 * this table carries a caveat.
 *
 * Both instances run at once on their own ports and databases (never the dev or test ones). Every realm has the same
 * users with the same password, hashed by the same policy (checked from the stored credentials, not assumed). Fixed
 * concurrency, fixed duration per round; the targets run in serpentine order (forward, backward, …) for ROUNDS rounds
 * after a warm-up, the pairs compared next to each other, so the drift of this shared 2-core machine (other agents
 * run on it; the load average per round is printed) hits them alike. Throughput is the mean of the rounds, latencies
 * are percentiles over every sign-in of all rounds, and "Keycloak CPU per sign-in" is the Java process's user+system
 * CPU time during its rounds divided by the sign-ins; the ratios are also given per round, with their median.
 *
 * BENCH_LOGIN_PROFILE=1 adds variants of the default realm with one group of our realm's settings each.
 * Target: ours ≥ 0.95 of the like-for-like baseline. Knobs: BENCH_DURATION_S (12), BENCH_WARMUP_S (10),
 * BENCH_ROUNDS (6), BENCH_LOGIN_SETTLE_S (3), BENCH_LOGIN_JFR_S (15), BENCH_LOGIN_CONCURRENCY (8), BENCH_LOGIN_USERS (40),
 * BENCH_LOGIN_REUSE=1 (keep running instances, for iterating). Results: bench/resultados/login.md.
 */
import { peakRssMiB, gravarResultados, table } from './lib.js';
import {
  BRUTE_FORCE, CONCURRENCY, OURS, REUSE, SETTLE_S, USERS, correrRodadas, javaPid, perfilarAlvos, pick, porRodada, prepare,
  startInstance, startSink, stopInstance, summarize, usernames, type Summary, type Target,
} from './login-comum.js';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 12);
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const JFR_S = Number(process.env.BENCH_LOGIN_JFR_S ?? 15);
const KNOBS = {
  BENCH_DURATION_S: process.env.BENCH_DURATION_S, BENCH_WARMUP_S: process.env.BENCH_WARMUP_S, BENCH_ROUNDS: process.env.BENCH_ROUNDS,
  BENCH_LOGIN_SETTLE_S: process.env.BENCH_LOGIN_SETTLE_S, BENCH_LOGIN_CONCURRENCY: process.env.BENCH_LOGIN_CONCURRENCY,
  BENCH_LOGIN_USERS: process.env.BENCH_LOGIN_USERS, BENCH_LOGIN_REUSE: process.env.BENCH_LOGIN_REUSE, BENCH_LOGIN_PROFILE: process.env.BENCH_LOGIN_PROFILE,
  BENCH_LOGIN_JFR_S: process.env.BENCH_LOGIN_JFR_S,
};

/** The like-for-like baseline: default realm and theme on OUR instance, with our realm's brute-force detection. */
const BASE_BF: Target = {
  ...OURS, label: 'default realm and theme + our brute-force settings (baseline)', realm: 'bench-bf', clientId: 'bench-spa', defaults: true,
  settings: BRUTE_FORCE, variacao: undefined,
};
/**
 * Issue 15: our realm with its client policies (RFC 9700, realm-export/) next to the same realm without them — same
 * instance, same realm, users and client; before each round of either, the bench writes that target's policies
 * through the admin API (the same calls for both) and signs in for a few unmeasured seconds.
 */
const OURS_SEM_POLITICAS: Target = { ...OURS, label: 'our realm without its client policies (removed for these rounds only)', variacao: (e) => ({ ...e, politicas: [] }) };
/** Control: the default realm (brute-force detection off, Keycloak's default) on our instance. */
const CONTROL: Target = { ...BASE_BF, label: 'default realm and theme, brute-force detection off', realm: 'bench', settings: undefined };
const STOCK: Target = {
  label: 'stock Keycloak 26.7.3 process, default realm and theme', instance: 'bench-login-stock', http: 8481, mgmt: 9401,
  db: 'lum_keycloak_bench_login_stock', stock: true, realm: 'bench', clientId: 'bench-spa', defaults: true,
};

/**
 * BENCH_LOGIN_PROFILE=1: where our realm's cost goes. Each variant is the like-for-like baseline (default realm +
 * brute-force settings) plus one group of settings taken from realm-export/prefeitura-sp.json, in the same rotation.
 * (What issue 15's client policies and settings cost, one by one: bench/login-politicas.ts.)
 */
const PROFILE = process.env.BENCH_LOGIN_PROFILE === '1';
function variants(): Target[] {
  const groups: [string, string, Record<string, unknown>][] = [
    ['p-events', 'event storage (LOGIN, CODE_TO_TOKEN… in the DB)', pick('eventsEnabled', 'enabledEventTypes', 'eventsExpiration')],
    ['p-listener', 'the lum-api event listener', pick('eventsListeners')],
    ['p-theme', 'theme prefeitura-sp in pt-BR', pick('loginTheme', 'internationalizationEnabled', 'supportedLocales', 'defaultLocale',
      'displayName', 'displayNameHtml')],
  ];
  return groups.map(([realm, what, settings]) => ({ ...BASE_BF, realm, label: `baseline + ${what}`, settings: { ...BRUTE_FORCE, ...settings } }));
}

async function main(): Promise<void> {
  console.log(`Sign-in benchmark: ${USERS} users per realm, concurrency ${CONCURRENCY}, warm-up ${WARMUP_S} s, `
    + `${ROUNDS} rounds of ${DURATION_S} s per target in serpentine order; both Keycloaks alive at once.`);
  if (USERS < CONCURRENCY) throw new Error('BENCH_LOGIN_USERS must be at least the concurrency');
  const sink = await startSink();
  const instances = [STOCK, OURS];
  // Order matters (serpentine rounds): the pairs compared run next to each other — baseline and ours, ours with and without policies.
  const targets = [BASE_BF, OURS, OURS_SEM_POLITICAS, CONTROL, STOCK, ...(PROFILE ? variants() : [])];
  const VARIANTES = 5;
  try {
    const t0 = performance.now();
    // One after the other: two JVMs booting at once on a loaded 2-core machine can miss the start script's timeout.
    for (const t of instances) await startInstance(t);
    console.log(`  both instances ready in ${((performance.now() - t0) / 1000).toFixed(0)} s`);

    const nomes = usernames();
    // OURS_SEM_POLITICAS is OURS's realm and users: prepared once.
    const preparados = targets.filter((t) => t !== OURS_SEM_POLITICAS);
    const hashes = await Promise.all(preparados.map((t) => prepare(t, nomes)));
    console.log(`  password hashes — ${preparados.map((t, i) => `${t.instance}/${t.realm}: ${hashes[i]}`).join('; ')}`);
    if (new Set(hashes).size !== 1) throw new Error('the realms hash passwords differently: the comparison would not be fair');

    const deliveredBefore = sink.received();
    const results = await correrRodadas(targets, nomes, { rounds: ROUNDS, seconds: DURATION_S, warmup: WARMUP_S });
    const jfr = await perfilarAlvos([OURS, OURS_SEM_POLITICAS], nomes, JFR_S);
    const parte = (k: number, g: number) => `${(100 * jfr[k].partes[g]).toFixed(1)} %`;
    const all = results.map(summarize);
    const [bf, o, semP, c, s] = all as [Summary, Summary, Summary, Summary, Summary];
    const rss = [javaPid(STOCK), javaPid(OURS)].map(peakRssMiB);
    const cargas = results[0].map((_r, i) => Math.max(...results.map((x) => x[i].load)));
    const ratio = (x: Summary, base: Summary) =>
      `${(x.rate / base.rate).toFixed(2)} throughput, ${(x.p95 / base.p95).toFixed(2)} p95, ${(x.cpuMs / base.cpuMs).toFixed(2)} CPU`;
    const cols = (x: Summary) => [x.rate, x.p50, x.p95, x.p99, x.errors, `${x.page.toFixed(0)} / ${x.post.toFixed(0)} / ${x.token.toFixed(0)}`, x.cpuMs];
    const head = ['sign-ins/s', 'p50 (ms)', 'p95 (ms)', 'p99 (ms)', 'errors', 'page / POST / token p50 (ms)', 'Keycloak CPU per sign-in (ms)'];
    const texto = [
      `${USERS} users per realm (same password, same hash: ${hashes[0]}), concurrency ${CONCURRENCY}, warm-up ${WARMUP_S} s, `
        + `${ROUNDS} rounds of ${DURATION_S} s per target in serpentine order (our realm: its state written through the admin API and ${SETTLE_S} s of `
        + 'unmeasured sign-ins before each round); throughput is the mean of the rounds, latencies are over every sign-in, "CPU" is the Keycloak '
        + `process's CPU time over a target's rounds per sign-in. Highest 1-minute load average at the start of a round, per round: `
        + `${cargas.map((x) => x.toFixed(1)).join(', ')} (2 cores, shared).`,
      '',
      `Like for like — one Keycloak instance (ours: 26.7.3 + LUM providers), peak RSS ${rss[1].toFixed(0)} MiB:`,
      '',
      table(['realm on our instance', ...head, 'vs baseline'], [
        [BASE_BF.label, ...cols(bf), '1.00'],
        [OURS.label, ...cols(o), ratio(o, bf)],
        [CONTROL.label, ...cols(c), ratio(c, bf)],
      ]),
      '',
      `Ours vs baseline per round: throughput ${porRodada(o.rates, bf.rates)}; CPU per sign-in ${porRodada(o.cpus, bf.cpus)}. `
        + `Brute-force detection off vs on, same realm otherwise: ${ratio(c, bf)}. Events delivered by our listener during the sign-ins: `
        + `${sink.received() - deliveredBefore}. Target: ours ≥ 0.95 of the baseline.`,
      '',
      'Client policies (issue 15) — our realm with and without its client policies, same instance, realm, users and client '
        + '(the first row\'s rounds run with the policies removed through the admin API):',
      '',
      table(['realm on our instance', ...head, 'vs without policies'], [
        [OURS_SEM_POLITICAS.label, ...cols(semP), '1.00'],
        [OURS.label, ...cols(o), ratio(o, semP)],
      ]),
      '',
      `With vs without policies per round: throughput ${porRodada(o.rates, semP.rates)}; CPU per sign-in ${porRodada(o.cpus, semP.cpus)}. `
        + 'Target: with ≥ 0.95 of without. '
        + `Under Java Flight Recorder (one more ${JFR_S} s round of each; execution samples of Keycloak's running Java threads, the share with a `
        + `frame in the group — a figure the machine's other load does not move): client-policy code (org.keycloak.services.clientpolicy) ${parte(0, 0)} `
        + `of ${jfr[0].amostras} samples with the policies, ${parte(1, 0)} of ${jfr[1].amostras} without; password hashing (Argon2) ${parte(0, 1)} and ${parte(1, 1)}.`,
      '',
      'Across processes — the untouched distribution next to our instance, both serving the default realm (brute-force detection off). '
        + 'Two JVMs of one build can differ by more than a realm does: read these ratios as process-to-process variation, not as the cost of our realm.',
      '',
      table(['target', ...head, 'peak RSS (MiB)', 'vs stock'], [
        [STOCK.label, ...cols(s), rss[0], '1.00'],
        [`our instance, ${CONTROL.label}`, ...cols(c), rss[1], ratio(c, s)],
        [`our instance, ${OURS.label}`, ...cols(o), rss[1], ratio(o, s)],
      ]),
    ];
    if (PROFILE) {
      texto.push('', 'Profile (same JVM, each variant = the baseline + one group of our realm\'s settings):', '',
        table(['variant', 'sign-ins/s', 'p95 (ms)', 'page / POST / token p50 (ms)', 'Keycloak CPU per sign-in (ms)', 'vs baseline'],
          [[BASE_BF.label, bf.rate, bf.p95, `${bf.page.toFixed(0)} / ${bf.post.toFixed(0)} / ${bf.token.toFixed(0)}`, bf.cpuMs, '1.00'],
            ...targets.slice(VARIANTES).map((t, k) => {
              const x = all[k + VARIANTES];
              return [t.label, x.rate, x.p95, `${x.page.toFixed(0)} / ${x.post.toFixed(0)} / ${x.token.toFixed(0)}`, x.cpuMs, ratio(x, bf)];
            })]));
    }
    console.log(`\n${texto.join('\n')}`);
    const firstErrors = results.flat().map((r) => r.firstError).filter(Boolean);
    if (all.some((x) => x.errors > 0)) throw new Error(`sign-ins failed during the run: the figures are not valid (${firstErrors[0]})`);
    await gravarResultados('login', 'Sign-in (`bench/login.ts`)', KNOBS, texto.join('\n'));
  } finally {
    if (!REUSE) for (const t of instances) await stopInstance(t).catch((e) => console.error(String(e)));
    sink.server.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
