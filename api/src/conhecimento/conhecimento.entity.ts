import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { Pergunta } from './perguntas.js';

type SituacaoVerificacao = 'aberta' | 'aprovada' | 'reprovada' | 'substituida';

/**
 * One knowledge check: the questions shown, the right options (`gabarito`: never sent, never logged, never in an
 * audit row) and how it ended. A check left open past `expiraEm` can no longer be answered.
 */
@Entity({ name: 'verificacao_conhecimento' })
export class VerificacaoConhecimento {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'conta_id', type: 'uuid' })
  contaId: string;

  /** The master record the questions came from. */
  @Column({ name: 'pessoa_cpf', type: 'char', length: 11 })
  pessoaCpf: string;

  @Column({ type: 'jsonb' })
  perguntas: Pergunta[];

  @Column({ type: 'jsonb' })
  gabarito: Record<string, string>;

  @Column({ type: 'text', default: 'aberta' })
  situacao: SituacaoVerificacao;

  @Column({ name: 'criada_em', type: 'timestamptz' })
  criadaEm: Date;

  @Column({ name: 'expira_em', type: 'timestamptz' })
  expiraEm: Date;

  @Column({ name: 'respondida_em', type: 'timestamptz', nullable: true })
  respondidaEm: Date | null;
}

/**
 * Per-account state of the knowledge check: the secret seed of its options (stable across checks), the failed
 * checks since the last lock, and the lock.
 */
@Entity({ name: 'conhecimento_conta' })
export class ConhecimentoConta {
  @PrimaryColumn({ name: 'conta_id', type: 'uuid' })
  contaId: string;

  @Column({ type: 'text' })
  semente: string;

  @Column({ type: 'integer', default: 0 })
  falhas: number;

  @Column({ name: 'bloqueada_ate', type: 'timestamptz', nullable: true })
  bloqueadaAte: Date | null;
}
