import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { keycloakRealmUrl, type Config } from '../config.js';

/** One dependency checked by /health/ready. `verificar` rejects when the dependency is not usable. */
export interface VerificacaoProntidao {
  nome: string;
  verificar(sinal: AbortSignal): Promise<void>;
}

export interface ResultadoVerificacao {
  status: 'UP' | 'DOWN';
  duracaoMs: number;
  /** Short reason, safe to expose (no stack, no connection strings). */
  erro?: string;
}

export function verificacaoPostgres(dataSource: DataSource): VerificacaoProntidao {
  return {
    nome: 'postgres',
    async verificar() {
      await dataSource.query('SELECT 1');
    },
  };
}

export function verificacaoRedis(redis: Redis): VerificacaoProntidao {
  return {
    nome: 'redis',
    async verificar() {
      const resposta: string = await redis.ping();
      if (resposta !== 'PONG') throw new Error(`resposta inesperada ao PING: ${resposta}`);
    },
  };
}

export function verificacaoKeycloak(config: Pick<Config, 'keycloakUrl' | 'keycloakRealm'>): VerificacaoProntidao {
  const url = `${keycloakRealmUrl(config)}/.well-known/openid-configuration`;
  return {
    nome: 'keycloak',
    async verificar(sinal) {
      const resposta = await fetch(url, { signal: sinal, headers: { accept: 'application/json' } });
      await resposta.body?.cancel();
      if (!resposta.ok) throw new Error(`HTTP ${resposta.status}`);
    },
  };
}

function motivoCurto(err: unknown): string {
  const e = err as { name?: string; message?: string; code?: string; cause?: { code?: string; errors?: Array<{ code?: string }> } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'tempo esgotado';
  const codigo = e?.cause?.code ?? e?.cause?.errors?.[0]?.code ?? e?.code;
  if (typeof codigo === 'string') return codigo;
  return (e?.message ?? 'falha').slice(0, 120);
}

/** Runs every check in parallel, each with its own timeout. */
export async function verificarProntidao(
  verificacoes: readonly VerificacaoProntidao[],
  timeoutMs = 2000,
): Promise<{ status: 'UP' | 'DOWN'; falhas: string[]; checks: Record<string, ResultadoVerificacao> }> {
  const resultados = await Promise.all(
    verificacoes.map(async (v): Promise<[string, ResultadoVerificacao]> => {
      const inicio = performance.now();
      const controle = new AbortController();
      let relogio: NodeJS.Timeout | undefined;
      const limite = new Promise<never>((_, rejeitar) => {
        relogio = setTimeout(() => {
          const erro = new Error('tempo esgotado');
          erro.name = 'TimeoutError';
          controle.abort(erro);
          rejeitar(erro);
        }, timeoutMs);
      });
      try {
        await Promise.race([v.verificar(controle.signal), limite]);
        return [v.nome, { status: 'UP', duracaoMs: Math.round(performance.now() - inicio) }];
      } catch (err) {
        return [v.nome, { status: 'DOWN', duracaoMs: Math.round(performance.now() - inicio), erro: motivoCurto(err) }];
      } finally {
        clearTimeout(relogio);
      }
    }),
  );
  const checks = Object.fromEntries(resultados);
  const falhas = resultados.filter(([, r]) => r.status !== 'UP').map(([nome]) => nome);
  return { status: falhas.length === 0 ? 'UP' : 'DOWN', falhas, checks };
}
