import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { registrarAuditoria } from '../auditoria/auditoria.service.js';
import { Conta, type SituacaoConta } from '../contas/conta.entity.js';
import { Evidencia } from '../contas/evidencia.entity.js';
import { resumoDoLastro } from '../confianca/lastro.js';
import type { NivelConfianca } from '../confianca/nivel.js';
import type { DadosSyncNivel } from './constantes.js';
import { UsuarioKeycloakNaoEncontrado, type KeycloakUsersPort, type PedidoAtributos } from './keycloak-users.port.js';

/** The account as the processor needs it, read from the database at each step (never from the job). */
export interface EstadoConta {
  nivel: NivelConfianca;
  versao: number;
  situacao: SituacaoConta;
  /** The master record the account is verified to be has a death record: the account is disabled, its sessions end. */
  obito: boolean;
  /** The worker disabled the account for a death record (only such an account is re-enabled by a correction). */
  desativadaPorObito: boolean;
  /** The outbox row this job delivers is already `concluida` (an earlier run, or a later level pushed it). */
  saidaConcluida: boolean;
  /** The evidence summary for the `lastro` attribute (confianca/lastro.ts; read by the verified_claims mapper); null removes it. */
  lastro: string | null;
}

/**
 * The user attributes the API owns in Keycloak, each computed from the account's state. The worker writes exactly
 * these names and nothing else of the user (the Keycloak resource refuses any other name). An evidence summary
 * is one more entry here (and in the provider's `atributos` option and the realm's user profile).
 */
export const ATRIBUTOS_PROPRIOS: Readonly<Record<string, (e: EstadoConta) => string | null>> = {
  nivel_confianca: (e) => String(e.nivel),
  lastro: (e) => e.lastro,
};

/** The write for an account's state: the owned attributes, and the enabled flag only when a death decides it. */
export function pedidoParaEstado(e: EstadoConta): PedidoAtributos {
  const atributos = Object.fromEntries(Object.entries(ATRIBUTOS_PROPRIOS).map(([nome, valor]) => [nome, valor(e)]));
  if (e.obito) return { atributos, habilitado: false };
  if (e.desativadaPorObito) return { atributos, habilitado: true };
  return { atributos };
}

/** What the processor records when it is done with a job. */
export interface Conclusao {
  saidaId: string;
  nivel: NivelConfianca;
  versao: number;
  /** Keycloak's state changed (false: it already had it). */
  escrito: boolean;
  /** The enabled flag after the write, when the write set it (death or correction); undefined otherwise. */
  habilitado?: boolean;
  resultado: 'sincronizado' | 'ja-sincronizado' | 'conta-excluida';
}

/** Where the processor reads the account and records what it pushed. */
export interface NivelContaPort {
  lerEstado(contaId: string, saidaId: string): Promise<EstadoConta | null>;
  /** In one transaction: the outbox rows up to `versao` `concluida`, the account's synced version and flags, an audit row. */
  concluir(contaId: string, c: Conclusao): Promise<void>;
}

export interface DepsSyncNivel {
  contas: NivelContaPort;
  keycloak: KeycloakUsersPort;
  logger: Logger;
  /** Records a job that will not be retried (dead-letter table). */
  registrarFalha?: (saidaId: string, erro: string, tentativas: number) => Promise<void>;
}

export type ResultadoSync =
  | { resultado: 'sincronizado'; nivel: NivelConfianca; versao: number }
  | { resultado: 'ja-sincronizado'; nivel: NivelConfianca; versao: number }
  | { resultado: 'ja-concluida' }
  | { resultado: 'conta-excluida' };

/** Limit on write→re-read rounds when the level keeps changing under us. */
const MAX_RODADAS = 3;

/**
 * Idempotent: does nothing when the outbox row is already `concluida`; otherwise writes the CURRENT state from the
 * database (never the job payload) through the narrow attribute write, re-reads the account, and writes again if
 * it changed meanwhile, so a slow job cannot leave an older level in Keycloak. A death record disables the user
 * and ends its sessions (on every run: both are idempotent). Permanent failures (account or Keycloak user gone)
 * throw UnrecoverableError; anything else is retried.
 */
export async function sincronizarNivel(dados: DadosSyncNivel, deps: DepsSyncNivel): Promise<ResultadoSync> {
  const { contaId, saidaId } = dados;
  if (!saidaId) throw new UnrecoverableError('job sem saidaId (formato anterior ao outbox); a reconciliação cobre a conta');
  let atual = await deps.contas.lerEstado(contaId, saidaId);
  for (let rodada = 1; ; rodada++) {
    if (!atual) throw new UnrecoverableError(`conta ${contaId} não existe no cadastro`);
    if (atual.saidaConcluida) return { resultado: 'ja-concluida' };
    if (atual.situacao !== 'ativa') {
      await deps.contas.concluir(contaId, { saidaId, nivel: atual.nivel, versao: atual.versao, escrito: false, resultado: 'conta-excluida' });
      return { resultado: 'conta-excluida' };
    }
    const pedido = pedidoParaEstado(atual);
    let escrito: boolean;
    try {
      escrito = (await deps.keycloak.gravarAtributos(contaId, pedido)).alterado;
      if (atual.obito) await deps.keycloak.encerrarSessoes(contaId);
    } catch (err) {
      if (err instanceof UsuarioKeycloakNaoEncontrado) throw new UnrecoverableError(err.message);
      throw err;
    }
    const depois = await deps.contas.lerEstado(contaId, saidaId);
    if (depois && depois.versao === atual.versao && depois.obito === atual.obito) {
      const resultado = escrito ? 'sincronizado' : 'ja-sincronizado';
      await deps.contas.concluir(contaId, { saidaId, nivel: atual.nivel, versao: atual.versao, escrito, habilitado: pedido.habilitado, resultado });
      deps.logger.info({ contaId, saidaId, nivel: atual.nivel, versao: atual.versao, escrito }, 'nível sincronizado com o Keycloak');
      return { resultado, nivel: atual.nivel, versao: atual.versao };
    }
    if (rodada >= MAX_RODADAS) throw new Error(`nível da conta ${contaId} mudou durante a sincronização; nova tentativa`);
    atual = depois;
  }
}

