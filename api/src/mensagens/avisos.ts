/**
 * The optional e-mail notice (issue 14, Mensagens): "you have a new message / your request changed — sign in to read it".
 * Producers call `Avisos.avisar` after their transaction committed; it never throws (the answer or decision stands
 * whatever happens to the notice).
 */
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { registrarAuditoria } from '../auditoria/auditoria.service.js';
import type { Principal } from '../auth/principal.js';
import { contaDoCidadao, contextoCidadao } from '../me/me.service.js';
import { relogio } from '../relogio.js';

/** Why the citizen is told: a staff answer in a thread, or a decision on one of their requests. */
export type MotivoAviso = 'mensagem' | 'pedido';

export interface Avisos {
  /** `ref` names what is notified (e.g. `<conversa>-<número>`): one notice per ref at most. */
  avisar(contaId: string, motivo: MotivoAviso, ref: string, logger: Pick<Logger, 'warn' | 'error'>): Promise<void>;
}

/** No notice at all (an API built without the notice queue). */
export const semAvisos: Avisos = { avisar: () => Promise.resolve() };

/**
 * The citizen's choice (table `aviso_email`). Default OFF: an e-mail is a new use of the address (LGPD art. 6, I and
 * III — purpose and necessity), the realm's address may be unverified or shared, and a citizen who wants it turns it on
 * in one click; the notice carries no content either way.
 */
export async function lerAvisoEmail(dataSource: DataSource, principal: Principal): Promise<{ ativo: boolean }> {
  return dataSource.transaction(async (manager) => {
    const conta = await contaDoCidadao(manager, principal);
    const [l] = await manager.query<{ ativo: boolean }[]>(`SELECT ativo FROM aviso_email WHERE conta_id = $1`, [conta.keycloakUserId]);
    await registrarAuditoria(manager, {
      ...contextoCidadao(principal), acao: 'aviso-email.lido', pessoaCpf: conta.pessoaCpf, campos: ['conta.aviso_email'], detalhe: { autoatendimento: true, contaId: conta.keycloakUserId },
    });
    return { ativo: l?.ativo ?? false };
  });
}

export async function definirAvisoEmail(dataSource: DataSource, principal: Principal, ativo: boolean): Promise<{ ativo: boolean }> {
  return dataSource.transaction(async (manager) => {
    const conta = await contaDoCidadao(manager, principal);
    const [antes] = await manager.query<{ ativo: boolean }[]>(`SELECT ativo FROM aviso_email WHERE conta_id = $1 FOR UPDATE`, [conta.keycloakUserId]);
    await manager.query(`INSERT INTO aviso_email (conta_id, ativo, alterado_em) VALUES ($1, $2, $3)
      ON CONFLICT (conta_id) DO UPDATE SET ativo = EXCLUDED.ativo, alterado_em = EXCLUDED.alterado_em`, [conta.keycloakUserId, ativo, relogio().agora()]);
    await registrarAuditoria(manager, {
      ...contextoCidadao(principal), acao: 'aviso-email.alterado', pessoaCpf: conta.pessoaCpf, campos: ['conta.aviso_email'],
      detalhe: { autoatendimento: true, contaId: conta.keycloakUserId, antes: antes?.ativo ?? false, depois: ativo },
    });
    return { ativo };
  });
}

/**
 * The accounts to tell that a steward decided one of their change requests (`revisao` of a value the citizen
 * submitted, on their tied record): for the `pedido` notice after the decision committed.
 */
export async function contasDoPedidoDecidido(dataSource: DataSource, revisaoId: string): Promise<string[]> {
  const linhas = await dataSource.query<{ conta: string }[]>(
    `SELECT c.keycloak_user_id AS conta FROM revisao r JOIN valor_campo v ON v.id = r.valor_campo_id JOIN conta c ON c.pessoa_cpf = r.chave
      WHERE r.id = $1 AND r.entidade = 'pessoa' AND r.situacao = 'resolvida' AND v.tipo_ator = 'cidadao' AND c.situacao = 'ativa'`, [revisaoId]);
  return linhas.map((l) => l.conta);
}
