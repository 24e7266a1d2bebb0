/** Bases holding personal data and where each stands on the way to consuming the central record. */
import type { EntityManager } from 'typeorm';
import { hojeIso, SITUACOES_MIGRACAO } from './base.dominio.js';
import { listarBases } from './bases.repository.js';
import { relogio } from '../relogio.js';

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
}

export async function relatorioDadosPessoais(m: EntityManager): Promise<{ geradoEm: string; total: number; porSituacao: Record<string, number>; bases: LinhaRelatorio[] }> {
  const hoje = hojeIso();
  const bases = (await listarBases(m, { possuiDadosPessoais: true }))
    .filter((b) => b.transferidaPara === null)
    .map((b) => ({
      id: b.id, sigla: b.sigla, orgao: b.orgao, titulo: b.titulo, situacao: b.situacao, sgbd: b.sgbd, tipoArmazenamento: b.tipoArmazenamento,
      fonteCarga: b.fonteCarga, situacaoMigracao: b.situacaoMigracao, cronogramaMigracao: b.cronogramaMigracao,
      atrasada: b.situacaoMigracao !== 'concluida' && b.cronogramaMigracao !== null && b.cronogramaMigracao < hoje,
    }));
  const porSituacao = Object.fromEntries(SITUACOES_MIGRACAO.map((s) => [s, bases.filter((b) => b.situacaoMigracao === s).length]));
  return { geradoEm: relogio().agora().toISOString(), total: bases.length, porSituacao, bases };
}
