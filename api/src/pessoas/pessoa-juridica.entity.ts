import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { ObjetoJson } from '../db/json.js';

export const SITUACOES_PJ = ['ativa', 'suspensa', 'inapta', 'baixada'] as const;
export type SituacaoPj = (typeof SITUACOES_PJ)[number];

/** Master record of a legal person, keyed by CNPJ (numeric or alphanumeric). */
@Entity({ name: 'pessoa_juridica' })
export class PessoaJuridica {
  @PrimaryColumn({ type: 'char', length: 14 })
  cnpj: string;

  @Column({ name: 'razao_social', type: 'text' })
  razaoSocial: string;

  @Column({ name: 'nome_fantasia', type: 'text', nullable: true })
  nomeFantasia: string | null;

  @Column({ type: 'text', default: 'ativa' })
  situacao: SituacaoPj;

  /** Same shape as a person's address. */
  @Column({ type: 'jsonb', nullable: true })
  endereco: ObjetoJson | null;

  /** `[{ cpf, papel }]`: natural persons responsible for the company. */
  @Column({ type: 'jsonb', default: () => "'[]'::jsonb" })
  responsaveis: ObjetoJson[];

  @Column({ type: 'integer', default: 1 })
  versao: number;

  @CreateDateColumn({ name: 'criado_em', type: 'timestamptz' })
  criadoEm: Date;

  @UpdateDateColumn({ name: 'atualizado_em', type: 'timestamptz' })
  atualizadoEm: Date;
}
