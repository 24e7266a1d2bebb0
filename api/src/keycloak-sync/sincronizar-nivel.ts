import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { registrarAuditoria } from '../auditoria/auditoria.service.js';
import { Conta, type SituacaoConta } from '../contas/conta.entity.js';
import { Pessoa } from '../pessoas/pessoa.entity.js';
import { lerResumoDoLastro } from '../confianca/lastro.js';
import type { NivelConfianca } from '../confianca/nivel.js';
import type { DadosSyncNivel } from './constantes.js';
import { UsuarioKeycloakNaoEncontrado, type KeycloakUsersPort, type UserRepresentation } from './keycloak-users.port.js';

/** Attribute name in Keycloak (declared in the realm's user profile; admin-editable, user-viewable). */
const ATRIBUTO_NIVEL = 'nivel_confianca';

export interface NivelAtual {
  nivel: NivelConfianca;
  versao: number;
  situacao: SituacaoConta;
  /** The master record the account is verified to be has a death record: the account is disabled, its sessions end. */
  obito?: boolean;
  /**
   * The evidence summary for the `lastro` attribute (confianca/lastro.ts), written with the level: a string, or null
   * to remove it; undefined leaves the attribute as it is.
   */
  lastro?: string | null;
}

/** Where the processor reads the current level and records what it pushed. */
export interface NivelContaPort {
  lerNivelAtual(contaId: string): Promise<NivelAtual | null>;
  marcarSincronizado(contaId: string, nivel: NivelConfianca, versao: number): Promise<void>;
}

export interface DepsSyncNivel {
  contas: NivelContaPort;
  keycloak: KeycloakUsersPort;
  logger: Logger;
}

export type ResultadoSync =
  | { resultado: 'sincronizado'; nivel: NivelConfianca; versao: number }
  | { resultado: 'ja-sincronizado'; nivel: NivelConfianca; versao: number }
  | { resultado: 'conta-excluida' };

/**
 * The full representation to PUT back: the user as Keycloak has it, with `nivel_confianca` replaced and every
 * other attribute kept. Keycloak's user profile removes admin-writable attributes missing from a PUT's map, so a
 * partial `attributes` is never sent.
 */
function representacaoComNivel(usuario: UserRepresentation, nivel: NivelConfianca, desativar: boolean, lastro?: string | null): UserRepresentation {
  const atributos: Record<string, unknown> = { ...(usuario.attributes ?? {}) };
  atributos[ATRIBUTO_NIVEL] = [String(nivel)];
  if (lastro === null) delete atributos[ATRIBUTO_LASTRO];
  else if (lastro !== undefined) atributos[ATRIBUTO_LASTRO] = [lastro];
  return {
    username: usuario.username,
    email: usuario.email,
    firstName: usuario.firstName,
    lastName: usuario.lastName,
    enabled: desativar ? false : usuario.enabled,
    emailVerified: usuario.emailVerified,
    attributes: atributos,
  };
}

/** The evidence summary next to the level (admin-only attribute; read by the verified_claims mapper). */
const ATRIBUTO_LASTRO = 'lastro';

function nivelNoKeycloak(usuario: UserRepresentation, atributo: string = ATRIBUTO_NIVEL): string | undefined {
  const valor: unknown = usuario.attributes?.[atributo];
  return Array.isArray(valor) && valor.length === 1 && typeof valor[0] === 'string' ? valor[0] : undefined;
}

/** Limit on read→PUT→re-read rounds when the level keeps changing under us. */
const MAX_RODADAS = 3;

/**
 * Idempotent: pushes the CURRENT level from the database (never the job payload), and after the PUT re-reads it;
 * if it changed meanwhile, pushes again so a slow job cannot leave an older level in Keycloak.
 * Permanent failures (account or Keycloak user gone) throw UnrecoverableError; anything else is retried.
 */
