/**
 * The one clock of the domain: every decision that depends on "now" or "today" (a deadline passed, a date in the
 * future, a birth date too old, when a value was observed, when a review was taken) reads it here, never `new Date()`.
 *
 * "Today" is the civil date in São Paulo (America/Sao_Paulo, UTC−3, no daylight saving since 2019): the City's legal
 * day, so a date entered by a citizen at 22:00 is judged against the same calendar the citizen sees.
 *
 * One clock per process: the entry points (server.ts, worker.ts, when run as the process's main module) install
 * `relogioDaConfig(config)` (the system clock, or the system clock shifted by LUM_RELOGIO_DESLOCAMENTO outside
 * production); tests install theirs with `usarRelogio(...)` (test/support/relogio.ts). Functions that already took "today" as a parameter keep it and default to
 * this clock. What stays on the real wall clock, on purpose: token expiry (jose), the token cache, and the
 * freshness window of Keycloak's signed events (a replay check against Keycloak's real clock).
 */
export interface Relogio {
  /** The current instant. */
  agora(): Date;
  /** Today's civil date in São Paulo, `YYYY-MM-DD`. */
  hoje(): string;
}

const FUSO_DOMINIO = 'America/Sao_Paulo';

const FORMATO_DIA = new Intl.DateTimeFormat('en-CA', { timeZone: FUSO_DOMINIO, year: 'numeric', month: '2-digit', day: '2-digit' });

/** The civil date (YYYY-MM-DD) of `instante` in São Paulo. */
export function diaEmSaoPaulo(instante: Date): string {
  const p = Object.fromEntries(FORMATO_DIA.formatToParts(instante).map((x) => [x.type, x.value]));
  return `${p['year']}-${p['month']}-${p['day']}`;
}

function relogioDe(agora: () => Date): Relogio {
  return { agora, hoje: () => diaEmSaoPaulo(agora()) };
}

/** The machine's clock. */
export const relogioDoSistema: Relogio = relogioDe(() => new Date());

/** The machine's clock moved by `deslocamentoMs` (it keeps running). */
export function relogioDeslocado(deslocamentoMs: number): Relogio {
  return deslocamentoMs === 0 ? relogioDoSistema : relogioDe(() => new Date(Date.now() + deslocamentoMs));
}

/** A clock stopped at `instante` (ISO 8601 with offset, e.g. `2026-10-15T12:00:00-03:00`). For tests. */
export function relogioFixo(instante: string | Date): Relogio {
  const ms = new Date(instante).getTime();
  if (Number.isNaN(ms)) throw new Error(`instante inválido: ${String(instante)}`);
  return relogioDe(() => new Date(ms));
}

/** A clock that reads `inicio` when it is created and runs from there at the system clock's pace. For tests. */
export function relogioIniciadoEm(inicio: string | Date): Relogio {
  const deslocamento = relogioFixo(inicio).agora().getTime() - Date.now();
  return relogioDe(() => new Date(Date.now() + deslocamento));
}

/** The process's clock as configured (see LUM_RELOGIO_DESLOCAMENTO in config.ts). */
export function relogioDaConfig(config: { readonly relogioDeslocamentoMs: number }): Relogio {
  return relogioDeslocado(config.relogioDeslocamentoMs);
}

let atual: Relogio = relogioDoSistema;

/** The process's clock. */
export function relogio(): Relogio {
  return atual;
}

/** Installs the process's clock; returns a function that puts the previous one back. */
export function usarRelogio(r: Relogio): () => void {
  const anterior = atual;
  atual = r;
  return () => {
    atual = anterior;
  };
}

/** `+400d`, `-2h`, `90m`, `30s`, `0` → milliseconds. Throws a short pt-BR reason. */
export function lerDeslocamento(raw: string): number {
  const m = /^([+-]?)(\d+)([dhms])$/.exec(raw.trim());
  if (raw.trim() === '0') return 0;
  if (!m) throw new Error('use um deslocamento como +400d, -2h, 90m ou 0');
  const unidade = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 }[m[3] as 'd' | 'h' | 'm' | 's'];
  return (m[1] === '-' ? -1 : 1) * Number(m[2]) * unidade;
}
