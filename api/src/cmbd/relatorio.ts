/**
 * Bases holding personal data and where each stands on the way to consuming the central record, with the real status
 * of their batch loads (issue 11): a load records the CMBD entry its source comes from (the mapping's `cmbd.sigla`
 * and `cmbd.fonteCarga`, columns `cmbd_sigla`, `cmbd_fonte_carga` of `carga`), matched here with the entry's organ
 * sigla and `fonteCarga`.
 */
import type { EntityManager } from 'typeorm';
import { diagnosticoDaCarga, type DiagnosticoCarga } from '../carga/diagnostico.js';
import { hojeIso, SITUACOES_MIGRACAO } from './base.dominio.js';
import { listarBases } from './bases.repository.js';
import { relogio } from '../relogio.js';

/** Load status of one catalogued base. */
interface CargaDaBase {
  /** Loads recorded for this base, in any situation. */
  cargas: number;
  /** Loads started and not finished (running, or killed and waiting to be resumed). */
  emAndamento: number;
  /** The last completed load: when, from which source, and its figures in the source document's categories. */
  ultimaConcluida: {
    id: string;
    fonte: string;
    concluidaEm: string;
    registrosLidos: number;
    cpfsValidos: number;
    cpfsInvalidos: number;
    semCpf: number;
  } | null;
}

export interface LinhaRelatorio {
  id: string;
  sigla: string;
  orgao: string;
  titulo: string;
  situacao: string;
  sgbd: string;
  tipoArmazenamento: string;
  fonteCarga: string | null;
  situacaoMigracao: string;
  cronogramaMigracao: string | null;
  /** Planned date passed and the migration not finished. */
  atrasada: boolean;
  /** Batch loads of this base (null: none recorded, or the entry names no `fonteCarga`). */
  carga: CargaDaBase | null;
}

const chave = (sigla: string, fonteCarga: string) => `${sigla}\u0000${fonteCarga}`;

async function cargasPorBase(m: EntityManager): Promise<Map<string, CargaDaBase>> {
  const contagens = await m.query<{ sigla: string; fonte_carga: string; total: number; em_andamento: number }[]>(
    `SELECT cmbd_sigla AS sigla, cmbd_fonte_carga AS fonte_carga, count(*)::int AS total, (count(*) FILTER (WHERE situacao = 'em-andamento'))::int AS em_andamento
       FROM carga GROUP BY 1, 2`);
  const ultimas = await m.query<{ id: string; fonte: string; sigla: string; fonte_carga: string; concluida_em: Date }[]>(
    `SELECT DISTINCT ON (cmbd_sigla, cmbd_fonte_carga) id::text AS id, fonte, cmbd_sigla AS sigla, cmbd_fonte_carga AS fonte_carga, concluida_em
       FROM carga WHERE situacao = 'concluida' ORDER BY cmbd_sigla, cmbd_fonte_carga, concluida_em DESC, id DESC`);
  const porBase = new Map<string, CargaDaBase>(contagens.map((c) => [chave(c.sigla, c.fonte_carga), { cargas: c.total, emAndamento: c.em_andamento, ultimaConcluida: null }]));
  for (const u of ultimas) {
    // (Typed loosely on purpose: the pipeline may answer null for a load it has no diagnosis of.)
    const d: DiagnosticoCarga | null | undefined = await diagnosticoDaCarga(m.connection, u.id);
    if (!d) continue;
    porBase.get(chave(u.sigla, u.fonte_carga))!.ultimaConcluida = {
      id: u.id, fonte: u.fonte, concluidaEm: u.concluida_em.toISOString(),
      registrosLidos: d.registrosLidos, cpfsValidos: d.cpfsValidos, cpfsInvalidos: d.cpfsInvalidos.linhas, semCpf: d.semCpf,
    };
  }
  return porBase;
}

export async function relatorioDadosPessoais(m: EntityManager): Promise<{ geradoEm: string; total: number; porSituacao: Record<string, number>; bases: LinhaRelatorio[] }> {
  const hoje = hojeIso();
  const cargas = await cargasPorBase(m);
  const bases = (await listarBases(m, { possuiDadosPessoais: true }))
    .filter((b) => b.transferidaPara === null)
    .map((b) => ({
      id: b.id, sigla: b.sigla, orgao: b.orgao, titulo: b.titulo, situacao: b.situacao, sgbd: b.sgbd, tipoArmazenamento: b.tipoArmazenamento,
      fonteCarga: b.fonteCarga, situacaoMigracao: b.situacaoMigracao, cronogramaMigracao: b.cronogramaMigracao,
      atrasada: b.situacaoMigracao !== 'concluida' && b.cronogramaMigracao !== null && b.cronogramaMigracao < hoje,
      carga: b.fonteCarga === null ? null : (cargas.get(chave(b.sigla, b.fonteCarga)) ?? null),
    }));
  const porSituacao = Object.fromEntries(SITUACOES_MIGRACAO.map((s) => [s, bases.filter((b) => b.situacaoMigracao === s).length]));
  return { geradoEm: relogio().agora().toISOString(), total: bases.length, porSituacao, bases };
}
