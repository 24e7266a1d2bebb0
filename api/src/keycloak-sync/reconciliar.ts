/**
 * The periodic reconciliation: every account's state in Keycloak (the owned attributes, the enabled flag a death
 * decides, the user's existence) against the master record's. An account with no change in flight (no pending
 * outbox row) whose Keycloak state differs is repaired through the outbox (a `reconciliacao` row: the worker writes
 * the current state); an account whose user no longer exists in Keycloak is marked `excluida`. Every repair gets an
 * audit row, and the run a `reconciliacao` row with what it repaired. Runs as a BullMQ repeatable job in the worker
 * and as `npm run sync:reconciliar`.
 */
import type { DataSource } from 'typeorm';
import { registrarAuditoria } from '../auditoria/auditoria.service.js';
import { lerResumoDoLastro } from '../confianca/lastro.js';
import type { NivelConfianca } from '../confianca/nivel.js';
import { Conta } from '../contas/conta.entity.js';
import { recalcular } from '../confianca/confianca.service.js';
import type { KeycloakLeituraPort } from './keycloak-users.port.js';
import { registrarSaida } from './saida.js';
import { ATRIBUTOS_PROPRIOS, type EstadoConta } from './sincronizar-nivel.js';

interface Reparo {
  contaId: string;
  tipo: 'atributos' | 'habilitado' | 'usuario-ausente';
  /** What Keycloak had, and what the master record says. */
  keycloak: Record<string, string | boolean | null>;
  cadastro: Record<string, string | boolean | null>;
  saidaId: string | null;
}

export interface RelatorioReconciliacao {
  id: string;
  contasVerificadas: number;
  emAndamento: number;
  reparos: Reparo[];
}

const PAGINA = 200;

interface LinhaConta {
  id: string;
  nivel: number;
  versao: number;
  situacao: 'ativa' | 'excluida';
  desativada_por_obito: boolean;
  pessoa_cpf: string | null;
  obito: boolean | null;
  pendente: boolean;
}

export async function reconciliar(deps: { dataSource: DataSource; keycloak: KeycloakLeituraPort; origem: string }): Promise<RelatorioReconciliacao> {
  const iniciada = new Date();
  // Keycloak first: an account whose level changes after this read has a pending outbox row below (not drift).
  const noKeycloak = new Map<string, { atributos: Record<string, string | null>; habilitado: boolean }>();
  for (let primeiro = 0; ; primeiro += PAGINA) {
    const pagina = await deps.keycloak.listarUsuarios(primeiro, PAGINA);
    for (const u of pagina) {
      if (!u.id) continue;
      const atributos: Record<string, string | null> = {};
      for (const nome of Object.keys(ATRIBUTOS_PROPRIOS)) {
        const v: unknown = u.attributes?.[nome];
        atributos[nome] = Array.isArray(v) && typeof v[0] === 'string' ? v[0] : null;
      }
      noKeycloak.set(u.id, { atributos, habilitado: u.enabled !== false });
    }
    if (pagina.length < PAGINA) break;
  }
  const contas = await deps.dataSource.query<LinhaConta[]>(`
    SELECT c.keycloak_user_id::text AS id, c.nivel_confianca AS nivel, c.nivel_versao AS versao, c.situacao, c.desativada_por_obito, c.pessoa_cpf, p.obito,
           EXISTS (SELECT 1 FROM sincronizacao_saida s WHERE s.conta_id = c.keycloak_user_id AND s.situacao = 'pendente') AS pendente
      FROM conta c LEFT JOIN pessoa p ON p.cpf = c.pessoa_cpf
     WHERE c.situacao = 'ativa' ORDER BY c.keycloak_user_id`);

  const reparos: Reparo[] = [];
  let emAndamento = 0;
  for (const c of contas) {
    if (c.pendente) {
      emAndamento++;
      continue;
    }
    const kc = noKeycloak.get(c.id);
    const estado: EstadoConta = {
      nivel: Number(c.nivel) as NivelConfianca, versao: c.versao, situacao: c.situacao, obito: c.obito === true, desativadaPorObito: c.desativada_por_obito, saidaConcluida: false,
      lastro: await lerResumoDoLastro(deps.dataSource.manager, c.id),
    };
    if (!kc) {
      reparos.push({ contaId: c.id, tipo: 'usuario-ausente', keycloak: { existe: false }, cadastro: { situacao: c.situacao }, saidaId: null });
      continue;
    }
    const esperado = Object.fromEntries(Object.entries(ATRIBUTOS_PROPRIOS).map(([n, f]) => [n, f(estado)]));
    const difereAtributos = Object.keys(esperado).some((n) => esperado[n] !== kc.atributos[n]);
    const difereHabilitado = (estado.obito && kc.habilitado) || (!estado.obito && estado.desativadaPorObito && !kc.habilitado);
    if (difereAtributos) reparos.push({ contaId: c.id, tipo: 'atributos', keycloak: kc.atributos, cadastro: esperado, saidaId: null });
    else if (difereHabilitado) reparos.push({ contaId: c.id, tipo: 'habilitado', keycloak: { habilitado: kc.habilitado }, cadastro: { habilitado: !estado.obito }, saidaId: null });
  }

  return deps.dataSource.transaction(async (manager) => {
    for (const r of reparos) {
      const conta = await manager.findOne(Conta, { where: { keycloakUserId: r.contaId }, lock: { mode: 'pessimistic_write' } });
      if (!conta) continue;
      if (r.tipo === 'usuario-ausente') {
        await manager.update(Conta, { keycloakUserId: r.contaId }, { situacao: 'excluida' });
        await recalcular(r.contaId, manager);
      } else {
        r.saidaId = await registrarSaida(manager, r.contaId, conta.nivelVersao, 'reconciliacao');
      }
      await registrarAuditoria(manager, {
        ator: 'lum-api-reconciliacao', acao: r.tipo === 'usuario-ausente' ? 'conta.excluida-reconciliacao' : 'keycloak.reparo-reconciliacao', pessoaCpf: conta.pessoaCpf,
        campos: r.tipo === 'usuario-ausente' ? ['situacao'] : r.tipo === 'habilitado' ? ['enabled'] : Object.keys(ATRIBUTOS_PROPRIOS), cliente: null, finalidade: 'sincronizacao-keycloak',
        detalhe: { contaId: r.contaId, tipo: r.tipo, keycloak: r.keycloak, cadastro: r.cadastro, saidaId: r.saidaId, origem: deps.origem },
      });
    }
    const [linha] = await manager.query<Array<{ id: string }>>(
      `INSERT INTO reconciliacao (origem, iniciada_em, terminada_em, contas_verificadas, reparos) VALUES ($1, $2, clock_timestamp(), $3, $4) RETURNING id::text AS id`,
      [deps.origem, iniciada, contas.length, JSON.stringify(reparos)],
    );
    return { id: linha.id, contasVerificadas: contas.length, emAndamento, reparos };
  });
}
