import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ObjetoJson } from '../db/json.js';

export const ESTADOS_VALOR = ['vigente', 'historico', 'alternativo', 'descartado'] as const;
export type EstadoValor = (typeof ESTADOS_VALOR)[number];

/**
 * Provenance and history of one field value: who wrote it, from which source system and key, with what
 * evidence, when it was observed and recorded, and what the PMCC decided. Exactly one `vigente` row per field
 * that has a value; replaced values become `historico`; losing values from other sources `alternativo`.
 */
@Entity({ name: 'valor_campo' })
export class ValorCampo {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'text' })
  entidade: 'pessoa' | 'pessoa_juridica';

  /** CPF or CNPJ. */
  @Column({ type: 'text' })
  chave: string;

  @Column({ type: 'text' })
  campo: string;

  /** The value as in the API JSON (null = the field was deleted). */
  @Column({ type: 'jsonb', nullable: true })
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  valor: any;

  @Column({ type: 'text' })
  estado: EstadoValor;

  @Column({ type: 'text' })
  operacao: 'insercao' | 'modificacao' | 'exclusao';

  /** Source system (`FONTES` in pmcc/politicas.ts). */
  @Column({ type: 'text' })
  fonte: string;

  /** The record's key in the source system (batch row id, Keycloak event id…). */
  @Column({ name: 'chave_fonte', type: 'text', nullable: true })
  chaveFonte: string | null;

  @Column({ type: 'jsonb', nullable: true })
  evidencia: ObjetoJson | null;

  @Column({ type: 'text' })
  ator: string;

  @Column({ name: 'tipo_ator', type: 'text' })
  tipoAtor: string;

  @Column({ name: 'observado_em', type: 'timestamptz' })
  observadoEm: Date;

  @Column({ name: 'registrado_em', type: 'timestamptz', default: () => 'clock_timestamp()' })
  registradoEm: Date;

  /** The record's `versao` after this write (for alternatives: the version they were offered against). */
  @Column({ name: 'versao_registro', type: 'integer' })
  versaoRegistro: number;

  @Column({ type: 'jsonb' })
  decisao: ObjetoJson;
}
