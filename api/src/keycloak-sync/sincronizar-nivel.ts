import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { COLUNAS_INSERT_AUDITORIA } from '../auditoria/auditoria.service.js';
import type { SituacaoConta } from '../contas/conta.entity.js';
import type { TipoEvidencia } from '../contas/evidencia.entity.js';
import type { ObjetoJson } from '../db/json.js';
import { resumoDoLastro } from '../confianca/lastro.js';
import type { NivelConfianca } from '../confianca/nivel.js';
import { Agrupador } from './agrupador.js';
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
  /**
   * The complementary data verified for the account through the Sala de Espera (`cns,nis`; sala-espera/), read by the
   * authenticator `lum-sala-espera`; null/absent while there is none (the attribute is then not written at all).
   */
  dadosComplementares?: string | null;
  /**
   * The name and e-mail Keycloak shows and puts in tokens, from the master record the account is tied to (issue 14,
   * item 2: the record is their one source); absent for an account not tied to a record (Keycloak's own values stay).
   */
  perfil?: PerfilDoRegistro | null;
}

/** What the record says about a tied account's name and e-mail. */
interface PerfilDoRegistro {
  /** The nome social when the person has one (Decreto municipal 51.180/2010, Decreto federal 8.727/2016), else the civil name. */
  nome: string;
  /** The first address of the record's `emails` (the current one), with its verification flag; null when there is none. */
  email: { endereco: string; verificado: boolean } | null;
}

/**
 * Keycloak's first and last name for a record name: the first word, and the rest. A one-word name (a social name can
 * be one word) sets only the first name: Keycloak's last name stays as it is (the realm's profile requires one).
 */
