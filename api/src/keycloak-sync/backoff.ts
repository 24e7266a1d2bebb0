import type { BackoffStrategy } from 'bullmq';

export interface OpcoesBackoff {
  baseMs: number;
  maxMs: number;
}

/** Delay before retry number `tentativa` (1-based): min(base·2^(tentativa−1), max). */
export function atrasoDaTentativa(tentativa: number, { baseMs, maxMs }: OpcoesBackoff): number {
  const expoente = Math.min(Math.max(0, tentativa - 1), 40);
  return Math.min(baseMs * 2 ** expoente, maxMs);
}

/**
 * The worker's `settings.backoffStrategy`, used for jobs whose backoff type is `TIPO_BACKOFF`
 * (BullMQ resolves its built-in types itself).
 */
export function criarBackoffStrategy(opcoes: OpcoesBackoff): BackoffStrategy {
  return (attemptsMade) => atrasoDaTentativa(attemptsMade, opcoes);
}
