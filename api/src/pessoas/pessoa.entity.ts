import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export const SITUACOES_PESSOA = ['ativa', 'inativa'] as const;
export type SituacaoPessoa = (typeof SITUACOES_PESSOA)[number];

/**
 * Master record of a natural person (Cadastro Base de Pessoas), keyed by CPF.
 * Minimal for now; the full model (filiação, documentos, contatos, provenance per field) grows from here.
 */
@Entity({ name: 'pessoa' })
export class Pessoa {
  /** 11 digits, check digits valid (PMCC: never modified, never deleted). */
  @PrimaryColumn({ type: 'char', length: 11 })
  cpf: string;

  @Column({ type: 'text' })
  nome: string;

  /** `AAAA-MM-DD` (PostgreSQL `date`, kept as a string: no time zone games). */
  @Column({ name: 'data_nascimento', type: 'date' })
  dataNascimento: string;

  @Column({ type: 'boolean', default: false })
  obito: boolean;

  @Column({ type: 'text', default: 'ativa' })
  situacao: SituacaoPessoa;

  /** Incremented on every change of the record. */
  @Column({ type: 'integer', default: 1 })
  versao: number;

  @CreateDateColumn({ name: 'criado_em', type: 'timestamptz' })
  criadoEm: Date;

  @UpdateDateColumn({ name: 'atualizado_em', type: 'timestamptz' })
  atualizadoEm: Date;
}