export function nomeParaKeycloak(nome: string): { firstName: string; lastName?: string } {
  const [primeiro, ...resto] = nome.trim().split(/\s+/);
  return resto.length > 0 ? { firstName: primeiro, lastName: resto.join(' ') } : { firstName: primeiro };
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
  const atributos: Record<string, string | null> = Object.fromEntries(Object.entries(ATRIBUTOS_PROPRIOS).map(([nome, valor]) => [nome, valor(e)]));
  // Sala de Espera: verified complementary data are never revoked, so the attribute is written once there is any.
  if (e.dadosComplementares) atributos['dados_complementares'] = e.dadosComplementares;
  const perfil: PedidoAtributos['perfil'] = e.perfil
    ? { ...nomeParaKeycloak(e.perfil.nome), ...(e.perfil.email ? { email: e.perfil.email.endereco, emailVerificado: e.perfil.email.verificado } : {}) }
    : undefined;
  const base: PedidoAtributos = perfil ? { atributos, perfil } : { atributos };
  if (e.obito) return { ...base, habilitado: false };
  if (e.desativadaPorObito) return { ...base, habilitado: true };
  return base;
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
 * Attempts before a user missing in Keycloak, for an account still active here, becomes a dead letter. An operator
 * who deletes a user in Keycloak is seen by the event recovery (every 15 s, by default) which marks the account
 * deleted; until then a job for that user meets a 404. With the default backoff (1 s doubling) the sixth attempt comes
 * ~31 s after the first: by then a deletion has been recorded and the job concludes `conta-excluida`.
 */
const TENTATIVAS_USUARIO_AUSENTE = 6;

/**
 * Idempotent: does nothing when the outbox row is already `concluida`; otherwise writes the CURRENT state from the
 * database (never the job payload) through the narrow attribute write, re-reads the account, and writes again if
 * it changed meanwhile, so a slow job cannot leave an older level in Keycloak. A death record disables the user
 * and ends its sessions (on every run: both are idempotent). An account gone from the database throws
 * UnrecoverableError; a Keycloak user gone concludes `conta-excluida` once the account is marked deleted, is retried
 * until attempt `TENTATIVAS_USUARIO_AUSENTE` (`tentativa`, 1-based) while it is not, then is unrecoverable; anything
 * else is retried.
 */
export async function sincronizarNivel(dados: DadosSyncNivel, deps: DepsSyncNivel, tentativa = TENTATIVAS_USUARIO_AUSENTE): Promise<ResultadoSync> {
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
      const gravado = await deps.keycloak.gravarAtributos(contaId, pedido);
      escrito = gravado.alterado;
      if (gravado.perfilIgnorado?.includes('email')) {
        deps.logger.warn({ contaId, saidaId }, 'o e-mail do cadastro pertence a outro usuário do Keycloak; mantido o e-mail atual da conta');
      }
      if (atual.obito) await deps.keycloak.encerrarSessoes(contaId);
    } catch (err) {
      if (!(err instanceof UsuarioKeycloakNaoEncontrado)) throw err;
      // Deleted in Keycloak meanwhile? The event recovery marks the account; until it has, try again a few times.
      const agora = await deps.contas.lerEstado(contaId, saidaId);
      if (agora && !agora.saidaConcluida && agora.situacao !== 'ativa') {
        await deps.contas.concluir(contaId, { saidaId, nivel: agora.nivel, versao: agora.versao, escrito: false, resultado: 'conta-excluida' });
        return { resultado: 'conta-excluida' };
      }
      if (tentativa < TENTATIVAS_USUARIO_AUSENTE) throw new Error(`${err.message}; nova tentativa (a exclusão do usuário pode ainda não ter sido registrada)`, { cause: err });
      throw new UnrecoverableError(err.message);
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

/** One row of the batched state read (see `lerEstados`). */
interface LinhaEstado {
  ord: string; nivel: number | null; versao: number | null; situacao: SituacaoConta | null; desativada: boolean | null; pessoa_cpf: string | null;
  p_cpf: string | null; p_nome: string | null; p_obito: boolean | null; p_nome_social: string | null; p_email: { endereco?: unknown; verificado?: unknown } | null;
  saida: string | null; dados: string | null;
  evidencias: Array<{ tipo: TipoEvidencia; cpf: string | null; em: number | string; detalhe: ObjetoJson }> | null;
}

/**
 * NivelContaPort over PostgreSQL. Concurrent jobs' reads and conclusions are grouped (agrupador.ts: a call goes at
 * once while fewer than `emVooMax` statements of its kind run; calls arriving meanwhile leave together), so a backlog
 * costs one statement — and one commit — per group instead of several per job.
 */
export function nivelContaTypeorm(dataSource: DataSource, opcoes: { loteMax: number; emVooMax: number } = { loteMax: 100, emVooMax: 2 }): NivelContaPort {
  const leitor = new Agrupador<{ contaId: string; saidaId: string }, EstadoConta | null>((itens) => lerEstados(dataSource, itens), opcoes);
  const conclusor = new Agrupador<{ contaId: string; c: Conclusao }, void>((itens) => concluirLote(dataSource, itens), opcoes);
  return {
    lerEstado: (contaId, saidaId) => leitor.executar({ contaId, saidaId }),
    concluir: (contaId, c) => conclusor.executar({ contaId, c }),
  };
}

/** The state of many accounts in one statement: the account, its record, the outbox row, the evidence (for an account tied to a record) and the Sala de Espera data. */
async function lerEstados(dataSource: DataSource, itens: Array<{ contaId: string; saidaId: string }>): Promise<Array<EstadoConta | null>> {
  const linhas = await dataSource.query<LinhaEstado[]>(
    `SELECT x.ord::text AS ord, c.nivel_confianca AS nivel, c.nivel_versao AS versao, c.situacao, c.desativada_por_obito AS desativada, c.pessoa_cpf,
            p.cpf AS p_cpf, p.nome AS p_nome, p.obito AS p_obito, p.nome_social AS p_nome_social, p.emails -> 0 AS p_email,
            (SELECT s.situacao FROM sincronizacao_saida s WHERE s.id = x.saida) AS saida,
            (SELECT string_agg(DISTINCT d, ',' ORDER BY d) FROM pedido_sala ps, unnest(ps.dados_exigidos) AS d
              WHERE ps.conta_id = c.keycloak_user_id AND ps.situacao = 'aprovado') AS dados,
            CASE WHEN p.cpf IS NOT NULL THEN
              (SELECT json_agg(json_build_object('tipo', e.tipo, 'cpf', e.pessoa_cpf, 'em', floor(extract(epoch FROM e.registrado_em) * 1000), 'detalhe', e.detalhe))
                 FROM evidencia e WHERE e.conta_id = c.keycloak_user_id)
            END AS evidencias
       FROM unnest($1::uuid[], $2::bigint[]) WITH ORDINALITY AS x(conta, saida, ord)
       LEFT JOIN conta c ON c.keycloak_user_id = x.conta
       LEFT JOIN pessoa p ON p.cpf = c.pessoa_cpf
      ORDER BY x.ord`,
    [itens.map((i) => i.contaId), itens.map((i) => i.saidaId)],
  );
  return linhas.map((l): EstadoConta | null => {
    if (l.nivel === null || l.versao === null || l.situacao === null || l.desativada === null) return null;
    const pessoa = l.p_cpf !== null && l.p_nome !== null ? { cpf: l.p_cpf, nome: l.p_nome } : null;
    const evidencias = (l.evidencias ?? []).map((e) => ({ tipo: e.tipo, pessoaCpf: e.cpf, registradoEm: new Date(Number(e.em)), detalhe: e.detalhe }));
    return {
      nivel: Number(l.nivel) as NivelConfianca,
      versao: Number(l.versao),
      situacao: l.situacao,
      obito: l.p_obito === true,
      desativadaPorObito: l.desativada,
      saidaConcluida: l.saida !== null && l.saida !== 'pendente',
      lastro: resumoDoLastro({ conta: { pessoaCpf: l.pessoa_cpf }, pessoa, evidencias }),
      dadosComplementares: l.dados,
      perfil: pessoa && l.pessoa_cpf === pessoa.cpf ? perfilDoRegistro(pessoa.nome, l.p_nome_social, l.p_email) : null,
    };
  });
}

function perfilDoRegistro(nome: string, nomeSocial: string | null, email: { endereco?: unknown; verificado?: unknown } | null): PerfilDoRegistro | null {
  const exibido = (nomeSocial ?? '').trim() !== '' ? (nomeSocial as string) : nome;
  if (exibido.trim() === '') return null;
  const endereco = typeof email?.endereco === 'string' && email.endereco.trim() !== '' ? email.endereco.trim() : null;
  return { nome: exibido, email: endereco ? { endereco, verificado: email?.verificado === true } : null };
}

/**
 * Many conclusions in one statement, atomic: per account, its outbox row and every older pending row `concluida`
 * (the state just written covers them), the account's synced version and death flag, and one audit row. A row
 * another run already concluded (a job run twice after Redis lost it) records nothing more. An account named twice
 * in a group is concluded in a second statement, after the first.
 */
async function concluirLote(dataSource: DataSource, itens: Array<{ contaId: string; c: Conclusao }>): Promise<void[]> {
  const rodadas: Array<typeof itens> = [];
  for (const item of itens) {
    const livre = rodadas.find((r) => !r.some((x) => x.contaId === item.contaId));
    if (livre) livre.push(item);
    else rodadas.push([item]);
  }
  for (const r of rodadas) {
    await dataSource.query(
      `WITH x AS (
         SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::int[], $4::text[], $5::boolean[], $6::int[], $7::boolean[])
           AS x(conta, saida, versao, resultado, habilitado, nivel, escrito)
       ), antes AS (
         SELECT c.keycloak_user_id AS conta, c.pessoa_cpf, c.nivel_sincronizado_versao AS v, c.desativada_por_obito AS d
           FROM conta c JOIN x ON x.conta = c.keycloak_user_id FOR UPDATE OF c
       ), s AS (
         UPDATE sincronizacao_saida o
            SET situacao = 'concluida', concluido_em = clock_timestamp(), resultado = CASE WHEN o.id = x.saida THEN x.resultado ELSE 'coberta' END
           FROM x JOIN antes a ON a.conta = x.conta
          WHERE o.situacao = 'pendente' AND (o.id = x.saida OR (o.conta_id = x.conta AND o.versao <= x.versao AND o.id < x.saida))
         RETURNING x.conta
       ), novo AS (
         SELECT x.*, a.pessoa_cpf, a.v, a.d,
                CASE WHEN x.resultado <> 'conta-excluida' AND (a.v IS NULL OR a.v < x.versao) THEN x.versao ELSE a.v END AS nv,
                CASE WHEN x.habilitado IS NULL THEN a.d ELSE NOT x.habilitado END AS nd
           FROM x JOIN antes a ON a.conta = x.conta
          WHERE x.conta IN (SELECT conta FROM s)
       ), c AS (
         UPDATE conta SET nivel_sincronizado_versao = n.nv, desativada_por_obito = n.nd
           FROM novo n
          WHERE conta.keycloak_user_id = n.conta AND (n.nv IS DISTINCT FROM n.v OR n.nd <> n.d)
         RETURNING 1
       )
       INSERT INTO auditoria (${COLUNAS_INSERT_AUDITORIA})
       SELECT 'lum-api-worker',
              CASE WHEN n.nd AND NOT n.d THEN 'keycloak.conta-desativada-obito' WHEN n.d AND NOT n.nd THEN 'keycloak.conta-reativada' ELSE 'keycloak.nivel-sincronizado' END,
              n.pessoa_cpf,
              CASE WHEN n.nd <> n.d THEN ARRAY['nivel_confianca', 'enabled'] ELSE ARRAY['nivel_confianca'] END,
              NULL, 'sincronizacao-keycloak',
              jsonb_build_object('contaId', n.conta::text, 'saidaId', n.saida::text, 'nivel', n.nivel, 'versao', n.versao, 'escrito', n.escrito, 'resultado', n.resultado)
         FROM novo n`,
      [
        r.map((i) => i.contaId), r.map((i) => i.c.saidaId), r.map((i) => i.c.versao), r.map((i) => i.c.resultado),
        r.map((i) => (i.c.habilitado === undefined ? null : i.c.habilitado)), r.map((i) => i.c.nivel), r.map((i) => i.c.escrito),
      ],
    );
  }
  return itens.map(() => undefined);
}

/** The BullMQ processor: a job that will not be retried (last attempt, or permanent) leaves a dead-letter row. */
export function criarProcessadorSyncNivel(deps: DepsSyncNivel): (job: Job<DadosSyncNivel>) => Promise<ResultadoSync> {
  return async (job) => {
    const tentativa = job.attemptsMade + 1;
    try {
      return await sincronizarNivel(job.data, { ...deps, logger: deps.logger.child({ jobId: job.id, tentativa }) }, tentativa);
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
