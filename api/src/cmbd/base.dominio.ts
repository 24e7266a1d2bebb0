/**
 * The catalogue entry (one municipal database) with every field of the CGM manual "Manual do Catálogo Municipal
 * de Bases de Dados (CMBD)". The manual's validation is the DTO `BaseDto` (base.dto.ts, rules in base.decorators.ts).
 *
 * Enumerations come from the manual's "Descrição dos Campos"; where the manual only gives examples ending in
 * "etc." (periodicidade, formato) the list below extends those examples and says so in docs/cmbd.md.
 */
import { relogio } from '../relogio.js';

export const NAO_SE_APLICA_PRODAM = 'Não se aplica';
export const NAO_SE_APLICA_MAPA = 'NÃO SE APLICA';
export const SITUACOES = ['ATIVA', 'INATIVA'] as const;
export const TIPOS_ARMAZENAMENTO = ['Banco de Dados', 'Arquivos de Dados'] as const;
export const TIPOS_REPRESENTACAO = ['Alfanumérica', 'Matricial', 'Vetorial', 'Outro'] as const;
export const PERIODICIDADES = [
  'Diária', 'Semanal', 'Quinzenal', 'Mensal', 'Bimestral', 'Trimestral', 'Quadrimestral', 'Semestral', 'Anual', 'Bienal',
  'Contínua', 'Eventual', 'Sem atualização',
] as const;
export const FORMATOS = ['Tabela', 'Planilha', 'Texto', 'Mapa', 'Conjunto de arquivos', 'Imagens', 'Outro'] as const;
/** Migration toward consuming the central record (Cadastro Base de Pessoas): the source's "cronograma de atualização". */
export const SITUACOES_MIGRACAO = ['nao-iniciada', 'planejada', 'em-andamento', 'concluida'] as const;
export const SITUACAO_MIGRACAO_NAO_SE_APLICA = 'nao-se-aplica';

export interface BaseDados {
  sigla: string;
  secaoResponsavel: string;
  codigoProdam: string;
  titulo: string;
  categoriaTematica: string;
  palavrasChave: string[];
  resumo: string;
  historico: string;
  serieHistorica: string;
  periodicidade: string;
  procedencia: string;
  extensaoGeografica: string;
  nivelDesagregacao: string;
  situacao: (typeof SITUACOES)[number];
  inativaDesde: string | null;
  sigilo: boolean;
  sigiloBaseLegal: string | null;
  formasDisponibilizacao: string[];
  enderecoAcesso: string;
  tipoArmazenamento: string;
  sgbd: string;
  formato: string;
  extensaoArquivo: string;
  ambienteProducao: string;
  tiposRepresentacao: string[];
  escala: string;
  sistemaReferencia: string;
  baseCartografica: string;
  possuiDadosPessoais: boolean;
  fonteCarga: string | null;
  situacaoMigracao: string;
  cronogramaMigracao: string | null;
}

/** Accent- and case-insensitive comparison key. */
export function chave(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Today in São Paulo, from the domain clock (relogio.ts). */
export function hojeIso(): string {
  return relogio().hoje();
}
