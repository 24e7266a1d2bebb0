/**
 * Rate limit of the knowledge check, in Redis: fixed windows counted per account and per client IP (INCR; the first
 * request of a window sets its expiry). Both counters move on every request; either one over its limit refuses.
 * Redis unreachable → 503 (fail closed: without the counter the check is not offered).
 */
import type { Redis } from 'ioredis';
import { Indisponivel } from '../errors/indisponivel.error.js';
import { MuitasTentativas } from '../errors/muitas-tentativas.error.js';

export interface LimitesConhecimento {
  /** Requests (start or answer) per account per window. */
  porConta: number;
  /** Requests per client IP per window. */
  porIp: number;
  janelaS: number;
}

export const LIMITES_PADRAO: LimitesConhecimento = { porConta: 20, porIp: 100, janelaS: 3600 };

export interface Limitador {
  contar(contaId: string, ip: string): Promise<void>;
}

export function criarLimitador(redis: Redis, prefixo: string, limites: LimitesConhecimento): Limitador {
  const incrementar = async (chave: string): Promise<{ n: number; ttlMs: number }> => {
    const r = await redis.multi().incr(chave).pttl(chave).exec();
    if (!r || r.some(([err]) => err)) throw new Error('Redis recusou o contador');
    const n = Number(r[0]?.[1]);
    let ttlMs = Number(r[1]?.[1]);
    if (ttlMs < 0) {
      await redis.pexpire(chave, limites.janelaS * 1000);
      ttlMs = limites.janelaS * 1000;
    }
    return { n, ttlMs };
  };
  return {
    async contar(contaId, ip) {
      let conta: { n: number; ttlMs: number };
      let porIp: { n: number; ttlMs: number };
      try {
        [conta, porIp] = await Promise.all([incrementar(`${prefixo}:conhecimento:conta:${contaId}`), incrementar(`${prefixo}:conhecimento:ip:${ip}`)]);
      } catch {
        throw new Indisponivel('Verificação por perguntas indisponível no momento: tente novamente em alguns minutos');
      }
      const excedido = [conta.n > limites.porConta ? conta.ttlMs : 0, porIp.n > limites.porIp ? porIp.ttlMs : 0];
      const esperaMs = Math.max(...excedido);
      if (esperaMs > 0) {
        throw new MuitasTentativas(
          `Muitas tentativas de verificação por perguntas em pouco tempo: aguarde ${Math.ceil(esperaMs / 60_000)} minuto(s) e tente novamente`,
          Math.ceil(esperaMs / 1000),
        );
      }
    },
  };
}
