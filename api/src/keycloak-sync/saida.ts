/**
 * The transactional outbox (`sincronizacao_saida`) and its relay, and the dead-letter table
 * (`sincronizacao_falha`) with its replay.
 *
 * - A change that Keycloak must receive (a level, a new account) inserts its row in the transaction of the change
 *   (`registrarSaida`): committed together, or neither.
 * - The relay (in the worker process) hands pending rows to BullMQ with job id `saida-<id>`; rows it handed over
 *   more than `reverificarMs` ago and that are still pending are checked against Redis: a job that is gone (Redis
 *   restarted empty, evicted) is added again, a job that failed for good goes to the dead-letter table. A row
 *   stays `pendente` until the sync worker has written Keycloak and marked it `concluida` in the database.
 * - A job that exhausts its retries (or fails permanently) writes its dead-letter row and marks the outbox row
 *   `falhou`; `reenviarFalhas` (npm run sync:reenviar) replays them as new outbox rows.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { registrarAuditoria } from '../auditoria/auditoria.service.js';
import { JOB_SINCRONIZAR_NIVEL, jobIdSaida } from './constantes.js';
import type { FilaSyncNivel } from './fila.js';

export type MotivoSaida = 'nivel' | 'lastro' | 'conta-registrada' | 'reconciliacao' | 'reenvio' | 'dados-complementares' | 'perfil';

/** Inserts the outbox row inside the caller's transaction; returns its id. */
export async function registrarSaida(manager: EntityManager, contaId: string, versao: number, motivo: MotivoSaida): Promise<string> {
  const [linha] = await manager.query<Array<{
    id: string;
  }>>(`INSERT INTO sincronizacao_saida (conta_id, versao, motivo) VALUES ($1, $2, $3) RETURNING id::text AS id`, [contaId, versao, motivo]);
  return linha.id;
}

/** Records a job that will not be retried: dead-letter row + outbox row `falhou`. Idempotent per outbox row. */
export async function registrarFalha(dataSource: DataSource, saidaId: string, erro: string, tentativas: number): Promise<void> {
  await dataSource.transaction(async (manager) => {
    const [saida] = await manager.query<Array<{ conta: string; situacao: string }>>(`SELECT conta_id::text AS conta, situacao FROM sincronizacao_saida WHERE id = $1 FOR UPDATE`, [saidaId]);
    if (!saida || saida.situacao !== 'pendente') return;
    await manager.query(`INSERT INTO sincronizacao_falha (saida_id, conta_id, erro, tentativas) VALUES ($1, $2, $3, $4) ON CONFLICT (saida_id) DO NOTHING`, [
      saidaId, saida.conta, erro.slice(0, 2000), tentativas,
    ]);
    await manager.query(`UPDATE sincronizacao_saida SET situacao = 'falhou', resultado = $2 WHERE id = $1`, [saidaId, erro.slice(0, 500)]);
  });
}

export interface OpcoesRelay {
  /** Pause between passes when there was nothing to hand over (ms). */
  intervaloMs?: number;
  /** A handed-over row still pending after this long is checked against Redis (ms). */
  reverificarMs?: number;
  /** Rows per pass. */
  lote?: number;
  /** Attempts a job is given (to tell a job that failed for good from one still retrying). */
  tentativas: number;
  aoFalhar?: (err: unknown) => void;
}

export interface Relay {
  /** One pass now (tests); resolves with the number of rows handed over or re-checked. */
  passo(): Promise<number>;
  parar(): Promise<void>;
}

/** One pass: new rows first, then rows handed over long ago and still pending. */
async function passoRelay(dataSource: DataSource, fila: FilaSyncNivel, o: Required<Omit<OpcoesRelay, 'aoFalhar'>>): Promise<number> {
  return dataSource.transaction(async (manager) => {
    const novas = await manager.query<Array<{ id: string; conta: string; versao: number }>>(
      `SELECT id::text AS id, conta_id::text AS conta, versao FROM sincronizacao_saida
        WHERE situacao = 'pendente' AND enfileirado_em IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [o.lote],
    );
    const antigas = await manager.query<Array<{ id: string; conta: string; versao: number }>>(
      `SELECT id::text AS id, conta_id::text AS conta, versao FROM sincronizacao_saida
        WHERE situacao = 'pendente' AND enfileirado_em < clock_timestamp() - make_interval(secs => $2::double precision / 1000)
        ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [o.lote, o.reverificarMs],
    );
    if (novas.length === 0 && antigas.length === 0) return 0;

    const adicionar = [...novas];
    const falhas: Array<{ id: string; erro: string; tentativas: number }> = [];
    for (const r of antigas) {
      const job = await fila.getJob(jobIdSaida(r.id));
      if (!job) {
        adicionar.push(r);
        continue;
      }
      const estado = await job.getState();
      if (estado === 'failed' && job.attemptsMade >= o.tentativas) falhas.push({ id: r.id, erro: job.failedReason || 'falhou', tentativas: job.attemptsMade });
      else if (estado === 'failed' || estado === 'completed') {
        // Failed early (a stalled job BullMQ gave up on) or completed without the row being marked: run it again.
        await job.remove().catch(() => undefined);
        adicionar.push(r);
      }
    }
    if (adicionar.length > 0) {
      await fila.addBulk(adicionar.map((r) => ({ name: JOB_SINCRONIZAR_NIVEL, data: { saidaId: r.id, contaId: r.conta, versao: r.versao }, opts: { jobId: jobIdSaida(r.id) } })));
    }
    const ids = [...novas, ...antigas].map((r) => r.id);
    await manager.query(`UPDATE sincronizacao_saida SET enfileirado_em = clock_timestamp(), envios = envios + 1 WHERE id = ANY($1::bigint[])`, [ids]);
    for (const f of falhas) {
      const [saida] = await manager.query<Array<{ conta: string }>>(`SELECT conta_id::text AS conta FROM sincronizacao_saida WHERE id = $1`, [f.id]);
      await manager.query(`INSERT INTO sincronizacao_falha (saida_id, conta_id, erro, tentativas) VALUES ($1, $2, $3, $4) ON CONFLICT (saida_id) DO NOTHING`, [
        f.id, saida.conta, f.erro.slice(0, 2000), f.tentativas,
      ]);
      await manager.query(`UPDATE sincronizacao_saida SET situacao = 'falhou', resultado = $2 WHERE id = $1`, [f.id, f.erro.slice(0, 500)]);
    }
    return ids.length;
  });
}

