import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { NivelConfianca } from '../confianca/nivel.js';

export const SITUACOES_CONTA = ['ativa', 'excluida'] as const;
export type SituacaoConta = (typeof SITUACOES_CONTA)[number];

/**
 * A Keycloak account as the API knows it. The CPF the user typed (`cpfDeclarado`) is never evidence by itself;
 * `pessoaCpf` is set only when verified evidence ties the account to a master record.
 */
@Entity({ name: 'conta' })
export class Conta {
  @PrimaryColumn({ name: 'keycloak_user_id', type: 'uuid' })
  keycloakUserId: string;

  @Column({ type: 'text', nullable: true })
  username: string | null;

  @Column({ name: 'cpf_declarado', type: 'char', length: 11, nullable: true })
  cpfDeclarado: string | null;

  @Column({ name: 'pessoa_cpf', type: 'char', length: 11, nullable: true })
  pessoaCpf: string | null;

  @Column({ name: 'nivel_confianca', type: 'smallint', default: 1 })
  nivelConfianca: NivelConfianca;

  /** Incremented each time the level changes; part of the sync job id. */
  @Column({ name: 'nivel_versao', type: 'integer', default: 0 })
  nivelVersao: number;

  /** Highest `nivelVersao` already written to Keycloak (null: never synced). */
  @Column({ name: 'nivel_sincronizado_versao', type: 'integer', nullable: true })
  nivelSincronizadoVersao: number | null;

  @Column({ type: 'text', default: 'ativa' })
  situacao: SituacaoConta;

  /** The sync worker disabled the Keycloak user because of a death record on the linked person. */
  @Column({ name: 'desativada_por_obito', type: 'boolean', default: false })
  desativadaPorObito: boolean;

  /** An operator disabled the user in Keycloak (admin event); cleared when re-enabled there. */
  @Column({ name: 'desativada_no_keycloak', type: 'boolean', default: false })
  desativadaNoKeycloak: boolean;

  @CreateDateColumn({ name: 'criado_em', type: 'timestamptz' })
  criadoEm: Date;

  @UpdateDateColumn({ name: 'atualizado_em', type: 'timestamptz' })
  atualizadoEm: Date;
}
