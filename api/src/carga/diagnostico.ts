// INTERIM — replaced by the pipeline's version at merge
/**
 * Diagnosis of a load and of the whole base, in the source document's categories (issue 11, item 6). This interim
 * version only reads what the interim `executarCarga` stored in `carga.diagnostico`; the pipeline helper writes the
 * real one (counts from `linha_carga`, `identidade`, the review queues).
 */
import type { DataSource } from 'typeorm';

export interface DiagnosticoCarga {
  registrosLidos: number;
  cpfsUnicos: number;
  cpfsValidos: number;
  cpfsInvalidos: { valoresDistintos: number; linhas: number; porMotivo: Record<string, number> };
  semCpf: number;
  cpfDeOutraPessoa: number;
  fundidos: number;
  casadosSemCpf: number;
  novasIdentidades: number;
  pendentes: number;
  itensDeRevisaoAbertos: { campos: number; vinculo: number };
  semChave: number;
  chavesDuplicadas: number;
  inalterados: number;
}

export function diagnosticoVazio(): DiagnosticoCarga {
  return {
    registrosLidos: 0, cpfsUnicos: 0, cpfsValidos: 0, cpfsInvalidos: { valoresDistintos: 0, linhas: 0, porMotivo: {} }, semCpf: 0, cpfDeOutraPessoa: 0,
    fundidos: 0, casadosSemCpf: 0, novasIdentidades: 0, pendentes: 0, itensDeRevisaoAbertos: { campos: 0, vinculo: 0 }, semChave: 0, chavesDuplicadas: 0, inalterados: 0,
  };
}

export async function diagnosticoDaCarga(ds: DataSource, cargaId: string): Promise<DiagnosticoCarga> {
  const [linha] = await ds.query<{ diagnostico: DiagnosticoCarga | null }[]>(`SELECT diagnostico FROM carga WHERE id = $1`, [cargaId]);
  return linha?.diagnostico ?? diagnosticoVazio();
}

export async function diagnosticoDaBase(ds: DataSource): Promise<DiagnosticoCarga> {
  const linhas = await ds.query<{ diagnostico: DiagnosticoCarga }[]>(`SELECT diagnostico FROM carga WHERE situacao = 'concluida' AND diagnostico IS NOT NULL`);
  const total = diagnosticoVazio();
  for (const { diagnostico: d } of linhas) {
    total.registrosLidos += d.registrosLidos;
    total.cpfsInvalidos.linhas += d.cpfsInvalidos.linhas;
    for (const [m, n] of Object.entries(d.cpfsInvalidos.porMotivo)) total.cpfsInvalidos.porMotivo[m] = (total.cpfsInvalidos.porMotivo[m] ?? 0) + n;
    total.semCpf += d.semCpf;
    total.semChave += d.semChave;
  }
  const [cpfs] = await ds.query<{ validos: number; pendentes: number }[]>(
    `SELECT (SELECT count(*) FROM identidade WHERE cpf IS NOT NULL AND situacao = 'ativa')::int AS validos,
            (SELECT count(*) FROM identidade WHERE situacao = 'pendente')::int AS pendentes`);
  total.cpfsValidos = cpfs.validos;
  total.cpfsUnicos = cpfs.validos;
  total.pendentes = cpfs.pendentes;
  const [abertos] = await ds.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM revisao_vinculo WHERE situacao = 'aberta'`);
  total.itensDeRevisaoAbertos.vinculo = abertos.n;
  return total;
}
