/**
 * Mensagens (issue 14, item 6): threads between a citizen and one organ's staff.
 *
 * Citizen side: the account is found from the token's `sub` only (`contaDoCidadao`); a thread id that is not one of the
 * account's threads is a 404, the same answer as an id that does not exist (no probing of other people's ids).
 * Staff side: a steward sees and answers only the threads addressed to one of the organs of their steward roles
 * (`Principal.orgaos`, as the Sala de Espera queue); another organ's thread is a 404.
 *
 * Every read and write writes one audit row in the same transaction. A steward's read of a thread is a read of the
 * citizen's personal data: `conversa.lida` with the account's tied CPF (when tied), the reader's organs and roles and the
 * purpose `atendimento-cidadao` — it is listed under "Quem acessou meus dados" (`portal/acessos.service.ts`).
 * The citizen's own reads carry the self-service purpose and are not listed there.
 *
 * Read state per side: the thread keeps the number of the last message each side has read; opening a thread marks
 * every message in it read for the side that opened it; a side's own message is read for it.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { registrarAuditoria, type ContextoAuditoria } from '../auditoria/auditoria.service.js';
import { orgaosDosPapeis, type Orgao } from '../auth/papeis.js';
import type { Principal } from '../auth/principal.js';
import { NaoEncontrado } from '../errors/nao-encontrado.error.js';
import { RegraDeNegocioViolada } from '../errors/regra-de-negocio.error.js';
import { contaDoCidadao, contextoCidadao } from '../me/me.service.js';
import { relogio } from '../relogio.js';
import type { NovaConversaDto } from './conversa.dto.js';

/** Purpose of a steward's read or answer of a thread (audit `finalidade`). */
const FINALIDADE_ATENDIMENTO = 'atendimento-cidadao';
/** Fields named by the audit rows of a thread's read or write. */
const CAMPOS_CONVERSA = ['conversa.assunto', 'conversa.mensagens'];
/** Most threads one list returns (newest activity first). */
const MAXIMO_LISTA = 200;
/** Most messages one thread holds (a longer conversation opens a new thread). */
const MAXIMO_MENSAGENS = 500;

type Lado = 'cidadao' | 'orgao';

interface Mensagem {
  numero: number;
  autor: Lado;
  /** The steward role a staff message was written under (never the servant's name); null for the citizen's. */
  papel: string | null;
  texto: string;
  enviadaEm: string;
  lida: boolean;
}

export interface ResumoConversa {
  id: string;
  orgao: Orgao;
  assunto: string;
  criadaEm: string;
  atualizadaEm: string;
  mensagens: number;
  /** Messages of the other side not yet read by the side asking. */
  naoLidas: number;
}

export interface Conversa extends ResumoConversa {
  itens: Mensagem[];
}

interface LinhaConversa {
  id: string;
  conta_id: string;
  orgao: Orgao;
  assunto: string;
  criada_em: Date;
  atualizada_em: Date;
  mensagens: number;
  lida_cidadao_ate: number;
  lida_orgao_ate: number;
  nao_lidas_cidadao: number;
  nao_lidas_orgao: number;
}

const COLUNAS = `c.id, c.conta_id, c.orgao, c.assunto, c.criada_em, c.atualizada_em, c.mensagens, c.lida_cidadao_ate, c.lida_orgao_ate,
  (SELECT count(*)::int FROM mensagem m WHERE m.conversa_id = c.id AND m.autor = 'orgao' AND m.numero > c.lida_cidadao_ate) AS nao_lidas_cidadao,
  (SELECT count(*)::int FROM mensagem m WHERE m.conversa_id = c.id AND m.autor = 'cidadao' AND m.numero > c.lida_orgao_ate) AS nao_lidas_orgao`;

function resumo(l: LinhaConversa, lado: Lado): ResumoConversa {
  return {
    id: l.id, orgao: l.orgao, assunto: l.assunto, criadaEm: l.criada_em.toISOString(), atualizadaEm: l.atualizada_em.toISOString(),
    mensagens: l.mensagens, naoLidas: lado === 'cidadao' ? l.nao_lidas_cidadao : l.nao_lidas_orgao,
  };
}

async function mensagensDe(manager: EntityManager, l: LinhaConversa, lado: Lado): Promise<Mensagem[]> {
  const linhas = await manager.query<{ numero: number; autor: Lado; papel: string | null; texto: string; enviada_em: Date }[]>(
    `SELECT numero, autor, papel, texto, enviada_em FROM mensagem WHERE conversa_id = $1 ORDER BY numero`, [l.id]);
  const lidaAte = lado === 'cidadao' ? l.lida_cidadao_ate : l.lida_orgao_ate;
  return linhas.map((m) => ({ numero: m.numero, autor: m.autor, papel: m.papel, texto: m.texto, enviadaEm: m.enviada_em.toISOString(), lida: m.autor === lado || m.numero <= lidaAte }));
}