/** NivelContaPort over TypeORM. */
export function nivelContaTypeorm(dataSource: DataSource): NivelContaPort {
  return {
    async lerEstado(contaId, saidaId) {
      // One statement for the account, its record and the outbox row; the evidence only for an account tied to a record.
      const [l] = await dataSource.query<Array<{
        nivel: number; versao: number; situacao: SituacaoConta; desativada: boolean; pessoa_cpf: string | null;
        p_cpf: string | null; p_nome: string | null; p_obito: boolean | null; saida: string | null;
      }>>(
        `SELECT c.nivel_confianca AS nivel, c.nivel_versao AS versao, c.situacao, c.desativada_por_obito AS desativada, c.pessoa_cpf,
                p.cpf AS p_cpf, p.nome AS p_nome, p.obito AS p_obito,
                (SELECT s.situacao FROM sincronizacao_saida s WHERE s.id = $2) AS saida
           FROM conta c LEFT JOIN pessoa p ON p.cpf = c.pessoa_cpf
          WHERE c.keycloak_user_id = $1`,
        [contaId, saidaId],
      );
      if (!l) return null;
      const pessoa = l.p_cpf !== null && l.p_nome !== null ? { cpf: l.p_cpf, nome: l.p_nome } : null;
      const evidencias = pessoa
        ? await dataSource.manager.find(Evidencia, { where: { contaId }, select: { tipo: true, pessoaCpf: true, registradoEm: true, detalhe: true } })
        : [];
      return {
        nivel: Number(l.nivel) as NivelConfianca,
        versao: Number(l.versao),
        situacao: l.situacao,
        obito: l.p_obito === true,
        desativadaPorObito: l.desativada,
        saidaConcluida: l.saida !== null && l.saida !== 'pendente',
        lastro: resumoDoLastro({ conta: { pessoaCpf: l.pessoa_cpf }, pessoa, evidencias }),
      };
    },
    async concluir(contaId, c) {
      await dataSource.transaction(async (manager) => {
        const conta = await manager.findOne(Conta, { where: { keycloakUserId: contaId }, lock: { mode: 'pessimistic_write' } });
        if (!conta) return;
        // this row, and every older pending row of the account: the state just written covers them. A row another run
        // of the same job already concluded (a job run twice after Redis lost it) records nothing more.
        const [, afetadas] = await manager.query<[Array<{ id: string }>, number]>(
          `UPDATE sincronizacao_saida SET situacao = 'concluida', concluido_em = clock_timestamp(), resultado = CASE WHEN id = $2 THEN $4 ELSE 'coberta' END
            WHERE situacao = 'pendente' AND (id = $2 OR (conta_id = $1 AND versao <= $3 AND id < $2)) RETURNING id::text AS id`,
          [contaId, c.saidaId, c.versao, c.resultado],
        );
        if (afetadas === 0) return;
        const mudancas: Partial<Conta> = {};
        if (c.resultado !== 'conta-excluida' && (conta.nivelSincronizadoVersao === null || conta.nivelSincronizadoVersao < c.versao)) mudancas.nivelSincronizadoVersao = c.versao;
        if (c.habilitado !== undefined && conta.desativadaPorObito !== !c.habilitado) mudancas.desativadaPorObito = !c.habilitado;
        if (Object.keys(mudancas).length > 0) await manager.update(Conta, { keycloakUserId: contaId }, mudancas);
        const acao =
          mudancas.desativadaPorObito === true ? 'keycloak.conta-desativada-obito' : mudancas.desativadaPorObito === false ? 'keycloak.conta-reativada' : 'keycloak.nivel-sincronizado';
        await registrarAuditoria(manager, {
          ator: 'lum-api-worker',
          acao,
          pessoaCpf: conta.pessoaCpf,
          campos: mudancas.desativadaPorObito === undefined ? ['nivel_confianca'] : ['nivel_confianca', 'enabled'],
          cliente: null,
          finalidade: 'sincronizacao-keycloak',
          detalhe: { contaId, saidaId: c.saidaId, nivel: c.nivel, versao: c.versao, escrito: c.escrito, resultado: c.resultado },
        });
      });
    },
  };
}

/** The BullMQ processor: a job that will not be retried (last attempt, or permanent) leaves a dead-letter row. */
export function criarProcessadorSyncNivel(deps: DepsSyncNivel): (job: Job<DadosSyncNivel>) => Promise<ResultadoSync> {
  return async (job) => {
    const tentativa = job.attemptsMade + 1;
    try {
      return await sincronizarNivel(job.data, { ...deps, logger: deps.logger.child({ jobId: job.id, tentativa }) });
    } catch (err) {
      const ultima = err instanceof UnrecoverableError || tentativa >= (job.opts.attempts ?? 1);
      if (ultima && job.data.saidaId && deps.registrarFalha) {
        await deps.registrarFalha(job.data.saidaId, err instanceof Error ? err.message : String(err), tentativa).catch((e: unknown) =>
          deps.logger.error({ err: e, saidaId: job.data.saidaId }, 'não foi possível registrar a falha (o relay a registra depois)'),
        );
      }
      throw err;
    }
  };
}
