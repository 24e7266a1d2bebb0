/**
 * The diagnosis as the stewards' API shows it: exactly the source document's categories (issue 11, item 6), copied
 * field by field from the pipeline's `DiagnosticoCarga`, so the API's answer (and its OpenAPI schema) does not
 * change when the pipeline adds fields of its own to the diagnosis. Labels in pt-BR for the page.
 */
import { cpfsDevolvidosAoTitular, type DiagnosticoBase, type DiagnosticoCarga } from '../diagnostico.js';
import type { LinhasIlegiveis, MotivoIlegivel } from '../ler-fonte.js';

export interface CategoriasDiagnostico {
  registrosLidos: number;
  cpfsUnicos: number;
  cpfsValidos: number;
  cpfsInvalidos: { valoresDistintos: number; linhas: number; porMotivo: Record<string, { valoresDistintos: number; linhas: number }> };
  semCpf: number;
  cpfDeOutraPessoa: number;
  /** Guardian's CPFs taken off a child's golden id and handed back to their owner (the master record rebuilt). */
  cpfsDevolvidosAoTitular: number;
  fundidos: number;
  casadosSemCpf: number;
  emQuarentena: number;
  pendentes: number;
  itensDeRevisaoAbertos: { campos: number; vinculo: number };
  /** Per load only (absent from the whole base's diagnosis). */
  novasIdentidades?: number;
  linhasIlegiveis?: LinhasIlegiveis;
  semChave?: number;
  chavesDuplicadas?: number;
  inalterados?: number;
}

/** A load's diagnosis or the whole base's (which has no per-load counts). */
export function categoriasDoDiagnostico(d: DiagnosticoCarga | DiagnosticoBase): CategoriasDiagnostico {
  const daCarga = 'carga' in d ? { novasIdentidades: d.novasIdentidades, linhasIlegiveis: d.linhasIlegiveis, semChave: d.semChave, chavesDuplicadas: d.chavesDuplicadas, inalterados: d.inalterados } : {};
  return {
    registrosLidos: d.registrosLidos,
    cpfsUnicos: d.cpfsUnicos,
    cpfsValidos: d.cpfsValidos,
    cpfsInvalidos: { valoresDistintos: d.cpfsInvalidos.valoresDistintos, linhas: d.cpfsInvalidos.linhas, porMotivo: Object.fromEntries(Object.entries(d.cpfsInvalidos.porMotivo).map(([m, c]) => [m, { valoresDistintos: c.valoresDistintos, linhas: c.linhas }])) },
    semCpf: d.semCpf,
    cpfDeOutraPessoa: d.cpfDeOutraPessoa,
    cpfsDevolvidosAoTitular: 'carga' in d ? cpfsDevolvidosAoTitular(d) : d.cpfsDevolvidosAoTitular,
    fundidos: d.fundidos,
    casadosSemCpf: d.casadosSemCpf,
    emQuarentena: d.emQuarentena,
    pendentes: d.pendentes,
    itensDeRevisaoAbertos: { campos: d.itensDeRevisaoAbertos.campos, vinculo: d.itensDeRevisaoAbertos.vinculo },
    ...daCarga,
  };
}

/** Reason codes of the CPF triage (carga/triagem.ts), as a steward reads them. */
export const ROTULOS_MOTIVO_CPF: Readonly<Record<string, string>> = {
  caractere: 'caracteres que não são dígitos',
  tamanho: 'não tem 11 dígitos',
  repetido: 'dígitos todos iguais (falso)',
  'sequencia-conhecida': 'sequência conhecida de CPF falso',
  digito: 'dígito verificador errado',
};

const ROTULOS_ILEGIVEL: Record<MotivoIlegivel, string> = { colunas: 'colunas', codificacao: 'codificação' };

/**
 * The unreadable rows in one pt-BR phrase: `0`, or the count with where the first are and why, e.g.
 * `2 — linhas 3 (colunas), 6 (codificação)`; `, …` when there are more than those listed.
 */
export function descreverIlegiveis(l: LinhasIlegiveis, formatar: (n: number) => string): string {
  if (l.total === 0) return '0';
  const onde = l.primeiras.map((p) => `${formatar(p.linha)} (${ROTULOS_ILEGIVEL[p.motivo]})`).join(', ');
  return `${formatar(l.total)} — linha${l.primeiras.length > 1 ? 's' : ''} ${onde}${l.total > l.primeiras.length ? ', …' : ''}`;
}