export async function sincronizarNivel(dados: DadosSyncNivel, deps: DepsSyncNivel): Promise<ResultadoSync> {
  const { contaId } = dados;
  let atual = await deps.contas.lerNivelAtual(contaId);
  for (let rodada = 1; ; rodada++) {
    if (!atual) throw new UnrecoverableError(`conta ${contaId} não existe no cadastro`);
    if (atual.situacao !== 'ativa') {
      deps.logger.info({ contaId }, 'conta excluída: nada a sincronizar');
      return { resultado: 'conta-excluida' };
    }
    const usuario = await deps.keycloak.buscarUsuario(contaId);
    if (!usuario) throw new UnrecoverableError(`usuário ${contaId} não existe no Keycloak`);

    // a death record on the person: nobody may sign in as them any more (docs/realm-gitops.md, sessions)
    const desativar = atual.obito === true && usuario.enabled !== false;
    const lastroEmDia = atual.lastro === undefined || (nivelNoKeycloak(usuario, ATRIBUTO_LASTRO) ?? null) === atual.lastro;
    const jaEstava = nivelNoKeycloak(usuario) === String(atual.nivel) && lastroEmDia && !desativar;
    if (!jaEstava) {
      try {
        await deps.keycloak.atualizarUsuario(contaId, representacaoComNivel(usuario, atual.nivel, desativar, atual.lastro));
        if (desativar) {
          await deps.keycloak.encerrarSessoes(contaId);
          deps.logger.info({ contaId }, 'óbito no cadastro base: conta desativada no Keycloak e sessões encerradas');
        }
      } catch (err) {
        if (err instanceof UsuarioKeycloakNaoEncontrado) throw new UnrecoverableError(err.message);
        throw err;
      }
    }
    const depois = await deps.contas.lerNivelAtual(contaId);
    if (depois && depois.versao === atual.versao) {
      await deps.contas.marcarSincronizado(contaId, atual.nivel, atual.versao);
      deps.logger.info({ contaId, nivel: atual.nivel, versao: atual.versao, jaEstava }, 'nível sincronizado com o Keycloak');
      return { resultado: jaEstava ? 'ja-sincronizado' : 'sincronizado', nivel: atual.nivel, versao: atual.versao };
    }
    if (rodada >= MAX_RODADAS) throw new Error(`nível da conta ${contaId} mudou durante a sincronização; nova tentativa`);
    atual = depois;
  }
}

/** NivelContaPort over TypeORM. Recording the sync writes an audit row in the same transaction. */
export function nivelContaTypeorm(dataSource: DataSource): NivelContaPort {
  return {
    async lerNivelAtual(contaId) {
      const conta = await dataSource.manager.findOne(Conta, {
        where: { keycloakUserId: contaId },
        select: { keycloakUserId: true, nivelConfianca: true, nivelVersao: true, situacao: true, pessoaCpf: true },
      });
      if (!conta) return null;
      const pessoa = conta.pessoaCpf ? await dataSource.manager.findOne(Pessoa, { where: { cpf: conta.pessoaCpf }, select: { cpf: true, obito: true } }) : null;
      const lastro = await lerResumoDoLastro(dataSource.manager, contaId);
      return { nivel: Number(conta.nivelConfianca) as NivelConfianca, versao: conta.nivelVersao, situacao: conta.situacao, obito: pessoa?.obito === true, lastro };
    },
    async marcarSincronizado(contaId, nivel, versao) {
      await dataSource.transaction(async (manager) => {
        const conta = await manager.findOne(Conta, { where: { keycloakUserId: contaId }, lock: { mode: 'pessimistic_write' } });
        if (!conta) return;
        if (conta.nivelSincronizadoVersao === null || conta.nivelSincronizadoVersao < versao) {
          await manager.update(Conta, { keycloakUserId: contaId }, { nivelSincronizadoVersao: versao });
        }
        await registrarAuditoria(manager, {
          ator: 'lum-api-worker',
          acao: 'keycloak.nivel-sincronizado',
          pessoaCpf: conta.pessoaCpf,
          campos: ['nivel_confianca'],
          cliente: null,
          finalidade: 'sincronizacao-keycloak',
          detalhe: { contaId, nivel, versao },
        });
      });
    },
  };
}

/** The BullMQ processor. */
export function criarProcessadorSyncNivel(deps: DepsSyncNivel): (job: Job<DadosSyncNivel>) => Promise<ResultadoSync> {
  return (job) => sincronizarNivel(job.data, { ...deps, logger: deps.logger.child({ jobId: job.id, tentativa: job.attemptsMade + 1 }) });
}