/**
 * Starts the relay loop. Redis or PostgreSQL down: the pass fails (reported once per streak through `aoFalhar`),
 * nothing is marked, and the next pass tries again.
 */
export function iniciarRelay(dataSource: DataSource, fila: FilaSyncNivel, opcoes: OpcoesRelay): Relay {
  const o = { intervaloMs: opcoes.intervaloMs ?? 100, reverificarMs: opcoes.reverificarMs ?? 15_000, lote: opcoes.lote ?? 500, tentativas: opcoes.tentativas };
  let parado = false;
  let emFalha = false;
  let acordar: (() => void) | undefined;
  const passo = () => passoRelay(dataSource, fila, o);
  const laco = (async () => {
    while (!parado) {
      let n = 0;
      try {
        n = await passo();
        emFalha = false;
      } catch (err) {
        if (!emFalha) opcoes.aoFalhar?.(err);
        emFalha = true;
      }
      if (n === 0 || emFalha) {
        await new Promise<void>((resolver) => {
          const t = setTimeout(resolver, emFalha ? Math.max(o.intervaloMs, 1000) : o.intervaloMs);
          acordar = () => {
            clearTimeout(t);
            resolver();
          };
        });
      }
    }
  })();
  return {
    passo,
    async parar() {
      parado = true;
      acordar?.();
      await laco;
    },
  };
}

export interface ResultadoReenvio {
  reenviadas: Array<{ falhaId: string; saidaId: string; novaSaidaId: string; contaId: string }>;
}

/**
 * Replays dead letters (all not yet replayed, or the ids given): each becomes a new outbox row (motivo `reenvio`)
 * in one transaction with the dead letter's `reenviada_em` and an audit row. A replayed dead letter is not replayed
 * again.
 */
export async function reenviarFalhas(dataSource: DataSource, opcoes: { ids?: readonly string[]; ator: string }): Promise<ResultadoReenvio> {
  return dataSource.transaction(async (manager) => {
    const falhas = await manager.query<Array<{ id: string; saida: string; conta: string; versao: number; cpf: string | null }>>(
      `SELECT f.id::text AS id, f.saida_id::text AS saida, f.conta_id::text AS conta, c.nivel_versao AS versao, c.pessoa_cpf AS cpf
         FROM sincronizacao_falha f JOIN conta c ON c.keycloak_user_id = f.conta_id
        WHERE f.reenviada_em IS NULL AND ($1::bigint[] IS NULL OR f.id = ANY($1::bigint[]))
        ORDER BY f.id FOR UPDATE OF f`,
      [opcoes.ids && opcoes.ids.length > 0 ? opcoes.ids : null],
    );
    const reenviadas: ResultadoReenvio['reenviadas'] = [];
    for (const f of falhas) {
      const nova = await registrarSaida(manager, f.conta, f.versao, 'reenvio');
      await manager.query(`UPDATE sincronizacao_falha SET reenviada_em = clock_timestamp(), reenviada_por = $2, reenvio_saida_id = $3 WHERE id = $1`, [f.id, opcoes.ator, nova]);
      await registrarAuditoria(manager, {
        ator: opcoes.ator, acao: 'keycloak.sincronizacao-reenviada', pessoaCpf: f.cpf, campos: ['nivel_confianca'], cliente: null,
        finalidade: 'sincronizacao-keycloak', detalhe: { contaId: f.conta, falhaId: f.id, saidaId: f.saida, novaSaidaId: nova },
      });
      reenviadas.push({ falhaId: f.id, saidaId: f.saida, novaSaidaId: nova, contaId: f.conta });
    }
    return { reenviadas };
  });
}
