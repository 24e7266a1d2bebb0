import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const SITUACOES_REVISAO = ['aberta', 'em-analise', 'resolvida'] as const;
export type SituacaoRevisao = (typeof SITUACOES_REVISAO)[number];
export const RESOLUCOES = ['manter-vigente', 'adotar-alternativo'] as const;
export type Resolucao = (typeof RESOLUCOES)[number];

/** A steward review item: a conflicting or requested value of a critical field waiting for a decision. */
@Entity({ name: 'revisao' })
export class Revisao {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'text' })
  entidade: 'pessoa' | 'pessoa_juridica';

  @Column({ type: 'text' })
  chave: string;

  @Column({ type: 'text' })
  campo: string;

  /** The alternative value under review. */
  @Column({ name: 'valor_campo_id', type: 'bigint' })
  valorCampoId: string;

  @Column({ type: 'text' })
  motivo: string;

  @Column({ type: 'text' })
  codigo: string;

  @Column({ type: 'text', default: 'aberta' })
  situacao: SituacaoRevisao;

  @Column({ type: 'text', nullable: true })
  responsavel: string | null;

  @Column({ type: 'text', nullable: true })
  resolucao: Resolucao | null;

  @Column({ type: 'text', nullable: true })
  justificativa: string | null;

  @Column({ name: 'criada_em', type: 'timestamptz', default: () => 'now()' })
  criadaEm: Date;

  @Column({ name: 'assumida_em', type: 'timestamptz', nullable: true })
  assumidaEm: Date | null;

  @Column({ name: 'resolvida_em', type: 'timestamptz', nullable: true })
  resolvidaEm: Date | null;
}