/** One thread, locked for the transaction (a reply numbers its message from it), when `onde` holds. */
async function conversaTravada(manager: EntityManager, id: string, onde: { contaId: string } | { orgaos: readonly Orgao[] }): Promise<LinhaConversa> {
  const [l] = 'contaId' in onde
    ? await manager.query<LinhaConversa[]>(`SELECT ${COLUNAS} FROM conversa c WHERE c.id = $1 AND c.conta_id = $2 FOR UPDATE`, [id, onde.contaId])
    : await manager.query<LinhaConversa[]>(`SELECT ${COLUNAS} FROM conversa c WHERE c.id = $1 AND c.orgao = ANY($2::text[]) FOR UPDATE`, [id, [...onde.orgaos]]);
  // Someone else's thread and a thread that does not exist get the same answer.
  if (!l) throw new NaoEncontrado('Conversa não encontrada');
  return l;
}

async function acrescentar(manager: EntityManager, l: LinhaConversa, autor: Lado, papel: string | null, texto: string): Promise<number> {
  if (l.mensagens >= MAXIMO_MENSAGENS) throw new RegraDeNegocioViolada(`Esta conversa chegou a ${MAXIMO_MENSAGENS} mensagens: abra uma nova conversa`);
  const agora = relogio().agora();
  const numero = l.mensagens + 1;
  await manager.query(`INSERT INTO mensagem (conversa_id, numero, autor, papel, texto, enviada_em) VALUES ($1, $2, $3, $4, $5, $6)`, [l.id, numero, autor, papel, texto, agora]);
  await manager.query(`UPDATE conversa SET mensagens = $2, atualizada_em = $3, ${autor === 'cidadao' ? 'lida_cidadao_ate' : 'lida_orgao_ate'} = $2 WHERE id = $1`, [l.id, numero, agora]);
  return numero;
}

// --- citizen ------------------------------------------------------------------------------------------------------

/** The citizen opens a thread with an organ: the subject and the first message. */
export async function abrirConversa(dataSource: DataSource, principal: Principal, dto: NovaConversaDto): Promise<Conversa> {
  return dataSource.transaction(async (manager) => {
    const conta = await contaDoCidadao(manager, principal);
    const agora = relogio().agora();
    const [{ id }] = await manager.query<{ id: string }[]>(
      `INSERT INTO conversa (conta_id, orgao, assunto, criada_em, atualizada_em) VALUES ($1, $2, $3, $4, $4) RETURNING id`,
      [conta.keycloakUserId, dto.orgao, dto.assunto, agora]);
    const l = await conversaTravada(manager, id, { contaId: conta.keycloakUserId });
    await acrescentar(manager, l, 'cidadao', null, dto.texto);
    await registrarAuditoria(manager, {
      ...contextoCidadao(principal), acao: 'conversa.aberta', pessoaCpf: conta.pessoaCpf, campos: CAMPOS_CONVERSA,
      detalhe: { autoatendimento: true, contaId: conta.keycloakUserId, conversaId: id, orgao: dto.orgao },
    });
    return lerDoCidadao(manager, id, conta.keycloakUserId);
  });
}

async function lerDoCidadao(manager: EntityManager, id: string, contaId: string): Promise<Conversa> {
  const l = await conversaTravada(manager, id, { contaId });
  const itens = await mensagensDe(manager, l, 'cidadao');
  await manager.query(`UPDATE conversa SET lida_cidadao_ate = mensagens WHERE id = $1`, [id]);
  return { ...resumo(l, 'cidadao'), itens };
}

/** The citizen's threads, newest activity first, each with the staff messages not read yet. */
export async function listarConversasDoCidadao(dataSource: DataSource, principal: Principal): Promise<ResumoConversa[]> {
  return dataSource.transaction(async (manager) => {
    const conta = await contaDoCidadao(manager, principal);
    const linhas = await manager.query<LinhaConversa[]>(
      `SELECT ${COLUNAS} FROM conversa c WHERE c.conta_id = $1 ORDER BY c.atualizada_em DESC, c.id LIMIT ${MAXIMO_LISTA}`, [conta.keycloakUserId]);
    await registrarAuditoria(manager, {
      ...contextoCidadao(principal), acao: 'conversas.listadas', pessoaCpf: conta.pessoaCpf, campos: ['conversa.assunto'],
      detalhe: { autoatendimento: true, contaId: conta.keycloakUserId, conversas: linhas.length },
    });
    return linhas.map((l) => resumo(l, 'cidadao'));
  });
}

/** One of the citizen's threads with its messages (then read for the citizen). 404 for any other id. */
export async function lerConversaDoCidadao(dataSource: DataSource, principal: Principal, id: string): Promise<Conversa> {
  return dataSource.transaction(async (manager) => {
    const conta = await contaDoCidadao(manager, principal);
    const c = await lerDoCidadao(manager, id, conta.keycloakUserId);
    await registrarAuditoria(manager, {
      ...contextoCidadao(principal), acao: 'conversa.lida', pessoaCpf: conta.pessoaCpf, campos: CAMPOS_CONVERSA,
      detalhe: { autoatendimento: true, contaId: conta.keycloakUserId, conversaId: id },
    });
    return c;
  });
}

