/**
 * bench/sala-espera.ts's own default for the shared sign-in knob BENCH_LOGIN_CONCURRENCY: 1 (sequential sign-ins).
 * The target is the latency the check adds to a sign-in; at concurrency 8 on this 2-core machine each sign-in queues
 * behind others' Argon2 hashes, and p95 swung by hundreds of milliseconds between rounds (a run at 8: −527 to
 * +1,781 ms per round), drowning a 5 ms effect. Imported first by sala-espera.ts, so it runs before login-comum.ts
 * reads the knob; the value the operator set (if any) is kept for the results file's knob list.
 */
export const CONCORRENCIA_INFORMADA = process.env.BENCH_LOGIN_CONCURRENCY;
process.env.BENCH_LOGIN_CONCURRENCY ??= '1';
