/**
 * The diagnosis as the stewards' API shows it: exactly the source document's categories (issue 11, item 6), copied
 * field by field from the pipeline's `DiagnosticoCarga`, so the API's answer (and its OpenAPI schema) does not
 * change when the pipeline adds fields of its own to the diagnosis. Labels in pt-BR for the page.
 */
import type { DiagnosticoCarga } from '../diagnostico.js';

export interface CategoriasDiagnostico {
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

export function categoriasDoDiagnostico(d: DiagnosticoCarga): CategoriasDiagnostico {
  return {
    registrosLidos: d.registrosLidos,
    cpfsUnicos: d.cpfsUnicos,
    cpfsValidos: d.cpfsValidos,
    cpfsInvalidos: { valoresDistintos: d.cpfsInvalidos.valoresDistintos, linhas: d.cpfsInvalidos.linhas, porMotivo: { ...d.cpfsInvalidos.porMotivo } },
    semCpf: d.semCpf,
    cpfDeOutraPessoa: d.cpfDeOutraPessoa,
    fundidos: d.fundidos,
    casadosSemCpf: d.casadosSemCpf,
    novasIdentidades: d.novasIdentidades,
    pendentes: d.pendentes,
    itensDeRevisaoAbertos: { campos: d.itensDeRevisaoAbertos.campos, vinculo: d.itensDeRevisaoAbertos.vinculo },
    semChave: d.semChave,
    chavesDuplicadas: d.chavesDuplicadas,
    inalterados: d.inalterados,
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