/** The citizen writes in one of their threads. 404 for any other id. */
export async function responderComoCidadao(dataSource: DataSource, principal: Principal, id: string, texto: string): Promise<Conversa> {
  return dataSource.transaction(async (manager) => {
    const conta = await contaDoCidadao(manager, principal);
    const l = await conversaTravada(manager, id, { contaId: conta.keycloakUserId });
    const numero = await acrescentar(manager, l, 'cidadao', null, texto);
    await registrarAuditoria(manager, {
      ...contextoCidadao(principal), acao: 'conversa.respondida', pessoaCpf: conta.pessoaCpf, campos: ['conversa.mensagens'],
      detalhe: { autoatendimento: true, contaId: conta.keycloakUserId, conversaId: id, numero },
    });
    return lerDoCidadao(manager, id, conta.keycloakUserId);
  });
}

// --- staff --------------------------------------------------------------------------------------------------------

/** Audit context of a steward's thread read/answer: the steward's, with the purpose of answering the citizen and no sharing view. */
function contextoAtendimento(ctx: ContextoAuditoria): ContextoAuditoria {
  return { ...ctx, finalidade: FINALIDADE_ATENDIMENTO, visao: null };
}

async function cpfDaConta(manager: EntityManager, contaId: string): Promise<string | null> {
  const [c] = await manager.query<{ pessoa_cpf: string | null }[]>(`SELECT pessoa_cpf FROM conta WHERE keycloak_user_id = $1`, [contaId]);
  return c?.pessoa_cpf ?? null;
}

/**
 * The threads addressed to the steward's organs, newest activity first (`situacao=nao-lidas`: those with a citizen
 * message the organ has not read). The list carries the subject, never the messages or who the citizen is; one audit
 * row names the threads listed.
 */
export async function listarConversasDoOrgao(dataSource: DataSource, orgaos: readonly Orgao[], ctx: ContextoAuditoria, soNaoLidas: boolean): Promise<ResumoConversa[]> {
  return dataSource.transaction(async (manager) => {
    const linhas = await manager.query<LinhaConversa[]>(
      `SELECT * FROM (SELECT ${COLUNAS} FROM conversa c WHERE c.orgao = ANY($1::text[])) x ${soNaoLidas ? 'WHERE x.nao_lidas_orgao > 0' : ''}
        ORDER BY x.atualizada_em DESC, x.id LIMIT ${MAXIMO_LISTA}`, [[...orgaos]]);
    await registrarAuditoria(manager, {
      ...contextoAtendimento(ctx), acao: 'conversas.listadas', pessoaCpf: null, campos: ['conversa.assunto'],
      detalhe: { orgaos: [...orgaos], conversas: linhas.map((l) => l.id) },
    });
    return linhas.map((l) => resumo(l, 'orgao'));
  });
}

/** One thread of the steward's organs with its messages (then read for the organ); audited as a read of the citizen's data. */
export async function lerConversaDoOrgao(dataSource: DataSource, id: string, orgaos: readonly Orgao[], ctx: ContextoAuditoria): Promise<Conversa> {
  return dataSource.transaction(async (manager) => {
    const l = await conversaTravada(manager, id, { orgaos });
    const itens = await mensagensDe(manager, l, 'orgao');
    await manager.query(`UPDATE conversa SET lida_orgao_ate = mensagens WHERE id = $1`, [id]);
    await registrarAuditoria(manager, {
      ...contextoAtendimento(ctx), acao: 'conversa.lida', pessoaCpf: await cpfDaConta(manager, l.conta_id), campos: CAMPOS_CONVERSA,
      detalhe: { contaId: l.conta_id, conversaId: id, orgao: l.orgao },
    });
    return { ...resumo(l, 'orgao'), itens };
  });
}

/**
 * A steward answers a thread of their organs, under the steward role of the thread's organ. Returns the thread (as the
 * organ sees it) and the citizen's account id (for the e-mail notice, which is sent after the commit).
 */
export async function responderComoOrgao(
  dataSource: DataSource, id: string, principal: Principal, ctx: ContextoAuditoria, texto: string,
): Promise<{ conversa: Conversa; contaId: string }> {
  return dataSource.transaction(async (manager) => {
    const l = await conversaTravada(manager, id, { orgaos: principal.orgaos });
    const papel = principal.roles.filter((r) => orgaosDosPapeis([r])[0] === l.orgao).sort()[0];
    const numero = await acrescentar(manager, l, 'orgao', papel, texto);
    await registrarAuditoria(manager, {
      ...contextoAtendimento(ctx), acao: 'conversa.respondida', pessoaCpf: await cpfDaConta(manager, l.conta_id), campos: ['conversa.mensagens'],
      detalhe: { contaId: l.conta_id, conversaId: id, orgao: l.orgao, numero },
    });
    const atual = await conversaTravada(manager, id, { orgaos: principal.orgaos });
    return { conversa: { ...resumo(atual, 'orgao'), itens: await mensagensDe(manager, atual, 'orgao') }, contaId: l.conta_id };
  });
}
